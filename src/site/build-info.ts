import { execFileSync } from 'node:child_process';

// What a citation records of the build itself: the commit and the date, read
// once per build.

let commit: string | undefined;

/**
 * The commit the site is built from: CHEMINS_COMMIT when set, else
 * `git rev-parse --short HEAD`, else `unknown` (a tarball, no git).
 */
export function buildCommit(): string {
  if (commit !== undefined) return commit;
  const fromEnv = process.env.CHEMINS_COMMIT?.trim();
  if (fromEnv) return (commit = fromEnv);
  try {
    commit =
      execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 5000 }).trim() || 'unknown';
  } catch {
    commit = 'unknown';
  }
  return commit;
}

/** The build date, `YYYY-MM-DD` (UTC); SOURCE_DATE_EPOCH fixes it for reproducible builds. */
let date: string | undefined;

export function buildDate(): string {
  if (date !== undefined) return date;
  const epoch = Number(process.env.SOURCE_DATE_EPOCH);
  const when = process.env.SOURCE_DATE_EPOCH && Number.isFinite(epoch) ? new Date(epoch * 1000) : new Date();
  return (date = when.toISOString().slice(0, 10));
}

/**
 * The site's address for citations: Astro's `site` (from CHEMINS_SITE), but
 * not the placeholder the config falls back to (a reserved example domain),
 * which no reader could follow.
 */
export function citableSite(site: URL | undefined): URL | undefined {
  if (!site) return undefined;
  return /(^|\.)example\.(org|com|net)$/.test(site.hostname) ? undefined : site;
}
