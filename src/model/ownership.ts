/**
 * Ownership facts of the balance model: acquires that need no release on the
 * other side because something else ends them.
 *
 * - A subregion added to a container the same side creates with an owner
 *   (`memory_region_init(&s->bar, OBJECT(s), ...)`, then
 *   `memory_region_add_subregion(&s->bar, 0, &s->regs)`) goes away with the
 *   container when its owner is finalized: "no longer calls
 *   memory_region_del_subregion()" is no leak there. So does one added to a
 *   container embedded in the same instance as the child (`&s->bar`,
 *   `&s->regs`), wherever the container was created with an owner
 *   (instance init, another function of the commit's files): finalizing the
 *   instance finalizes the container, which takes its children out. A subregion added to a
 *   container the side did not create (the system memory, a bus's space, a
 *   container passed in) still needs its del, and so does one added to a
 *   container that is the root of an address space.
 */
import { withoutCasts } from '../cmodel/casts.js';
import type { CCall, CFunction } from '../cmodel/types.js';
import { ERROR_VARS } from '../cmodel/error-exits.js';
import type { Ownership, PrimitiveMatch } from '../pairs/table.js';

/*
 * Which calls put a child into a container (first argument), create a
 * container (first argument) with an owner (second argument), or make a
 * container the root of something with its own lifetime
 * (`address_space_init(&as, &container, name)`: destroying the address
 * space with children still in the container leaves them behind) is data:
 * `ownership` in src/pairs/builtin.json, asked through `Ownership`.
 */

/** The field chain an argument names, without its base variable (`&s->bar` → bar), or null. */
function chain(arg: string | undefined): string | null {
  let text = withoutCasts(arg ?? '');
  text = text.replace(/^&\s*/, '').replace(/\s+/g, '');
  if (!/^\w+((->|\.)\w+(\[[^\]]*\])?)+$/.test(text)) return null;
  return text.split(/->|\./).slice(1).join('.');
}

/**
 * Does `call` (a container add) put its child into a container that one of
 * `fns` (the side that made the call) creates with an owner? Then the child
 * ends with the container.
 */
export function addedToOwnedContainer(
  own: Ownership,
  call: CCall,
  fns: Iterable<CFunction>,
  program: Iterable<CFunction> = [],
  rootLetGo: (root: CCall) => boolean = () => false,
): boolean {
  if (!own.isAdd(call.callee)) return false;
  const container = chain(call.args[0]);
  if (container === null) return false;
  const all = [...fns];
  // the root of an address space is not only the owner's: its children must be taken out (unless the caller
  // knows the address space lets go of it: a teardown that destroys it)
  const rootedHere = (c: CCall) => own.isRoot(c.callee) && c.args.slice(1).some((a) => chain(a) === container) && !rootLetGo(c);
  if (all.some((fn) => fn.calls.some(rootedHere))) return false;
  // the container and the child are members embedded in the same instance (`&s->bar`, `&s->regs`): the instance's
  // finalize finalizes the container, which takes its children out
  const embedded = (arg: string | undefined) => /^&\s*(\w+)\s*->\s*\w+(\s*\.\s*\w+|\[[^\]]*\])*$/.exec((arg ?? '').trim())?.[1] ?? null;
  const createdWithOwner = (fns: Iterable<CFunction>) => {
    for (const fn of fns) {
      for (const c of fn.calls) {
        if (!own.isCreate(c.callee)) continue;
        const owner = (c.args[1] ?? '').trim();
        if (owner === '' || owner === 'NULL') continue;
        if (chain(c.args[0]) === container) return true;
      }
    }
    return false;
  };
  if (createdWithOwner(all)) return true;
  const everywhere = [...program];
  if (everywhere.some((fn) => fn.calls.some(rootedHere))) return false;
  const base = embedded(call.args[0]);
  return base !== null && base === embedded(call.args[call.args.length - 1]) && createdWithOwner(everywhere);
}

/**
 * Names a call hands a value over with: into a container, a list, another
 * owner; `*_send_async(proxy, &msg->hdr, ...)` frees the message once sent.
 * Not `set`: `*_set_destroy_function(img, ...)` or `*_set_name(obj, ...)` only
 * configure what the function still owns.
 */
const HANDS_OVER = /(^|_)(insert|append|prepend|add|push|take|steal|replace|attach|register|enqueue|queue|submit|async)(_|$)/i;

const escapeRe = (s: string) => s.replace(/[^A-Za-z0-9_]/g, '\\$&');

/**
 * Did `fn` hand over what `acquire` stored in its own variable before `line`: store
 * it in a field or another variable, or pass it whole (a cast or a QOM cast macro
 * around it is still it) to a list insert or to a call that takes things over
 * (`QTAILQ_INSERT_TAIL(&s->list, res, next)`, `g_hash_table_insert(h, key, res)`)?
 * Then the function no longer owns it, and an exit after that owes it nothing.
 */
export function handedOverBefore(
  isListInsert: (name: string) => boolean,
  fn: CFunction,
  acquire: CCall,
  line: number,
  variable = acquire.result,
  isHeapRelease: (name: string) => boolean = () => false,
): boolean {
  if (variable === undefined) return false;
  const local = escapeRe(variable.trim());
  const whole = new RegExp(`^(\\([^()]*\\)\\s*)?(\\w+\\(\\s*)?${local}(\\s*\\))?$`);
  const copied = new RegExp(`^[\\w>.\\[\\]*-]+\\s*=\\s*(\\([^()]*\\)\\s*)?${local}\\s*;?$`);
  const between = (l: number) => l > acquire.line && l < line;
  // (not a member of a struct the function keeps in its own frame, `d.bitmap = tmp;` with `FxArgs d`: it dies with
  // the function and owns nothing after it)
  const inFrame = (target: string) => {
    const base = /^(\w+)\s*\./.exec(target.trim())?.[1];
    return base !== undefined && !(fn.params ?? []).includes(base);
  };
  if (fn.stores.some((st) => between(st.line) && whole.test(st.value.trim()) && !inFrame(st.target))) return true;
  if (fn.statements.some((st) => between(st.line) && copied.test(st.normalized) && !inFrame(st.normalized))) return true;
  // as an argument, the address of one of its members stands for it too (`&msg->hdr`, the header a send takes)
  const member = new RegExp(`^&\\s*${local}\\s*->\\s*\\w+$`);
  return fn.calls.some(
    (c) =>
      between(c.line) && c.args.some((x) => whole.test(x.trim()) || member.test(x.trim())) && (isListInsert(c.callee) || HANDS_OVER.test(c.callee)) &&
      !keepsNoCopy(fn, c.callee, isHeapRelease),
  );
}

/**
 * Does the function itself show that `callee` keeps no buffer it is handed: it hands one of its own variables to
 * `callee` and frees that variable later itself (`fx_fdt_add_subnode(fdt, name); ...; g_free(name);`)? A name that
 * says "add" then adds a copy, not the buffer.
 */
function keepsNoCopy(fn: CFunction, callee: string, isHeapRelease: (name: string) => boolean): boolean {
  return fn.calls.some(
    (c) =>
      c.callee === callee &&
      c.args.some((x) => {
        const w = x.trim();
        return /^\w+$/.test(w) && fn.calls.some((f) => f.line > c.line && isHeapRelease(f.callee) && f.args[0]?.trim() === w && !fn.calls.some((r) => r.line > c.line && r.line < f.line && r.result?.trim() === w));
      }),
  );
}

/** A variable named for holding an error (`err`, `local_err`, `error2`). */
const isErrorVariable = (name: string): boolean => ERROR_VARS.has(name) || /(^|_)err(or)?\d*$/.test(name);

/**
 * The variable of its own a call fills in a heap buffer through
 * (`g_file_get_contents(path, &contents, ...)`), shown by the function itself:
 * it frees that variable later with a heap release (`g_free(contents)`, or a
 * free of one kind of value, `qapi_free_FxList(list)` after a visitor filled it) and
 * stores nothing else in it on the way. Null when the call fills no such variable.
 */
export function filledHeapVariable(isHeapRelease: (name: string) => boolean, fn: CFunction, call: CCall): FilledHeap | null {
  for (const variable of call.outLocals ?? []) {
    // an error a call sets through `&err` only when it fails is reported, not a buffer it fills
    if (isErrorVariable(variable)) continue;
    const frees = fn.calls.filter((c) => c.line > call.line && isHeapRelease(c.callee) && c.args[0]?.trim() === variable);
    const first = frees[0];
    if (!first) continue;
    if (fn.calls.some((c) => c.line > call.line && c.line < first.line && c.result?.trim() === variable)) continue;
    // the pair the function itself shows: this call, and the heap releases it makes of the variable
    const release = [...new Set(frees.map((f) => f.callee))];
    const match: PrimitiveMatch = { pair: { acquire: [call.callee], release, what: 'heap allocation' }, role: 'acquire', counterparts: release, fromFamily: true };
    return { variable, frees, match };
  }
  // a struct of its own the call fills in, one member of which the function frees later (`fx_bitmap_alloc(&bm,
  // size); ...; g_free(bm.bits);`): the first call handed the struct's address is the one that filled it
  for (const variable of call.outLocals ?? []) {
    const address = new RegExp(`^&\\s*${variable}$`);
    const first = fn.calls.find((c) => c.args.some((x) => address.test(x.trim())));
    if (first !== call) continue;
    const member = new RegExp(`^${variable}\\s*\\.\\s*\\w+$`);
    const frees = fn.calls.filter((c) => c.line > call.line && isHeapRelease(c.callee) && c.args.length === 1 && member.test((c.args[0] as string).trim()));
    const freed = frees[0]?.args[0]?.replace(/\s+/g, '');
    if (freed === undefined) continue;
    // the function fills that member itself: it is not what the call made
    if (fn.calls.some((c) => c.result?.replace(/\s+/g, '') === freed) || fn.stores.some((st) => st.target.replace(/\s+/g, '') === freed)) continue;
    const release = [...new Set(frees.filter((f) => f.args[0]?.replace(/\s+/g, '') === freed).map((f) => f.callee))];
    const match: PrimitiveMatch = { pair: { acquire: [call.callee], release, what: 'heap allocation' }, role: 'acquire', counterparts: release, fromFamily: true };
    return { variable: freed, frees: frees.filter((f) => f.args[0]?.replace(/\s+/g, '') === freed), match };
  }
  return null;
}

/** A heap buffer a call fills in through a variable's address: the variable, where the function frees it, and the pair. */
export interface FilledHeap {
  variable: string;
  frees: CCall[];
  match: PrimitiveMatch;
}
