/**
 * released-twice: a release in a conditional block that does not leave the
 * function after it, followed on the same path by a later release of the
 * same object: the block releases, then the path releases again (an exit
 * after the first release was deleted, or the first release was added to a
 * block that falls through), or an unconditional release repeated on a
 * straight path (a copy-paste that kept the old object). Also a field released on an error path and left
 * set, which a function that runs after the failure (finalize) releases again; and a value a `g_autoptr`
 * or `g_autofree` variable holds, released by hand as well as by the variable's scope.
 */
import type { CCall, CFunction, CGuard } from '../src/cmodel/types.js';
import type { NoOptions, Rule, RuleContext } from '../src/rule/rule.js';
import type { PairTable, PrimitiveMatch } from '../src/pairs/table.js';
import type { ChangedFile, CommitSummary, FunctionChange, ModelService, ProgramFunction } from '../src/rule/model.js';

const MESSAGES = {
  twice:
    '{{fn}}() releases {{what}} with {{release}}({{args}}) when `{{condition}}` holds, and the block does not leave ' +
    'after it: the path goes on to {{release}}({{args}}) again at {{file}}:{{secondLine}}. The second release ' +
    'undoes what is no longer held (a double unlock, unref or free). Leave after the first release (`return`, or ' +
    'a `goto` past the second), or drop one of them.',
  twiceNested:
    '{{fn}}() releases {{what}} with {{release}}({{args}}) at {{file}}:{{firstLine}} and goes on, having made it once; ' +
    'when `{{inner}}` holds ({{file}}:{{innerLine}}), it calls {{release}}({{args}}) on it again here. The second release ' +
    'undoes what is no longer held (a double unlock, unref or free: the reference dropped may be one that another ' +
    'owner holds). Drop this one, or release it only once.',
  afterFailure:
    '{{fn}}() releases `{{field}}` with {{release}}() on this error path and leaves the field set; {{later}}() ' +
    '({{laterPath}}:{{laterLine}}), which runs also after {{fn}}() failed, releases `{{field}}` again: a double ' +
    'release of what the error path already released. Clear the field after the release here (`{{field}} = NULL;`, ' +
    'or g_clear_pointer()), or leave the release to {{later}}().',
  afterFailureAlias:
    '{{fn}}() releases `{{local}}` with {{release}}() on this error path, which `{{field}}` was given ({{file}}:{{storeLine}}) ' +
    'and still holds; {{later}}() ({{laterPath}}:{{laterLine}}), which runs also after {{fn}}() failed, releases ' +
    '`{{field}}` again: a double release of what the error path already released. Clear the field after the release ' +
    'here (`{{field}} = NULL;`), or leave the release to {{later}}().',
  beforeFinalize:
    '{{fn}}() releases `{{field}}` with {{release}}() and leaves the field set; {{later}}() ({{laterPath}}:{{laterLine}}), ' +
    'which runs after {{fn}}() whenever the instance goes away, releases `{{field}}` again: a double release. Clear the ' +
    'field after the release here (`{{field}} = NULL;`, or g_clear_pointer()), or leave the release to {{later}}().',
  leftSet:
    '{{fn}}() releases `{{field}}` with {{release}}() and leaves the field set; {{later}}() ({{laterPath}}:{{laterLine}}), ' +
    'which tears the instance down, releases `{{field}}` again{{when}}: a double release once {{fn}}() has run. Clear ' +
    'the field after the release here ({{clear}}), or leave the release to {{later}}().',
  clearDescriptor: '`{{field}} = -1;`',
  clearTag: '`{{field}} = 0;`',
  clearPointer: '`{{field}} = NULL;`, or g_clear_pointer()',
  // the teardown's release stands under a test of the stale value itself ({{when}} above)
  leftSetWhen: ' under `{{condition}}`, which the stale value passes',
  twiceBreaks:
    '{{fn}}() releases {{what}} with {{release}}({{args}}) when `{{condition}}` holds and then breaks out of the loop, ' +
    'but the code after the loop releases it again with {{release}}({{args}}) at {{file}}:{{secondLine}}, and it was ' +
    'taken once, before the loop. The second release undoes what is no longer held (a double unlock, unref or free). ' +
    'Drop the release before the `break`, or leave past the second one.',
  twiceJumps:
    '{{fn}}() releases {{what}} with {{release}}({{args}}) when `{{condition}}` holds and then jumps to {{label}}, ' +
    'whose code releases it again with {{release}}({{args}}) at {{file}}:{{secondLine}}: a double release (a double ' +
    'free, unref or removal) on every failure that takes this path. Drop the release before the `goto`, or jump to a ' +
    'label past the second one.',
  twiceLadder:
    '{{fn}}() releases `{{object}}` with {{release}}() on this rung of its unwind, and the rung above ({{file}}:{{firstLine}}) ' +
    'released it already before falling through: an error path that jumps to {{label}} releases it twice, and what ' +
    'this rung was written for is never released. If it was copied from the rung above, make it release its own object.',
  twiceAlways:
    '{{fn}}() releases {{what}} with {{release}}({{args}}) a second time on the same path: it takes it once, with ' +
    '{{acquire}}() at {{file}}:{{takenLine}}, already released it at {{file}}:{{firstLine}}, and nothing in between ' +
    'takes it again. The second release undoes what is no longer held (a double unlock, unref or free). If this ' +
    'release was copied from the first, make it release what the code in between took; otherwise drop one of the two.',
  twiceThrough:
    '{{fn}}() hands `{{object}}` to {{helper}}() here, which releases what it is handed there (its body does, ' +
    'whatever happens), after {{fn}}() already released it with `{{release}}({{args}})` at {{file}}:{{firstLine}}; it ' +
    'made it once, with {{acquire}}() at {{file}}:{{takenLine}}, and takes no other reference of its own in between. The second ' +
    'release drops what is no longer held (a reference dropped twice frees an object still in use). Drop the ' +
    '{{release}}() call, or hand {{helper}}() a reference of its own.',
  afterHelper:
    '{{fn}}() calls {{release}}({{args}}) here after handing `{{object}}` to {{helper}}() at {{file}}:{{helperLine}}, ' +
    'which already gives it back with {{release}}() ({{helperPath}}:{{helperReleaseLine}}) whatever happens, and nothing ' +
    'in between takes it again: a double release. Drop this call, or the one in {{helper}}().',
  twiceInARow:
    '{{fn}}() calls {{release}}({{args}}) twice in a row (at {{file}}:{{firstLine}} and here), with nothing in between: ' +
    'the second call releases again what the first already released (a double free or removal). If this line was ' +
    'copied from the one before, make it release the object it was meant for; otherwise drop it.',
  twiceInARowSafe:
    '{{fn}}() calls {{release}}({{args}}) twice in a row (at {{file}}:{{firstLine}} and here), with nothing in between: ' +
    '{{release}}() checks for itself, so the second call finds nothing left and releases nothing. A line copied from ' +
    'the one before that kept its object: whatever it was meant to release stays held. Make it release that object.',
  twiceApartSafe:
    '{{fn}}() calls {{release}}({{args}}) twice (at {{file}}:{{firstLine}} and here), and nothing between them takes ' +
    'it again: {{release}}() checks for itself, so the second call releases nothing. A line copied from the first ' +
    'that kept its object: whatever it was meant to release stays held. Make it release that object.',
  twiceSiblings:
    '{{fn}}() releases `{{object}}` in two of its blocks, with {{release}}({{args}}) under `{{firstCondition}}` at ' +
    '{{file}}:{{firstLine}} and again under `{{condition}}` here, while each of its other blocks releases an object of its own: ' +
    'when both tests hold, the second release undoes what is no longer held (a double removal or free){{meant}}. If this ' +
    'block was copied from the earlier one, make it release the object its test is about.',
  twiceApart:
    '{{fn}}() calls {{release}}({{args}}) at {{file}}:{{firstLine}} and again here, on the same path, and nothing in ' +
    'between takes it back: the second call releases again what the first already released (a double free or ' +
    'removal). If this line was copied from the first, make it release the object it was meant for; otherwise drop it.',
  afterHandedOn:
    '{{fn}}() releases `{{object}}` with {{release}}() here, after handing it to {{consumer}}() at {{file}}:{{consumerLine}}, ' +
    'which releases what it is handed whatever happens (its definition in the code base does, as its name says); ' +
    '{{fn}}() made it once, with {{acquire}}() at {{file}}:{{takenLine}}, and takes no other reference of its own in ' +
    'between. This second release drops what is no longer held: a use after free, or a reference dropped twice. Drop ' +
    'this {{release}}(); if {{consumer}}() failed, what it was handed is gone already.',
  afterTableRemove:
    '{{fn}}() releases `{{object}}` with {{release}}() here, after {{remove}}() at {{file}}:{{removeLine}} took it out ' +
    'of `{{table}}`, whose value destroy function {{destroy}}() ({{file}}:{{destroyLine}}) already gives it back with ' +
    '{{inner}}(): {{fn}}() found it in the table ({{file}}:{{lookupLine}}) and took no reference of its own, so this ' +
    'release drops it a second time. Drop this {{release}}(), or take it out with g_hash_table_steal() first.',
  removedFromTable: '{{remove}}() takes it out of the table here, and {{destroy}}() gives it back',
  byScope:
    '{{fn}}() releases `{{variable}}` with {{release}}() here, but `{{variable}}` is declared {{declared}}, so its scope ' +
    'releases it again when {{fn}}() leaves (it holds what {{acquire}}() returned at {{file}}:{{takenLine}}): a double ' +
    'release of one object. Drop this {{release}}(), or take the value out of the scope\'s hands first ' +
    '(`g_steal_pointer(&{{variable}})`).',
  // related locations
  second: '{{release}}() releases it again here',
  first: 'the first {{release}}() of it, on the same path',
  taken: 'the one {{acquire}}() of it',
  laterRelease: '{{later}}() releases it again here',
  helperReleases: '{{helper}}() gives `{{object}}` back here with {{release}}()',
  // the object the later block's test seems to be about ({{meant}} in twiceSiblings)
  meantClause: '; and `{{object}}`, which {{acquire}}() takes at {{file}}:{{line}} and which that test seems to be about, is released by no block',
  siblingFirst: 'the earlier block releases the same object here',
  meantTaken: '{{acquire}}() takes {{object}} here, and no block of the run releases it',
  handedOnHere: '{{consumer}}() releases what it is handed here, whatever happens',
  scopeHolds: '`{{variable}}` takes what {{acquire}}() returned here, for its scope to release',
};

type Ctx = RuleContext<NoOptions, keyof typeof MESSAGES>;

interface Twice {
  first: CCall;
  second: CCall;
  match: PrimitiveMatch;
  /** the release breaks out of the loop it is in, to the second release after the loop */
  breaks?: true;
  /** the second release stands in a block nested under the first's own tests (a failure branch after it) */
  nested?: true;
  /** the release's block then jumps to a label whose code releases the same object again */
  jumps?: { label: string };
  /** two rungs of an unwind ladder release the same object: the label of the rung the first stands in */
  ladder?: { label: string };
  /** the straight-line form: the one acquire of the object both releases give back */
  taken?: CCall;
  /** the straight-line form for what the function did not take: the two releases are next to each other */
  inARow?: true;
  /** the same, with other work between the two that takes nothing back */
  apart?: true;
  /** the straight-line form whose second release is a call of a function that releases what it is handed there */
  through?: true;
  /** the sibling-blocks form: the object the later block's test is about, taken in the file and released by no block */
  siblings?: { meant: { object: string; acquire: CCall } | null };
}

/** A field released on an error path and left set, released again by a function that runs after the failure. */
interface AfterFailure {
  release: CCall;
  field: string;
  later: ProgramFunction;
  again: CCall;
  /** the function's own variable the release is handed, which the field was given (`baum->brlapi = handle;`) */
  alias?: { local: string; line: number };
}


const argsText = (c: CCall) => c.args.map((a) => a.replace(/\s+/g, '')).join(',');
const squeeze = (t: string) => t.replace(/\s+/g, '');

/** The plain variables among a call's arguments: a store to one of them between two releases makes them two objects. */
const variablesOf = (c: CCall) => c.args.map((a) => /^&?\s*(\w+)$/.exec(a.trim())?.[1]).filter((v): v is string => v !== undefined);

/**
 * Is a plain variable among the release's arguments given another value on the way (a store, a call's result;
 * with `fieldsToo`, also a field or element of it set: `needle.addr = ...;`)? The second release is then
 * another object's.
 */
function givenAnotherValue(fn: CFunction, first: CCall, between: (line: number) => boolean, fieldsToo: boolean): boolean {
  const vars = variablesOf(first);
  const stored = (v: string) => new RegExp(fieldsToo ? `^${v}\\s*(=[^=]|\\.|->|\\[)` : `^${v}\\s*=[^=]`);
  if (fn.statements.some((st) => between(st.line) && vars.some((v) => stored(v).test(st.normalized)))) return true;
  return fn.calls.some((c) => between(c.line) && c.result !== undefined && vars.includes(c.result.trim()));
}

/** The acquires of the release's very object (its counterparts, the same arguments) before it in the function. */
function takesBefore(fn: CFunction, first: CCall, match: PrimitiveMatch): CCall[] {
  return fn.calls.filter((c) => c.line < first.line && match.counterparts.includes(c.callee) && argsText(c) === argsText(first));
}

/**
 * The takes of the release's one-argument object before it, also those that make it and store it into that field
 * (`s->aux = FX_AUX(qdev_new(...))`: an acquire or a constructor wrapper of one whose result is the object; not a
 * getter, whose reference may stand beside one the object already had: `old = fx_get_view(as)`).
 */
function takesOrMakesBefore(model: ModelService, table: PairTable, fn: CFunction, first: CCall, match: PrimitiveMatch): CCall[] {
  const object = first.args.length === 1 && model.fieldChain(first.args[0] as string) !== null ? (first.args[0] as string).replace(/\s+/g, '') : null;
  const makes = (c: CCall) =>
    object !== null && c.result?.replace(/\s+/g, '') === object && !/(^|_)get(_|$)/.test(c.callee) &&
    (match.counterparts.includes(c.callee) || (table.wrappedAcquire(c.callee)?.counterparts.includes(first.callee) ?? false));
  return fn.calls.filter((c) => c.line < first.line && ((match.counterparts.includes(c.callee) && argsText(c) === argsText(first)) || makes(c)));
}

/** The variable an argument names, through cast macros and an address (`OBJECT(dev)` and `&dev` name `dev`), or null. */
function variableOf(model: ModelService, arg: string | undefined): string | null {
  const t = model.withoutCasts(arg ?? '').replace(/^&\s*/, '');
  return /^\w+$/.test(t) ? t : null;
}

/**
 * The one call before `first` that made what it releases into a variable of the function (`dev = fx_new(...)`, a
 * counterpart or a constructor wrapper of one), when the function made it so once.
 */
function madeBefore(model: ModelService, table: PairTable, fn: CFunction, first: CCall, match: PrimitiveMatch): CCall | null {
  const v = variableOf(model, first.args[0]);
  if (v === null) return null;
  const makes = (c: CCall) => match.counterparts.includes(c.callee) || (table.wrappedAcquire(c.callee)?.counterparts.includes(first.callee) ?? false);
  const made = fn.calls.filter((c) => c.line < first.line && c.resultLocal === true && c.result?.trim() === v && makes(c));
  return made.length === 1 ? (made[0] as CCall) : null;
}

/**
 * Pairs of releases of the same object (the same call, the same arguments) on one path: the
 * first in a conditional block that neither leaves nor stops before the second, which runs
 * whenever the first does; nothing on the way takes the object again or stores into it.
 */
function releasedTwice(model: ModelService, table: PairTable, summary: CommitSummary, fn: CFunction): Twice[] {
  const releases: { call: CCall; match: PrimitiveMatch }[] = [];
  const out: Twice[] = [];
  for (const call of fn.calls) {
    const match = table.anyPrimitive(call.callee);
    if (match?.role !== 'release') continue;
    // in a loop, each round may release its own take: leave loops alone, but for a release that breaks out of the
    // loop to a second release of the same object after it
    if (!call.inLoop) releases.push({ call, match });
    else {
      const twice = releasedThenBreaks(model, fn, call, match);
      if (twice) out.push(twice);
    }
    const jumps = call.guards.length > 0 ? releasedThenJumps(fn, call, match) : null;
    if (jumps) out.push(jumps);
  }
  for (const { call: first, match } of releases) {
    if (first.guards.length === 0) {
      const twice = releasedTwiceAlways(model, table, summary, fn, first, match, releases);
      if (twice) out.push(twice);
      continue;
    }
    const same = (r: { call: CCall }) => r.call.line > first.endLine && r.call.callee === first.callee && argsText(r.call) === argsText(first);
    const after = releases.find((r) => same(r) && model.guardsCover(r.call.guards, first.guards))?.call;
    // or one in a block nested under the first's own tests (a failure branch after it: `unref(o); if (!attach(o, errp))
    // { unref(o); return; }`), on what the function made once
    const nested = after ? undefined : releases.find((r) => same(r) && r.call.guards.length > first.guards.length && model.guardsCover(first.guards, r.call.guards))?.call;
    if (nested && !(takesOrMakesBefore(model, table, fn, first, match).length === 1 || (takesBefore(fn, first, match).length === 0 && madeBefore(model, table, fn, first, match) !== null))) continue;
    const second = after ?? nested;
    if (!second) continue;
    const nestedForm = after === undefined;
    const between = (line: number) => line > first.line && line < second.line;
    // the first release's path leaves, or stops, before the second (in its block or an enclosing one; `return release(...)`
    // leaves on the release's own line)
    const leaves = (line: number) => line >= first.line && line < second.line;
    if (fn.exits.some((e) => (e.kind === 'return' || e.kind === 'goto') && leaves(e.line) && model.guardsCover(e.guards, first.guards))) continue;
    if (fn.calls.some((c) => between(c.line) && model.endsProgram(c.callee) && model.guardsCover(c.guards, first.guards))) continue;
    // taken again on the way (`unlock(); ...; lock(); ...; unlock();`), or given another value
    if (fn.calls.some((c) => between(c.line) && match.counterparts.includes(c.callee))) continue;
    if (givenAnotherValue(fn, first, between, false)) continue;
    // counted: taken twice before, released twice is the balance
    if (takesBefore(fn, first, match).length >= 2) continue;
    out.push({ first, second, match, ...(nestedForm ? { nested: true as const } : {}) });
  }
  return out;
}

/**
 * A release in a loop whose block then breaks out of it (`unlock(); break;`), while the code after the loop
 * releases the same object again on every way out of it (`for (...) { ... } unlock();`), the function having taken
 * it before the loop: the break leads to the second release.
 */
function releasedThenBreaks(model: ModelService, fn: CFunction, first: CCall, match: PrimitiveMatch): Twice | null {
  const sameBlock = (guards: readonly CGuard[]) => guards.length === first.guards.length && guards.every((g, i) => g.condition === first.guards[i]?.condition && g.negated === first.guards[i]?.negated);
  const exit = fn.exits
    .filter((e) => e.line > first.line && sameBlock(e.guards))
    .sort((a, b) => a.line - b.line)[0];
  if (!exit || exit.kind !== 'break' || exit.loopEnd === undefined) return null;
  const loopEnd = exit.loopEnd;
  // nothing on the way to the break takes it again
  if (fn.calls.some((c) => c.line > first.line && c.line < exit.line && match.counterparts.includes(c.callee))) return null;
  const second = fn.calls.find(
    (c) => c.line > loopEnd && c.callee === first.callee && argsText(c) === argsText(first) && !c.inLoop && c.guards.every((g, i) => g.condition === first.guards[i]?.condition && g.negated === first.guards[i]?.negated),
  );
  if (!second) return null;
  // nothing between the loop and the second release takes it again or leaves
  if (fn.calls.some((c) => c.line > loopEnd && c.line < second.line && match.counterparts.includes(c.callee))) return null;
  if (fn.exits.some((e) => e.line > loopEnd && e.line < second.line && (e.kind === 'return' || e.kind === 'goto'))) return null;
  // taken once, before the loop
  const takes = fn.calls.filter((c) => c.line < first.line && match.counterparts.includes(c.callee) && argsText(c) === argsText(first) && !c.inLoop);
  if (takes.length !== 1) return null;
  if (!model.guardsCover(second.guards, (takes[0] as CCall).guards)) return null;
  return { first, second, match, breaks: true };
}

/**
 * A release in a block that then jumps to a label (`g_free(buf); goto fail;`), whose code releases the same object
 * again with the same call before it leaves (`fail: g_free(buf); return -1;`), under no test or only tests of the
 * object itself (which its stale value passes). Nothing on the way takes it again or gives it another value; a
 * release that clears what it is handed (`g_clear_pointer(&buf, g_free)`) leaves nothing to release twice, and a
 * count taken twice before is released twice on purpose.
 */
function releasedThenJumps(fn: CFunction, first: CCall, match: PrimitiveMatch): Twice | null {
  if (/(^|_)clear(_|$)/.test(first.callee) || first.args.length === 0) return null;
  const sameBlock = (guards: readonly CGuard[]) => guards.length === first.guards.length && guards.every((g, i) => g.condition === first.guards[i]?.condition && g.negated === first.guards[i]?.negated);
  const exit = fn.exits.filter((e) => e.line > first.endLine && sameBlock(e.guards)).sort((a, b) => a.line - b.line)[0];
  // a jump forward (a backward one to a retry label runs the release itself again, another shape)
  if (!exit || exit.kind !== 'goto' || exit.labelLine === undefined || exit.label === undefined || exit.labelLine < exit.line) return null;
  const labelLine = exit.labelLine;
  const toExit = (line: number) => line > first.endLine && line < exit.line;
  if (fn.calls.some((c) => toExit(c.line) && match.counterparts.includes(c.callee))) return null;
  if (givenAnotherValue(fn, first, toExit, false)) return null;
  // the label's code up to where it leaves (a return after it)
  const leaves = fn.exits.filter((e) => e.kind === 'return' && e.line > labelLine).sort((a, b) => a.line - b.line)[0];
  const inLabel = (line: number) => line > labelLine && (leaves === undefined || line <= leaves.line);
  const vars = variablesOf(first);
  const second = fn.calls.find(
    (c) =>
      inLabel(c.line) && c.callee === first.callee && argsText(c) === argsText(first) &&
      // (tests around both, `if (s->romfile) { ...; out: g_free(path); }`, hold on the jump too)
      c.guards
        .filter((g) => !first.guards.some((h) => h.condition === g.condition && h.negated === g.negated))
        .every((g) => vars.some((v) => (g.condition.identifiers ?? g.condition.names).includes(v))),
  );
  if (!second) return null;
  const onLabel = (line: number) => line > labelLine && line < second.line;
  if (fn.calls.some((c) => onLabel(c.line) && match.counterparts.includes(c.callee))) return null;
  if (givenAnotherValue(fn, first, onLabel, false)) return null;
  if (takesBefore(fn, first, match).length >= 2) return null;
  return { first, second, match, jumps: { label: exit.label } };
}

/** The object a rung releases: its first argument that is no amount and names a field or a variable. */
const ladderObject = (c: CCall): string => (c.args.find((x) => !AMOUNT.test(x.trim()) && /->|\./.test(x)) ?? c.args[0] ?? '').trim();

/** An argument that gives an amount, not an object (`vq->desc_size`, `len`): two rungs may pass different ones. */
const AMOUNT = /(size|len|length|count|num|nr)\w*$/i;

/**
 * Two rungs of an unwind ladder (labels after the function's last plain return, each falling into the next) that
 * make the same release of the same object, only labels between them (`err_used: unmap(dev, vq->avail, ...);
 * err_avail: unmap(dev, vq->avail, ...);`): an exit that jumps to the first rung releases it twice, and the
 * object the second rung was written for is never released. The same callee with the same arguments but amounts;
 * both under no test and outside loops; no exit, store or acquire of the pair between them; not a count taken twice.
 */
function releasedTwiceOnLadder(table: PairTable, fn: CFunction): Twice[] {
  const lastReturn = fn.exits.filter((e) => e.kind === 'return' && e.guards.length === 0 && !e.inLoop).map((e) => e.line).sort((a, b) => a - b);
  const out: Twice[] = [];
  const rungs = fn.calls.filter((c) => c.guards.length === 0 && !c.inLoop && lastReturn.some((r) => r < c.line)).sort((a, b) => a.line - b.line);
  const sameButAmounts = (a: CCall, b: CCall) =>
    a.args.length === b.args.length && a.args.some((x) => !AMOUNT.test(x.trim()) && /->|\.|^\w+$/.test(x.trim())) &&
    a.args.every((x, k) => squeeze(x) === squeeze(b.args[k] ?? '') || (AMOUNT.test(x.trim()) && AMOUNT.test((b.args[k] ?? '').trim())));
  for (let i = 0; i + 1 < rungs.length; i++) {
    const first = rungs[i] as CCall;
    const second = rungs[i + 1] as CCall;
    if (first.callee !== second.callee || !sameButAmounts(first, second)) continue;
    const match = table.anyPrimitive(first.callee);
    if (match?.role !== 'release' || COUNTED.test(first.callee)) continue;
    const between = (line: number) => line > first.endLine && line < second.line;
    // a rung boundary between them, and nothing else
    const label = fn.labels.find((l) => between(l.line));
    const own = fn.labels.filter((l) => l.line < first.line).sort((a, b) => b.line - a.line)[0];
    if (!label || !own || fn.exits.some((e) => between(e.line)) || fn.stores.some((st) => between(st.line))) continue;
    if (fn.statements.some((st) => between(st.line) && !fn.calls.some((c) => c.line === st.line))) continue;
    // jumped to: an exit goes to the first rung's label
    if (!fn.exits.some((e) => e.kind === 'goto' && e.label === own.name)) continue;
    if (takesBefore(fn, first, match).length >= 2) continue;
    out.push({ first, second, match, ladder: { label: own.name } });
  }
  return out;
}

/**
 * The straight-line form: an unconditional release, then the same release of the same object on the same path
 * (`unlock(&s->a); ...; unlock(&s->a);`), with nothing in between that leaves, stops, takes that object again
 * (a lock of another object does not: `lock(&s->b)` between two unlocks of `s->a` is the copy-paste that kept
 * the old name), stores into it, or calls a function of the program (which may take it again).
 */
function releasedTwiceAlways(
  model: ModelService,
  table: PairTable,
  summary: CommitSummary,
  fn: CFunction,
  first: CCall,
  match: PrimitiveMatch,
  releases: readonly { call: CCall; match: PrimitiveMatch }[],
): Twice | null {
  const again = releases.find((r) => r.call.line > first.endLine && r.call.callee === first.callee && argsText(r.call) === argsText(first))?.call;
  // or a call of a function the code base defines to release what it is handed there (`fx_realize_and_unref(dev, ...)`
  // after `fx_unref(OBJECT(dev))`), on what the function made itself
  const made = again ? null : madeBefore(model, table, fn, first, match);
  const through = made
    ? fn.calls.find((c) => c.line > first.endLine && !c.inLoop && c.guards.length === 0 && c.args.some((a, k) => variableOf(model, a) === variableOf(model, first.args[0]) && table.releasesArgument(c.callee, k)))
    : undefined;
  const second = again ?? through;
  if (!second) return null;
  const between = (line: number) => line > first.endLine && line < second.line;
  if (fn.exits.some((e) => between(e.line))) return null;
  if (fn.labels.some((l) => between(l.line))) return null;
  if (fn.calls.some((c) => between(c.line) && (model.endsProgram(c.callee) || summary.post.has(c.callee)))) return null;
  if (through && made) {
    // nothing between takes another reference on it (`fx_ref(dev)`), nor hands it on by its variable
    if (fn.calls.some((c) => between(c.line) && match.counterparts.includes(c.callee) && c.args.some((a) => variableOf(model, a) === variableOf(model, first.args[0])))) return null;
    if (fn.stores.some((st) => between(st.line) && variableOf(model, st.value) === variableOf(model, first.args[0]))) return null;
    return { first, second: through, match, taken: made, through: true };
  }
  if (fn.calls.some((c) => between(c.line) && match.counterparts.includes(c.callee) && argsText(c) === argsText(first))) return null;
  // given another value, or a field of it set (`needle.addr = ...;` between two unmaps of `&needle`)
  if (givenAnotherValue(fn, first, between, true)) return null;
  const object = model.fieldChain(first.args[0] ?? '')?.join('.');
  if (object && fn.stores.some((st) => between(st.line) && model.fieldChain(st.target)?.join('.') === object)) return null;
  // the function takes it once, before both: a reference it was handed, or one a getter took, may be dropped
  // twice on purpose (`old = get_view(as); ...; unref(old); ...; unref(old);`), and only the take shows the count
  const takes = takesOrMakesBefore(model, table, fn, first, match);
  if (takes.length !== 1) return null;
  return { first, second, match, taken: takes[0] };
}

/**
 * The same release of the same object twice in a row, under the same tests (in a loop too: the same pass), with
 * nothing at all between them, in a function that never takes it (a teardown of what the setup function made):
 * the copy of a line meant for another object. Not for what a count stands behind (a second drop of a reference
 * may be the caller's; a second free or removal of the same object never is). Unguarded releases outside loops
 * only: under an `if` outside a loop, the conditional form says it.
 */
function releasedTwiceInARow(table: PairTable, fn: CFunction): Twice[] {
  const out: Twice[] = [];
  const calls = [...fn.calls].sort((a, b) => a.line - b.line);
  for (let i = 0; i + 1 < calls.length; i++) {
    const first = calls[i] as CCall;
    // the next statement's call of the same callee: calls nested in the arguments (`get_system_memory()`) stand on
    // the lines of the calls they are handed to, and are no work between the two
    const nextLine = calls.slice(i + 1).find((c) => c.line > first.endLine)?.line;
    const second = calls.slice(i + 1).find((c) => c.line === nextLine && c.callee === first.callee);
    if (!second || (!first.inLoop && first.guards.length > 0)) continue;
    if (argsText(second) !== argsText(first)) continue;
    if (second.guards.length !== first.guards.length || !second.guards.every((g, k) => g.condition === first.guards[k]?.condition && g.negated === first.guards[k]?.negated)) continue;
    const match = table.anyPrimitive(first.callee);
    if (match?.role !== 'release' || COUNTED.test(first.callee) || match.counterparts.some((c) => COUNTED.test(c))) continue;
    if (takesBefore(fn, first, match).length > 0) continue;
    // the function takes it itself, on the same first argument, however it names the rest (nested scopes:
    // `visit_start_struct(v, ...)` twice, then `visit_end_struct(v, errp)` twice)
    const object = (c: CCall) => (c.args[0] ?? '').replace(/\s+/g, '');
    if (object(first) !== '' && fn.calls.some((c) => c.line < first.line && match.counterparts.includes(c.callee) && object(c) === object(first))) continue;
    const between = (line: number) => line > first.endLine && line < second.line;
    if (fn.stores.some((st) => between(st.line)) || fn.exits.some((e) => between(e.line)) || fn.labels.some((l) => between(l.line))) continue;
    out.push({ first, second, match, inARow: true });
  }
  return out;
}

/**
 * The same release of the same object twice on the straight path of a function that never takes it, apart (other
 * work between them: `del(vdev, rx(i)); ...timers freed...; del(vdev, rx(i));`): a teardown line copied and not
 * edited. Both unguarded and outside loops; between them no exit, label, call of a function of the program (which
 * may take it again), acquire of the pair, or store into the object or the variables it is named by. Not for
 * references and counts.
 */
function releasedTwiceApart(table: PairTable, summary: CommitSummary, fn: CFunction): Twice[] {
  const out: Twice[] = [];
  const releases = fn.calls.filter((c) => c.guards.length === 0 && !c.inLoop).sort((a, b) => a.line - b.line);
  for (let i = 0; i < releases.length; i++) {
    const first = releases[i] as CCall;
    const match = table.anyPrimitive(first.callee);
    if (match?.role !== 'release' || COUNTED.test(first.callee) || match.counterparts.some((c) => COUNTED.test(c))) continue;
    const second = releases.slice(i + 1).find((c) => c.callee === first.callee && argsText(c) === argsText(first));
    if (!second) continue;
    const between = (line: number) => line > first.endLine && line < second.line;
    // next to each other: the in-a-row form's
    if (!fn.calls.some((c) => between(c.line)) && !fn.stores.some((st) => between(st.line))) continue;
    if (takesBefore(fn, first, match).length > 0) continue;
    const object = (c: CCall) => (c.args[0] ?? '').replace(/\s+/g, '');
    if (object(first) !== '' && fn.calls.some((c) => match.counterparts.includes(c.callee) && object(c) === object(first))) continue;
    if (fn.exits.some((e) => between(e.line)) || fn.labels.some((l) => between(l.line))) continue;
    if (fn.calls.some((c) => between(c.line) && (summary.post.has(c.callee) || match.counterparts.includes(c.callee) || table.endsProgram(c.callee)))) continue;
    if (givenAnotherValue(fn, first, between, true)) continue;
    out.push({ first, second, match, apart: true });
  }
  return out;
}

/** The words of a name or a condition (`CQ_NVPG_BAR` and `nvpg_mmio` share `nvpg`). */
const wordsOf = (text: string): Set<string> => new Set(text.toLowerCase().split(/[^a-z0-9]+/).filter((w) => w.length >= 2 && !/^\d+$/.test(w)));

/** `x == A` and `x == B`: tests of one value against two constants, which never hold together. */
function exclusive(a: string, b: string): boolean {
  const eq = (t: string) => /^\(?\s*([\w.>\-[\]]+)\s*==\s*([\w]+)\s*\)?$/.exec(t);
  const x = eq(a);
  const y = eq(b);
  return x !== null && y !== null && x[1] === y[1] && x[2] !== y[2];
}

/**
 * A run of sibling blocks, one per object (`if (a_on) del(&s->a); if (b_on) del(&s->b); ...`: three or more `if`
 * statements side by side, each releasing with the same call), in which two blocks release the same object: the
 * later block was copied from the earlier and kept its object. Both tests can hold at once (not `x == A` and
 * `x == B`), neither block leaves the function, nothing between them takes the object again or stores into it,
 * and the function does not take it: a teardown of what other functions made. Not for references and counts.
 */
function releasedInSiblingBlocks(model: ModelService, table: PairTable, fn: CFunction, functions: readonly CFunction[]): Twice[] {
  interface Block { call: CCall; guard: CGuard; match: PrimitiveMatch }
  const runs = new Map<string, Block[]>();
  for (const call of fn.calls) {
    const guard = call.guards[call.guards.length - 1];
    if (!guard || guard.negated || guard.condition.kind !== 'if' || call.inLoop) continue;
    const match = table.anyPrimitive(call.callee);
    if (match?.role !== 'release' || COUNTED.test(call.callee) || match.counterparts.some((c) => COUNTED.test(c))) continue;
    const outer = call.guards.slice(0, -1).map((g) => `${g.negated ? '!' : ''}${g.condition.stmtLine}`).join('&');
    const key = `${call.callee}|${outer}`;
    runs.set(key, [...(runs.get(key) ?? []), { call, guard, match }]);
  }
  const out: Twice[] = [];
  for (const blocks of runs.values()) {
    const statements = new Set(blocks.map((b) => b.guard.condition.stmtLine));
    if (statements.size < 3) continue;
    const objects = new Set(blocks.map((b) => argsText(b.call)));
    // one object twice among objects of their own
    if (objects.size !== blocks.length - 1) continue;
    for (let i = 0; i < blocks.length; i++) {
      for (let k = i + 1; k < blocks.length; k++) {
        const a = blocks[i] as Block;
        const b = blocks[k] as Block;
        if (argsText(a.call) !== argsText(b.call)) continue;
        const ca = a.guard.condition;
        const cb = b.guard.condition;
        if (ca.stmtLine === cb.stmtLine || cb.stmtLine <= ca.stmtEndLine) continue;
        if (ca.normalized === cb.normalized || exclusive(ca.normalized, cb.normalized)) continue;
        // the earlier block leaves the function after its release, or stops
        const inFirst = (line: number) => line >= ca.stmtLine && line <= ca.stmtEndLine;
        if (fn.exits.some((e) => (e.kind === 'return' || e.kind === 'goto') && inFirst(e.line))) continue;
        if (fn.calls.some((c) => inFirst(c.line) && model.endsProgram(c.callee))) continue;
        const between = (line: number) => line > a.call.endLine && line < b.call.line;
        if (fn.calls.some((c) => between(c.line) && a.match.counterparts.includes(c.callee) && argsText(c) === argsText(a.call))) continue;
        if (givenAnotherValue(fn, a.call, between, true)) continue;
        const object = model.fieldChain(a.call.args.at(-1) ?? '')?.join('.');
        if (object && fn.stores.some((st) => between(st.line) && model.fieldChain(st.target)?.join('.') === object)) continue;
        if (takesBefore(fn, a.call, a.match).length > 0) continue;
        out.push({ first: a.call, second: b.call, match: a.match, siblings: { meant: meantObject(a, b, blocks, a.match.counterparts, functions) } });
      }
    }
  }
  return out;
}

/**
 * The object the copied block's test is about: one the file takes with a counterpart of the release, on the same
 * base as the repeated object (`&xs->nvc_mmio` and `&xs->nvpg_mmio`), that no block of the run releases, whose
 * field name shares a word with the later test and not with the earlier one.
 */
function meantObject(
  a: { call: CCall; guard: CGuard },
  b: { call: CCall; guard: CGuard },
  blocks: readonly { call: CCall }[],
  counterparts: readonly string[],
  functions: readonly CFunction[],
): { object: string; acquire: CCall } | null {
  // `&xs->nvc_mmio`: its base `&xs->` and its last field
  const split = (arg: string) => /^(.*(?:->|\.))(\w+)$/.exec(arg.replace(/\s+/g, ''));
  const repeated = split(a.call.args.at(-1) ?? '');
  if (!repeated) return null;
  const earlier = wordsOf(a.guard.condition.normalized);
  const words = [...wordsOf(b.guard.condition.normalized)].filter((w) => !earlier.has(w));
  if (words.length === 0) return null;
  const released = new Set(blocks.map((x) => (x.call.args.at(-1) ?? '').replace(/\s+/g, '')));
  for (const f of functions) {
    for (const c of f.calls) {
      if (!counterparts.includes(c.callee)) continue;
      for (const arg of c.args) {
        const m = split(arg);
        if (!m || m[1] !== repeated[1] || released.has(m[0])) continue;
        const field = wordsOf(m[2] as string);
        if (words.some((w) => field.has(w))) return { object: arg.trim(), acquire: c };
      }
    }
  }
  return null;
}

/** A release of a value its variable's scope releases too (`g_autoptr(Object) o = object_new(...); ... object_unref(o);`). */
interface ScopeTwice {
  acquire: CCall;
  release: CCall;
  variable: string;
}

/**
 * Releases of what a `g_autoptr`/`g_autofree` variable holds, made by hand while the variable keeps it: the scope
 * releases it again when the function leaves. The release is the acquire's counterpart (for `g_autofree`, a heap
 * free) handed the variable itself; nothing after it gives the variable another value (`o = NULL;`, a new
 * acquire) and nothing took the value out of the scope's hands before it (`g_steal_pointer(&o)`).
 */
function releasedByScopeToo(model: ModelService, table: PairTable, fn: CFunction): ScopeTwice[] {
  const out: ScopeTwice[] = [];
  for (const acquire of fn.calls) {
    if (!acquire.autoReleased || acquire.resultLocal !== true || acquire.result === undefined) continue;
    const variable = acquire.result.trim();
    if (!/^\w+$/.test(variable)) continue;
    const match = table.anyPrimitive(acquire.callee);
    const releases = (c: CCall) =>
      acquire.autoFreed ? table.isHeapRelease(c.callee) : match?.role === 'acquire' && match.counterparts.includes(c.callee);
    // in the variable's scope: under every test its declaration is under (a variable of the same name declared in
    // another block is another variable, `if (a) { g_autofree char *s = ...; } if (b) { char *s = ...; g_free(s); }`)
    // (or, for a variable of the function's body declared empty and filled in a branch, `g_autofree int *refs = NULL;
    // if (...) { refs = g_new(...); } ... g_free(refs);`, a release past the branch that the acquire's path reaches)
    const inScope = (c: CCall) =>
      model.guardsCover(acquire.guards, c.guards) ||
      (acquire.resultScopeEnd === undefined && c.guards.length === 0 && !c.inLoop && model.mayHoldAt(fn, acquire, { kind: 'return', line: c.line, guards: [], inLoop: false }));
    const release = fn.calls.find(
      (c) => c.line > acquire.endLine && c.args.length === 1 && model.namesVariable(c.args[0], variable) && releases(c) && inScope(c),
    );
    if (!release) continue;
    // handed out of the scope's hands before (`g_steal_pointer(&o)`, any call given its address), or set again after
    const address = new RegExp(`^&\\s*${variable}$`);
    if (fn.calls.some((c) => c.line > acquire.endLine && c.line < release.line && c.args.some((a) => address.test(a.trim())))) continue;
    const setAgain = new RegExp(`^${variable}\\s*=[^=]`);
    if (fn.statements.some((st) => st.line > release.endLine && setAgain.test(st.normalized))) continue;
    if (fn.calls.some((c) => c.line > release.endLine && c.result?.trim() === variable)) continue;
    out.push({ acquire, release, variable });
  }
  return out;
}

/** A release made after a call that releases what it was handed, on what the function made once. */
interface HandedOn {
  consumer: CCall;
  release: CCall;
  taken: CCall;
  variable: string;
}

/** The release verb a name ends with (`unref` of `object_unref`, of `fx_realize_and_unref`), or null. */
const releaseWord = (table: PairTable, name: string): string | null => {
  const last = name.split('_').at(-1) ?? '';
  return last !== '' && table.hasReleaseVerb(last) ? last : null;
};

/**
 * `dev = fx_new(...); if (!fx_realize_and_unref(dev, ...)) { fx_unref(dev); }`: a call of a function the code base
 * defines to release what it is handed there (and whose name ends with the release's own verb: it releases the
 * object itself, not a field of it), then a release of the same variable after it on a path from it, where the
 * function made the variable once before with an acquire whose counterpart (or whose wrapped acquire's) is that
 * release. Nothing between gives the variable another value or takes another reference on it.
 */
function releasedAfterHandedOn(model: ModelService, table: PairTable, fn: CFunction): HandedOn[] {
  const out: HandedOn[] = [];
  for (const consumer of fn.calls) {
    const word = releaseWord(table, consumer.callee);
    if (word === null || consumer.inLoop) continue;
    const k = consumer.args.findIndex((a, i) => variableOf(model, a) !== null && table.releasesArgument(consumer.callee, i));
    if (k < 0) continue;
    const variable = variableOf(model, consumer.args[k]) as string;
    const releases = (c: CCall) =>
      // (the same call twice, `unref(v); ...; unref(v);`, is the straight-line form's, which counts the takes)
      c.line > consumer.line && c.callee !== consumer.callee && releaseWord(table, c.callee) === word && table.anyPrimitive(c.callee)?.role === 'release' &&
      c.args.length > 0 && variableOf(model, c.args[0]) === variable;
    const direct = fn.calls.find(
      (c) =>
        releases(c) &&
        // on a path from the consumer: under its tests (and maybe more), not in another branch; no label between
        consumer.guards.every((g, i) => c.guards[i]?.condition === g.condition && c.guards[i]?.negated === g.negated) &&
        !fn.labels.some((l) => l.line > consumer.line && l.line < c.line),
    );
    // or its failure jumps to a label whose code releases it (`if (!fx_realize_and_unref(d, errp)) goto err;` ...
    // `err: ...; object_unref(OBJECT(d));`), under no test, before that code returns
    const jump = direct
      ? undefined
      : fn.exits.find((e) => e.kind === 'goto' && e.labelLine !== undefined && e.guards.some((g) => consumer.line >= g.condition.line && consumer.line <= g.condition.endLine));
    const leaves = jump ? fn.exits.filter((e) => e.kind === 'return' && e.line > (jump.labelLine as number)).sort((a, b) => a.line - b.line)[0] : undefined;
    const viaLabel = jump
      ? fn.calls.find((c) => releases(c) && c.line > (jump.labelLine as number) && (leaves === undefined || c.line < leaves.line) && c.guards.length === 0)
      : undefined;
    const release = direct ?? viaLabel;
    if (!release) continue;
    const makes = (c: CCall) =>
      (table.anyPrimitive(c.callee)?.role === 'acquire' && (table.anyPrimitive(c.callee)?.counterparts.includes(release.callee) ?? false)) ||
      (table.wrappedAcquire(c.callee)?.counterparts.includes(release.callee) ?? false);
    const made = fn.calls.filter((c) => c.line < consumer.line && c.resultLocal === true && c.result?.trim() === variable && makes(c));
    if (made.length !== 1) continue;
    // (through the label: from the label on; the code between the jump and the label is another path)
    const from = viaLabel && jump ? (jump.labelLine as number) : consumer.line;
    const between = (line: number) => line > from && line < release.line;
    if (fn.calls.some((c) => between(c.line) && (c.result?.trim() === variable || (c !== release && makes(c) && c.args.some((a) => variableOf(model, a) === variable))))) continue;
    if ((fn.assignments ?? []).some((a) => a.target === variable && between(a.line))) continue;
    if (!viaLabel && fn.labels.some((l) => between(l.line))) continue;
    out.push({ consumer, release, taken: made[0] as CCall, variable });
  }
  return out;
}

interface TableRemoved {
  lookup: CCall;
  remove: CCall;
  release: CCall;
  variable: string;
  table: string;
  destroy: CFunction;
  inner: CCall;
}

/**
 * A value the function found in a hash table (`v = g_hash_table_lookup(s->devs, &key)`), then removed from it
 * (`g_hash_table_remove(s->devs, &key)`), and released after that (`object_unref(v)`), where the table was made in
 * the file with a value destroy function (`g_hash_table_new_full(h, eq, g_free, fx_dev_destroy)`) whose body gives
 * its argument back with a release of the same word (`object_unref(v)`): the removal released it already. Not
 * when the function takes a reference of its own between the lookup and the release.
 */
function releasedAfterTableRemove(model: ModelService, table: PairTable, fn: CFunction, functions: readonly CFunction[]): TableRemoved[] {
  const out: TableRemoved[] = [];
  for (const { lookup, remove, variable, table: tableArg } of model.removedFromTable(fn)) {
    const owned = model.tableValueRelease(functions, tableArg, (n) => table.anyPrimitive(n)?.role === 'release');
    if (!owned) continue;
    const word = releaseWord(table, owned.inner.callee);
    if (word === null) continue;
    const release = fn.calls.find((c) => c.line > remove.line && releaseWord(table, c.callee) === word && table.anyPrimitive(c.callee)?.role === 'release' && c.args.length > 0 && variableOf(model, c.args[0]) === variable);
    if (!release) continue;
    // (a reference of its own, taken after the lookup: `object_ref(v)`)
    const counterparts = table.anyPrimitive(release.callee)?.counterparts ?? [];
    if (fn.calls.some((c) => c.line > lookup.line && c.line < release.line && counterparts.includes(c.callee) && c.args.some((a) => variableOf(model, a) === variable))) continue;
    if ((fn.assignments ?? []).some((a) => a.target === variable && a.line > lookup.line && a.line < release.line)) continue;
    out.push({ lookup, remove, release, variable, table: tableArg, destroy: owned.destroy, inner: owned.inner });
  }
  return out;
}

/** A reference or a count: `unref`/`put`/`dec` drop one of several, taken with `ref`/`get`/`inc`. */
const COUNTED = /(^|_)(un)?ref(_|$)|(^|_)(put|get|dec|inc|deref|drop)(_|$)/;

/** A release whose name says what it is handed is gone after it: made twice, it frees freed memory. */
const DISPOSES = /(^|_)(free|destroy|unref|close)(_|$)/;

/** GLib's removal of a main-loop source by its tag: the tag names nothing after it, and a second removal fails (or hits a source that reused the number). */
const REMOVES_SOURCE = /^g_source_remove$/;

const afterFailureFunctions = new WeakMap<CommitSummary, { pre: ProgramFunction[]; post: ProgramFunction[] }>();

/**
 * Releases of a field (a table release, or a call with a release verb: `error_free(s->blocker)`) on an
 * error path of `fn` that nothing after them in `fn` clears or sets again, where a function that runs
 * also after `fn` failed (instance finalize) releases the same field with the same call.
 */
function releasedAfterFailure(model: ModelService, table: PairTable, summary: CommitSummary, fn: CFunction, releaseSlot = false): AfterFailure[] {
  if (table.runsAfterFailure(fn.name)) return [];
  // the commit's functions that run after a failure, in the image `fn` is of (its old self is read against the
  // pre-image's finalize: a release the commit adds there is new): once per commit, not per function
  let all = afterFailureFunctions.get(summary);
  if (!all) {
    // (and the helpers they call, two calls deep: `fx_finalize()` → `fx_uninit(s)` freeing the buffers)
    const late = (image: 'pre' | 'post') => {
      const roots = summary[image].all().filter((p) => table.runsAfterFailure(p.fn.name));
      const out = [...roots];
      let frontier = roots;
      for (let depth = 0; depth < 2 && frontier.length > 0; depth++) {
        const next = frontier.flatMap((p) => p.fn.calls.map((c) => summary[image].lookup(c.callee, p.path)).filter((q): q is ProgramFunction => q !== undefined && q !== null && !out.includes(q)));
        out.push(...new Set(next));
        frontier = [...new Set(next)];
      }
      return out;
    };
    afterFailureFunctions.set(summary, (all = { pre: late('pre'), post: late('post') }));
  }
  const image = summary.post.all().some((p) => p.fn === fn) ? 'post' : 'pre';
  const laters = all[image].filter((p) => p.fn !== fn);
  if (laters.length === 0) return [];
  const out: AfterFailure[] = [];
  // (also the branch of a failed call handed the function's `Error **`, `if (fx_read(s, errp)) { g_free(s->buf); }`
  // for a function answering with a status: the function has failed there, whatever it does next)
  const errp = model.errorOutParameter(fn);
  const failing = errp ? model.failureTests(fn, errp) : [];
  // (or anywhere in the release slot of a pair whose acquire slot's failure skips it, `.unrealize`: it runs before
  // finalize whenever the instance was realized)
  const onFailure = (c: CCall) => releaseSlot || model.onErrorBranch(fn, c) || failing.some((t) => model.guardsCover(t.failing, c.guards));
  for (const call of fn.calls) {
    if (table.anyPrimitive(call.callee)?.role !== 'release' && !table.hasReleaseVerb(call.callee)) continue;
    // (or a variable of the function that a field was given on the way, `handle = g_malloc0(n); baum->brlapi =
    // handle;`, the field left holding it)
    const local = /^\w+$/.test(call.args[0]?.trim() ?? '') ? (call.args[0] as string).trim() : null;
    const given = local !== null
      ? fn.stores.filter((st) => st.line < call.line && st.value.trim() === local && model.fieldChain(st.target) !== null && st.guards.every((g) => call.guards.some((c) => c.condition === g.condition && c.negated === g.negated))).at(-1)
      : undefined;
    const chain = model.fieldChain(call.args[0]) ?? (given ? model.fieldChain(given.target) : null);
    if (!chain || !onFailure(call)) continue;
    // (a pointer the field holds, not a structure embedded in the instance and handed by its address, `&s->region`:
    // nothing clears that, and its teardown reads its own state)
    if (/^\s*&/.test(call.args[0] ?? '')) continue;
    // (in a release slot, only what it releases whatever happens: a test may say finalize's release is the other case)
    // and only a release that cannot be made twice (a free, a destroy, a last unref, a close; `timer_del()` twice is
    // harmless)
    if (releaseSlot && !model.onErrorBranch(fn, call) && (call.guards.length > 0 || !(table.freesHeapValue(call.callee) || DISPOSES.test(call.callee)))) continue;
    const last = chain[chain.length - 1] as string;
    // cleared or set again after it (`s->blocker = NULL`, `g_clear_pointer(&s->blocker, ...)`, a new value)
    if (fn.stores.some((st) => st.line >= call.line && st.field === last)) continue;
    if (fn.calls.some((c) => c.line > call.line && c.args.some((a) => model.fieldChain(a)?.at(-1) === last) && /clear|steal/.test(c.callee))) continue;
    for (const later of laters) {
      const again = later.fn.calls.find((c) => c.callee === call.callee && model.fieldChain(c.args[0])?.join('.') === chain.join('.'));
      if (again) {
        out.push({ release: call, field: given ? given.target.trim() : (call.args[0]?.trim() ?? last), later, again, ...(given && local ? { alias: { local, line: given.line } } : {}) });
        break;
      }
    }
  }
  return out;
}

/** A field released and left set by a function that is no teardown, released again by a teardown. */
interface LeftSet {
  release: CCall;
  field: string;
  later: ProgramFunction;
  again: CCall;
}

/**
 * Releases that dispose of a field (a free, a destroy, a close, a last unref) in a function that is
 * no teardown and does not clear or set the field again after them (`close(s->fd); break;` in an event handler),
 * while a teardown of the file (a release slot whose acquire slot's failure skips it, `.unrealize`, or a function
 * that runs also after a failure, instance finalize) disposes of the same field with the same call, under no test
 * or under a test of the field's own value (`if (s->fd > 0)`), which the stale value passes. Not an error path of
 * the acquire slot whose failure skips that teardown (a failed `.realize` is never unrealized).
 */
function releasedLeftSet(
  model: ModelService,
  table: PairTable,
  fn: CFunction,
  teardowns: readonly ProgramFunction[],
  skipsAfterFailure: (acquirer: string, teardown: string) => boolean,
): LeftSet[] {
  if (teardowns.some((t) => t.fn.name === fn.name)) return [];
  const out: LeftSet[] = [];
  for (const call of fn.calls) {
    if (!(table.freesHeapValue(call.callee) || DISPOSES.test(call.callee) || REMOVES_SOURCE.test(call.callee)) || call.args.length !== 1) continue;
    const chain = model.fieldChain(call.args[0]);
    if (!chain) continue;
    const last = chain[chain.length - 1] as string;
    if (fn.stores.some((st) => st.line >= call.line && st.field === last)) continue;
    if (fn.calls.some((c) => c.line > call.line && c.args.some((a) => model.fieldChain(a)?.at(-1) === last))) continue;
    const t = chain.join('.');
    for (const later of teardowns) {
      // (an error path of the acquire slot whose failure skips that teardown: `.realize` failing is never unrealized)
      if (skipsAfterFailure(fn.name, later.fn.name) && (model.onErrorPath(fn, call.line) || model.onErrorBranch(fn, call))) continue;
      const again = later.fn.calls.find((c) => c.callee === call.callee && model.fieldChain(c.args[0])?.join('.') === t);
      if (!again) continue;
      // under no test, or only under tests of the field's own value
      const own = again.guards.every((g) => g.condition.kind === 'if' && !g.negated && g.condition.callees.length === 0 && g.condition.names.includes(last) && model.testsValueItself(g.condition.normalized.replace(/\s+/g, ''), (again.args[0] as string).replace(/\s+/g, '')));
      if (!own) continue;
      out.push({ release: call, field: call.args[0]?.trim() ?? last, later, again });
      break;
    }
  }
  return out;
}

/** A helper of the program that gives back what it is handed, then the same release by hand. */
interface AfterHelper {
  helperCall: CCall;
  helper: ProgramFunction;
  inner: CCall;
  release: CCall;
}

/**
 * A call of a helper of the program whose body gives back one of its parameters with a release of the table under no
 * test (`fx_delete_queues(vdev, s)` ending in `fx_cleanup(vdev)`), then, on the same way, the same release of the
 * same object by hand (`fx_cleanup(vdev)`), with nothing in between that leaves, takes it again or calls another
 * function of the program: a teardown moved into a helper whose old line stayed behind.
 */
function releasedAfterHelper(model: ModelService, table: PairTable, summary: CommitSummary, fn: CFunction, path: string): AfterHelper[] {
  const out: AfterHelper[] = [];
  for (const helperCall of fn.calls) {
    if (helperCall.callee === fn.name || !summary.post.has(helperCall.callee)) continue;
    const helper = summary.post.lookup(helperCall.callee, path);
    const params = helper?.fn.params ?? [];
    if (!helper || params.length === 0) continue;
    for (const inner of helper.fn.calls) {
      if (inner.guards.length > 0 || inner.inLoop || table.anyPrimitive(inner.callee)?.role !== 'release' || COUNTED.test(inner.callee)) continue;
      // what it gives back is a parameter, whole: the object the call hands it there
      const k = params.indexOf((inner.args[0] ?? '').trim());
      const handed = k >= 0 ? helperCall.args[k]?.replace(/\s+/g, '') : undefined;
      if (handed === undefined || !/^[\w>.-]+$/.test(handed) || inner.args.length !== 1) continue;
      const release = fn.calls.find(
        (c) => c.line > helperCall.endLine && c.callee === inner.callee && c.args.length === 1 && c.args[0]?.replace(/\s+/g, '') === handed && model.guardsCover(c.guards, helperCall.guards) && model.guardsCover(helperCall.guards, c.guards),
      );
      if (!release) continue;
      const between = (line: number) => line > helperCall.endLine && line < release.line;
      if (fn.exits.some((e) => between(e.line)) || fn.labels.some((l) => between(l.line))) continue;
      if (fn.calls.some((c) => between(c.line) && (summary.post.has(c.callee) || (table.anyPrimitive(inner.callee)?.counterparts ?? []).includes(c.callee)))) continue;
      if (fn.stores.some((st) => between(st.line) && st.target.replace(/\s+/g, '') === handed)) continue;
      out.push({ helperCall, helper, inner, release });
      break;
    }
  }
  return out;
}

function checkFunction(ctx: Ctx, file: ChangedFile, change: FunctionChange): void {
  const fn = change.post;
  if (!fn || fn.hasErrors) return;
  const summary = ctx.model.summary();
  // "introduced" is decided by the model (summary.introduced): the same release under the same condition
  // falling through to a second one in the pre-image is not new
  const found = summary.introduced(
    fn,
    file,
    (f) => [
      ...releasedTwice(ctx.model, ctx.pairs, summary, f),
      ...releasedTwiceInARow(ctx.pairs, f),
      ...releasedTwiceApart(ctx.pairs, summary, f),
      ...releasedInSiblingBlocks(ctx.model, ctx.pairs, f, file.post?.functions ?? []),
      ...releasedTwiceOnLadder(ctx.pairs, f),
    ],
    (t, rename) => [
      t.ladder
        ? `${rename(t.first.callee)}|ladder|${argsText(t.first)}|${argsText(t.second)}`
        : t.jumps
        ? `${rename(t.first.callee)}|jumps|${argsText(t.first)}|${t.jumps.label}`
        : t.siblings
        ? `${rename(t.first.callee)}|siblings|${argsText(t.first)}|${t.second.guards.at(-1)?.condition.normalized ?? ''}`
        : t.first.guards.length === 0
        ? `${rename(t.first.callee)}|always|${argsText(t.first)}`
        : `${rename(t.first.callee)}|${t.first.guards.map((g) => `${g.negated ? '!' : ''}${g.condition.normalized}`).join('&')}`,
    ],
  );
  for (const twice of found) {
    const { first, second, match, taken, inARow, breaks, jumps, siblings, apart } = twice;
    if (siblings) {
      const meant = siblings.meant;
      ctx.report({
        at: { file: file.path, line: second.line, endLine: second.endLine, function: fn.name },
        messageId: 'twiceSiblings',
        data: {
          fn: fn.name,
          object: first.args.at(-1) ?? '',
          release: first.callee,
          args: first.args.join(', '),
          firstCondition: first.guards.at(-1)?.condition.normalized ?? '',
          condition: second.guards.at(-1)?.condition.normalized ?? '',
          file: file.path,
          firstLine: first.line,
          meant: meant ? ctx.format('meantClause', { object: meant.object, acquire: meant.acquire.callee, file: file.path, line: meant.acquire.line }) : '',
        },
        related: [
          { file: file.path, line: first.line, function: fn.name, messageId: 'siblingFirst', data: {} },
          ...(meant
            ? [{ file: file.path, line: meant.acquire.line, function: file.post?.functionAt(meant.acquire.line)?.name ?? fn.name, messageId: 'meantTaken' as const, data: { acquire: meant.acquire.callee, object: `\`${meant.object}\`` } }]
            : []),
        ],
        key: `twice-siblings|${fn.name}|${first.callee}|${argsText(first)}`,
        repair: { callees: [first.callee], functions: [fn.name] },
      });
      continue;
    }
    if (twice.ladder) {
      ctx.report({
        at: { file: file.path, line: second.line, endLine: second.endLine, function: fn.name },
        messageId: 'twiceLadder',
        data: { fn: fn.name, release: second.callee, object: ladderObject(first), file: file.path, firstLine: first.line, label: twice.ladder.label },
        related: [{ file: file.path, line: first.line, function: fn.name, messageId: 'first', data: { release: first.callee } }],
        key: `twice-ladder|${fn.name}|${first.callee}|${argsText(first)}`,
        repair: { callees: match.counterparts, functions: [fn.name] },
      });
      continue;
    }
    if (inARow || apart) {
      // a release that checks for itself (`if (*watch) { ...; *watch = NULL; }`) finds nothing the second time: the
      // copied line is no double release, only the object it was meant for left unreleased
      const safe = ctx.pairs.isSafeRelease(first.callee);
      ctx.report({
        at: { file: file.path, line: second.line, endLine: second.endLine, function: fn.name },
        messageId: safe ? (apart ? 'twiceApartSafe' : 'twiceInARowSafe') : apart ? 'twiceApart' : 'twiceInARow',
        data: { fn: fn.name, release: first.callee, args: first.args.join(', '), file: file.path, firstLine: first.line },
        related: [{ file: file.path, line: first.line, function: fn.name, messageId: 'first', data: { release: first.callee } }],
        key: `${apart ? 'twice-apart' : 'twice-in-a-row'}|${fn.name}|${first.callee}|${argsText(first)}`,
        repair: { callees: match.counterparts, functions: [fn.name] },
      });
      continue;
    }
    const guard = first.guards[first.guards.length - 1];
    if (!guard && taken && twice.through) {
      ctx.report({
        at: { file: file.path, line: second.line, endLine: second.endLine, function: fn.name },
        messageId: 'twiceThrough',
        data: {
          fn: fn.name,
          object: variableOf(ctx.model, first.args[0]) ?? '',
          helper: second.callee,
          release: first.callee,
          args: first.args.join(', '),
          file: file.path,
          firstLine: first.line,
          acquire: taken.callee,
          takenLine: taken.line,
        },
        related: [
          { file: file.path, line: taken.line, function: fn.name, messageId: 'taken', data: { acquire: taken.callee } },
          { file: file.path, line: first.line, function: fn.name, messageId: 'first', data: { release: first.callee } },
        ],
        key: `twice-through|${fn.name}|${first.callee}|${second.callee}|${variableOf(ctx.model, first.args[0]) ?? ''}`,
        repair: { callees: match.counterparts, functions: [fn.name] },
      });
      continue;
    }
    if (!guard && taken) {
      ctx.report({
        at: { file: file.path, line: second.line, endLine: second.endLine, function: fn.name },
        messageId: 'twiceAlways',
        data: {
          fn: fn.name,
          what: ctx.model.objectText(first) ?? 'it',
          release: first.callee,
          args: first.args.join(', '),
          file: file.path,
          firstLine: first.line,
          acquire: taken.callee,
          takenLine: taken.line,
        },
        related: [
          { file: file.path, line: taken.line, function: fn.name, messageId: 'taken', data: { acquire: taken.callee } },
          { file: file.path, line: first.line, function: fn.name, messageId: 'first', data: { release: first.callee } },
        ],
        key: `twice-always|${fn.name}|${first.callee}|${argsText(first)}`,
        repair: { callees: match.counterparts, functions: [fn.name] },
      });
      continue;
    }
    if (twice.nested) {
      const inner = second.guards[first.guards.length] as CGuard;
      ctx.report({
        at: { file: file.path, line: second.line, endLine: second.endLine, function: fn.name },
        messageId: 'twiceNested',
        data: {
          fn: fn.name,
          what: ctx.model.objectText(first) ?? (first.args.length === 1 ? `\`${(first.args[0] as string).trim()}\`` : 'it'),
          release: first.callee,
          args: first.args.join(', '),
          file: file.path,
          firstLine: first.line,
          inner: inner.negated ? `!(${inner.condition.normalized})` : inner.condition.normalized,
          innerLine: inner.condition.line,
        },
        related: [{ file: file.path, line: first.line, function: fn.name, messageId: 'first', data: { release: first.callee } }],
        key: `twice-nested|${fn.name}|${first.callee}|${argsText(first)}`,
        repair: { callees: match.counterparts, functions: [fn.name] },
      });
      continue;
    }
    if (!guard) continue;
    ctx.report({
      at: { file: file.path, line: first.line, endLine: first.endLine, function: fn.name },
      messageId: jumps ? 'twiceJumps' : breaks ? 'twiceBreaks' : 'twice',
      data: {
        fn: fn.name,
        what: ctx.model.objectText(first) ?? (jumps && first.args.length === 1 ? `\`${(first.args[0] as string).trim()}\`` : 'it'),
        release: first.callee,
        args: first.args.join(', '),
        condition: guard.negated ? `!(${guard.condition.normalized})` : guard.condition.normalized,
        file: file.path,
        secondLine: second.line,
        ...(jumps ? { label: jumps.label } : {}),
      },
      related: [{ file: file.path, line: second.line, function: fn.name, messageId: 'second', data: { release: second.callee } }],
      key: `twice${jumps ? '-jumps' : ''}|${fn.name}|${first.callee}|${guard.condition.normalized}`,
      repair: { callees: match.counterparts, functions: [fn.name] },
    });
  }
  const handedOn = summary.introduced(
    fn,
    file,
    (f) => releasedAfterHandedOn(ctx.model, ctx.pairs, f),
    (h, rename) => [`${rename(h.consumer.callee)}|handed-on|${rename(h.release.callee)}|${h.variable}`],
  );
  for (const h of handedOn) {
    ctx.report({
      at: { file: file.path, line: h.release.line, endLine: h.release.endLine, function: fn.name },
      messageId: 'afterHandedOn',
      data: {
        fn: fn.name,
        object: h.variable,
        release: h.release.callee,
        consumer: h.consumer.callee,
        file: file.path,
        consumerLine: h.consumer.line,
        acquire: h.taken.callee,
        takenLine: h.taken.line,
      },
      related: [
        { file: file.path, line: h.taken.line, function: fn.name, messageId: 'taken', data: { acquire: h.taken.callee } },
        { file: file.path, line: h.consumer.line, function: fn.name, messageId: 'handedOnHere', data: { consumer: h.consumer.callee } },
      ],
      key: `twice-handed-on|${fn.name}|${h.consumer.callee}|${h.release.callee}|${h.variable}`,
      repair: { callees: [h.release.callee], functions: [fn.name] },
    });
  }
  const tableRemoved = summary.introduced(
    fn,
    file,
    (f) => releasedAfterTableRemove(ctx.model, ctx.pairs, f, (f === fn ? file.post?.functions : file.pre?.functions) ?? []),
    (t, rename) => [`table-remove|${t.table}|${rename(t.release.callee)}|${t.variable}`],
  );
  for (const t of tableRemoved) {
    ctx.report({
      at: { file: file.path, line: t.release.line, endLine: t.release.endLine, function: fn.name },
      messageId: 'afterTableRemove',
      data: {
        fn: fn.name,
        object: t.variable,
        release: t.release.callee,
        remove: t.remove.callee,
        file: file.path,
        removeLine: t.remove.line,
        table: t.table,
        destroy: t.destroy.name,
        destroyLine: t.inner.line,
        inner: t.inner.callee,
        lookupLine: t.lookup.line,
      },
      related: [{ file: file.path, line: t.remove.line, function: fn.name, messageId: 'removedFromTable', data: { remove: t.remove.callee, destroy: t.destroy.name } }],
      key: `twice-table-remove|${fn.name}|${t.table}|${t.variable}`,
      repair: { callees: [t.release.callee], functions: [fn.name] },
    });
  }
  const byScope = summary.introduced(
    fn,
    file,
    (f) => releasedByScopeToo(ctx.model, ctx.pairs, f),
    (t, rename) => [`${rename(t.release.callee)}|scope|${t.variable}`],
  );
  for (const { acquire, release, variable } of byScope) {
    ctx.report({
      at: { file: file.path, line: release.line, endLine: release.endLine, function: fn.name },
      messageId: 'byScope',
      data: {
        fn: fn.name,
        variable,
        release: release.callee,
        declared: acquire.autoFreed ? 'g_autofree' : 'with a scope cleanup (g_autoptr(), g_auto())',
        acquire: acquire.callee,
        file: file.path,
        takenLine: acquire.line,
      },
      related: [{ file: file.path, line: acquire.line, function: fn.name, messageId: 'scopeHolds', data: { acquire: acquire.callee, variable } }],
      key: `twice-scope|${fn.name}|${release.callee}|${variable}`,
      repair: { callees: [release.callee, 'g_steal_pointer'], functions: [fn.name] },
    });
  }
  // the release slot of a pair whose acquire slot's failure skips it (`.unrealize` of `.realize`)
  // (or a helper of the file such a slot calls: `fx_sysbus_unrealize()` → `fx_common_unrealize(s)`)
  const releaseSlot = (name: string) =>
    (file.postSides ?? []).some(
      (p) =>
        p.kind === 'slot' && p.acquireSlot !== undefined && ctx.pairs.releaseSkippedOnFailure(p.acquireSlot) &&
        (p.release === name || (summary.post.lookup(p.release, file.path)?.fn.calls.some((c) => c.callee === name) ?? false)),
    );
  const afterFailure = summary.introduced(
    fn,
    file,
    (f) => releasedAfterFailure(ctx.model, ctx.pairs, summary, f, releaseSlot(f.name)),
    (a, rename) => [`${rename(a.release.callee)}|${a.field.replace(/\s+/g, '')}|${a.later.fn.name}`],
  );
  // ...and, for a function that runs after a failure (finalize) whose release of a field the commit adds, the error
  // paths of the file's functions the commit leaves alone that release that field and leave it set
  const unchanged = new Set((file.post?.functions ?? []).map((f) => f.name));
  for (const c of file.functionChanges()) unchanged.delete(c.name);
  const late = ctx.pairs.runsAfterFailure(fn.name)
    ? (file.post?.functions ?? [])
        .filter((f) => unchanged.has(f.name))
        .flatMap((f) => releasedAfterFailure(ctx.model, ctx.pairs, summary, f).map((a) => ({ ...a, in: f })))
        .filter((a) => a.later.fn === fn && file.added.has(a.again.line))
    : [];
  // (the acquire slot itself, or a helper it calls, not a callback it installs: `fx_realize()` → `fx_interrupt_setup()`)
  const calledFrom = (root: string, name: string) => {
    const seen = new Set<string>([root]);
    let frontier = [root];
    for (let depth = 0; depth < 4 && frontier.length > 0; depth++) {
      const next: string[] = [];
      for (const f of frontier) {
        for (const c of summary.post.lookup(f, file.path)?.fn.calls ?? []) {
          if (seen.has(c.callee) || !summary.post.has(c.callee)) continue;
          seen.add(c.callee);
          next.push(c.callee);
        }
      }
      frontier = next;
    }
    return seen.has(name);
  };
  const skipsAfterFailure = (acquirer: string, teardown: string) =>
    (file.postSides ?? []).some(
      (p) =>
        p.kind === 'slot' && (p.release === teardown || calledFrom(p.release, teardown)) && p.acquireSlot !== undefined && ctx.pairs.releaseSkippedOnFailure(p.acquireSlot) &&
        calledFrom(p.acquire, acquirer),
    );
  // the file's teardowns: release slots of realize-like pairs, and what runs also after a failure (finalize)
  const teardowns = summary.post.all().filter((p) => p.path === file.path && (releaseSlot(p.fn.name) || ctx.pairs.runsAfterFailure(p.fn.name)));
  const afterHelper = summary.introduced(
    fn,
    file,
    (f) => releasedAfterHelper(ctx.model, ctx.pairs, summary, f, file.path),
    (a, rename) => [`after-helper|${rename(a.helperCall.callee)}|${a.release.callee}|${argsText(a.release)}`],
  );
  for (const a of afterHelper) {
    if (!file.added.has(a.helperCall.line) && !file.added.has(a.release.line)) continue;
    ctx.report({
      at: { file: file.path, line: a.release.line, endLine: a.release.endLine, function: fn.name },
      messageId: 'afterHelper',
      data: {
        fn: fn.name,
        release: a.release.callee,
        args: argsText(a.release),
        object: (a.release.args[0] ?? '').trim(),
        helper: a.helperCall.callee,
        file: file.path,
        helperLine: a.helperCall.line,
        helperPath: a.helper.path,
        helperReleaseLine: a.inner.line,
      },
      related: [{ file: a.helper.path, line: a.inner.line, function: a.helper.fn.name, messageId: 'helperReleases', data: { helper: a.helper.fn.name, object: (a.inner.args[0] ?? '').trim(), release: a.inner.callee } }],
      key: `after-helper|${fn.name}|${a.helperCall.callee}|${a.release.callee}`,
      repair: { callees: [a.release.callee], functions: [fn.name] },
    });
  }
  const leftSet = teardowns.length === 0 ? [] : summary.introduced(
    fn,
    file,
    (f) => releasedLeftSet(ctx.model, ctx.pairs, f, teardowns, skipsAfterFailure),
    (a, rename) => [`left-set|${rename(a.release.callee)}|${a.field.replace(/\s+/g, '')}|${a.later.fn.name}`],
  );
  for (const { release, field, later, again } of leftSet) {
    // (an error path that finalize meets again is the after-failure form's, said below)
    if (afterFailure.some((a) => a.release === release)) continue;
    const test = again.guards.at(-1);
    ctx.report({
      at: { file: file.path, line: release.line, endLine: release.endLine, function: fn.name },
      messageId: 'leftSet',
      data: {
        fn: fn.name,
        field,
        release: release.callee,
        later: later.fn.name,
        laterPath: later.path,
        laterLine: again.line,
        when: test ? ctx.format('leftSetWhen', { condition: test.condition.normalized }) : '',
        clear: ctx.format(/(^|_)close(_|$)/.test(release.callee) ? 'clearDescriptor' : REMOVES_SOURCE.test(release.callee) ? 'clearTag' : 'clearPointer', { field }),
      },
      related: [{ file: later.path, line: again.line, function: later.fn.name, messageId: 'laterRelease', data: { later: later.fn.name } }],
      key: `left-set|${fn.name}|${release.callee}|${field}`,
    });
  }
  const reported = new Set<string>();
  for (const { release, field, later, again, in: at, alias } of [...afterFailure.map((a) => ({ ...a, in: fn })), ...late]) {
    if (reported.has(field)) continue;
    reported.add(field);
    const inSlot = releaseSlot(at.name) && !ctx.model.onErrorBranch(at, release);
    ctx.report({
      at: { file: file.path, line: release.line, endLine: release.endLine, function: at.name },
      messageId: alias ? 'afterFailureAlias' : inSlot ? 'beforeFinalize' : 'afterFailure',
      data: {
        fn: at.name,
        field,
        release: release.callee,
        later: later.fn.name,
        laterPath: later.path,
        laterLine: again.line,
        ...(alias ? { local: alias.local, file: file.path, storeLine: alias.line } : {}),
      },
      related: [{ file: later.path, line: again.line, function: later.fn.name, messageId: 'laterRelease', data: { later: later.fn.name } }],
      key: `after-failure|${at.name}|${release.callee}|${field}`,
    });
  }
}

export const releasedTwiceRule: Rule<NoOptions, keyof typeof MESSAGES> = {
  meta: {
    id: 'released-twice',
    messages: MESSAGES,
    category: 'pair',
    severity: 'warning',
    summary: 'A release that a second release of the same object follows: a block that falls through to it, or an error path and finalize',
    docs: {
      what:
        'A release (an unlock, an unref, a free, an unregister: from the pair table or learned from the code base) in a ' +
        'conditional block that neither leaves the function nor stops after it, while a later release of the same ' +
        'object (the same call with the same arguments) runs whenever the block does. Typically the commit deleted ' +
        'the `return` after the block\'s release when it turned the function into a void one. Not in loops (but for a ' +
        'release whose block then breaks out of the loop, while the code after the loop releases the same object again ' +
        'on that way and the function took it once, before the loop: `unlock(); break;` inside, `unlock();` after), not when ' +
        'the object is taken again or given another value on the way, not when it was taken twice before, and not ' +
        'when the pre-image already did so. Also the straight-line form: an unconditional release followed on the same ' +
        'path by the same release of the same object, which the function took once before both (or made once and stored ' +
        'there: `s->aux = FX_AUX(qdev_new(...))`), with no exit, label, ' +
        'call of a function of the program, store into the object or new acquire of that same object in between (a lock of another object does not count: ' +
        '`qemu_mutex_lock(&s->b)` between two unlocks of `s->a` is a copy-paste that kept the old name). The second ' +
        'release may be a call of a function the code base defines to release what it is handed there, on an object ' +
        'the function made once into a variable of its own (`dev = fx_dev_new(...); ...; object_unref(OBJECT(dev)); ...; ' +
        'fx_dev_realize_and_unref(dev, ...)`, whose body drops that reference again). ' +
        'Two rungs of an unwind ladder (labels after the last plain return, each falling into the next) that make the ' +
        'same release of the same object (the same arguments but amounts such as a size), only a label between them, ' +
        'the first rung jumped to: an exit to it releases the object twice, and the second rung\'s own object is never ' +
        'released (a rung copied from the one above). ' +
        'A release in a block that then jumps to a label (`g_free(buf); goto fail;`) whose code releases the same ' +
        'object again with the same call before it returns (under no test but those around both, or only tests of the object itself, which ' +
        'its stale value passes), nothing on the way taking it again or giving it another value. ' +
        'And the same release of the same object twice in a row with nothing between them, under the same tests (in a ' +
        'loop, the same pass), in a function that never takes it: a teardown line copied and not edited ' +
        '(`fx_bar_del(&s->bar, &s->a)` twice, `&s->b` never removed); not for references and counts ' +
        '(an unref, put or dec, whose second drop may be owed). Also apart, with other work between the two (timers ' +
        'freed, fields cleared) on the same straight path, when nothing between them leaves, calls a function of the ' +
        'program, makes the acquire of the pair or stores into the object. ' +
        'And a run of three or more sibling `if` blocks, one per object, each releasing with the same call, in which ' +
        'two blocks release the same object (`if (bars[CMD] & VALID) del(&s->cmd_mmio); ... if (bars[DOORBELL] & VALID) ' +
        'del(&s->ring_mmio);`): a block copied from the one before that kept its object. Not when the two tests never ' +
        'hold together (`mode == A`, `mode == B`), when the earlier block leaves, or when the function takes the object ' +
        'itself; the message names the object the later test seems to be about when the file takes one on the same ' +
        'base that no block releases. ' +
        'Also: a field released on an error path (a table release, or a call with a ' +
        'release verb: `error_free(s->blocker)`) and left set, while a function that runs also after the failure ' +
        '(instance finalize) releases the same field with the same call; the error path may be the branch of a failed ' +
        'call handed the function\'s `Error **` (`if (fx_load(s, errp)) { g_free(s->buf); }` for a function answering with ' +
        'a status), and the commit may add either release: also the one in finalize, left to the error path it meets. ' +
        'The same for a field the release slot of a pair whose acquire slot\'s failure skips it (`.unrealize`) frees, ' +
        'destroys, closes or unrefs under no test and leaves set (`timer_free(s->t)`; not `timer_del()`, harmless twice), ' +
        'while instance finalize, which runs after it whenever the instance goes away, releases it again with the same call. ' +
        'And a field any other function of the file (an event handler) disposes of and leaves set (`close(s->fd); break;`, ' +
        'or a GLib source removed by its tag, `g_source_remove(s->watch)`, the tag left non-zero), ' +
        'while a teardown of the file (that release slot, or finalize) disposes of it again with the same call, under no ' +
        'test or under a test of the field\'s own value (`if (s->fd > 0)`), which the stale value passes; not an error path ' +
        'of the acquire slot whose failure skips that teardown (a failed `.realize` is never unrealized). ' +
        'And the other way round: a call of a function the code base defines to release what it is handed there, whose ' +
        'name ends with the release\'s own verb (`fx_dev_realize_and_unref(dev, ...)`), then that release of the same ' +
        'variable on a path from it (`object_unref(OBJECT(dev))` in its failure branch, or in the code of the label its ' +
        'failure jumps to, under no test, before that code returns), on what the function made once ' +
        'before with an acquire whose counterpart is that release, with nothing between giving the variable another ' +
        'value or taking another reference. ' +
        'And a release under a test, then the same release of the same object in a block nested under that test after ' +
        'it (a failure branch: `object_unref(o); if (!fx_attach(o, errp)) { object_unref(o); return; }`), on what the ' +
        'function took or made once before, with nothing between taking it again, leaving or giving it another value. ' +
        'And a value held in a variable its scope releases (`g_autoptr(Object) o = object_new(...)`, `g_autofree`) that ' +
        'the function also releases by hand with the acquire\'s counterpart (for `g_autofree`, a heap free) handed the ' +
        'variable, when nothing after that gives the variable another value (`o = NULL;`) and no call was handed its ' +
        'address before (`g_steal_pointer(&o)`): the scope releases it a second time when the function leaves (also a ' +
        'variable of the function\'s body declared empty and filled in a branch, `g_autofree int *refs = NULL; ... refs = ' +
        'g_new(...);`, freed under no test past that branch). When the release checks for itself (its definition returns at once, or does all it does, when what it is handed is not there), the message says the second call releases nothing and the object it was meant for stays held. ' +
        'Also a call of a helper of the program whose body gives back one of its parameters, whole, with a release of ' +
        'the table under no test (`fx_fs_delete_queues(vdev, fs)` ending in `fx_cleanup(vdev)`), then the same release ' +
        'of the same object by hand on the same way, with nothing between that leaves, takes it again or calls another ' +
        'function of the program: a teardown moved into a helper whose old line stayed behind. ' +
        'A value found in a hash table (`hd = g_hash_table_lookup(s->devs, key)`), removed from it (`g_hash_table_remove(s->devs, key)`) and released after (`object_unref(hd)`), where the file made the table with a value destroy function whose body releases its argument with a release of the same word: the removal released it already. Not when the function takes a reference of its own in between. ' +
        'A release of a variable a field was given on the way (`handle = g_malloc0(n); b->conn = handle;`) on an error path that leaves the field holding it, where a function that runs also after the failure (instance finalize) releases the field with the same call. ' +
        'A helper a release slot calls counts as the slot (`fx_sysbus_unrealize()` → `fx_common_unrealize(s)`), and a helper an instance finalize calls, two calls deep, as the finalize (`fx_finalize()` → `fx_uninit(s)`).',
      why:
        'The block\'s path releases twice: a second unlock of a mutex QEMU does not hold aborts or corrupts the lock; a ' +
        'second unref or free is a use after free. Error paths are where this hides: they run rarely, and the block ' +
        'looks complete on its own.',
      fix: 'Leave after the first release (`return;`, or a `goto` to a label past the second), or drop the first and let the path reach the second; for a copied line, release the object it was meant for.',
      bad: [
        'static void fx_pool_add_block(FxPoolBlock *blk, Error **errp)',
        '{',
        '    fx_pool_lock();',
        '    blk->mem = fx_pool_alloc(blk->size);',
        '    if (!blk->mem) {',
        '        error_setg_errno(errp, errno, "cannot allocate a pool block");',
        '        fx_pool_unlock();',
        '-       return -1;',
        '    }',
        '    fx_pool_insert(blk);',
        '    fx_pool_unlock();',
        '}',
      ].join('\n'),
      good: [
        '    if (!blk->mem) {',
        '        error_setg_errno(errp, errno, "cannot allocate a pool block");',
        '        fx_pool_unlock();',
        '        return;',
        '    }',
      ].join('\n'),
    },
  },
  create(context) {
    return {
      changedFunction(file, change) {
        if (file.post) checkFunction(context, file, change);
      },
    };
  },
};
