/**
 * Facts the messages are built from: what the model saw, so a message says
 * nothing the code does not show.
 *
 * - `releasesOnOtherObjects`: the release side does call the counterpart, but
 *   on another object ("never calls memory_region_unref()" would be false;
 *   "never on `section->mr`" is true).
 * - `isVfioCode`: domain advice for VFIO (the IOMMU of an assigned device, P2P,
 *   ATS, RAM_PROTECTED, vfio_listener_valid_section()) belongs in VFIO code only.
 */
import { withoutCasts } from '../cmodel/casts.js';
import type { CCall } from '../cmodel/types.js';
import { objectOf, sameObject } from './objects.js';

export interface SiteLike {
  call: CCall;
  fn: { name: string };
  path: string;
}

/** Calls to `counterparts` in `reached` that work on another object than `object`. */
export function releasesOnOtherObjects<T extends { fn: { name: string; calls: CCall[] }; path: string }>(
  reached: Iterable<T>,
  counterparts: ReadonlySet<string>,
  object: CCall,
): SiteLike[] {
  const out: SiteLike[] = [];
  for (const r of reached) {
    for (const call of r.fn.calls) if (counterparts.has(call.callee) && !sameObject(call, object)) out.push({ call, fn: r.fn, path: r.path });
  }
  return out;
}

/** The object a call works on, for a message (`section->mr` → "mr"), or null when the call names none. */
export function objectText(call: CCall): string | null {
  const chain = objectOf(call);
  return chain ? chain.join('.') : null;
}

/** Is this VFIO code: its file under a vfio folder or named for it, or one of `names` (the function, the primitive) a vfio_ one? */
export function isVfioCode(path: string, names: readonly string[]): boolean {
  return /(^|\/)[^/]*vfio[^/]*(\/|$)/.test(path) || names.some((n) => /^vfio_/.test(n));
}

/**
 * Do two calls clearly work on different objects: at some argument position
 * both name a field chain and neither chain ends the other (`&d->n` and
 * `&d->other_n`; not `section->mr` and `mr`, not `NULL` and `n->addr`)?
 */
export function clearlyDifferentObjects(a: CCall, b: CCall): boolean {
  const chain = (arg: string): string[] | null => {
    let t = withoutCasts(arg);
    t = t.replace(/^&\s*/, '').replace(/\[[^\]]*\]/g, '').replace(/\s+/g, '');
    return /^\w+((->|\.)\w+)+$/.test(t) ? t.split(/->|\./).slice(1) : null;
  };
  for (let i = 0; i < Math.min(a.args.length, b.args.length); i++) {
    const x = chain(a.args[i] as string);
    const y = chain(b.args[i] as string);
    if (!x || !y) continue;
    const [short, long] = x.length <= y.length ? [x, y] : [y, x];
    if (!short.every((f, k) => f === long[long.length - short.length + k])) return true;
  }
  return false;
}
