import { loadFailures, type SiteFailure } from './results.ts';

/**
 * A reference to an experiment that has a file but no usable result (invalid,
 * failed, not run, out of date). Write-ups show a notice in its place instead
 * of failing the whole build: the experiment's own card says what is wrong.
 */
export class NotBuilt extends Error {
  readonly failure: SiteFailure;
  constructor(failure: SiteFailure) {
    super(`${failure.id} is not built: ${failure.title}`);
    this.failure = failure;
  }
}

/** Throws NotBuilt when `experiment` is known to the site but has no usable result. */
export function checkBuilt(experiment: string): void {
  const failure = loadFailures().find((f) => f.id === experiment);
  if (failure) throw new NotBuilt(failure);
}

/** Runs `resolve`, giving back the failure instead when the experiment is not built. */
export function orNotBuilt<T>(resolve: () => T): { ok: T; failure: null } | { ok: null; failure: SiteFailure } {
  try {
    return { ok: resolve(), failure: null };
  } catch (e) {
    if (e instanceof NotBuilt) return { ok: null, failure: e.failure };
    throw e;
  }
}
