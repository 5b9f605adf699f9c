import type { CCall, CCondition, CFunction } from '../cmodel/types.js';
import { calleeBase } from '../cmodel/toggles.js';
import { escapeRegExp } from '../regex-escape.js';

/** Does the text before an occurrence leave it inside an unclosed `sizeof(`? */
function insideSizeof(before: string): boolean {
  const at = before.lastIndexOf('sizeof');
  if (at < 0) return false;
  let depth = 0;
  for (const ch of before.slice(at + 'sizeof'.length)) {
    if (ch === '(') depth++;
    else if (ch === ')') depth--;
  }
  return depth > 0;
}

/**
 * Does a condition test a value itself (`!elem`, `fd < 0`, `p == MAP_FAILED`,
 * `if (ret)`), rather than use it: read what it points to (`elem->out_num`,
 * `buf[0]`), hand it to a call (`fx_len(elem) < n`) or compute an address from
 * it (`fx_is_bad(page + off)`)? Only a test of the
 * value itself can be the failure of the call that produced it; a condition
 * that dereferences it or passes it on runs after that call succeeded.
 */
export function testsValueItself(conditionText: string, value: string): boolean {
  const name = escapeRegExp(value.trim());
  const occurrence = new RegExp(`(?<![A-Za-z0-9_>.])${name}(?![A-Za-z0-9_])`, 'g');
  for (const m of conditionText.matchAll(occurrence)) {
    const before = conditionText.slice(0, m.index);
    const after = conditionText.slice((m.index ?? 0) + m[0].length);
    // what it points to: elem->x, elem.x, elem[i]
    if (/^\s*(->|\.|\[)/.test(after)) continue;
    // ...also `*elem` (a unary `*`, after an opening, a comma or an operator), and anything inside `sizeof(...)`,
    // which is never evaluated: `sizeof(*elem)` sizes the type
    if (/(^|[(,!=<>&|?:]|[-+*/]\s)\s*\*\s*$/.test(before) || insideSizeof(before)) continue;
    // a call's argument: f(elem), f(a, elem, b)
    if (/^\s*[,)]/.test(after) && (/,\s*$/.test(before) || /[A-Za-z0-9_]\s*\(\s*$/.test(before))) continue;
    // an address computed from it: elem + off, base - elem (pointer arithmetic uses what the call produced)
    if (/^\s*[-+](?![-+=>])/.test(after) || /(?<![-+])[-+]\s*$/.test(before)) continue;
    return true;
  }
  return false;
}

/**
 * Is `cond` the failure of a call that fills, through pointers to the
 * function's own variables, what `acquire` then takes (`if (!fx_get_vaddr(iotlb,
 * &vaddr, &ro)) goto out;` before `fx_dma_map(c, iova, len, vaddr, ro)`)? Such a
 * test gives up when the acquire's own inputs could not be had: it is a step
 * of the acquire, not a case the side handles, and an undo that works by
 * address needs none of those inputs.
 */
export function failsToFillArgs(fn: CFunction, cond: CCondition, acquire: CCall): boolean {
  const fills = fn.calls.filter((c) => c.line >= cond.line && c.line <= cond.endLine && cond.callees.includes(calleeBase(c.callee)) && (c.outLocals?.length ?? 0) > 0);
  const filled = fills.flatMap((c) => c.outLocals ?? []);
  if (filled.length === 0) return false;
  return filled.some((name) => {
    const word = new RegExp(`(?<![A-Za-z0-9_>.])${name.replace(/[^A-Za-z0-9_]/g, '')}(?![A-Za-z0-9_])`);
    return acquire.args.some((a) => word.test(a));
  });
}

/**
 * Does the condition test a structure a call returned by value (`section = fx_region_find(...)`) through one of its
 * members (`!section.mr`, `section.mr == NULL`): the call's failure, as `!p` is for a pointer, since a member is the
 * only handle such a value has. Not a member handed to a call (`!fx_nonzero(section.size)` uses the value).
 */
export function testsReturnedMember(conditionText: string, acquire: CCall): boolean {
  const result = acquire.result?.replace(/\s+/g, '');
  if (result === undefined || !/^\w+$/.test(result)) return false;
  const member = new RegExp(`(?<![A-Za-z0-9_>.])${result}\\s*\\.\\s*(\\w+)`, 'g');
  return [...conditionText.matchAll(member)].some((m) => testsValueItself(conditionText.replace(/\s*\.\s*/g, '.'), `${result}.${m[1]}`));
}

/**
 * Is every test of `value` in the condition a comparison with another object (`mrs.mr != mr`, `p == s->cur`): not a
 * failure test, since the value may be a good one that is simply not that object? A comparison with a constant
 * (`NULL`, `0`, `-1`, `MAP_FAILED`) is one.
 */
export function comparedWithAnotherObject(conditionText: string, value: string): boolean {
  const name = escapeRegExp(value.trim().replace(/\s+/g, '')).replace(/\\\./g, '\\s*\\.\\s*').replace(/->/g, '\\s*->\\s*');
  // (an object's address too: `section.mr != &s->iomem`)
  const object = String.raw`(?:&\s*)?(?!NULL\b|true\b|false\b|[A-Z][A-Z0-9_]*\b)[a-z_]\w*(?:\s*(?:->|\.)\s*\w+)*(?![\w(])`;
  const occurrence = new RegExp(`(?<![A-Za-z0-9_>.])${name}(?![A-Za-z0-9_])`, 'g');
  const all = [...conditionText.matchAll(occurrence)];
  if (all.length === 0) return false;
  return all.every((m) => {
    const before = conditionText.slice(0, m.index);
    const after = conditionText.slice((m.index ?? 0) + m[0].length);
    return new RegExp(`^\\s*[!=]=\\s*${object}`).test(after) || new RegExp(`(?<![\\w>.])${object}\\s*[!=]=\\s*$`).test(before);
  });
}


/** Names QEMU gives an int status (0 on success, an error otherwise): not a pointer or a bool that says it worked. */
export const STATUS_NAME = /^(ret|rc|r|rv|retval|status)$/;

/**
 * Is what `call` returns into a variable a status (`ret = fx_dev_init(&s->dev, ...)`), not the object it made:
 * the variable is named as one, or the function tests it for a negative errno (`if (ret < 0)`)?
 */
export function returnsStatus(fn: CFunction, call: CCall): boolean {
  const v = call.result?.trim();
  if (v === undefined || !/^\w+$/.test(v)) return false;
  // (a call's value kept as `err` is an errno too: an Error is filled through an address, never returned)
  if (STATUS_NAME.test(v) || /^(err|error)$/.test(v)) return true;
  const negative = new RegExp(`^${v}\\s*<\\s*0$`);
  return fn.conditions.some((c) => c.line >= call.line && negative.test(c.normalized.trim()));
}
