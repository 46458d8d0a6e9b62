import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readFailure } from '../src/results/store.ts';
import { MAX_RESULT_DEPTH, readResult } from '../src/results/read.ts';
import { RESULT_SCHEMA_VERSION } from '../src/results/schema.ts';
import { sha256 } from '../src/util/hash.ts';
import { tempDir } from './helpers.ts';

// The site's side of a results folder that holds hostile files (copied in
// from a job, or planted): huge arrays, JSON nested past any stack, markup
// in every string, things that are not files. readResult refuses each in one
// line, fast and without throwing, and the site turns that line into a card
// (src/site/results.ts), so the build goes on. tests/e2e/safety.test.ts
// renders such cards as text in the built site.

/** Sealed as writeResult seals: a forger who knows the digest gets past the seal, not past the schema. */
const sealed = (body: Record<string, unknown>) => {
  const text = JSON.stringify(body);
  return `${text.slice(0, -1)},"integrity":"${sha256(text)}"}`;
};

const markup = '<script>alert(1)</script><img src=x onerror=alert(2)>';

function hostileResults(): string {
  const dir = tempDir('chemins-hostile-results-');
  const head = { schemaVersion: RESULT_SCHEMA_VERSION };
  writeFileSync(join(dir, 'huge-array.json'), sealed({ ...head, id: 'huge-array', runs: new Array(6_000_000).fill(0) }));
  writeFileSync(
    join(dir, 'long-array.json'),
    sealed({ ...head, id: 'long-array', runs: new Array(100_000).fill(0), answers: new Array(100_000).fill(markup) }),
  );
  writeFileSync(join(dir, 'deep.json'), `${'{"a":'.repeat(200_000)}1${'}'.repeat(200_000)}`);
  writeFileSync(join(dir, 'deep-array.json'), `${'['.repeat(1_000_000)}${']'.repeat(1_000_000)}`);
  writeFileSync(
    join(dir, 'markup.json'),
    sealed({ ...head, id: 'markup', hash: markup, spec: { title: markup }, runs: [{ seed: markup }], answers: [{ statement: markup }] }),
  );
  writeFileSync(join(dir, 'other-id.json'), sealed({ ...head, id: markup }));
  writeFileSync(join(dir, 'unsealed.json'), JSON.stringify({ ...head, id: 'unsealed', title: markup }));
  writeFileSync(join(dir, 'not-object.json'), '[1, 2, 3]');
  writeFileSync(join(dir, 'null.json'), 'null');
  writeFileSync(join(dir, 'truncated.json'), sealed({ ...head, id: 'truncated' }).slice(0, 30));
  writeFileSync(join(dir, 'binary.json'), Buffer.from([0x7b, 0, 0xff, 0xfe, 0x7d]));
  mkdirSync(join(dir, 'folder.json'));
  symlinkSync('/dev/zero', join(dir, 'zero.json'));
  execFileSync('mkfifo', [join(dir, 'pipe.json')]);
  writeFileSync(join(dir, 'sparse.json'), '');
  truncateSync(join(dir, 'sparse.json'), 300 << 20); // 300 MB of nothing, read never
  return dir;
}

describe('hostile result files', () => {
  const dir = hostileResults();
  const cases: [string, RegExp][] = [
    ['huge-array', /holds more than 5,000,000 values/],
    ['long-array', /does not match the results schema/],
    ['deep', new RegExp(`nested more than ${MAX_RESULT_DEPTH} levels deep`)],
    ['deep-array', /nested more than/],
    ['markup', /does not match the results schema/],
    ['other-id', /holds the result of another experiment/],
    ['unsealed', /fails its integrity check/],
    ['not-object', /is not a result object/],
    ['null', /is not a result object/],
    ['truncated', /is not JSON/],
    ['binary', /NUL byte/],
    ['folder', /is a folder/],
    ['zero', /character device \(a link to \/dev\/zero\)/],
    ['pipe', /named pipe/],
    ['sparse', /314,572,800 bytes, more than the/],
  ];

  it.each(cases)('refuses %s in one line, without throwing', (id, reason) => {
    const t0 = performance.now();
    const r = readResult(dir, id);
    expect(performance.now() - t0).toBeLessThan(5000);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.reason).toMatch(reason);
    expect(r.reason).toContain(join(dir, `${id}.json`));
    expect(r.reason.length).toBeLessThan(1000);
  });

  it('ignores a hostile failure record, and never takes another experiment id from one', () => {
    writeFileSync(join(dir, 'a.error.json'), `${'['.repeat(100_000)}${']'.repeat(100_000)}`);
    writeFileSync(join(dir, 'b.error.json'), JSON.stringify({ id: 'b', problems: 'not a list', title: markup }));
    symlinkSync('/dev/zero', join(dir, 'c.error.json'));
    writeFileSync(
      join(dir, 'd.error.json'),
      JSON.stringify({
        id: 'someone-else',
        file: 'x',
        name: 'ExperimentFailed',
        title: markup,
        problems: [{ path: '', message: markup }],
        hint: 'h',
        at: 'now',
      }),
    );
    expect(readFailure(dir, 'a')).toBeNull();
    expect(readFailure(dir, 'b')).toBeNull();
    expect(readFailure(dir, 'c')).toBeNull();
    expect(readFailure(dir, 'd')).toMatchObject({ id: 'd', title: markup });
  });

  it('the site shows each as a card and goes on', async () => {
    const exps = tempDir('chemins-hostile-exps-');
    for (const [id] of cases) writeFileSync(join(exps, `${id}.yaml`), 'title: t\ndataset:\n  classes: [1, 7]\n');
    process.env.CHEMINS_EXPERIMENTS = exps;
    process.env.CHEMINS_RESULTS = dir;
    const { loadFailures, loadResults } = await import('../src/site/results.ts');
    expect(loadResults()).toEqual([]);
    const cards = loadFailures();
    expect(cards.map((c) => c.id).sort()).toEqual(cases.map(([id]) => id).sort());
    for (const c of cards) {
      expect(c.kind).toBe('missing');
      expect(c.problems[0].message).toMatch(cases.find(([id]) => id === c.id)![1]);
    }
  });
});
