/**
 * Rewrites that keep what a statement does: the balance model's answer to
 * "did this edit change the cases the function handles, or only how the code
 * says it?". A one-side edit that only rewrites is no asymmetry:
 * - the call an assignment made is made again, with the same arguments, its
 *   value kept in another local or in a declaration's initializer
 *   (`vdev = get(bus);` becomes `Dev *vdev = get(bus);`, `r = set(...)`
 *   becomes `e = set(...)` to keep the first error);
 * - a temporary inlined into the test that read it (`a = get(q); if (a == 0)`
 *   becomes `if (get(q) == 0)`);
 * - a check of a variable the function no longer has at all: the test went
 *   with what it tested (an `Error *err` dropped with the error it caught).
 */
import type { CCall, CCondition, CFunction } from '../cmodel/types.js';
import type { LineChanges } from './moves.js';
import { withArguments } from './moves.js';
import { calleeBase, callSource } from '../cmodel/toggles.js';

/** A call as the C text would spell it, whitespace-collapsed the way conditions are. */
function callText(call: CCall): string {
  return callSource(call.callee, call.args);
}

const sameCall = (a: CCall, b: CCall) => a.callee === b.callee && a.args.length === b.args.length && a.args.every((x, i) => x === b.args[i]);

/**
 * Are the calls the pre-image statement `first..last` of `preFn` made for a
 * local's value all made again by `postFn` on lines the commit added, each
 * still for a local's value, or where the value is read once that local is
 * gone from the function? At least one such call, and no other call in
 * the statement (a statement that calls something else changed more than
 * where a value goes).
 */
export function callsRemade(changes: Pick<LineChanges, 'added'>, preFn: CFunction, postFn: CFunction, first: number, last: number): boolean {
  const calls = preFn.calls.filter((c) => c.line >= first && c.line <= last);
  if (calls.length === 0) return false;
  // a call nested in another's arguments goes with the outer call
  const outer = calls.filter((c) => !calls.some((o) => o !== c && o.args.some((a) => a.includes(`${calleeBase(c.callee)}(`))));
  if (!outer.every((c) => c.result !== undefined && c.resultLocal === true)) return false;
  // remade for a local, or inlined where the value is used once the temporary is gone (`a = get(q); if (a == 0)`)
  const kept = (c: CCall) => (p: CCall) => changes.added.has(p.line) && sameCall(p, c) && (p.resultLocal === true || !mentions(postFn, c.result as string));
  return outer.every((c) => postFn.calls.some(kept(c)));
}

/**
 * Is the pre-image statement `first..last` of `preFn` a pointer cleared by a
 * store (`s->buf = NULL;`) that `postFn` now clears through a call the commit
 * added and handed the pointer's address (`g_clear_pointer(&s->buf, g_free)`,
 * `g_clear_handle_id(&s->tag, g_source_remove)`)? The call may set it; the
 * statement is rewritten, not gone.
 */
export function clearRemade(changes: Pick<LineChanges, 'added'>, preFn: CFunction, postFn: CFunction, first: number, last: number): boolean {
  if (preFn.calls.some((c) => c.line >= first && c.line <= last)) return false;
  const stores = preFn.stores.filter((st) => st.line >= first && st.line <= last);
  const store = stores[0];
  if (stores.length !== 1 || !store || !/^(NULL|0)$/.test(store.value.trim())) return false;
  const address = `&${store.target.replace(/\s+/g, '')}`;
  return postFn.calls.some((c) => changes.added.has(c.line) && c.args.some((a) => a.replace(/\s+/g, '') === address));
}

/**
 * Does `postFn` still make the release `call` of the pre-image, through a call handed the release as a function
 * and the same object, or its address (`qemu_bh_delete(s->bh)` rewritten as `g_clear_pointer(&s->bh,
 * qemu_bh_delete)`)?
 */
export function releaseHandedOn(postFn: CFunction, call: CCall): boolean {
  const squeeze = (t: string) => t.replace(/\s+/g, '');
  const object = call.args[0] !== undefined ? squeeze(call.args[0]).replace(/^&/, '') : null;
  return postFn.calls.some(
    (c) => c.args.some((a) => a.trim() === call.callee) && (object === null || c.args.some((a) => squeeze(a).replace(/^&/, '') === object)),
  );
}

/**
 * The condition text `raw` of `preFn` at `line`, with each local it tests
 * that an earlier call filled (`a = get(q);`) read as that call: the words
 * the condition has once the temporary is inlined. Null when it tests no such
 * local.
 */
export function inlinedCondition(preFn: CFunction, line: number, raw: string): string | null {
  const cond = preFn.conditions.find((c) => c.line === line && c.normalized === raw);
  if (!cond) return null;
  const names: string[] = [];
  const calls: string[] = [];
  for (const name of cond.identifiers ?? []) {
    if (cond.callees.includes(name)) continue;
    // the last call before the test that stored into this local
    const filled = preFn.calls.filter((c) => c.line < line && c.resultLocal === true && c.result?.trim() === name).at(-1);
    if (!filled) continue;
    names.push(name);
    calls.push(callText(filled));
  }
  if (names.length === 0) return null;
  const text = withArguments(raw, names, calls);
  return text === raw ? null : text;
}

/** The post-image conditions of `postFn` on lines the commit added whose words are `text`. */
export function addedConditionsWith(changes: Pick<LineChanges, 'added'>, postFn: CFunction, text: string): CCondition[] {
  return postFn.conditions.filter((c) => c.normalized === text && changes.added.has(c.line));
}

/** Does any code of `fn` (a test, a call's arguments or result, a statement, a store) name `name`? */
function mentions(fn: CFunction, name: string): boolean {
  const word = new RegExp(`(^|[^A-Za-z0-9_>.])${name.replace(/[^A-Za-z0-9_]/g, '')}(?![A-Za-z0-9_])`);
  if (fn.params?.includes(name)) return true;
  if (fn.conditions.some((c) => (c.identifiers ?? c.names).includes(name))) return true;
  if (fn.calls.some((c) => c.result?.trim() === name || c.args.some((a) => word.test(a)))) return true;
  if (fn.statements.some((s) => word.test(s.normalized))) return true;
  return fn.stores.some((s) => word.test(s.target) || word.test(s.value));
}

/**
 * The variables a condition tests (not the functions it calls, nor names too
 * common to say anything) that `postFn` no longer names anywhere: when every
 * one is gone, the check went with what it tested.
 */
export function testsOnlyVanished(cond: CCondition, postFn: CFunction): boolean {
  // a constant (`NULL`, `FX_MAX`) names no variable
  const tested = (cond.identifiers ?? []).filter((n) => !cond.callees.includes(n) && /[a-z]/.test(n) && n !== 'true' && n !== 'false');
  return tested.length > 0 && tested.every((n) => !mentions(postFn, n));
}

/**
 * The conjuncts a condition gained (`a` becoming `a && b`, or `b && a`): null
 * when the new text is not the old one with conjuncts added at either end.
 */
export function addedConjuncts(oldText: string, newText: string): string[] | null {
  const bare = (t: string) => t.trim().replace(/^\((.*)\)$/, '$1').trim();
  const parts = splitTopLevel(newText, '&&').map(bare);
  const old = bare(oldText);
  const at = parts.indexOf(old);
  if (parts.length < 2 || at < 0) return null;
  return parts.filter((_, i) => i !== at);
}

/** `text` split at `op` where no parenthesis or bracket is open. */
export function splitTopLevel(text: string, op: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '(' || ch === '[') depth++;
    else if (ch === ')' || ch === ']') depth--;
    else if (depth === 0 && text.startsWith(op, i)) {
      out.push(text.slice(start, i));
      start = i + op.length;
      i += op.length - 1;
    }
  }
  out.push(text.slice(start));
  return out;
}
