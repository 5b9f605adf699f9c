/**
 * State guards: a release side that tests the state its acquire side records
 * (`vdev->intx.kvm_accel = true` after the init succeeded, `r->addr = addr`
 * after the BAR was mapped; `if (!vdev->intx.kvm_accel) return;` before the
 * cleanup) undoes only what was done. A skip on the acquire side that also
 * skips the recording is then mirrored already, whatever its predicate says.
 */
import type { CCall, CCondition, CFunction } from '../cmodel/types.js';
import type { Program } from './program.js';
import type { CallSite } from './reach.js';
import { conditionalExits } from './skips.js';
import { testsValueItself } from './value-tests.js';
import { listOp } from './lists.js';

/** The last field of the head of a list the call inserts into (`QLIST_INSERT_HEAD(&bar->hooks, h, next)` → hooks). */
function insertedList(call: CCall): string | null {
  const l = listOp(call);
  return l && l.op === 'insert' && l.list.head ? (l.list.head.split('.').at(-1) ?? null) : null;
}

/**
 * Fields `fn` stores after `line`, and those its helpers store when called
 * after it; a list it inserts into is recorded state too (the release side
 * that walks that list undoes only what is on it).
 */
export function fieldsStoredAfter(program: Program, fn: CFunction, line: number, path: string): Set<string> {
  const fields = new Set<string>();
  const add = (f: CFunction, after: number) => {
    // a back-pointer (`g->container = container`, `q->dev = dev`) wires objects together: no state recorded; nor does
    // a flag cleared on a failure path of the function itself (`vdev->aer = false; return;`): it says what the paths
    // that clear it did not do, and a way out that does not clear it leaves it saying the opposite
    const cleared = (s: { value: string; guards: readonly unknown[] }) => f === fn && s.guards.length > 0 && /^(false|0|NULL)$/.test(s.value.trim());
    for (const s of f.stores) if (s.line > after && s.value.trim() !== s.field && !cleared(s)) fields.add(s.field);
    for (const c of f.calls) {
      const list = c.line > after ? insertedList(c) : null;
      if (list) fields.add(list);
    }
  };
  add(fn, line);
  for (const call of fn.calls) {
    if (call.line <= line) continue;
    const helper = program.lookup(call.callee, path);
    if (helper && helper.fn !== fn) add(helper.fn, -1);
  }
  return fields;
}

/**
 * The list a call in a FOREACH body walks: the head of the nearest
 * `*_FOREACH*(x, &s->list, link)` before it (the model keeps the body's calls
 * `inLoop`, not which loop). Its last field, or null.
 */
function walkedList(fn: CFunction, call: CCall): string | null {
  if (!call.inLoop) return null;
  let found: string | null = null;
  for (const c of fn.calls) {
    if (c.line >= call.line) break;
    if (!/_FOREACH/.test(c.callee) || c.args.length < 2) continue;
    found = (c.args[1] as string).replace(/^&\s*/, '').split(/->|\./).at(-1)?.trim() ?? null;
  }
  return found;
}

/** Fields any of `fns` stores. */
export function fieldsStored(fns: Iterable<CFunction>): Set<string> {
  const fields = new Set<string>();
  for (const fn of fns) {
    for (const s of fn.stores) fields.add(s.field);
    // an element of a field's array (`xive->regs[reg] = val;`), which the model keeps as a statement: state too
    for (const st of fn.statements) {
      const m = ELEMENT_STORE.exec(st.normalized.trim());
      if (m) fields.add(m[1] as string);
    }
  }
  return fields;
}

/** A store into an element of a field's array: `s->regs[i] = v;`, `s->a.b[i][j] = v;` (the field's name). */
const ELEMENT_STORE = /^[\w\s.>-]*(?:->|\.)\s*(\w+)\s*(?:\[[^\]]*\]\s*)+=[^=]/;

/**
 * The state a condition tests: the fields it reads (`kvm_accel` of
 * `!vdev->intx.kvm_accel`) and the variables it tests themselves (`!dpy`),
 * not a variable it only reads through or hands on (`container` of
 * `valid(section, container->ro_only)`, which tests no stored
 * `g->container`), nor the functions it calls.
 */
function testedState(condition: CCondition): string[] {
  const plain = new Set([...(condition.identifiers ?? []), ...condition.callees]);
  const fields = condition.names.filter((n) => !plain.has(n));
  const values = (condition.identifiers ?? []).filter((n) => !condition.callees.includes(n) && testsValueItself(condition.normalized, n));
  return [...new Set([...fields, ...values])];
}

/** State tested on the way to `call` in `fn`: its guards, and the conditions of exits before it. */
function namesBefore(fn: CFunction, call: CCall): Set<string> {
  const names = new Set<string>();
  for (const g of call.guards) for (const n of testedState(g.condition)) names.add(n);
  const list = walkedList(fn, call);
  if (list) names.add(list);
  for (const { exit, guard } of conditionalExits(fn)) {
    if (exit.line < call.line) for (const n of testedState(guard.condition)) names.add(n);
  }
  return names;
}

/**
 * State tested on the way from the side's root to a call site: in each
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
