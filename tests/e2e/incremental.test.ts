import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { astroFiles, astroSummary } from '../../scripts/bench/build.ts';
import { sha256 } from '../../src/util/hash.ts';
import { tempDir } from '../helpers.ts';

// The site's caches, on a small site built from a copy of the project (so
// that a test can change a figure's code): Astro's incremental build copies
// the pages and files whose key and code are unchanged, and the figure store
// gives back a PNG or PDF whose SVG was drawn before. Whatever was reused,
// the site must equal one built from nothing.

const exec = promisify(execFile);
const ROOT = process.cwd();
let root: string;
let project: string;
let env: Record<string, string>;

/** Every file of a built site and the digest of its bytes. */
function snapshot(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const f of readdirSync(dir, { recursive: true }).map(String)) {
    const path = join(dir, f);
    if (statSync(path).isFile()) out.set(`/${f}`, sha256(readFileSync(path)));
  }
  return out;
}

/** The files whose bytes differ between two snapshots (or that only one has). */
function changed(a: Map<string, string>, b: Map<string, string>): string[] {
  return [...new Set([...a.keys(), ...b.keys()])].filter((f) => a.get(f) !== b.get(f)).sort();
}

/** The files Astro rendered (not copied from its cache), from its log. */
const rendered = (log: string) => astroFiles(log).rendered;

async function build(extra: Record<string, string> = {}): Promise<{ log: string; files: Map<string, string>; dist: string }> {
  const vars = { ...env, ...extra };
  const r = await exec(process.execPath, ['node_modules/astro/bin/astro.mjs', 'build'], { cwd: project, env: vars, maxBuffer: 1 << 26 });
  return { log: `${r.stdout}\n${r.stderr}`, files: snapshot(vars.CHEMINS_DIST), dist: vars.CHEMINS_DIST };
}

let first: Awaited<ReturnType<typeof build>>;

/** The pages without static paths (no cache key), rendered by every build: the homes, the figure indexes and the glossaries, in both languages. */
const UNKEYED = ['/figures/index.html', '/fr/figures/index.html', '/fr/glossary/index.html', '/fr/index.html', '/glossary/index.html', '/index.html'];

beforeAll(async () => {
  root = tempDir('chemins-incremental-');
  project = join(root, 'project');
  mkdirSync(project);
  for (const f of ['src', 'public', 'scripts', 'astro.config.mjs', 'package.json', 'package-lock.json', 'tsconfig.json', 'CITATION.cff'])
    cpSync(join(ROOT, f), join(project, f), { recursive: true });
  symlinkSync(join(ROOT, 'node_modules'), join(project, 'node_modules'), 'dir');
  const exps = join(root, 'experiments');
  const content = join(project, 'content');
  mkdirSync(exps);
  mkdirSync(content);
  cpSync(join(ROOT, 'content/references.bib'), join(content, 'references.bib'));
  writeFileSync(
    join(exps, 'tiny.yaml'),
    'title: tiny\ndataset:\n  classes: [1, 7]\n  probes: [3]\n  samplesPerClass: 60\nmodel:\n  hidden: [8]\ntraining:\n  epochs: 1\nsignatures:\n  k: 2\n  restarts: 1\nanalysis:\n  permutations: 10\n',
  );
  writeFileSync(
    join(content, 'report.mdx'),
    '---\ntitle: A report\n---\nimport ExperimentFigure from \'../src/components/ExperimentFigure.astro\';\n\nA short write-up.\n\n<ExperimentFigure id="tiny/separation" />\n',
  );
  env = {
    ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !['BASE_URL', 'MODE', 'DEV', 'PROD', 'SSR'].includes(k))),
    CHEMINS_EXPERIMENTS: exps,
    CHEMINS_RESULTS: join(root, 'results'),
    CHEMINS_CONTENT: content,
    CHEMINS_DIST: join(root, 'dist'),
    CHEMINS_CACHE: join(root, 'cache'),
    CHEMINS_COMMIT: 'abc1234',
    SOURCE_DATE_EPOCH: '1767225600',
    ASTRO_TELEMETRY_DISABLED: '1',
  } as Record<string, string>;
  await exec(process.execPath, ['scripts/experiments.ts'], { env, maxBuffer: 1 << 26 });
  first = await build();
}, 900_000);

describe('a rebuild', () => {
  it('with nothing changed renders only the pages without static paths, and writes the same site', async () => {
    const second = await build();
    expect(rendered(second.log)).toEqual(UNKEYED);
    expect(astroSummary(second.log).reused).toBeGreaterThan(100);
    expect(changed(first.files, second.files)).toEqual([]);
  }, 300_000);

  it('after a hand edit of the output folder empties it and writes every file again, from the cache', async () => {
    writeFileSync(join(first.dist, 'figures/tiny/separation.csv'), 'edited by hand\n');
    const again = await build();
    expect(again.log).toMatch(/emptied: it is not as the last complete build/);
    expect(changed(first.files, again.files)).toEqual([]);
  }, 300_000);

  it('after a write-up is edited renders that write-up again, and it shows the edit', async () => {
    writeFileSync(join(project, 'content/report.mdx'), `${readFileSync(join(project, 'content/report.mdx'), 'utf8')}\nAn edited paragraph.\n`);
    const edited = await build();
    // Its citation files render again too, to the same bytes: their route imports every write-up's module (src/site/writeups.ts).
    expect(rendered(edited.log)).toEqual([...UNKEYED, '/report/cite.bib', '/report/cite.txt', '/report/index.html'].sort());
    expect(readFileSync(join(edited.dist, 'report/index.html'), 'utf8')).toContain('An edited paragraph.');
    expect(changed(first.files, edited.files)).toEqual(['/report/index.html']);
    first = edited;
  }, 300_000);

  it('after a write-up is removed no longer holds its files', async () => {
    writeFileSync(join(project, 'content/notes.mdx'), '---\ntitle: Notes\n---\nSome notes.\n');
    const added = await build();
    expect(changed(first.files, added.files)).toEqual(['/notes/cite.bib', '/notes/cite.txt', '/notes/index.html']);
    rmSync(join(project, 'content/notes.mdx'));
    const removed = await build();
    expect(changed(first.files, removed.files)).toEqual([]);
  }, 300_000);

  it('stops on a write-up without a title, naming the file and the field', async () => {
    writeFileSync(join(project, 'content/notes.mdx'), '---\ndescription: no title\n---\nSome notes.\n');
    const failed = await build().then(
      () => null,
      (err: { stdout?: string; stderr?: string }) => `${err.stdout}\n${err.stderr}`,
    );
    rmSync(join(project, 'content/notes.mdx'));
    expect(failed).toMatch(/\[InvalidWriteup\] content\/notes\.mdx: frontmatter title/);
  }, 300_000);

  it('through scripts/site.ts, with nothing changed, is skipped and leaves the site as it was', async () => {
    const site = async (extra: Record<string, string> = {}) => {
      const r = await exec(process.execPath, ['scripts/site.ts'], { cwd: project, env: { ...env, ...extra }, maxBuffer: 1 << 26 });
      return `${r.stdout}\n${r.stderr}`;
    };
    const built = await site();
    expect(built).not.toMatch(/nothing it reads changed/);
    const before = snapshot(env.CHEMINS_DIST);
    const skipped = await site();
    expect(skipped).toMatch(/nothing it reads changed/);
    expect(skipped).not.toMatch(/generating static routes/);
    expect(changed(before, snapshot(env.CHEMINS_DIST))).toEqual([]);
    // Another commit is stamped in the citations: built again.
    const again = await site({ CHEMINS_COMMIT: 'def5678' });
    expect(again).toMatch(/generating static routes/);
    expect(readFileSync(join(env.CHEMINS_DIST, 'figures/tiny/separation.cite.txt'), 'utf8')).toContain('def5678');
    // Back to the first commit for the tests after this one.
    await site();
  }, 300_000);

  it("after a figure's code changed draws that figure's files again, takes the others' from the figure store, and equals a site built from nothing", async () => {
    const file = join(project, 'src/figures/separation.ts');
    const source = readFileSync(file, 'utf8');
    expect(source).toContain("label: say(lang, 'Layer', 'Couche')");
    writeFileSync(file, source.replace("label: say(lang, 'Layer', 'Couche')", "label: say(lang, 'Hidden layer', 'Couche cachée')"));
    const after = await build();
    const summary = astroSummary(after.log);
    // Every figure route imports every figure: all are rendered again, but only one figure's SVG differs.
    expect(rendered(after.log)).toContain('/figures/tiny/separation.png');
    // Its PNG and PDF in each language.
    expect(summary.drawn).toBe(4);
    expect(summary.stored).toBeGreaterThan(10);
    const diff = changed(first.files, after.files);
    for (const lang of ['', '/fr']) {
      for (const f of ['figures/tiny/separation.svg', 'figures/tiny/separation.png', 'figures/tiny/separation.pdf', 'experiments/tiny/index.html'])
        expect(diff).toContain(`${lang}/${f}`);
      expect(diff.filter((f) => f.startsWith(`${lang}/figures/tiny/`) && !f.startsWith(`${lang}/figures/tiny/separation.`))).toEqual([]);
    }
    expect(diff).toContain('/report/index.html');
    expect(readFileSync(join(after.dist, 'figures/tiny/separation.svg'), 'utf8')).toContain('Hidden layer');
    expect(readFileSync(join(after.dist, 'fr/figures/tiny/separation.svg'), 'utf8')).toContain('Couche cachée');

    // Built from nothing (no Astro cache, no figure store), the site is the same, byte for byte.
    const fresh = await build({ CHEMINS_DIST: join(root, 'dist-fresh'), CHEMINS_CACHE: join(root, 'cache-fresh') });
    expect(astroSummary(fresh.log).reused).toBe(0);
    expect(changed(after.files, fresh.files)).toEqual([]);
  }, 600_000);
});
