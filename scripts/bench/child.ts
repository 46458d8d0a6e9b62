import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

// Every measured part runs in a fresh Node process: its peak memory is then
// its own, and no part inherits another's JIT warm-up, engine or heap.

const HOOK = pathToFileURL(fileURLToPath(new URL('./rss-hook.ts', import.meta.url))).href;
const BENCH = fileURLToPath(new URL('../bench.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const MARK = '@@bench-result ';

export interface NodeRun {
  ok: boolean;
  seconds: number;
  /** User + system CPU time of the process and of the Node processes it forked. */
  cpuSeconds: number | null;
  /** Max RSS of the largest of those processes. */
  maxRssMiB: number | null;
  /** How many Node processes reported (1 unless the command forks workers). */
  processes: number;
  stdout: string;
  stderr: string;
  /** First line that says what went wrong, when not ok. */
  error: string;
}

function firstErrorLine(stderr: string, stdout: string): string {
  const lines = `${stderr}\n${stdout}`
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  return lines.find((l) => /error|failed|cannot|not found/i.test(l)) ?? lines[0] ?? 'no output';
}

/** `node --import rss-hook <args>` with a wall clock around it. */
export function runNode(args: string[], env: Record<string, string> = {}, timeoutMs = 600_000): NodeRun {
  const dir = mkdtempSync(join(tmpdir(), 'chemins-rss-'));
  const rssFile = join(dir, 'rss');
  const start = performance.now();
  const r = spawnSync(process.execPath, ['--import', HOOK, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, ...env, BENCH_RSS_FILE: rssFile },
    maxBuffer: 256 * 2 ** 20,
    timeout: timeoutMs,
  });
  const seconds = (performance.now() - start) / 1000;
  let maxRssMiB: number | null = null;
  let cpuSeconds: number | null = null;
  let processes = 0;
  try {
    const usages = readFileSync(rssFile, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { maxRssKiB: number; cpuSeconds: number });
    maxRssMiB = Math.max(...usages.map((u) => u.maxRssKiB)) / 1024;
    cpuSeconds = usages.reduce((s, u) => s + u.cpuSeconds, 0);
    processes = usages.length;
  } catch {
    // killed before its exit handler ran
  }
  rmSync(dir, { recursive: true, force: true });
  const ok = r.status === 0;
  const stdout = r.stdout ?? '';
  const stderr = r.stderr ?? '';
  const error = ok ? '' : r.error ? r.error.message : firstErrorLine(stderr, stdout);
  return { ok, seconds, cpuSeconds, maxRssMiB, processes, stdout, stderr, error };
}

export type Measured<T> = { ok: true; value: T; maxRssMiB: number | null } | { ok: false; error: string; maxRssMiB: number | null };

/** Runs `scripts/bench.ts --part name` in a child and reads back what the part returned. */
export function measureInChild<T>(part: string, args: unknown, quick: boolean): Measured<T> {
  const run = runNode([BENCH, '--part', part, '--args', JSON.stringify(args), ...(quick ? ['--quick'] : [])]);
  const line = run.stdout.split('\n').find((l) => l.startsWith(MARK));
  if (!run.ok || !line) return { ok: false, error: run.error || 'no result printed', maxRssMiB: run.maxRssMiB };
  return { ok: true, value: JSON.parse(line.slice(MARK.length)) as T, maxRssMiB: run.maxRssMiB };
}

/** What a part prints in the child, for `measureInChild` to find among TF.js's own messages. */
export function printResult(value: unknown): void {
  process.stdout.write(`\n${MARK}${JSON.stringify(value)}\n`);
}
