/**
 * GLib hash tables that own their values: a table made with a value destroy
 * function (`s->devs = g_hash_table_new_full(h, eq, g_free, fx_dev_destroy)`)
 * whose body gives its argument back (`object_unref(v)`) releases a value
 * when it is removed (`g_hash_table_remove(s->devs, key)`), as the release
 * itself would. Read off the functions of the file that makes the table.
 */
import type { CCall, CFunction } from '../cmodel/types.js';
import { withoutCasts } from '../cmodel/casts.js';
import { fieldChain } from './fields.js';

/** A table's value destroy function and the release its body makes of its argument. */
export interface TableValueRelease {
  destroy: CFunction;
  inner: CCall;
}

const squeeze = (t: string) => t.replace(/\s+/g, '');

/**
 * The destroy function of the values of the table `tableText` names (`s->devs`, any base), where one of
 * `functions` makes it with g_hash_table_new_full(), when that function's body releases its first parameter
 * with a call `isRelease` accepts; null otherwise.
 */
export function tableValueRelease(functions: readonly CFunction[], tableText: string, isRelease: (callee: string) => boolean): TableValueRelease | null {
  const chain = fieldChain(squeeze(tableText))?.join('.');
  if (!chain) return null;
  for (const f of functions) {
    for (const make of f.calls) {
      if (make.callee !== 'g_hash_table_new_full' || make.args.length !== 4 || fieldChain(squeeze(make.result ?? ''))?.join('.') !== chain) continue;
      const destroy = functions.find((d) => d.name === (make.args[3] as string).trim());
      const param = destroy?.params?.[0];
      if (!destroy || param === undefined) continue;
      const inner = destroy.calls.find((c) => isRelease(c.callee) && c.args.length > 0 && squeeze(withoutCasts(c.args[0] as string)) === param);
      if (inner) return { destroy, inner };
    }
  }
  return null;
}

/**
 * Values the function found in a table (`v = g_hash_table_lookup(t, key)`, into its own variable) and then removed
 * from it (`g_hash_table_remove(t, ...)` on the same table, after the lookup): from the removal on, the table's
 * destroy function has had the value.
 */
export function removedFromTable(fn: CFunction): { lookup: CCall; remove: CCall; variable: string; table: string }[] {
  const out: { lookup: CCall; remove: CCall; variable: string; table: string }[] = [];
  for (const lookup of fn.calls) {
    if (lookup.callee !== 'g_hash_table_lookup' || lookup.resultLocal !== true || !lookup.result || !/^\w+$/.test(lookup.result.trim())) continue;
    const table = squeeze(lookup.args[0] ?? '');
    const remove = fn.calls.find((c) => c.line > lookup.line && c.callee === 'g_hash_table_remove' && squeeze(c.args[0] ?? '') === table);
    if (remove) out.push({ lookup, remove, variable: lookup.result.trim(), table });
  }
  return out;
}
