import { execFile, execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { formatError } from '../src/spec/errors.ts';
import { loadExperiments } from '../src/spec/load.ts';
import { tempDir } from './helpers.ts';

// A folder of experiment files that are not files, never end, or are too
// big: each is named with its own cause and hint, never read, and the good
// experiment beside them still loads (and, through the command, builds).

const good =
  'title: good\ndataset:\n  classes: [0, 1]\n  samplesPerClass: 60\n  outliers: none\nmodel:\n  hidden: [8]\ntraining:\n  epochs: 1\nsignatures:\n  k: 2\n  restarts: 1\n';
const bomb = `title: t\ndataset: {classes: [1, 7]}\na0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n${Array.from({ length: 8 }, (_, i) => `a${i + 1}: &a${i + 1} [${Array(10).fill(`*a${i}`).join(', ')}]`).join('\n')}\n`;

function hostileFolder(): string {
  const dir = tempDir('chemins-hostile-');
  writeFileSync(join(dir, 'a-good.yaml'), good);
  writeFileSync(join(dir, 'bomb.yaml'), bomb);
  mkdirSync(join(dir, 'folder.yaml'));
  symlinkSync('/dev/zero', join(dir, 'zero.yaml'));
  symlinkSync('no-such-file.yaml', join(dir, 'dangling.yaml'));
  symlinkSync('a-good.yaml', join(dir, 'linked.yaml'));
  writeFileSync(join(dir, 'huge.yaml'), `title: t\n${'#'.repeat(2 << 20)}\n`);
  writeFileSync(join(dir, 'binary.yaml'), Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 37) % 256)));
  writeFileSync(join(dir, 'latin.yaml'), Buffer.from('title: caf\xe9\n', 'latin1'));
  execFileSync('mkfifo', [join(dir, 'pipe.yaml')]);
  return dir;
}

describe('hostile experiment files', () => {
  it('reads only regular files of at most 1 MB of text, naming each other cause with its own hint', () => {
    const dir = hostileFolder();
    const t0 = performance.now();
    const outcomes = loadExperiments(dir, dir);
    expect(performance.now() - t0).toBeLessThan(5000); // neither /dev/zero nor the pipe was read
    const by = Object.fromEntries(outcomes.map((o) => [o.ok ? o.experiment.file : o.error.file, o]));
    expect(by['a-good.yaml'].ok).toBe(true);
    expect(by['linked.yaml'].ok).toBe(true);
    const expected: [string, RegExp, RegExp, RegExp][] = [
      ['bomb.yaml', /alias bomb/, /limit of 100/, /aliases/],
      ['folder.yaml', /a folder, not an experiment file/, /folder/, /rename the folder/],
      ['zero.yaml', /a character device, not an experiment file/, /link to \/dev\/zero/, /a device, a pipe or a socket is never read/],
      ['pipe.yaml', /named pipe \(FIFO\)/, /never read/, /regular text file/],
      ['dangling.yaml', /a link to nothing/, /no-such-file\.yaml, which does not exist/, /Point the link/],
      ['huge.yaml', /too big.*1 MB/, /2,097,162 bytes, more than the 1,048,576 allowed/, /settings only/],
      ['binary.yaml', /not text/, /NUL byte/, /UTF-8/],
      ['latin.yaml', /not text/, /not UTF-8/, /UTF-8/],
    ];
    const hints = new Set<string>();
    for (const [file, title, message, hint] of expected) {
      const o = by[file];
      expect(o?.ok, file).toBe(false);
      if (!o || o.ok) continue;
      expect(o.error.name).toBe('UnreadableExperiment');
      expect(o.error.title, file).toMatch(title);
      expect(o.error.problems).toHaveLength(1);
      expect(o.error.problems[0].message, file).toMatch(message);
      expect(o.error.hint, file).toMatch(hint);
      expect(formatError(o.error)).toMatch(new RegExp(`^\\[UnreadableExperiment\\] ${file.replace('.', '\\.')}: `));
      hints.add(o.error.hint);
    }
    // Not "check its permissions" whatever the cause: one hint per cause (not text: binary and Latin-1; never read: a device and a pipe).
    expect(hints.size).toBe(expected.length - 2);
  });

  it.skipIf(process.getuid?.() === 0)('names a file it may not read as a permission problem', () => {
    const dir = tempDir('chemins-hostile-');
    writeFileSync(join(dir, 'secret.yaml'), good);
    chmodSync(join(dir, 'secret.yaml'), 0);
    const [o] = loadExperiments(dir, dir);
    expect(o.ok).toBe(false);
    if (!o.ok)
      expect(o.error).toMatchObject({
        name: 'UnreadableExperiment',
        title: 'the file cannot be read: permission denied.',
        hint: expect.stringMatching(/permissions/),
      });
  });

  it('the command names every hostile file and still builds the good experiment', async () => {
    const dir = hostileFolder();
    const results = join(tempDir(), 'results');
    const out = await promisify(execFile)(process.execPath, ['scripts/experiments.ts', '--experiments', dir, '--results', results, '--jobs', '1']).then(
      (r) => ({ code: 0, ...r }),
      (e: { code: number; stdout: string; stderr: string }) => e,
    );
    expect(out.code).toBe(1);
    expect(out.stderr).not.toMatch(/resource exhaustion attack\n\s+at /); // no stack trace
    for (const f of ['bomb', 'folder', 'zero', 'pipe', 'dangling', 'huge', 'binary', 'latin'])
      expect(out.stderr).toContain(`[UnreadableExperiment] ${relative(process.cwd(), join(dir, f))}.yaml: `);
    expect(out.stdout).toMatch(/✓ a-good: built/);
    expect(out.stdout).toMatch(/✓ linked: built|✓ linked: reused/);
    expect(out.stdout).toMatch(/failed or invalid/);
    expect(readdirSync(results)).toEqual(expect.arrayContaining(['a-good.json', 'bomb.error.json', 'zero.error.json']));
  });
});
