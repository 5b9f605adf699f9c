/**
 * NULL-safe releases in the balance model: a release side that returns at once
 * when the object it would release is not there (`if (!ring->buf)`,
 * `if (buf == NULL || !len)`) undoes nothing that was done. Each alternative of
 * the condition tests for NULL or zero a value the skipped release takes as an
 * argument (or a field of it): then on that path nothing was acquired.
 */
import type { CCall, CCondition } from '../cmodel/types.js';

const norm = (s: string) => s.replace(/\s+/g, '').replace(/^&/, '');

/** The values an alternative tests for NULL, zero or false (`!x`, `x == NULL`, `x == 0`, `NULL == x`), or null when it tests anything else. */
function nullTested(alternative: string): string | null {
  const t = alternative.trim().replace(/^\((.*)\)$/, '$1').trim();
  let m = /^!\s*([\w>.\[\]-]+)$/.exec(t);
  if (m) return norm(m[1] as string);
  m = /^([\w>.\[\]-]+)\s*==\s*(NULL|0)$/.exec(t) ?? /^(?:NULL|0)\s*==\s*([\w>.\[\]-]+)$/.exec(t);
  return m ? norm(m[1] as string) : null;
}

/**
 * Does `condition` (under which the release side returns before `release`)
 * test only that `release`'s own arguments are not there?
 */
export function skipsOnlyAbsentObject(condition: CCondition, release: CCall): boolean {
  if (/&&|\?/.test(condition.normalized)) return false;
  const alternatives = condition.normalized.split('||');
  const args = release.args.map(norm);
  return alternatives.every((alt) => {
    const tested = nullTested(alt);
    return tested !== null && args.some((a) => a === tested || a.startsWith(`${tested}->`) || a.startsWith(`${tested}.`));
  });
}
