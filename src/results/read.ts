import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { record, recorded } from '../util/cache-store.ts';
import { sha256 } from '../util/hash.ts';
import { readTextFile } from '../util/read-file.ts';
import { Result, RESULT_SCHEMA_VERSION } from './schema.ts';

// Reading a stored result: where it is, and every check it must pass before
// the site or a build trusts it (size, depth, JSON, schema version, its own
// seal, its id, the results schema). store.ts writes what this reads.

/** `text`: the file as read, for a merge that copies it as it is. */
export type ReadOutcome = { ok: true; result: Result; text: string } | { ok: false; reason: string };

export function resultPath(dir: string, id: string): string {
  return join(dir, `${id}.json`);
}

/** A result is refused unread above this size (a one-seed MLP's is about 60 KB). */
export const MAX_RESULT_BYTES = 256 << 20;
/** Nor is one nested deeper than this (a result is about ten levels deep): deeper JSON could exhaust the stack. */
export const MAX_RESULT_DEPTH = 64;
/**
 * Nor one holding more values than this (a one-seed MLP's holds about 1,300):
 * the schema would report each wrong one of millions, taking minutes.
 */
export const MAX_RESULT_VALUES = 5_000_000;

/** How many values (objects, arrays, leaves) `json` holds, counted without recursion; stops once past `limit`. */
function countValues(json: unknown, limit: number): number {
  let n = 0;
  const stack: unknown[] = [json];
  while (stack.length && n <= limit) {
    const v = stack.pop();
    n++;
    if (Array.isArray(v)) for (const x of v) stack.push(x);
    else if (v && typeof v === 'object') for (const x of Object.values(v)) stack.push(x);
  }
  return n;
}

/** How deep `text`'s JSON nests, counted without parsing it; stops once past `limit`. */
export function jsonDepth(text: string, limit = Infinity): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92)
        i++; // backslash: skip the escaped character
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 || c === 91) {
      if (++depth > max && (max = depth) > limit) return max;
    } else if (c === 125 || c === 93) depth--;
  }
  return max;
}

/**
 * Reads `results/<id>.json` and checks it: a regular file of sane size and
 * depth, JSON, this schema version, sealed by its own digest, of this id,
 * and matching the results schema. Never throws: whatever the file holds
 * (copied from elsewhere, hand-edited, hostile), the answer is a result or
 * one line saying why not, which the site shows as a card.
 */
export function readResult(dir: string, id: string): ReadOutcome {
  const path = resultPath(dir, id);
  try {
    return checkResult(path, id);
  } catch (err) {
    return { ok: false, reason: `${path} cannot be read as a result (${String((err as Error)?.message ?? err).slice(0, 200)})` };
  }
}

// A result's text that passed every check below is recorded in the build's
// cache store, keyed by the text itself and by what the checks are (the
// schema as data, the limits): the same text is then only parsed, not walked
// and validated again (0.3 s of each warm command, for the eight committed
// results). A change to the schema's shape or the limits never trusts an old
// check; bump CHECKS_VERSION for a change JSON Schema cannot show (a refinement).
const CHECKS_VERSION = '1';
let checks: string | undefined;
const checksKey = () =>
  (checks ??= sha256(
    JSON.stringify([
      CHECKS_VERSION,
      RESULT_SCHEMA_VERSION,
      MAX_RESULT_BYTES,
      MAX_RESULT_DEPTH,
      MAX_RESULT_VALUES,
      z.toJSONSchema(Result, { unrepresentable: 'any' }),
    ]),
  ));

function checkResult(path: string, id: string): ReadOutcome {
  if (!existsSync(path)) return { ok: false, reason: 'no result yet' };
  const read = readTextFile(path, MAX_RESULT_BYTES);
  if (!read.ok) return { ok: false, reason: `${path} cannot be read: ${read.message}` };
  const key = [checksKey(), id, read.text];
  if (recorded('checked-result', key)) return { ok: true, result: resultBody(read.text) as Result, text: read.text };
  const checked = checkText(path, id, read.text);
  // Recorded only where the schema kept the object as it was (it drops keys it does not know), so the shortcut returns the same result.
  if (checked.ok && JSON.stringify(checked.result) === JSON.stringify(resultBody(checked.text))) record('checked-result', key);
  return checked;
}

/** The result a checked text holds: all but its integrity seal. */
function resultBody(text: string): unknown {
  const { integrity: _, ...body } = JSON.parse(text) as Record<string, unknown>;
  return body;
}

function checkText(path: string, id: string, text: string): ReadOutcome {
  const depth = jsonDepth(text, MAX_RESULT_DEPTH);
  if (depth > MAX_RESULT_DEPTH) return { ok: false, reason: `${path} is nested more than ${MAX_RESULT_DEPTH} levels deep: it is not a result` };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    return { ok: false, reason: `${path} is not JSON (${(err as Error).message.slice(0, 200)})` };
  }
  const obj = json as Record<string, unknown> | null;
  if (!obj || typeof obj !== 'object' || Array.isArray(obj)) return { ok: false, reason: `${path} is not a result object` };
  if (obj.schemaVersion !== RESULT_SCHEMA_VERSION)
    return { ok: false, reason: `${path} is from results schema ${String(obj.schemaVersion).slice(0, 40)}; this build reads schema ${RESULT_SCHEMA_VERSION}` };
  const { integrity, ...body } = obj;
  if (integrity !== sha256(JSON.stringify(body)))
    return { ok: false, reason: `${path} fails its integrity check: it was edited or damaged since it was written` };
  if (countValues(body, MAX_RESULT_VALUES) > MAX_RESULT_VALUES)
    return { ok: false, reason: `${path} holds more than ${MAX_RESULT_VALUES.toLocaleString('en')} values: it is not a result` };
  if (body.id !== id) return { ok: false, reason: `${path} holds the result of another experiment (${JSON.stringify(String(body.id).slice(0, 80))})` };
  const parsed = Result.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return {
      ok: false,
      reason: `${path} does not match the results schema (${issue?.path.join('.').slice(0, 120)}: ${issue?.message.slice(0, 200)}${parsed.error.issues.length > 1 ? `; ${parsed.error.issues.length - 1} more problem(s)` : ''})`,
    };
  }
  return { ok: true, result: parsed.data, text };
}
