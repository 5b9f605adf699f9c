/**
 * The object a call works on, as a chain of field names: the first argument
 * that names a field (`vfio_notifier_init(vdev, &vdev->intx.unmask, ...)` →
 * intx.unmask). Two sides name the same object through different variables
 * (`p->intx.interrupt` and `pdev->intx.interrupt`, `d->ioas->hwpt_id` and
 * `ioas->hwpt_id`), so objects are compared by their field chains, the
 * shorter a suffix of the longer, never by the variable they start from.
 */
import { withoutCasts } from '../cmodel/casts.js';
import type { CCall, CFunction } from '../cmodel/types.js';
import { escapeRegExp } from '../regex-escape.js';

/** The field names after the base variable: of the field the call's value is stored in, else of its first argument naming a field; null when none. */
export function objectOf(call: CCall): string[] | null {
  // a call that produces its object (`attr->bitmap = bitmap_new(attr->bitmap_size)`) works on what it produced
  if (call.result !== undefined) {
    const produced = call.result.replace(/\s+/g, '').replace(/\[[^\]]*\]/g, '');
    if (/^\w+((->|\.)\w+)+$/.test(produced)) return produced.split(/->|\./).slice(1);
  }
  // what a call hands back through a pointer (`*map = mmap(NULL, size, ..., dev->fd, 0)`) is its object,
  // and it has no name here: its arguments are only what it was made from
  if (call.result !== undefined && /^\*/.test(call.result.trim())) return null;
  const first = call.args[0] !== undefined ? unwrap(call.args[0]) : '';
  for (const arg of call.args) {
    const text = unwrap(arg);
    if (!/^\w+(\s*(->|\.)\s*\w+)+$/.test(text)) continue;
    const [base, ...chain] = text.split(/\s*(?:->|\.)\s*/);
    // `fx_init(fxdev, &s->user, ...)`: a first argument that is a variable of its own, not the base of the
    // field (`fx_notifier_init(vdev, &vdev->intx.unmask)` is), is the object, and its chain is unknown here
    if (arg !== call.args[0] && PLAIN_VARIABLE.test(first) && first !== base) return null;
    return chain;
  }
  return null;
}

/** A local or parameter named alone: not a constant, a number or NULL. */
const PLAIN_VARIABLE = /^(?!NULL$)[a-z_]\w*$/;

/** OBJECT(&n->mr), &s->kick, &vdev->bars[nr].region.mem: the object inside cast macros and an address-of, subscripts dropped. */
function unwrap(arg: string): string {
  let text = arg.trim();
  text = withoutCasts(text);
  // the subscript picks an element, the fields name the object
  return text.replace(/^&\s*/, '').replace(/\[[^\]]*\]/g, '');
}

const CONSTANT = /^[A-Z][A-Z0-9_]{2,}$/;

/** The field chain an argument names (`&s->kick`, `OBJECT(&n->mr)`, `s->bufs[i]`), or null. */
function argChain(arg: string): string[] | null {
  const text = unwrap(arg);
  if (!/^\w+(\s*(->|\.)\s*\w+)+$/.test(text)) return null;
  return text.split(/\s*(?:->|\.)\s*/).slice(1);
}

/** The field chains a call's arguments name, in order. */
function argChains(call: CCall): string[][] {
  const out: string[][] = [];
  for (const arg of call.args) {
    const chain = argChain(arg);
    if (chain) out.push(chain);
  }
  return out;
}

function suffixMatch(x: readonly string[], y: readonly string[]): boolean {
  const [short, long] = x.length <= y.length ? [x, y] : [y, x];
  const tail = long.slice(long.length - short.length);
  return short.every((f, i) => f === tail[i]);
}

/** The chain a call produced (`req->buf = map(...)`), when it stores into a field. */
function producedChain(call: CCall): string[] | null {
  if (call.result === undefined) return null;
  const produced = call.result.replace(/\s+/g, '').replace(/\[[^\]]*\]/g, '');
  return /^\w+((->|\.)\w+)+$/.test(produced) ? produced.split(/->|\./).slice(1) : null;
}

/** A chain's text without its subscripts, and the subscripts in order (`s->port[0].hs` → `s->port[].hs`, `0`). */
function subscripted(text: string): { plain: string; subs: string[] } | null {
  const t = text.replace(/\s+/g, '').replace(/^&/, '');
  if (!/^\w+((->|\.)\w+|\[[^\]]+\])+$/.test(t) || !t.includes('[')) return null;
  return { plain: t.replace(/\[[^\]]+\]/g, '[]'), subs: [...t.matchAll(/\[([^\]]+)\]/g)].map((m) => m[1] as string) };
}

const CONSTANT_SUBSCRIPT = /^(\d+|0x[0-9a-fA-F]+|[A-Z_][A-Z0-9_]*)$/;

/**
 * Do the two calls name one chain with different constant subscripts in one place (and never with the same ones)?
 * `fx_unregister(s->port[0].hs)` does not undo `s->port[1].hs = fx_register(...)`; a variable subscript (`[i]`) may be any.
 */
function constantSubscriptsDiffer(a: CCall, b: CCall): boolean {
  const texts = (c: CCall) => [...(c.result !== undefined ? [c.result] : []), ...c.args].map(subscripted).filter((x): x is { plain: string; subs: string[] } => x !== null);
  const xs = texts(a);
  if (xs.length === 0) return false;
  const ys = texts(b);
  let differ = false;
  for (const x of xs) {
    for (const y of ys) {
      if (x.plain !== y.plain || x.subs.length !== y.subs.length) continue;
      const conflict = x.subs.some((s, i) => s !== y.subs[i] && CONSTANT_SUBSCRIPT.test(s) && CONSTANT_SUBSCRIPT.test(y.subs[i] as string));
      if (!conflict) return false;
      differ = true;
    }
  }
  return differ;
}

/** Do two calls work on the same object? Unknown objects (no field argument) match anything. */
export function sameObject(a: CCall, b: CCall): boolean {
  // the same field chain with two different constant subscripts (`s->port[0].hs`, `s->port[1].hs`): two objects
  if (constantSubscriptsDiffer(a, b)) return false;
  // the same position naming two different constants (an interrupt index, a region number): two objects
  for (let i = 0; i < Math.min(a.args.length, b.args.length); i++) {
    const p = (a.args[i] as string).trim();
    const q = (b.args[i] as string).trim();
    if (p !== q && CONSTANT.test(p) && CONSTANT.test(q)) return false;
  }
  // a structure one call returned by value, whose member the function copied into a variable the other is handed
  // (`section = fx_region_find(...); mr = section.mr; ... fx_region_unref(mr)`)
  for (const [x, y] of [[a, b], [b, a]] as const) {
    if (x.memberCopies && y.args.some((arg) => x.memberCopies!.includes(arg.replace(/\s+/g, '')))) return true;
  }
  // a value one call produced (`req->buf = map(dev, ...)`) and the other is given among its
  // arguments (`unmap(dev, req->buf, len)`): the same object, whichever argument comes first
  const pa = producedChain(a);
  const pb = producedChain(b);
  if ((pa === null) !== (pb === null)) {
    const [produced, other] = pa ? [pa, b] : [pb as string[], a];
    if (other.args.some((arg) => {
      const chain = argChain(arg);
      return chain !== null && suffixMatch(chain, produced);
    })) return true;
  }
  // a call that takes fewer arguments, every field it names among the other's (`add_subregion(container,
  // s->base, &s->window)` and `del_subregion(container, &s->window)`; `fx_register(s->mr, &s->notifier)`
  // and `fx_unregister(&s->notifier)`): the release needs less to name the same object. Two calls of one arity name
  // their objects in the same places (`add_subregion(bus_space(d), 0, &s->regs)` is not
  // `add_subregion(&s->bar, 0, &s->regs)`).
  const [terse, fuller] = a.args.length <= b.args.length ? [a, b] : [b, a];
  if (terse.args.length < fuller.args.length) {
    const fewer = argChains(terse);
    const more = argChains(fuller);
    if (fewer.length > 0 && fewer.every((f) => more.some((m) => suffixMatch(f, m)))) return true;
    // ...but one that names two objects, one of them not among the fuller call's (`del_subregion(&bar->mem,
    // &bar->own_mem)` against `add_subregion(&bar->mem, off, &hook->mem)`), undoes another object in the same container
    // (not when the fuller call takes a plain variable, which may stand for that object: `add_subregion(mr, off,
    // &region->mr)` with `mr` a parameter the caller passes `&dev->io_space` for)
    const opaque = fuller.args.some((arg) => argChain(arg) === null && /^&?\s*[A-Za-z_]\w*$/.test(arg.trim()) && !CONSTANT.test(arg.trim()));
    if (fewer.length >= 2 && more.length >= 2 && !opaque) return false;
  }
  const x = objectOf(a);
  const y = objectOf(b);
  if (x === null || y === null) {
    // two objects each named by its address (`&fx_clock_blocker`, `&fx_ring_blocker`): two names, two objects
    const address = (c: CCall) => /^&\s*([A-Za-z_]\w*)$/.exec((c.args[0] ?? '').trim())?.[1];
    const p = address(a);
    const q = address(b);
    return p === undefined || q === undefined || p === q;
  }
  const [short, long] = x.length <= y.length ? [x, y] : [y, x];
  const tail = long.slice(long.length - short.length);
  return short.every((f, i) => f === tail[i]);
}

/**
 * Two calls in two functions that each work on a variable of their own, named differently (`object_unref(OBJECT(vf))`
 * in one, `object_ref(OBJECT(dev))` in another): nothing ties the two variables together, so they are not known to
 * be one object. (Within one function sameObject() is asked with the function's own names.)
 */
export function distinctLocals(a: CCall, b: CCall): boolean {
  if (a.result !== undefined || b.result !== undefined) return false;
  const x = unwrap(a.args[0] ?? '');
  const y = unwrap(b.args[0] ?? '');
  return a.args.length === 1 && b.args.length === 1 && PLAIN_VARIABLE.test(x) && PLAIN_VARIABLE.test(y) && x !== y;
}

/**
 * Does a call's argument name the function's variable, through upper-case
 * cast macros (`OBJECT(dev)` names `dev`)? How a release of a value held in a
 * variable is recognised on the variable.
 */
export function namesVariable(arg: string | undefined, variable: string): boolean {
  return withoutCasts(arg ?? '') === variable;
}

/**
 * The function's variables given the value `variable` holds, right as it is (`head = iov;`, `struct iovec *head =
 * iov;`), after `line`: the same block under another name, which a release may name instead.
 */
export function copiesOf(fn: CFunction, variable: string, line: number): string[] {
  const copy = new RegExp(`^(\\w+)\\s*=\\s*${escapeRegExp(variable)}\\s*;$`);
  const out: string[] = [];
  for (const st of fn.statements) {
    if (st.line < line) continue;
    const m = copy.exec((st.assignment ?? st.normalized).trim());
    if (m && m[1] !== variable) out.push(m[1] as string);
  }
  return out;
}
