// Markdown output: each section is a title, a table and the notes that say
// how to read it. Cells are strings; numbers are formatted where they are made.

export interface Section {
  title: string;
  headers: string[];
  rows: string[][];
  notes: string[];
}

const escape = (cell: string): string => cell.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function markdownTable(headers: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.map(escape).join(' | ')} |`;
  return [line(headers), line(headers.map(() => '---')), ...rows.map(line)].join('\n');
}

export function renderSection(s: Section): string {
  return [`## ${s.title}`, '', markdownTable(s.headers, s.rows), ...(s.notes.length ? ['', ...s.notes.map((n) => `- ${n}`)] : [])].join('\n');
}

/** `digits` significant decimals, with thousands separators for large values. */
export function num(x: number | null | undefined, digits = 1): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '—';
  return x.toLocaleString('en', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

export const seconds = (s: number | null | undefined): string => (s === null || s === undefined ? '—' : `${num(s, s < 10 ? 2 : 1)} s`);
export const mib = (m: number | null | undefined): string => (m === null || m === undefined ? 'n/a' : `${num(m, 0)} MiB`);
export const ratio = (r: number | null | undefined): string => (r === null || r === undefined || !Number.isFinite(r) ? '—' : `${num(r, 2)}×`);
export const percent = (p: number | null | undefined, digits = 1): string =>
  p === null || p === undefined || !Number.isFinite(p) ? '—' : `${num(100 * p, digits)} %`;
