import { resolve } from 'node:path';
import type { Result } from '../results/schema.ts';

// Where the site reads the results store, and the digest of each result's
// file as it was read (results.ts records it; the pages' cache keys,
// cache-key.ts, read it).

export const resultsDir = () => resolve(process.env.CHEMINS_RESULTS ?? 'results');

const digests = new WeakMap<Result, string>();

export function rememberStored(result: Result, digest: string): void {
  digests.set(result, digest);
}

/** The digest of the stored file a result was read from; none for a result made otherwise (tests). */
export function storedDigest(result: Result): string | undefined {
  return digests.get(result);
}
