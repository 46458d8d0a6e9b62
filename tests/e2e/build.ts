import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

const exec = promisify(execFile);

/**
 * The README's build, into a temporary store and output folder: every
 * experiment in experiments/ is trained on the embedded data, then Astro
 * builds the site from those results.
 */
export async function buildSite(
  root: string,
  dirs: { experiments?: string; content?: string; env?: Record<string, string> } = {},
): Promise<{ results: string; dist: string; log: string; code: number }> {
  const results = join(root, 'results');
  const dist = join(root, 'dist');
  // Vitest mirrors import.meta.env into process.env; a BASE_URL there would override Astro's base in the child build.
  const { BASE_URL, MODE, DEV, PROD, SSR, ...inherited } = process.env;
  const env = {
    ...inherited,
    CHEMINS_RESULTS: results,
    CHEMINS_DIST: dist,
    ASTRO_TELEMETRY_DISABLED: '1',
    ...(dirs.experiments ? { CHEMINS_EXPERIMENTS: dirs.experiments } : {}),
    ...(dirs.content ? { CHEMINS_CONTENT: dirs.content } : {}),
    ...dirs.env,
  };
  // A failing experiment makes the command exit 1 after building the others: the site is built all the same.
  const run = await exec(process.execPath, ['scripts/experiments.ts'], { env, maxBuffer: 1 << 26 }).catch(
    (e: { code: number; stdout: string; stderr: string }) => {
      if (!dirs.experiments) throw e;
      return { stdout: e.stdout, stderr: e.stderr, code: e.code };
    },
  );
  const site = await exec(process.execPath, ['node_modules/astro/bin/astro.mjs', 'build'], { env, maxBuffer: 1 << 26 });
  return { results, dist, log: run.stdout + site.stdout, code: 'code' in run ? run.code : 0 };
}
