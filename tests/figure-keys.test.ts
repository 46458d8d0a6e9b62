import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import type { Result } from '../src/results/schema.ts';
import { tempDir } from './helpers.ts';

// Astro's incremental build copies a figure's file from its last build when
// the route's key and code are unchanged: a PNG's key must also change with
// what resvg may draw its glyphs in that no module graph holds, the system's
// fonts.

describe("a figure's PNG key", () => {
  const previous = process.env.XDG_DATA_HOME;
  afterAll(() => {
    if (previous === undefined) delete process.env.XDG_DATA_HOME;
    else process.env.XDG_DATA_HOME = previous;
  });

  it('changes when a font is installed; the SVG and CSV keys do not', async () => {
    process.env.XDG_DATA_HOME = tempDir();
    const result = { id: 'tiny', spec: { title: 'Tiny', description: '' } } as unknown as Result;
    const keys = async () => {
      vi.resetModules();
      const { figureAssetKey } = await import('../src/site/cache-key.ts');
      return (['png', 'svg', 'csv'] as const).map((format) => figureAssetKey(result, 'separation', format, 'en'));
    };
    const before = await keys();
    expect(await keys()).toEqual(before);
    mkdirSync(join(process.env.XDG_DATA_HOME, 'fonts'), { recursive: true });
    writeFileSync(join(process.env.XDG_DATA_HOME, 'fonts', 'Extra.ttf'), 'not really a font');
    const after = await keys();
    expect(after[0]).not.toBe(before[0]);
    expect(after.slice(1)).toEqual(before.slice(1));
  });
});
