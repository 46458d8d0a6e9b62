// What a write-up page knows of itself before its MDX renders: the figures it
// embeds, numbered in its own order, so that its captions and cross-references
// say "Figure 3" of this page, not the number on each experiment's page.

export interface WriteupState {
  /** `<experiment>/<figure>` → its number in the write-up. */
  figures: Map<string, number>;
}

/** The ids of `<ExperimentFigure id="…" />` in a write-up's source, in order, each once. */
export function embeddedFigures(source: string): string[] {
  const ids = [...source.matchAll(/<ExperimentFigure\b[^>]*\bid=["']([^"']+)["']/g)].map((m) => m[1]);
  return [...new Set(ids)];
}

export function writeupState(source: string): WriteupState {
  return { figures: new Map(embeddedFigures(source).map((id, i) => [id, i + 1])) };
}

/** The anchor of an embedded figure on a write-up: the experiment in it, since two experiments share figure names. */
export const writeupAnchor = (id: string) => `fig-${id.replace('/', '--')}`;

/** The write-up being rendered, if any (set by its page on Astro.locals). */
export const currentWriteup = (locals: object): WriteupState | undefined => (locals as { writeup?: WriteupState }).writeup;
