/**
 * State guards: a release side that tests the state its acquire side records
 * (`vdev->intx.kvm_accel = true` after the init succeeded, `r->addr = addr`
 * after the BAR was mapped; `if (!vdev->intx.kvm_accel) return;` before the
 * cleanup) undoes only what was done. A skip on the acquire side that also
 * skips the recording is then mirrored already, whatever its predicate says.
 */
import type { CCall, CFunction } from '../cmodel/types.js';
import type { Program } from './program.js';
import type { CallSite } from './reach.js';
import { conditionalExits } from './skips.js';

/** Fields `fn` stores after `line`, and those its helpers store when called after it. */
export function fieldsStoredAfter(program: Program, fn: CFunction, line: number, path: string): Set<string> {
  const fields = new Set<string>();
  for (const s of fn.stores) if (s.line > line) fields.add(s.field);
  for (const call of fn.calls) {
    if (call.line <= line) continue;
    const helper = program.lookup(call.callee, path);
    if (helper && helper.fn !== fn) for (const s of helper.fn.stores) fields.add(s.field);
  }
  return fields;
}

/** Fields any of `fns` stores. */
export function fieldsStored(fns: Iterable<CFunction>): Set<string> {
  const fields = new Set<string>();
  for (const fn of fns) for (const s of fn.stores) fields.add(s.field);
  return fields;
}

/** Names tested on the way to `call` in `fn`: its guards, and the conditions of exits before it. */
function namesBefore(fn: CFunction, call: CCall): Set<string> {
  const names = new Set<string>();
  for (const g of call.guards) for (const n of g.condition.names) names.add(n);
  for (const { exit, guard } of conditionalExits(fn)) {
    if (exit.line < call.line) for (const n of guard.condition.names) names.add(n);
  }
  return names;
}

/**
 * Names tested on the way from the side's root to a call site: in each
 * function of the chain, before the call that leads on.
 */
export function namesTestedOnPath(program: Program, site: CallSite): Set<string> {
  const names = namesBefore(site.fn, site.call);
  for (let i = 0; i + 1 < site.via.length; i++) {
    const caller = program.lookup(site.via[i] as string, site.path);
    const next = site.via[i + 1] as string;
    const call = caller?.fn.calls.find((c) => c.callee === next || c.args.includes(next));
    if (caller && call) for (const n of namesBefore(caller.fn, call)) names.add(n);
  }
  return names;
}

export function intersects(a: ReadonlySet<string>, b: Iterable<string>): boolean {
  for (const x of b) if (a.has(x)) return true;
  return false;
}
