/**
 * Pair sides in one C file: which function is the acquire side (region_add,
 * *_map, *_register, ...) and which the release side, and which helpers each
 * side reaches. A helper reached from both sides (vfio_listener_valid_section)
 * is shared: a skip put there affects both sides alike.
 */
import type { CCall, CFileModel } from '../cmodel/types.js';
import { calleeNames } from '../cmodel/callees.js';
import type { PairTable } from './table.js';
import { hasReleaseVerb, releaseCandidates } from './learn/morphology.js';
import { pairedFunctions, releasesSameObjectAcross } from './learn/evidence.js';

export type SideKind = 'slot' | 'family' | 'config' | 'continuation';

export interface SidePair {
  /** acquire-side root function (region_add, *_map, *_register, ...) */
  acquire: string;
  /** release-side root function */
  release: string;
  kind: SideKind;
  /** for a slot pair: the acquire slot's field (`realize`) */
  acquireSlot?: string;
  /** how the pair was found, for messages: "MemoryListener .region_add/.region_del" */
  label: string;
  /** functions of the acquire side: the root and helpers only it reaches */
  acquireSide: Set<string>;
  releaseSide: Set<string>;
  /** helpers both sides reach, and listed shared predicates */
  shared: Set<string>;
}

/** How deep helper calls are followed from a side's root. */
const HELPER_DEPTH = 4;

function reach(model: CFileModel, root: string, stopAt: string): Set<string> {
  const seen = new Set<string>([root]);
  let frontier = [root];
  for (let depth = 0; depth < HELPER_DEPTH && frontier.length > 0; depth++) {
    const next: string[] = [];
    for (const name of frontier) {
      const fn = model.functionByName(name);
      if (!fn) continue;
      // callee names in order of first call (callees.ts): a moved function's calls stay uncopied
      for (const callee of calleeNames(fn)) {
        // Do not walk into the other side: add's error path may call del.
        if (callee === stopAt || seen.has(callee)) continue;
        if (!model.functionByName(callee)) continue;
        seen.add(callee);
        next.push(callee);
      }
    }
    frontier = next;
  }
  return seen;
}

function makePair(
  model: CFileModel,
  table: PairTable,
  acquire: string,
  release: string,
  kind: SideKind,
  label: string,
): SidePair {
  const fromAcquire = reach(model, acquire, release);
  const fromRelease = reach(model, release, acquire);
  const shared = new Set<string>();
  for (const name of [...fromAcquire, ...fromRelease]) {
    if (name === acquire || name === release) continue;
    if ((fromAcquire.has(name) && fromRelease.has(name)) || table.isSharedPredicate(name)) shared.add(name);
  }
  const only = (set: Set<string>) => new Set([...set].filter((n) => !shared.has(n)));
  return { acquire, release, kind, label, acquireSide: only(fromAcquire), releaseSide: only(fromRelease), shared };
}

/** Side pairs by model and table: the post-image model of one commit is the pre-image model of the next. */
const memo = new WeakMap<CFileModel, WeakMap<PairTable, readonly SidePair[]>>();

/** All acquire/release function pairs defined in this file (computed once per model and table). */
export function findSidePairs(model: CFileModel, table: PairTable): readonly SidePair[] {
  let byTable = memo.get(model);
  if (!byTable) memo.set(model, (byTable = new WeakMap()));
  let pairs = byTable.get(table);
  if (!pairs) byTable.set(table, (pairs = computeSidePairs(model, table)));
  return pairs;
}

function anyOf(names: ReadonlySet<string>, test: (name: string) => boolean): boolean {
  for (const name of names) if (test(name)) return true;
  return false;
}

/** Functions the file registers as test cases (`g_test_add_func("/x", test_x)`): independent tests, not pair sides. */
function testCases(model: CFileModel, table: PairTable): Set<string> {
  const cases = new Set<string>();
  for (const fn of model.functions) {
    // most functions register no test: ask their callee set before reading their calls
    if (!anyOf(calleeNames(fn), (name) => table.isTestRegistration(name))) continue;
    for (const call of fn.calls) {
      if (!table.isTestRegistration(call.callee)) continue;
      for (const arg of call.args) if (/^\w+$/.test(arg)) cases.add(arg);
    }
  }
  return cases;
}

function computeSidePairs(model: CFileModel, table: PairTable): SidePair[] {
  const pairs = new Map<string, SidePair>();
  const tests = table.data.testRegistrations.length > 0 ? testCases(model, table) : new Set<string>();
  const add = (acquire: string, release: string, kind: SideKind, label: string, acquireSlot?: string) => {
    if (acquire === release) return;
    // trace_x_map/trace_x_unmap and test_add_x/test_remove_x name no resource
    if (table.isNonResource(acquire) || table.isNonResource(release)) return;
    if (tests.has(acquire) || tests.has(release)) return;
    if (!model.functionByName(acquire) || !model.functionByName(release)) return;
    const key = `${acquire}\u0000${release}`;
    if (!pairs.has(key)) pairs.set(key, { ...makePair(model, table, acquire, release, kind, label), ...(acquireSlot !== undefined ? { acquireSlot } : {}) });
  };

  // Callback slots: `.region_add = f` and `.region_del = g` in one initializer
  // (or field assignments to the same variable in one function: a base
  // class_init and a subclass's both fill `k->realize`, each its own).
  const groups = new Map<string, { type: string | null; fields: Map<string, string> }>();
  model.initializers.forEach((init, i) => {
    const key = init.type !== null ? `#${i}` : `var:${init.functionName ?? ''}:${init.variable ?? i}`;
    const group = groups.get(key) ?? { type: init.type, fields: new Map<string, string>() };
    for (const field of init.fields) group.fields.set(field.field, field.value);
    groups.set(key, group);
  });
  for (const group of groups.values()) {
    for (const slot of table.data.slots) {
      if (slot.type !== null && group.type !== null && slot.type !== group.type) continue;
      const a = group.fields.get(slot.acquire);
      const r = group.fields.get(slot.release);
      if (a && r) add(a, r, 'slot', `${group.type ?? slot.type ?? 'callback'} .${slot.acquire}/.${slot.release}`, slot.acquire);
    }
    // slots whose names pair by morphology (`.realize`/`.exit`, `.start`/`.stop`, `.attach`/`.detach`): the
    // code's own class tables say which callbacks undo which
    for (const [field, a] of group.fields) {
      // a bare `.get`/`.set` is an accessor (a property's, a VMState field's load), not a resource's acquire
      if (field === 'get' || field === 'set') continue;
      for (const releaseField of releaseCandidates(field)) {
        const r = group.fields.get(releaseField);
        if (r) add(a, r, 'slot', `${group.type ?? 'callback'} .${field}/.${releaseField}`, field);
      }
    }
  }

  for (const pair of table.data.functions) {
    add(pair.acquire, pair.release, 'config', `configured pair ${pair.acquire}/${pair.release}`);
  }

  for (const fn of model.functions) {
    for (const candidate of table.familyCounterparts(fn.name)) {
      if (candidate.role !== 'acquire') continue;
      for (const release of candidate.names) {
        add(fn.name, release, 'family', `${fn.name}/${release}`);
      }
    }
  }
  // functions whose names pair by the learning verbs (`fx_init_vcpu`/`fx_destroy_vcpu`) when the code shows
  // they undo each other: one takes something of the table that the other gives back, on the same field
  for (const [a, r] of pairedFunctions(model)) {
    if (pairs.has(`${a}\u0000${r}`)) continue;
    const acquireFn = model.functionByName(a);
    const releaseFn = model.functionByName(r);
    if (!acquireFn || !releaseFn) continue;
    // each side with the helpers it reaches (`fx_init_cq` → `fx_init_cq_ioeventfd` initialising the notifier);
    // the acquire side's table acquires first, the cheap test: most name pairs take fewer than two
    const calls = (root: string, other: string) => [...reach(model, root, other)].flatMap((name) => model.functionByName(name)?.calls ?? []);
    const acquires = calls(a, r).filter((c) => table.anyPrimitive(c.callee)?.role === 'acquire');
    if (new Set(acquires.map((c) => c.callee)).size < 2) continue;
    if (undoesByUse(table, acquires, calls(r, a))) add(a, r, 'family', `${a}/${r}`);
  }
  // a function and the continuation it hands on (`aio_bh_schedule_oneshot(ctx, fx_restart_bh, s)`, a completion
  // callback), which runs later on its behalf: a pair when the continuation gives back, on the same field,
  // something of the table the function takes (an in-flight count raised before scheduling, lowered when it ran)
  for (const fn of model.functions) {
    // what the function takes itself before it hands the continuation on (not a teardown that defers the rest)
    if (hasReleaseVerb(fn.name)) continue;
    let taken: CCall[] | null = null;
    for (const call of fn.calls) {
      for (const arg of call.args) {
        const text = arg.trim();
        const name = text.startsWith('&') ? text.slice(1).trim() : text;
        // (a function of the file first: most arguments name none)
        if (name === fn.name || name === call.callee || !model.functionByName(name) || pairs.has(`${fn.name}\u0000${name}`)) continue;
        taken ??= fn.calls.filter((c) => table.anyPrimitive(c.callee)?.role === 'acquire');
        const acquires = taken.filter((c) => c.line < call.line);
        if (acquires.length === 0) continue;
        const released = [...reach(model, name, fn.name)].flatMap((n) => model.functionByName(n)?.calls ?? []);
        if (givesBackOne(table, acquires, released)) add(fn.name, name, 'continuation', `${fn.name}/${name}`);
      }
    }
  }
  return [...pairs.values()];
}

/** Does `release` give back, on the same field, something of the table that `acquire` takes? */
function givesBackOne(table: PairTable, acquire: readonly CCall[], release: readonly CCall[]): boolean {
  return acquire.some((a) => {
    const m = table.anyPrimitive(a.callee);
    return m?.role === 'acquire' && release.some((r) => m.counterparts.includes(r.callee) && releasesSameObjectAcross(a, r));
  });
}

/**
 * Does `release` give back, each on the same field, at least two things of the table that `acquire` takes? One
 * shared release is common between functions that are no pair (a lookup-or-create `get` and a `put` that drops
 * the last reference both touch the same tree); a teardown undoes what its setup took, more than one of them.
 */
function undoesByUse(table: PairTable, acquire: readonly CCall[], release: readonly CCall[]): boolean {
  const undone = new Set<string>();
  for (const a of acquire) {
    const m = table.anyPrimitive(a.callee);
    if (m?.role !== 'acquire') continue;
    if (release.some((r) => m.counterparts.includes(r.callee) && releasesSameObjectAcross(a, r))) undone.add(a.callee);
    if (undone.size >= 2) return true;
  }
  return false;
}

/** The side (if any) of `pair` that function `name` belongs to. */
export function sideOf(pair: SidePair, name: string): 'acquire' | 'release' | 'shared' | null {
  if (pair.acquireSide.has(name)) return 'acquire';
  if (pair.releaseSide.has(name)) return 'release';
  if (pair.shared.has(name)) return 'shared';
  return null;
}
