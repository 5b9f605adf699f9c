/**
 * Fields in the balance model: heap memory an instance keeps in a field
 * (`s->regs = g_new0(uint32_t, n)`) lives until something frees that field.
 * Which function frees it is found by the field chain without its base
 * (`s->regs` in realize, `d->regs` in unrealize), over every function of the
 * program (the release side, finalize, helpers, other files of the commit).
 */
import { withoutCasts } from '../cmodel/casts.js';
import type { CCall, CFunction } from '../cmodel/types.js';
import { hasReleaseVerb } from '../pairs/learn/morphology.js';

/** The field chain of an lvalue or argument without its base (`&s->cfg.regs[i]` → cfg.regs), or null when it names no field. */
export function fieldChain(text: string | undefined): string[] | null {
  let t = withoutCasts(text ?? '');
  t = t.replace(/^\(\s*\w[\w\s*]*\)\s*/, '').replace(/^&\s*/, '').replace(/\[[^\]]*\]/g, '').replace(/\s+/g, '');
  // a base computed by a call or cast macro (`FX_DEV(dev)->regs`, `dev_state(dev)->regs`)
  t = t.replace(/^\w+\([^()]*\)(?=->|\.)/, 'base');
  if (!/^\w+((->|\.)\w+)+$/.test(t)) return null;
  return t.split(/->|\./).slice(1);
}

const same = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i]);
/** One chain ends the other (`vq.used_elems` and `used_elems`: the same field reached through another base). */
export const endsAlike = (a: readonly string[], b: readonly string[]) => {
  const [short, long] = a.length <= b.length ? [a, b] : [b, a];
  return short.every((x, i) => x === long[long.length - short.length + i]);
};

/** A heap allocation stored into a field by `call`: the chain, or null. */
export function heapFieldStore(call: CCall, isHeapAllocation: (name: string) => boolean): string[] | null {
  if (!isHeapAllocation(call.callee) || call.autoReleased) return null;
  return fieldChain(call.result);
}

/**
 * Does `call` release (or hand on) the field `chain`? A call with a release
 * verb (g_free, g_clear_pointer, *_destroy, *_unref, *_free, ...) that takes
 * the field as an argument.
 */
export function releasesField(call: CCall, chain: readonly string[]): boolean {
  // (not handed the address of one element, `fx_abort_command(&s->frames[i])`: that releases what the element
  // holds, never the memory the field points to)
  return releasesNamed(call.callee) && call.args.some((a) => !ELEMENT_ADDRESS.test(a.trim()) && takesField({ ...call, args: [a] }, chain));
}

/** The address of one element of an array (`&s->frames[i]`, `&s->frames[i].hdr`). */
const ELEMENT_ADDRESS = /^&\s*[\w>.-]+\s*\[[^\]]*\](\s*(->|\.)\s*\w+)*$/;

/** Is `callee` named for releasing what it is handed (g_free, g_clear_pointer, *_destroy, *_unref, *_free, ...)? */
function releasesNamed(callee: string): boolean {
  if (!hasReleaseVerb(callee) && !/free|destroy|clear|unref|release|delete|put$/.test(callee)) return false;
  // emptying a container is no release of it (`g_hash_table_remove_all(s->map)` leaves the table to free)
  if (/_(remove|del|delete|clear|steal)_all$/.test(callee)) return false;
  // a writer names what it puts (`qemu_put_buffer(f, s->buf, n)` writes the buffer out): `put` followed by
  // another word is no release when no other release verb is in the name
  return !(/(^|_)put_/.test(callee) && !hasReleaseVerb(callee.replace(/(^|_)put_/g, '$1out_')));
}

/** Does `call` take the field `chain` as an argument (through casts and `&`, from any base)? */
export function takesField(call: CCall, chain: readonly string[]): boolean {
  return call.args.some((a) => {
    const c = fieldChain(a);
    return c !== null && endsAlike(c, chain);
  });
}

/**
 * Does `call` of `fn` release the field `chain` through a local that took it (`FxVq *vqs = s->dev.vqs; ...
 * g_free(vqs);`, the field given up once the local holds it)? The local's last assignment before the call is
 * the field.
 */
export function releasesFieldThroughLocal(fn: CFunction, call: CCall, chain: readonly string[]): boolean {
  if (!releasesNamed(call.callee)) return false;
  return call.args.some((a) => {
    const local = /^\w+$/.test(a.trim()) ? a.trim() : null;
    if (local === null) return false;
    const set = fn.statements.filter((st) => st.line < call.line && st.assignment?.startsWith(`${local} = `)).at(-1);
    const value = set?.assignment?.slice(local.length + 3).replace(/;$/, '');
    // (the same chain: a local taken from `s->dev.vqs` frees no `s->vqs`)
    const c = fieldChain(value);
    return c !== null && same(c, chain);
  });
}

/** The first call in `fns` that releases the field `chain` (itself, or through a local that took it). */
export function fieldRelease<T extends { fn: CFunction }>(fns: Iterable<T>, chain: readonly string[]): { call: CCall; at: T } | null {
  for (const at of fns) for (const call of at.fn.calls) if (releasesField(call, chain) || releasesFieldThroughLocal(at.fn, call, chain)) return { call, at };
  return null;
}

/** Heap fields `fn` frees (their chains), for the evidence that a release side is where an instance's memory is freed. */
export function freedFields(fn: CFunction): string[][] {
  const out: string[][] = [];
  for (const call of fn.calls) {
    if (!hasReleaseVerb(call.callee) && !/free|destroy|clear|unref/.test(call.callee)) continue;
    for (const a of call.args) {
      const c = ELEMENT_ADDRESS.test(a.trim()) ? null : fieldChain(a);
      if (c) out.push(c);
    }
  }
  return out;
}

/** Is the field stored (assigned anything) in `fn`? (for "the pre-image already allocated it") */
export function storesField(fn: CFunction, chain: readonly string[]): boolean {
  return fn.stores.some((s) => {
    const c = fieldChain(s.target);
    return c !== null && same(c, chain);
  }) || fn.calls.some((c) => {
    const r = fieldChain(c.result);
    return r !== null && same(r, chain);
  });
}
