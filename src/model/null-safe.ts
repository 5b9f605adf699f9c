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

/**
 * Does `condition` find empty a list whose elements the skipped `release`
 * frees one by one (`if (QTAILQ_EMPTY(&mr->list)) return;` before a loop that
 * takes each element off `&mr->list` and frees it)? Then the loop would have
 * run zero times: the skip skips nothing. The loop is recognised by a removal
 * from the same head next to the release (FOREACH bodies carry no guard).
 */
export function skipsOnlyEmptyList(condition: CCondition, release: CCall, calls: readonly CCall[]): boolean {
  const m = /^Q(?:LIST|TAILQ|SIMPLEQ|SLIST)_EMPTY\((.+)\)$/.exec(condition.normalized.trim());
  if (!m || !release.inLoop) return false;
  const head = norm(m[1] as string);
  return calls.some(
    (c) => c.inLoop && Math.abs(c.line - release.line) <= 5 && /^Q(?:LIST|TAILQ|SIMPLEQ|SLIST)_REMOVE(_HEAD)?$/.test(c.callee) && norm(c.args[0] ?? '') === head,
  );
}
