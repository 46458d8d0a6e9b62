import { resolve } from 'node:path';
import { systemFontsDigest } from '../../src/figures/system-fonts.ts';
import { bibliographyPath } from '../../src/site/bibliography.ts';
import { buildCommit, buildDate } from '../../src/site/build-info.ts';
import { fileDigest, folderState, treeDigest } from '../../src/util/file-digest.ts';
import { sha256 } from '../../src/util/hash.ts';

// Whether a site build would write what the output folder already holds:
// the fingerprint of everything `astro build` reads, and the state of the
// output folder the last build left. Equal to the last complete build's,
// nothing is built (scripts/site.ts). Everything means:
//   - the code and configuration: src/, public/, astro.config.mjs,
//     tsconfig.json, package.json and the lockfile (which pins node_modules,
//     as Astro's own cache assumes), Node's version;
//   - the inputs: the experiment files, the write-ups, the whole results
//     store but its locks (results, per-input files, artifacts),
//     CITATION.cff, the references, the system's fonts (a PNG may fall back
//     on them);
//   - what a build stamps: the date (UTC day), the commit;
//   - the environment that changes a build: every CHEMINS_*, ASTRO_*,
//     VITE_* and PUBLIC_* variable, SOURCE_DATE_EPOCH, NODE_ENV, TZ,
//     NODE_OPTIONS.
// Files are digested by content (src/util/file-digest.ts reads a file again
// only when its size, inode or times changed).

/** Bumped whenever what the fingerprint covers changes. */
const VERSION = '1';

const ENV = /^(CHEMINS_|ASTRO_|VITE_|PUBLIC_)|^(SOURCE_DATE_EPOCH|NODE_ENV|TZ|NODE_OPTIONS)$/;

const dir = (name: string, fallback: string) => resolve(process.env[name] ?? fallback);

/** The output folder, as astro.config.mjs sets it. */
export const outputDir = (): string => dir('CHEMINS_DIST', 'dist');

/** The fingerprint of every input of a site build (see above), with its parts by name for a reader. */
export function siteInputs(): { digest: string; parts: Record<string, string> } {
  const env = Object.keys(process.env)
    .filter((k) => ENV.test(k))
    .sort()
    .map((k) => `${k}=${process.env[k]}`);
  const results = dir('CHEMINS_RESULTS', 'results');
  const parts: Record<string, string> = {
    version: VERSION,
    node: `${process.version} ${process.platform} ${process.arch}`,
    env: sha256(env.join('\n')),
    date: buildDate(),
    commit: buildCommit(),
    src: treeDigest('src'),
    public: treeDigest('public'),
    config: ['astro.config.mjs', 'tsconfig.json', 'package.json', 'package-lock.json'].map(fileDigest).join(' '),
    citation: fileDigest(process.env.CHEMINS_CITATION ?? 'CITATION.cff'),
    references: `${bibliographyPath()} ${fileDigest(bibliographyPath())}`,
    experiments: treeDigest(dir('CHEMINS_EXPERIMENTS', 'experiments')),
    content: treeDigest(dir('CHEMINS_CONTENT', 'content')),
    results: treeDigest(results, (f) => !f.endsWith('.lock')),
    fonts: systemFontsDigest(),
  };
  return {
    digest: sha256(
      Object.entries(parts)
        .map(([k, v]) => `${k}\t${v}`)
        .join('\n'),
    ),
    parts,
  };
}

/** The output folder as the last build left it, or not (its files' paths, sizes and times). */
export const outputState = (out = outputDir()): string => folderState(out);
