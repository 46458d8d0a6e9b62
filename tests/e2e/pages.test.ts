import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers.ts';
import { buildSite } from './build.ts';

// The site as the workflow publishes it on a project's GitHub Pages, under a
// path (https://owner.github.io/<repo>/): CHEMINS_SITE names the address, and
// every link, asset and citation must carry the path.

const SITE = 'https://owner.github.io/chemins';
const BASE = '/chemins/';
let site: Awaited<ReturnType<typeof buildSite>>;

beforeAll(async () => {
  const root = tempDir('chemins-pages-');
  const exps = join(root, 'experiments');
  const content = join(root, 'content');
  mkdirSync(exps);
  mkdirSync(content);
  writeFileSync(
    join(exps, 'tiny.yaml'),
    'title: tiny\ndataset:\n  classes: [1, 7]\n  probes: [3]\n  samplesPerClass: 60\nmodel:\n  hidden: [8]\ntraining:\n  epochs: 1\nsignatures:\n  k: 2\n  restarts: 1\nanalysis:\n  permutations: 10\n',
  );
  writeFileSync(join(content, 'report.mdx'), '---\ntitle: A report\n---\nA short write-up.\n');
  // The French edition links its own write-up.
  mkdirSync(join(content, 'fr'));
  writeFileSync(join(content, 'fr', 'report.mdx'), '---\ntitle: Un rapport\n---\nUn court compte rendu.\n');
  site = await buildSite(root, { experiments: exps, content, env: { CHEMINS_SITE: SITE } });
}, 600_000);

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => (statSync(join(dir, f)).isDirectory() ? files(join(dir, f)) : [join(dir, f)]));
}

describe('a site built for an address under a path', () => {
  it('links every page and asset under that path, and each link resolves', () => {
    expect(site.code).toBe(0);
    const pages = files(site.dist).filter((f) => f.endsWith('.html'));
    expect(pages.length).toBeGreaterThan(3);
    const links = pages.flatMap((page) => [...readFileSync(page, 'utf8').matchAll(/\s(?:href|src)="([^"#?]+)/g)].map((m) => ({ page, url: m[1] })));
    const internal = links.filter(({ url }) => !/^(data:|https?:|mailto:)/.test(url));
    expect(internal.length).toBeGreaterThan(50);
    const outside = internal.filter(({ url }) => !url.startsWith(BASE));
    expect(outside).toEqual([]);
    const broken = internal.filter(({ url }) => {
      const path = join(site.dist, decodeURI(url.slice(BASE.length)));
      return !(existsSync(path) && (statSync(path).isFile() || existsSync(join(path, 'index.html'))));
    });
    expect(broken).toEqual([]);
  });

  it('cites figures at their published address', () => {
    const cite = readFileSync(join(site.dist, 'figures', 'tiny', 'separation.cite.txt'), 'utf8');
    expect(cite).toContain(`${SITE}/experiments/tiny/#fig-separation`);
    expect(readFileSync(join(site.dist, 'figures', 'tiny', 'separation.bib'), 'utf8')).toContain(`url          = {${SITE}/experiments/tiny/#fig-separation}`);
  });
});
