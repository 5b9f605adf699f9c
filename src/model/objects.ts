/**
 * The object a call works on, as a chain of field names: the first argument
 * that names a field (`vfio_notifier_init(vdev, &vdev->intx.unmask, ...)` →
 * intx.unmask). Two sides name the same object through different variables
 * (`p->intx.interrupt` and `pdev->intx.interrupt`, `d->ioas->hwpt_id` and
 * `ioas->hwpt_id`), so objects are compared by their field chains, the
 * shorter a suffix of the longer, never by the variable they start from.
 */
import type { CCall } from '../cmodel/types.js';

/** The field names after the base variable: of the field the call's value is stored in, else of its first argument naming a field; null when none. */
export function objectOf(call: CCall): string[] | null {
  // a call that produces its object (`attr->bitmap = bitmap_new(attr->bitmap_size)`) works on what it produced
  if (call.result !== undefined) {
    const produced = call.result.replace(/\s+/g, '').replace(/\[[^\]]*\]/g, '');
    if (/^\w+((->|\.)\w+)+$/.test(produced)) return produced.split(/->|\./).slice(1);
  }
  for (const arg of call.args) {
    let text = arg.trim();
    // OBJECT(&n->mr), &s->kick: the object inside a cast macro or an address-of
    for (let m = /^[A-Z_][A-Z0-9_]*\((.*)\)$/.exec(text); m; m = /^[A-Z_][A-Z0-9_]*\((.*)\)$/.exec(text)) text = (m[1] as string).trim();
    // &vdev->bars[nr].region.mem: the subscript picks an element, the fields name the object
    text = text.replace(/^&\s*/, '').replace(/\[[^\]]*\]/g, '');
    if (!/^\w+(\s*(->|\.)\s*\w+)+$/.test(text)) continue;
    return text.split(/\s*(?:->|\.)\s*/).slice(1);
  }
  return null;
}

const CONSTANT = /^[A-Z][A-Z0-9_]{2,}$/;

/** Do two calls work on the same object? Unknown objects (no field argument) match anything. */
export function sameObject(a: CCall, b: CCall): boolean {
  // the same position naming two different constants (an interrupt index, a region number): two objects
  for (let i = 0; i < Math.min(a.args.length, b.args.length); i++) {
    const p = (a.args[i] as string).trim();
    const q = (b.args[i] as string).trim();
    if (p !== q && CONSTANT.test(p) && CONSTANT.test(q)) return false;
  }
  const x = objectOf(a);
  const y = objectOf(b);
  if (x === null || y === null) return true;
  const [short, long] = x.length <= y.length ? [x, y] : [y, x];
  const tail = long.slice(long.length - short.length);
  return short.every((f, i) => f === tail[i]);
}
