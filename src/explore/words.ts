import { count } from '../i18n/index.ts';
import { layerName } from '../i18n/layers.ts';

// The explorer's own messages in its page's language: the server renders the
// page in English or French and says which on #explorer (data-lang); what the
// script writes follows it. Each message is written in both, side by side.

type Lang = 'en' | 'fr';

export const LANG: Lang = typeof document !== 'undefined' && document.getElementById('explorer')?.dataset.lang === 'fr' ? 'fr' : 'en';

/** The English or the French text. */
export const say = (en: string, fr: string): string => (LANG === 'fr' ? fr : en);

/** A whole percentage: "42 %" / "42 %" (narrow no-break space). */
export const pctText = (v: number): string => (Number.isFinite(v) ? `${(100 * v).toFixed(0)}${LANG === 'fr' ? '\u202F' : ' '}%` : '—');

/** A count: "3,000" in English; in French as the pages print it, "3000", "12 345" (groups from five digits). */
export const countText = (n: number): string => (LANG === 'fr' ? count(n, 'fr') : n.toLocaleString('en'));

/** A number as printed: a decimal comma in French. */
export const numText = (s: string): string => (LANG === 'fr' ? s.replace('.', ',') : s);

/** A split as the page names it: training, test, or the unseen inputs (probes and outliers). */
export const splitText = (split: 'train' | 'test' | 'probe'): string =>
  split === 'train' ? say('training', 'entraînement') : split === 'test' ? say('test', 'test') : say('unseen', 'inconnue');

/** A layer as the page names it. */
export const layerText = (name: string): string => layerName(name, LANG);

/** ": " / " : " (a no-break space before the colon in French). */
export const COLON = LANG === 'fr' ? '\u00A0: ' : ': ';
