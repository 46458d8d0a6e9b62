import { describe, expect, it, vi } from 'vitest';
import { standaloneSvg } from '../src/figures/standalone.ts';

// PDFs share one parsed copy of each font per process (src/figures/pdf.ts):
// a document must come out the same whatever was drawn before it, as if its
// fonts had been read afresh.

const svg = (text: string, weight = 'normal') =>
  standaloneSvg(
    `<svg width="320" height="120" viewBox="0 0 320 120" font-family="system-ui, sans-serif" font-size="12"><text x="10" y="40" font-weight="${weight}">${text}</text><line x1="10" y1="60" x2="300" y2="100" stroke="black"/></svg>`,
  );

async function freshPdf(): Promise<typeof import('../src/figures/pdf.ts')> {
  vi.resetModules();
  return import('../src/figures/pdf.ts');
}

describe('figure PDFs', () => {
  it('are the same bytes whatever the process drew before them', async () => {
    const a = svg('Purity per layer — 98,0 %', 'bold');
    const b = svg('Jaccard: 0.42 ≤ 1, glyphs ÀÉ');
    const options = { title: 'T', date: '2026-01-01' };
    const first = await (await freshPdf()).svgToPdf(b, options);
    const { svgToPdf } = await freshPdf();
    await svgToPdf(a, options);
    const after = await svgToPdf(b, options);
    expect(after.equals(first)).toBe(true);
    expect(first.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  });
});
