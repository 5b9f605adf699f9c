/**
 * held-on-exit: a commit adds an exit (return, goto, break out of a loop, continue) between an acquire and
 * its release inside one function, and the exit does not release: the lock,
 * RCU read section, in-flight count, file descriptor or buffer is still held
 * when the function leaves that way, while its normal path releases it.
 */
import type { CCall, CCondition, CExit, CFunction, CGuard, CStore } from '../src/cmodel/types.js';
import type { NoOptions, Rule, RuleContext } from '../src/rule/rule.js';
import type { PairTable, PrimitiveMatch } from '../src/pairs/table.js';
import type { ChangedFile, FunctionChange, ModelService } from '../src/rule/model.js';

const TAIL =
  'while it still holds what {{acquire}}() took at ' +
  '{{file}}:{{acquireLine}}; its normal path releases it with {{release}}() ({{file}}:{{releaseLine}}). ' +
  'Call {{release}}() before this exit too, or jump to the code that does.';

const COUNT_TAIL =
  'while `{{object}}` is still raised by the `{{object}}++` at {{file}}:{{acquireLine}}; its normal path lowers it ' +
  'again (`{{object}}--`, {{file}}:{{releaseLine}}), so this path leaves the count one too high. ' +
  'Lower it before this exit too, or jump to the code that does.';

const MESSAGES = {
  selfKept:
    '{{fn}}() now {{exit}} when {{when}} before {{release}}() gives back `{{object}}` ({{file}}:{{releaseLine}}), the ' +
    'registration of {{fn}}() itself that {{acquirer}}() made with {{acquire}}() ({{acquirePath}}:{{acquireLine}}): the ' +
    'callback gives back its own registration when it runs, and on this way it keeps it (the {{acquire}}() object stays, ' +
    'and `{{object}}` still points at it for every test of it). Give it back before this exit too, or leave after it.',
  opaqueKept:
    '{{fn}}() now {{exit}} when {{when}} before {{release}}() gives back `{{object}}` ({{file}}:{{releaseLine}}), what ' +
    '{{acquirer}}() made with {{acquire}}() ({{acquirePath}}:{{acquireLine}}) and handed it with its registration: the ' +
    'callback is the one that gives it back, and on this way nobody does. Give it back before this exit too, or leave ' +
    'after it.',
  flagLeftSet:
    '{{fn}}() now {{exit}} when {{when}} while `{{object}}` is still set by the `{{object}} = {{value}}` at {{file}}:{{setLine}}; ' +
    'its normal path clears it again ({{file}}:{{clearLine}}), and {{fn}}() checks it is clear before it sets it ' +
    '({{file}}:{{entryLine}}): after this exit every later call finds it set. Clear it before this exit too, or jump to ' +
    'the code that does.',
  flagSetHere: '`{{object}}` is set here',
  registeredHere: '{{acquirer}}() registers {{fn}}() here with {{acquire}}()',
  handedHere: '{{acquirer}}() hands `{{object}}` to {{fn}}() here',
  flagClearedHere: '`{{object}}` is cleared here, on the normal path',
  held: `{{fn}}() now {{exit}} ${TAIL}`,
  heldWhen: `{{fn}}() now {{exit}} when {{when}} ${TAIL}`,
  heldIfTaken:
    '{{fn}}() now {{exit}} when {{when}} while it still holds what {{acquire}}() took at {{file}}:{{acquireLine}} ' +
    'whenever {{taken}} held; its normal path frees it with {{release}}() ({{file}}:{{releaseLine}}) whatever was ' +
    'taken. Call {{release}}() before this exit too, or jump to the code that does.',
  consumed:
    '{{fn}}() now {{exit}} when {{when}} without {{release}}() of `{{object}}`, which it was handed (`{{param}}`) and gives ' +
    'back itself on its normal path ({{file}}:{{releaseLine}}): on this path nobody frees it. Call {{release}}() before ' +
    'this exit too, or jump to the code that does.',
  releaseRemoved:
    '{{fn}}() no longer calls {{release}}() on `{{object}}` (it did at {{file}}:{{preLine}} before this commit), but ' +
    'still takes it with {{acquire}}() at {{file}}:{{acquireLine}}, and nothing else in the function gives it back or ' +
    'hands it to a call that keeps it: every call of {{fn}}() that takes it now leaks it. Keep the {{release}}(), or say in the commit message what ' +
    'releases it now.',
  releaseGuarded:
    '{{fn}}() now calls {{release}}() on `{{object}}` only when `{{condition}}` ({{file}}:{{testLine}}), where before this ' +
    'commit it did whenever {{acquire}}() had taken it ({{file}}:{{preLine}}); {{acquire}}() still takes it at ' +
    '{{file}}:{{acquireLine}} whatever the test will say, and when the test fails the function goes on past the block without giving ' +
    'it back or handing it on: it leaks. Release it on that path too (before the test, or in an else).',
  abandoned:
    '{{fn}}() now {{exit}} when {{when}} after {{acquire}}() took `{{object}}` ({{file}}:{{acquireLine}}), without ' +
    '{{release}}() and without handing it on as its success path does (`{{handOff}}`, {{file}}:{{handLine}}): its ' +
    'caller sees the failure and never gets `{{object}}`, so nothing gives it back. Call {{release}}() on it before ' +
    'this exit.',
  abandonedReference:
    '{{fn}}() now {{exit}} when {{when}} after {{acquire}}() took a reference on `{{object}}` ({{file}}:{{acquireLine}}), ' +
    'without {{release}}() and before handing `{{object}}` on (`{{handOff}}`, {{file}}:{{handLine}}), which is what ' +
    'the reference was taken for: on this path nothing drops it. Call {{release}}() on it before this exit, or take ' +
    'the reference after the test.',
  handedOnHere: '{{fn}}() hands `{{object}}` on here, on its success path',
  consumedField:
    '{{fn}}() now {{exit}} when {{when}} without {{release}}() of `{{object}}`, which it frees and clears itself on its ' +
    'normal path ({{file}}:{{releaseLine}}), a buffer the object holds only until {{fn}}() has used it: on this path ' +
    '{{fn}}() returns with `{{object}}` still holding it. Call {{release}}() and clear it before this exit too, or jump ' +
    'to the code that does.',
  owed:
    '{{fn}}() now {{exit}} when {{when}} without {{release}}() on `{{object}}`, which its normal path makes at ' +
    '{{file}}:{{releaseLine}} on what it was handed (`{{param}}`): what was taken for it before it was handed over (a ' +
    'reference, a count) is never given back on this path. Call {{release}}() before this exit too, or jump to the code that does.',
  droppedHeld:
    '{{fn}}() now {{exit}} when {{when}} after {{release}}() at {{file}}:{{releaseLine}} let go of what it held on ' +
    'entry and before {{acquire}}() at {{file}}:{{acquireLine}} takes it back: on this path it returns without ' +
    'it{{under}}, while its caller still counts on holding it. Call {{acquire}}() before this exit too, or jump to the code that does.',
  // when the letting go is conditional ({{under}} above)
  whenDropped: ' whenever `{{condition}}` held',
  partial:
    '{{fn}}() now {{exit}} when {{when}} after {{done}}() on its way out, as the code after it does, but without ' +
    '{{missing}}() of `{{object}}` ({{file}}:{{missingLine}}), which that code runs too: the new exit copies part of ' +
    "the teardown and leaves {{missing}}() out, so what it undoes stays held. Call {{missing}}() here too.",
  orphanedMember:
    '{{fn}}() now {{exit}} when {{when}} after freeing `{{container}}` with {{free}}(), while `{{member}}` still holds ' +
    'what {{acquire}}() allocated at {{file}}:{{acquireLine}}: once `{{container}}` is gone nothing can free that, so ' +
    'it leaks. The member is owned: {{teardown}}() frees it itself (`{{release}}({{evidence}})`, {{evidencePath}}:{{evidenceLine}}). ' +
    'Call `{{release}}({{member}})` before freeing `{{container}}` here too.',
  orphanedRef:
    '{{fn}}() now {{exit}} when {{when}} after freeing `{{container}}` with {{free}}(), while `{{member}}` holds ' +
    '`{{variable}}`, which {{acquire}}() took at {{file}}:{{acquireLine}}: once `{{container}}` is gone nothing gives ' +
    'that back. The member is owned: {{teardown}}() gives it back itself (`{{release}}({{evidence}})`, ' +
    '{{evidencePath}}:{{evidenceLine}}). Call `{{release}}({{variable}})` before freeing `{{container}}` here too.',
  memberTaken: '{{acquire}}() takes `{{variable}}` here, which `{{member}}` is given',
  memberReleasedThere: '{{teardown}}() gives the same member back here',
  siblingFreed:
    '{{fn}}() now keeps a heap buffer from {{acquire}}() in `{{variable}}` ({{file}}:{{acquireLine}}) and never ' +
    'frees it, while it frees `{{sibling}}`, which it fills the same way and hands to the same {{shared}}() ' +
    '({{file}}:{{releaseLine}}): that call does not keep what it is handed, so `{{variable}}` leaks{{each}}. ' +
    'Free `{{variable}}` as `{{sibling}}` is freed (or declare it g_autofree).',
  // where the buffer leaks ({{each}} above)
  eachPass: ' on every pass of the loop',
  siblingFreedHere: '`{{sibling}}` is freed here',
  countHeld: `{{fn}}() now {{exit}} ${COUNT_TAIL}`,
  countHeldWhen: `{{fn}}() now {{exit}} when {{when}} ${COUNT_TAIL}`,
  // the exit's condition ({{when}} above)
  condition: '`{{condition}}`',
  conditionFalse: '`{{condition}}` is false',
  // related locations
  taken: '{{callee}}() is taken here',
  raised: '`{{object}}` is raised here',
  givenBack: '{{fn}}() gives `{{object}}` back here, on its normal path',
  owedHere: '{{fn}}() calls {{release}}() here, on its normal path',
  letGo: '{{release}}() lets it go here',
  takenBack: '{{acquire}}() takes it back here, on the normal path',
  lowered: '`{{object}}` is lowered here, on the normal path',
  releasedNormally: '{{release}}() releases it here, on the normal path',
  stillTaken: '{{callee}}() still takes it here',
  teardownHere: '{{missing}}() of `{{object}}` here, in the code the new exit leaves out',
  memberAllocated: '`{{member}}` is allocated here',
  memberFreedThere: '{{teardown}}() frees the same member here',
};

type Ctx = RuleContext<NoOptions, keyof typeof MESSAGES>;

const squeeze = (t: string) => t.replace(/\s+/g, '');
const escapeRegExp = (t: string) => t.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&');

interface Held {
  acquire: CCall;
  match: PrimitiveMatch;
  exit: CExit;
  release: CCall;
  /** the calls the exit's condition tests (testedCalls) */
  tests: string[];
  /** the test under which the acquire ran, for a buffer held only when it held (NULL otherwise, and freed anyway) */
  takenUnder?: CGuard;
}

/**
 * The calls a condition tests: those it makes, else those whose results it
 * reads (`ret = f(); if (ret < 0)` tests f as `if (f() < 0)` does).
 */
function testedCalls(model: ModelService, fn: CFunction, cond: CCondition | undefined): string[] {
  if (!cond) return [];
  if (cond.callees.length > 0) return cond.callees;
  const out: string[] = [];
  for (const name of cond.identifiers ?? cond.names) {
    // the value itself (`ret < 0`), not a field of it (`cmd->type == X` tests the command, not whether the call worked)
    if (!model.testsValueItself(cond.normalized, name)) continue;
    let last: CCall | undefined;
    for (const c of fn.calls) if (c.line < cond.line && c.result?.trim() === name && (!last || c.line > last.line)) last = c;
    if (last) out.push(model.calleeBase(last.callee));
  }
  return out;
}

/** Is a test only that `v` holds something (`v`, `v != NULL`, `v >= 0`)? */
const valueTest = (text: string, v: string): boolean =>
  new RegExp(`^(${v}|${v}\\s*!=\\s*NULL|NULL\\s*!=\\s*${v}|${v}\\s*>=\\s*0|${v}\\s*!=\\s*-1)$`).test(text.replace(/^\((.*)\)$/, '$1').trim());

const word = (text: string, w: string) => new RegExp(`(^|[^A-Za-z0-9_])${w.replace(/[^A-Za-z0-9_]/g, '\\$&')}([^A-Za-z0-9_]|$)`).test(text);

/** Is the exit the acquire's own failure (`fd = open(...); if (fd < 0) return`, `if (!lock_try(...))`)? */
function failureOf(model: ModelService, fn: CFunction, acquire: CCall, exit: CExit, filled?: string): boolean {
  const guard = exit.guards[exit.guards.length - 1];
  if (!guard) return false;
  const cond = guard.condition;
  if (acquire.line >= cond.line && acquire.line <= cond.endLine) return true;
  // inside the block of a test that a member of the structure it returned by value is empty, read through a copy
  // (`mr = section.mr; if (!mr) { ... return; }`): nothing was taken, whatever the inner tests say
  for (const x of acquire.memberCopies ?? []) {
    const empty = new RegExp(`^(!\\s*${x}|${x}\\s*==\\s*NULL|NULL\\s*==\\s*${x})$`);
    if (exit.guards.some((g) => !g.negated && g.condition.line > acquire.line && empty.test(g.condition.normalized.trim()))) return true;
  }
  // `fx_read_str(v, &ptr, &local_err); if (local_err)`: a test of the error the acquire itself set,
  // when no call in between was handed the same error
  const errArg = acquire.args.map((x) => x.replace(/\s+/g, '')).find((x) => /^(errp|&\w*err\w*)$/.test(x));
  if (errArg !== undefined && (cond.identifiers ?? cond.names).includes(errArg.replace(/^&/, ''))) {
    const setsItToo = fn.calls.some((c) => c !== acquire && c.line > acquire.line && c.line <= cond.endLine && c.args.some((x) => x.replace(/\s+/g, '') === errArg));
    if (!setsItToo) return true;
  }
  // a filled-in variable fails when it is tested for NULL (not when a later call reads it: `sscanf(contents, ...)`)
  if (filled !== undefined && new RegExp(`^(!\\s*${filled}|${filled}\\s*==\\s*NULL|NULL\\s*==\\s*${filled})$`).test(cond.normalized.trim())) return true;
  // the value itself: `elem->out_num` or `fx_len(elem)` use what the call produced, so it succeeded
  // (a structure returned by value: `!section.mr` for `section = fx_region_find(...)`)
  // (not when a later call filled the same variable first: `ret = fx_alloc(&b); ...; ret = fx_query(&b); if (ret)`
  // tests the query)
  const value = acquire.result?.trim();
  if (value === undefined || fn.calls.some((c) => c !== acquire && c.line > acquire.line && c.line <= cond.endLine && c.result?.trim() === value)) return false;
  // (every alternative of an `||` test must be about the acquire, its value or what it filled through an address:
  // `!rptr || rlen != len || !wptr` also leaves when the other mapping failed, holding this one)
  if (!guard.negated) {
    const own = [value, ...acquire.args.map(squeeze).filter((x) => /^&\w+$/.test(x)).map((x) => x.slice(1))];
    const alternatives = model.disjuncts(cond.text);
    if (alternatives.length > 1 && alternatives.some((t) => !own.some((o) => word(t, o)))) return false;
  }
  // (not a comparison with another object: `mrs.mr != mr` holds for a region found that is another one, taken all the same)
  const members = [...cond.text.matchAll(new RegExp(`(?<![A-Za-z0-9_>.])${value.replace(/\W/g, '')}\\s*\\.\\s*\\w+`, 'g'))].map((m) => m[0]);
  if ([value, ...members].every((v) => !model.testsValueItself(cond.text, v.replace(/\s+/g, '')) || model.comparedWithAnotherObject(cond.text, v))) return false;
  return model.testsValueItself(cond.text, value.replace(/\s+/g, '')) || model.testsReturnedMember(cond.text, acquire);
}


/**
 * Does the exit return what a call made of the acquired object: the variable a call between the
 * acquire and the exit filled, handed that object (the callee takes it over on success)?
 */
function madeOf(fn: CFunction, acquire: CCall, exit: CExit, objects: readonly string[]): boolean {
  const value = (exit.value as string).trim();
  if (!/^\w+$/.test(value)) return false;
  return fn.calls.some(
    (c) => c.line > acquire.line && c.line < exit.line && c.result?.trim() === value && c.args.some((x) => objects.some((o) => word(x, o))),
  );
}

/**
 * Does every guard of a release also guard the acquire: the same test, or the same test repeated (`if (lock) {
 * qemu_mutex_lock(lock); } ... if (lock) { qemu_mutex_unlock(lock); }`) on plain variables the function does not
 * assign in between and with no call in it, so both tests read the same value?
 */
function guardsRepeat(fn: CFunction, guards: readonly CGuard[], acquire: CCall): boolean {
  return guards.every((g) =>
    acquire.guards.some((o) => {
      if (o.negated !== g.negated) return false;
      // (two cases of one switch are not the same test: `case OPENED:` code does not run for `case CLOSED:`)
      if (o.condition === g.condition) return !o.caseValues?.length || !g.caseValues?.length || o.caseValues.some((v) => (g.caseValues as string[]).includes(v));
      const c = g.condition;
      if (c.kind !== 'if' || c.callees.length > 0 || c.normalized !== o.condition.normalized || c.names.some((n) => !(c.identifiers ?? []).includes(n))) return false;
      const between = (line: number) => line > o.condition.line && line < c.line;
      return !fn.stores.some((st) => between(st.line) && (c.identifiers ?? []).includes(st.target.trim()));
    }),
  );
}

const TRUE_VALUE = /^(true|1)$/;
const FALSE_VALUE = /^(false|0)$/;

/**
 * Is `g` a test of a local flag that records the acquire (`bool started = false; ... fx_start(s); started = true;
 * ... if (started) { fx_end(s); }`): declared false, set true only after the acquire and inside its block, never
 * set to anything but a literal? A release under that test runs whenever the acquire ran, as one under the
 * acquire's own test does.
 */
function flagRecords(model: ModelService, fn: CFunction, g: CGuard, acquire: CCall): boolean {
  const flag = g.condition.normalized.trim();
  if (g.negated || g.condition.kind !== 'if' || g.condition.callees.length > 0 || !/^\w+$/.test(flag)) return false;
  const gate = fn.gates.find((x) => x.flag === flag);
  if (!gate || !FALSE_VALUE.test(gate.initValue?.trim() ?? '')) return false;
  const sets = gate.assignments.filter((x) => !x.operator);
  if (sets.length !== gate.assignments.length || sets.some((x) => !TRUE_VALUE.test(x.value.trim()) && !FALSE_VALUE.test(x.value.trim()))) return false;
  const raised = sets.filter((x) => TRUE_VALUE.test(x.value.trim()));
  return raised.length > 0 && raised.every((x) => x.line > acquire.endLine && model.guardsCover(acquire.guards, x.guards));
}

/** A field's count raised and lowered again (the C model records `s->n++` as a call of `++` on `s->n`). */
/** Releases that end a use of an object rather than the object: it lives on past them. */
const ENDS_A_USE = /(^|_)(unlock|end|stop|dec|disable|leave|unblock|resume)(_|$)/;

const COUNT: PrimitiveMatch = { pair: { acquire: ['++'], release: ['--'], what: 'count' }, role: 'acquire', counterparts: ['--'], fromFamily: false };

/**
 * Does the release lead straight to a failure return: the first return after it in its own block gives back
 * `false`, `NULL` or a negative error (`if (fx_populate(d, errp)) { return true; } fx_detach(d); return false;`), or
 * a status the function returned early on success (`if (ret == 0) { return 0; } fx_detach(d); return ret;`)?
 * Then it undoes a failed attempt, and the function's success is the other way out.
 */
function leadsToFailure(model: ModelService, fn: CFunction, release: CCall): boolean {
  const next = fn.exits
    .filter((e) => e.line > release.endLine && e.kind === 'return' && e.guards.length === release.guards.length && model.guardsCover(release.guards, e.guards))
    .sort((a, b) => a.line - b.line)[0];
  if (next?.value === undefined) return false;
  const value = next.value.trim();
  if (FAILURE_RETURN.test(value)) return true;
  // a status the function returned early when it said success (`if (ret == 0) { return 0; } ... unwind; return ret;`):
  // what it returns after the release is the failure
  if (!/^\w+$/.test(value)) return false;
  const success = new RegExp(`^(${value}\\s*==\\s*0|!\\s*${value}|${value}\\s*>=\\s*0)$`);
  return fn.exits.some((e) => e.kind === 'return' && e.line < release.line && e.guards.some((g) => !g.negated && success.test(g.condition.normalized.trim())));
}

/** A return value that tells the caller the function failed: `false`, `NULL`, a negative error. */
const FAILURE_RETURN = /^(false|NULL|-\s*(E[A-Z0-9]+|\d+))$/;

/**
 * Exits of `fn` taken between an acquire and its release in `fn`, with nothing
 * released on the way: read off the function's per-path balance (src/model/paths.ts).
 */
function heldExits(model: ModelService, table: PairTable, fn: CFunction): Held[] {
  const out: Held[] = [];
  // the variable a call filled in a heap buffer through
  const filled = new Map<CCall, string>();
  const paths = model.functionPaths(
    fn,
    (acquire) => {
      // a call through a slot whose name pairs with another slot (`ops->lock(s)` ... `ops->unlock(s)`) counts when
      // the function itself makes that release on its normal path (below)
      // a count the function raises (`s->inflight++`) and lowers again later on its normal path (below)
      if (acquire.callee === '++') return COUNT;
      let match = table.anyPrimitive(acquire.callee) ?? table.slotCall(acquire.callee);
      // a wrapper of the program that returns what an acquire made (`name = fx_type_name(model)` around
      // g_strdup_printf), kept in the function's own variable: the caller owns what it returns
      if (!match && acquire.resultLocal === true && acquire.result !== undefined) match = table.wrappedAcquire(acquire.callee);
      if (!match) {
        // a call that fills in a heap buffer through a variable's address the function frees later (model.filledHeapVariable)
        const heap = model.filledHeapVariable(fn, acquire);
        if (heap) {
          filled.set(acquire, heap.variable);
          match = heap.match;
        }
      }
      if (!match || match.role !== 'acquire' || acquire.autoReleased) return null;
      // a heap allocation (the table's entry counts only with lists) when the function's own variable holds it
      if (match.pair.onlyWithList && !acquire.resultLocal) return null;
      // a value stored in a field belongs to the object, whose teardown may release it
      if (acquire.result !== undefined && /->|\./.test(acquire.result)) return null;
      // a value in the function's own frame (returned by value, released through its address) holds nothing outside it
      // (unless the function kept a copy of it to give back: `head = iov;`, then `iov` is moved on through its address)
      if (
        acquire.result !== undefined &&
        fn.calls.some((c) => c.line > acquire.line && c.args.some((a) => a.replace(/\s+/g, '') === `&${(acquire.result as string).trim()}`)) &&
        model.copiesOf(fn, acquire.result.trim(), acquire.line).length === 0
      )
        return null;
      return match;
    },
    (acquire, match, later) => {
      const variable = filled.get(acquire);
      const same = (c: CCall) => (variable !== undefined ? c.args[0]?.trim() === variable : model.releasesSameObjectWithin(acquire, c));
      // what only the function's own variable holds is also given back by a call handed it whose name is the
      // acquire's stem with a release verb (`fx_queue_detach(q, elem)` for `elem = fx_queue_pop(q)`): the table
      // need not list every way back. A heap
      // free (`g_free(elem)`) gives back the memory, not what the acquire took from its source.
      const local = acquire.resultLocal && acquire.result !== undefined && /^\w+$/.test(acquire.result.trim()) ? acquire.result.trim() : null;
      const disposes = (c: CCall) => local !== null && c.args.some((x) => x.trim() === local) && table.stemRelease(acquire.callee, c.callee) && !table.isHeapRelease(c.callee);
      // heap memory in the function's own variable is given back by any free of its kind, not only g_free()
      // (`paths = fx_node_paths(...)` around g_new(), then `g_strfreev(paths)`)
      const heap = local !== null && match.pair.acquire.some((a) => table.isHeapAllocation(a));
      // (or a copy of it: `struct iovec *head = iov;` kept to free after `iov` moved on)
      const copies = local !== null ? model.copiesOf(fn, local, acquire.line) : [];
      const freed = (c: CCall) => heap && (c.args[0]?.trim() === local || copies.includes(c.args[0]?.trim() ?? '')) && table.freesHeapValue(c.callee);
      // (either way: a call after which the function still hands the object to other calls on its way, not to
      // another release nor to a trace, gives nothing back: it put something into it (`qdict_put_str(qdict, "driver", ...)` before
      // `fx_opts_from_qdict(..., qdict, ...)`, a put named like a release))
      // (the value the acquire made, when it makes one: not the queue it was taken from)
      const objects = (acquire.result !== undefined ? [acquire.result] : model.acquiredObjectTexts(acquire)).map(squeeze);
      const onWay = (c: CCall, at: { line: number; guards: CGuard[] }) => model.mayHoldAt(fn, c, { kind: 'return', line: at.line, guards: at.guards, inLoop: c.inLoop });
      // (not a release that only ends a use of an object that lives on, an unlock, an end, a stop: the function
      // goes on writing to the state it unlocked (`fx_unlock_output(vs); fx_flush(vs);`))
      const stillUsed = (c: CCall) =>
        !ENDS_A_USE.test(c.callee) &&
        fn.calls.some(
          (d) =>
            d.line > c.endLine && !table.hasReleaseVerb(d.callee) && !table.isNonResource(d.callee) && d.args.some((x) => objects.includes(squeeze(x))) && onWay(c, d),
        ) ||
        // (or stored on the way: `d.dirty_map = bmap;` after `bitmap_clear(bmap, 0, n)` cleared some of its bits)
        fn.stores.some((st) => st.line > c.endLine && objects.includes(squeeze(st.value)) && onWay(c, st));
      // (heap memory too is given back by a call of a function the code base defines to release what it is handed
      // there: `fx_wait_and_free(ctx)`)
      const handedToDisposer = (c: CCall) => heap && c.args.some((x, k) => (x.trim() === local || copies.includes(x.trim())) && table.releasesArgument(c.callee, k));
      return later.filter((c) => (((match.counterparts.includes(c.callee) && same(c)) || disposes(c)) && !stillUsed(c)) || freed(c) || handedToDisposer(c));
    },
  );
  for (const a of paths.acquires) {
    const { call: acquire, match, releases } = a;
    const last = releases[releases.length - 1];
    if (!last) continue;
    // The function holds it only for a while: its normal path releases it whenever it was taken (an
    // unlock at the end, an unwind label the success path runs through too). A release on an error
    // branch only means success hands it on (a notifier kept for the device's life).
    // (a test of the value itself around the release, `if (file) { ... fclose(file); }`, is the acquire's success)
    // (or one it fills through its address: `g_file_get_contents(name, &buf, ...)`, then `if (buf != defaults) g_free(buf)`)
    const own = acquire.resultLocal === true && acquire.result !== undefined && /^\w+$/.test(acquire.result.trim()) ? acquire.result.trim() : (filled.get(acquire) ?? null);
    const ownTest = (g: CGuard) => own !== null && !g.negated && g.condition.kind === 'if' && (valueTest(g.condition.normalized, own) || new RegExp(`^${own}\\s*!=\\s*\\w+$`).test(g.condition.normalized.trim()));
    // (a test of a local flag set right after the acquire, `if (started)`, is the acquire's own test too)
    const normal = releases.filter(
      (r) => guardsRepeat(fn, r.guards.filter((g) => !ownTest(g) && !flagRecords(model, fn, g, acquire)), acquire) && !model.onErrorPath(fn, r.line, acquire),
    );
    if (normal.length === 0) continue;
    // the normal release repeats the acquire's test rather than standing inside it
    const repeatsTest = normal.some((r) => r.guards.length > 0 && r.guards.every((g) => g.condition.kind === 'if') && !model.guardsCover(r.guards, acquire.guards));
    const variable = filled.get(acquire);
    const objects = variable !== undefined ? [variable] : model.acquiredObjectTexts(acquire);
    // a heap buffer in the function's own variable, set to NULL before the acquire (`unsigned long *bmap = NULL;`)
    const startsEmpty =
      own !== null && match.pair.acquire.some((x) => table.isHeapAllocation(x)) &&
      fn.statements.some((st) => st.line <= acquire.line && new RegExp(`(^|[\\s,*(])${own}\\s*=\\s*NULL\\b`).test(st.normalized));
    for (const path of paths.exits) {
      const exit = path.exit;
      // the exits reached only after the acquire ran, before its last release, with nothing released on the way
      // (a goto's way goes on after its label, through the labels that code jumps on to: goto chains)
      // (or an acquire under a test the normal release repeats, `if (lock) { lock(lock); } ... if (lock) { unlock(lock); }`,
      // which the path model cannot call certain: an exit between the two that tests nothing of it holds it whenever
      // the test held)
      const repeated =
        !path.held.includes(a) && exit !== null && exit.kind === 'return' && repeatsTest && acquire.guards.length > 0 && acquire.guards.every((g) => g.condition.kind === 'if') &&
        model.mayHoldAt(fn, acquire, exit) && !releases.some((r) => r.line < exit.line) && exit.guards.every((g) => !acquire.guards.some((o) => o.condition === g.condition));
      // (or a heap buffer the function's own variable holds, NULL until a test's block allocates it, `if (unaligned) {
      // bmap = bitmap_new(n); }`, and freed at the end whatever happened, `g_free(bmap)`: an exit between, past that
      // block, leaves holding it whenever the test held)
      const takenUnder =
        !path.held.includes(a) && !repeated && exit !== null && exit.kind === 'return' && startsEmpty && acquire.guards.length > 0 &&
        model.mayHoldAt(fn, acquire, exit) && !releases.some((r) => r.line > acquire.line && r.line < exit.line) &&
        exit.guards.every((g) => !acquire.guards.some((o) => o.condition === g.condition)) &&
        normal.some((r) => r.line > exit.line && table.freesHeapValue(r.callee) && r.guards.every((g) => !acquire.guards.some((o) => o.condition === g.condition)))
          ? acquire.guards[acquire.guards.length - 1]
          : undefined;
      if (!exit || exit.line >= last.line || (!path.held.includes(a) && !repeated && !takenUnder)) continue;
      // not its own failure
      if (failureOf(model, fn, acquire, exit, variable)) continue;
      // a success return, where every normal release leads straight to a failure return: those undo a failed
      // attempt, and success keeps what was taken (`if (fx_populate(d)) { return true; } fx_detach(d); return false;`)
      if (exit.kind === 'return' && exit.value !== undefined && !FAILURE_RETURN.test(exit.value.trim()) && normal.every((r) => leadsToFailure(model, fn, r))) continue;
      // a goto whose label is unknown or above it (a retry) is another rule's business
      if (exit.kind === 'goto' && (exit.labelLine === undefined || exit.labelLine < exit.line)) continue;
      // the function hands what it acquired to its caller, itself or inside what a call made of it
      // (`block = fx_block_from_fd(..., fd, ...); if (block) { return block; }`)
      if (exit.kind === 'return' && exit.value && objects.some((o) => word(exit.value as string, o))) continue;
      // (not a failure it reports: `rc = fx_drop(fdt, paths[n]); if (rc < 0) return rc;` hands back a status)
      const guard = exit.guards[exit.guards.length - 1];
      const failure = guard !== undefined && model.isClearErrorExit(fn, exit, guard);
      if (exit.kind === 'return' && exit.value && !failure && madeOf(fn, acquire, exit, objects)) continue;
      // ...or to a list, a container or a field before this exit
      const heldIn = variable ?? (match.pair.onlyWithList ? acquire.result : undefined);
      if (heldIn !== undefined && model.handedOverBefore(fn, acquire, exit.line, heldIn)) continue;
      const tests = testedCalls(model, fn, exit.guards[exit.guards.length - 1]?.condition);
      out.push({ acquire, match, exit, release: normal.find((r) => r.line > exit.line) ?? (normal[normal.length - 1] as CCall), tests, ...(takenUnder ? { takenUnder } : {}) });
    }
  }
  return out;
}

/** Releases of what a caller took for an object it hands over: a reference dropped, a count lowered. */
const OWED = /(^|_)(unref|put|dec|dec_in_flight|release)(_|$)/;

/** A new return of a function that frees what it was handed before it ends (a completion callback and its request). */
interface Consumed {
  /** the parameter, or the local naming it (`FxReq *req = opaque;`) */
  object: string;
  param: string;
  /** the free at the end of the normal path */
  release: CCall;
  exit: CExit;
  /**
   * the release gives back what the caller took for the object (a reference, an in-flight count: `object_unref(OBJECT(s))`,
   * `blk_dec_in_flight(s->conf.blk)` in a bottom half), not the object itself
   */
  owed?: true;
  /** the release frees a field of the object, which the function clears right after (`s->buf = NULL`) */
  cleared?: true;
}

/** Does the function clear `object` (a field) right after `release` frees it, under the same tests? */
function clearsAfter(fn: CFunction, release: CCall, object: string): boolean {
  const target = squeeze(object);
  return fn.stores.some(
    (st) => st.line > release.line && st.line <= release.endLine + 3 && squeeze(st.target) === target && /^(NULL|0)$/.test(st.value.trim()) && st.guards.length === release.guards.length,
  );
}

/**
 * Returns of `fn` taken before the unconditional free (or close, unref, destroy) of what it was handed, that
 * neither free it on their way, nor hand it to a call, nor test its own state (a reference count dropping, a
 * NULL test) to decide: the function owns what it is handed, so such a return leaks it.
 */
function consumedExits(model: ModelService, table: PairTable, fn: CFunction): Consumed[] {
  const names = new Map<string, { param: string; from: number }>();
  for (const p of fn.params ?? []) names.set(p, { param: p, from: fn.bodyStartLine });
  for (const a of fn.paramAliases ?? []) names.set(a.name, { param: a.param, from: a.line });
  if (names.size === 0) return [];
  // locals read off what it was handed (`SCSIDevice *s = data->s;`): the objects it was handed with it
  const readOff = new Map<string, { param: string; from: number }>();
  for (const st of fn.statements) {
    const m = /^(\w+) = (\w+)\s*->\s*\w+;$/.exec(st.assignment ?? '');
    const from = m ? names.get(m[2] as string) : undefined;
    if (m && from && !names.has(m[1] as string)) readOff.set(m[1] as string, { param: from.param, from: st.line });
  }
  const out: Consumed[] = [];
  for (const release of fn.calls) {
    if (release.guards.length > 0 || release.inLoop || release.args.length !== 1) continue;
    const object = (release.args[0] as string).trim();
    const named = names.get(object);
    let owed: { param: string; from: number } | undefined;
    let cleared: { param: string; from: number } | undefined;
    if (!named && table.freesHeapValue(release.callee) && clearsAfter(fn, release, object)) {
      // a field of what it was handed that it frees and clears itself (`g_free(s->msi_devs); s->msi_devs = NULL;`):
      // a buffer the object keeps only between two steps, which this function ends
      const base = /^(\w+)\s*->\s*[\w.>-]+$/.exec(object)?.[1];
      cleared = base !== undefined ? (names.get(base) ?? readOff.get(base)) : undefined;
      if (!cleared) continue;
      // (on its normal path, not an unwind: `err: g_free(s->info); s->info = NULL; return ret;`)
      if (model.onErrorPath(fn, release.line)) continue;
      // (not a free before it fills the field again, `fx_free_addr(o->addr); o->addr = NULL; fx_visit_addr(v, &o->addr)`:
      // the field keeps what it holds then)
      const field = squeeze(object);
      if (fn.stores.some((st) => st.line > release.line && squeeze(st.target) === field && !/^(NULL|0)$/.test(st.value.trim()))) continue;
      if (fn.calls.some((c) => c.line > release.line && c.args.some((a) => squeeze(a) === `&${field}`))) continue;
    } else if (!named) {
      // a reference or a count the caller took for what it handed: dropped through a cast macro (`object_unref(OBJECT(s))`)
      // or on a field of it (`blk_dec_in_flight(s->conf.blk)`), by a release of a pair the table knows
      const base = /^[A-Z][A-Z0-9_]*\(\s*(\w+)\s*\)$/.exec(object)?.[1] ?? /^(\w+)\s*->\s*[\w.>-]+$/.exec(object)?.[1];
      owed = base !== undefined ? (names.get(base) ?? readOff.get(base)) : undefined;
      if (!owed || !OWED.test(release.callee) || table.anyPrimitive(release.callee)?.role !== 'release') continue;
      // (taken by the function itself, `fx_inc_in_flight(q->blk)` before: its own, the held form's)
      const counterparts = table.anyPrimitive(release.callee)?.counterparts ?? [];
      if (fn.calls.some((c) => c.line < release.line && counterparts.includes(c.callee) && c.args.some((a) => squeeze(a) === squeeze(object)))) continue;
    } else if (!(table.isHeapRelease(release.callee) || table.disposesWhole(release.callee))) continue;
    const holder = (named ?? owed ?? cleared) as { param: string; from: number };
    // the variable the tests and hand-ons are read for: the object itself, or what the cast or the field is read off
    const base = named ? object : (/^[A-Z][A-Z0-9_]*\(\s*(\w+)\s*\)$/.exec(object)?.[1] ?? (/^(\w+)/.exec(object)?.[1] as string));
    for (const exit of fn.exits) {
      if (exit.kind !== 'return' || exit.line <= holder.from || exit.line >= release.line) continue;
      const guard = exit.guards[exit.guards.length - 1];
      if (!guard) continue;
      // only a status the function was handed decides (`if (ret == -ENOMEDIUM) return;`): a test of the object's own
      // state, through it or anything read off it (`if (--req->ref)`, `if (!QLIST_EMPTY(&c->users))`, `if (!req)`),
      // or of a call, may say it is not the time to free
      // (the test of a loop it is in decides nothing of leaving: the loop goes on while it holds)
      const plainStatus = exit.guards.filter((g) => g.condition.kind === 'if' || g.condition.kind === 'switch' || g.condition.kind === 'ternary').every((g) => {
        const ids = g.condition.identifiers ?? g.condition.names;
        return g.condition.callees.length === 0 && g.condition.names.every((n) => ids.includes(n)) && ids.every((n) => n !== base && n !== holder.param);
      });
      // ...unless a sibling exit under the same enclosing tests gives up by a jump that reaches the free: then
      // that state is no reason to keep the object, and only the exit's own test must leave the object alone
      // (`if (data->count > 0) { if (!in_range) { ...; goto done; } if (too_big) { ...; return; } ... }`)
      const freedBySibling = () =>
        fn.exits.some((e) => e !== exit && e.kind === 'goto' && e.guards.length === exit.guards.length && sameEnclosing(e, exit) && reachesRelease(fn, e, release)) &&
        guard.condition.callees.length === 0 &&
        (guard.condition.identifiers ?? guard.condition.names).every((n) => n !== base && n !== holder.param);
      // what is owed (a reference or a count the caller took for this call) is owed whatever the object's state says,
      // unless the test reads a count of its own (`if (--s->refcnt)`) or whether the object is there at all (`!s`)
      // (only for what a callback was handed through its opaque pointer, `FxData *data = opaque;`: a function handed
      // a typed object is a teardown of it, whose tests may say what it holds; and never a test of the released value
      // itself, `if (!cache->mr)`)
      const released = squeeze(object).replace(/^[A-Z][A-Z0-9_]*\((.*)\)$/, '$1');
      const ownsState = (t: string) =>
        /ref|count|cnt|users|in_?flight/i.test(t) ||
        new RegExp(`^(!\\s*${base}|${base}\\s*==\\s*NULL)$`).test(t.trim()) ||
        new RegExp(`(^|[^\\w>.])${escapeRegExp(released)}(?![\\w]|->|\\.|\\[)`).test(squeeze(t));
      const throughOpaque = !(fn.params ?? []).includes(holder.param) || (fn.paramAliases ?? []).some((a) => a.param === holder.param);
      const owedAnyway = owed !== undefined && throughOpaque && !(fn.params ?? []).includes(base) && exit.guards.every((g) => !ownsState(g.condition.normalized));
      // (a field it frees and clears: a failure it reports gives up on the buffer as the normal path does, unless the
      // test reads the field itself, `if (!s->buf) return -EINVAL;`)
      const fieldGivenUp =
        cleared !== undefined && model.isClearErrorExit(fn, exit, guard) &&
        !new RegExp(`${escapeRegExp(squeeze(object))}(?![\\w]|->|\\.)`).test(squeeze(guard.condition.normalized));
      if (!plainStatus && !freedBySibling() && !owedAnyway && !fieldGivenUp) continue;
      // (what is owed: the test is of the function's own work, not a status it was handed, and no sibling gives up so)
      if (owed && !owedAnyway && (guard.condition.identifiers ?? guard.condition.names).some((n) => n === base || n === holder.param || names.has(n) || readOff.has(n))) continue;
      // handed on, or given back, on the way (`fx_req_complete(req, ret); return;`)
      // (a trace or a report hands nothing on)
      // (on the exit's way: a block that returns before it, `if (!cmd->buf) { ...; fx_req_new(..., cmd); return ...; }`,
      // hands nothing on for it)
      if (fn.calls.some((c) => c !== release && c.line > holder.from && c.line < exit.line && !table.isNonResource(c.callee) && c.args.some((a) => word(a, base) && !/->|\./.test(a)) && model.mayHoldAt(fn, c, exit))) continue;
      if (exit.value !== undefined && word(exit.value, base)) continue;
      // (the field freed on the way, in the exit's own block)
      if (cleared && fn.calls.some((c) => c !== release && c.line > guard.condition.line && c.line < exit.line && c.args.some((a) => squeeze(a) === squeeze(object)))) continue;
      out.push({ object, param: holder.param, release, exit, ...(owed ? { owed: true as const } : {}), ...(cleared ? { cleared: true as const } : {}) });
    }
  }
  return out;
}

/** A failure exit that drops what the function acquired into its own variable and hands on only on success. */
interface Abandoned {
  acquire: CCall;
  object: string;
  release: string;
  exit: CExit;
  /** the store or call that hands the value on past the exit (`req->buf = haddr`, `fx_run_later(..., route)`) */
  handOff: HandOff;
  /** a reference or a count taken on a variable the function had, not a value it made */
  reference?: true;
}

interface HandOff {
  line: number;
  /** as the message quotes it */
  text: string;
}

/** An acquire that takes a reference or a count on what it is handed (`fx_route_ref(route)`, `fx_inc_in_flight(blk)`). */
const TAKES_REFERENCE = /(^|_)(ref|inc|inc_in_flight|hold)$/;

/**
 * A failure return (`return -1`, an errno) after an acquire whose value the function keeps in its own variable
 * (`haddr = fx_space_map(...)`), past the acquire's own test, where the function neither releases nor
 * hands the value on on its way, while its success path stores it where its caller finds it (or, for a reference
 * taken on a variable, `fx_route_ref(route)`, hands it whole to a call: `fx_run_later(..., route)`) (`req->buf =
 * haddr`, `*out = p`, `s->x = p`): the caller takes the failure as nothing done, and the value is lost. Not a
 * function that releases it anywhere (held-on-exit's business), nor a value the function returns.
 */
function abandonedExits(model: ModelService, table: PairTable, fn: CFunction): Abandoned[] {
  const out: Abandoned[] = [];
  for (const acquire of fn.calls) {
    // what the acquire made into the function's variable; or the variable a reference or a count is taken on
    // (`fx_route_ref(route)`), which the function then hands whole to a call that keeps it (`fx_run_later(cpu, fx_post,
    // FX_PTR(route))`)
    const onArg = acquire.result === undefined && acquire.args.length === 1 && TAKES_REFERENCE.test(acquire.callee) ? model.withoutCasts(acquire.args[0] as string) : undefined;
    const object = acquire.resultLocal === true ? acquire.result?.trim() : onArg;
    if (!object || !/^\w+$/.test(object) || acquire.autoReleased) continue;
    // (a status the acquire answers with, `ret = fx_dma_map(...)`, is no object: declared a number, or named for one)
    const numeric = new RegExp(`^(const\\s+)?(unsigned\\s+|signed\\s+)?(int|long|short|char|bool|size_t|ssize_t|off_t|hwaddr|u?int\\d+_t|gboolean|gint|guint)\\s+([\\w\\s,=*-]*[\\s,])?${object}\\b`);
    if (/^(ret|rc|r|err|error|res|result|status)$/.test(object) || fn.statements.some((st) => numeric.test(st.normalized.trim()))) continue;
    const match = table.anyPrimitive(acquire.callee);
    if (!match || match.role !== 'acquire' || match.pair.onlyWithList || table.isHeapAllocation(acquire.callee)) continue;
    const release = match.counterparts[0];
    if (release === undefined) continue;
    const named = (a: string) => word(a, object);
    // released somewhere in the function: the held form's
    if (fn.calls.some((c) => c.line > acquire.line && (match.counterparts.includes(c.callee) || table.hasReleaseVerb(c.callee)) && c.args.some(named))) continue;
    const handOffs: HandOff[] = fn.stores
      .filter((st) => st.line > acquire.line && squeeze(st.value) === object && !/^\w+$/.test(st.target.trim()))
      .map((st) => ({ line: st.line, text: `${st.target.trim()} = ${st.value.trim()}` }));
    if (onArg !== undefined) {
      for (const c of fn.calls) {
        if (c.line > acquire.line && c.callee !== acquire.callee && !table.isNonResource(c.callee) && c.args.some((a) => model.withoutCasts(a) === object)) handOffs.push({ line: c.line, text: `${c.callee}(...)` });
      }
      handOffs.sort((a, b) => a.line - b.line);
    }
    if (handOffs.length === 0) continue;
    for (const exit of fn.exits) {
      if (exit.kind !== 'return' || exit.line <= acquire.line) continue;
      const guard = exit.guards[exit.guards.length - 1];
      if (!guard || !model.isClearErrorExit(fn, exit, guard) || failureOf(model, fn, acquire, exit)) continue;
      if (exit.value !== undefined && named(exit.value)) continue;
      // (its own test, however worded: `if (!haddr || plen == 0)`; for a reference on a variable, a test of the
      // variable itself, not one reading through it, `if (!route->page)`)
      if (exit.guards.some((g) => (onArg !== undefined ? model.testsValueItself(g.condition.normalized, object) : named(g.condition.normalized)))) continue;
      if (!model.mayHoldAt(fn, acquire, exit)) continue;
      const handOff = handOffs.find((st) => st.line > exit.line);
      if (!handOff || handOffs.some((st) => st.line < exit.line)) continue;
      // handed to any call on the exit's way (a trace or a report aside)
      if (fn.calls.some((c) => c !== acquire && c.line > acquire.line && c.line < exit.line && !table.isNonResource(c.callee) && c.args.some(named) && model.mayHoldAt(fn, c, exit))) continue;
      out.push({ acquire, object, release, exit, handOff, ...(onArg !== undefined ? { reference: true as const } : {}) });
    }
  }
  return out;
}

/** Releases of a lock (`bql_unlock`, `qemu_mutex_unlock`, `aio_context_release`). */
const LOCK_RELEASE = /(^|_)unlock(_|$)|(^|_)context_release$/;

/** An exit between a release of what the function holds on entry and the acquire that takes it back. */
interface Dropped {
  release: CCall;
  reacquire: CCall;
  exit: CExit;
}

/**
 * Exits of `fn` between a release of a lock it did not take itself (one its caller holds, `bql_unlock()`, dropped
 * around a blocking call) and the acquire that takes the same thing back later under the same tests (in the same pass, in a loop)
 * (`if (drop) { bql_unlock(); } ... if (drop) { bql_lock(); }`), that do not take it back on their way: the caller
 * gets control without what it held. Not an exit only the other branch of the release's own test reaches.
 */
function droppedExits(model: ModelService, table: PairTable, fn: CFunction): Dropped[] {
  const out: Dropped[] = [];
  const argsOf = (c: CCall) => c.args.map((a) => a.replace(/\s+/g, '')).join(',');
  const testsOf = (c: CCall) => c.guards.map((g) => `${g.negated ? '!' : ''}${g.condition.normalized}`).join('&');
  for (const release of fn.calls) {
    // a lock let go (a state switched off and on again may be left off on purpose: `fx_disable_irq(); if (!route)
    // return; fx_enable_irq();`)
    if (!LOCK_RELEASE.test(release.callee)) continue;
    const m = table.anyPrimitive(release.callee);
    if (m?.role !== 'release' || m.pair.onlyWithList) continue;
    // taken by the function itself before: the ordinary held-on-exit form
    if (fn.calls.some((c) => c.line < release.line && m.counterparts.includes(c.callee) && argsOf(c) === argsOf(release))) continue;
    const reacquire = fn.calls.find(
      // (in a loop, both in the same pass: the same loop and tests, `while (...) { bql_unlock(); wait(); bql_lock(); }`)
      (c) => c.line > release.endLine && m.counterparts.includes(c.callee) && argsOf(c) === argsOf(release) && testsOf(c) === testsOf(release) && c.inLoop === release.inLoop,
    );
    if (!reacquire) continue;
    const exclusive = (g: CGuard) => release.guards.some((h) => h.condition.normalized === g.condition.normalized && h.negated !== g.negated);
    for (const exit of fn.exits) {
      if (exit.line <= release.endLine || exit.line >= reacquire.line) continue;
      if (exit.kind !== 'return' && !(exit.kind === 'goto' && exit.labelLine !== undefined && exit.labelLine > reacquire.line)) continue;
      const guard = exit.guards[exit.guards.length - 1];
      if (!guard || exit.guards.some(exclusive)) continue;
      // inside the release's own block, before it lets go, or taken back on the way
      if (release.guards.length > 0 && exit.guards.some((g) => release.guards.includes(g)) && !model.guardsCover(release.guards, exit.guards)) continue;
      const back = fn.calls.filter((c) => c.callee === reacquire.callee && argsOf(c) === argsOf(release) && c !== reacquire);
      // (taken back under the release's own tests counts: `if (drop) { bql_lock(); } return -1;`)
      const sameTest = (g: CGuard) => release.guards.some((h) => h.condition.normalized === g.condition.normalized && h.negated === g.negated);
      if (back.some((c) => c.line > release.line && c.line < exit.line && model.guardsCover(c.guards.filter((g) => !sameTest(g)), exit.guards))) continue;
      if (exit.kind === 'goto' && back.some((c) => c.line > (exit.labelLine as number))) continue;
      out.push({ release, reacquire, exit });
    }
  }
  return out;
}

/** A release of a function's own local value that the commit deleted, while the function still takes the value. */
interface RemovedRelease {
  acquire: CCall;
  variable: string;
  /** the release as the pre-image had it */
  removed: CCall;
}

/**
 * The commit deletes the release of a value the function takes into a local of its own (`list = fx_query(...);
 * ...; fx_free_list(list);`) and keeps the take: nothing in the function gives the value back any more. Not when
 * the function now hands it on in a way it did not (returns it, stores it, gives it to a call the pre-image did not
 * give it to, declares it `g_auto`), which may be the release's new home.
 */
function removedReleases(model: ModelService, table: PairTable, file: ChangedFile, change: FunctionChange, program: ProgramIndex): RemovedRelease[] {
  const { pre, post } = change;
  if (!pre || !post || pre.hasErrors || post.hasErrors) return [];
  const out: RemovedRelease[] = [];
  const seen = new Set<string>();
  for (const acquire of post.calls) {
    const variable = acquire.result?.trim();
    if (!acquire.resultLocal || acquire.autoReleased || variable === undefined || !/^\w+$/.test(variable) || seen.has(variable)) continue;
    const match = table.anyPrimitive(acquire.callee);
    // a list the function builds in its own variable (`l = g_list_append(l, ...)`), which a release named for
    // freeing gives back whole (`g_list_free_full(l, g_free)`)
    const builds = table.isListInsert(acquire.callee) && acquire.args[0]?.trim() === variable;
    if (!builds && (!match || match.role !== 'acquire')) continue;
    const releaseNamed = (c: CCall) => (builds ? table.hasReleaseVerb(c.callee) && c.args[0]?.trim() === variable : match!.counterparts.includes(c.callee) && c.args.some((x) => x.trim() === variable));
    if (post.calls.some(releaseNamed)) continue;
    const before = pre.calls.find((c) => c.callee === acquire.callee && c.result?.trim() === variable);
    const removed = before && pre.calls.find((c) => c.line > before.line && releaseNamed(c) && file.removed.has(c.line));
    if (!before || !removed) continue;
    seen.add(variable);
    // the release ran whenever the take had (not unwind code, not a cleanup under a test of its own: an error path
    // that closed what a callee had not taken over yet stops when the callee takes it over)
    if (!model.guardsCover(removed.guards, before.guards) || model.onErrorPath(pre, removed.line, before)) continue;
    // handed on now: returned, stored, declared to free itself, or given to a call it was not given to before
    // (growing it in place, `l = g_list_append(l, ...)`, keeps it where it was)
    if (post.exits.some((e) => e.value !== undefined && word(e.value, variable)) || post.stores.some((st) => st.target.trim() !== variable && word(st.value, variable))) continue;
    if (post.statements.some((st) => /\bg_auto/.test(st.normalized) && word(st.normalized, variable))) continue;
    const taking = (f: CFunction) => f.calls.filter((c) => !(c.callee === acquire.callee && c.result?.trim() === variable) && c.args.some((x) => word(x, variable)));
    const was = new Set(taking(pre).map((c) => c.callee));
    // a new taker may be the release's new home, unless the program shows it only reads what it is handed
    const newTakers = taking(post).filter((c) => !was.has(c.callee));
    if (newTakers.some((c) => !onlyReads(table, program, c, variable))) continue;
    out.push({ acquire, variable, removed });
  }
  return out;
}

/** A release of a function's own local value the commit put under a new test, with nothing for the other way. */
interface GuardedRelease {
  acquire: CCall;
  variable: string;
  /** the test the releases now stand under */
  guard: CGuard;
  /** the release as the pre-image made it, whenever the take ran */
  before: CCall;
}

/**
 * The commit puts every release of a value the function takes into a local of its own (`p = fx_palette_new(...)`)
 * under a new `if` the take is not under and that does not test the value (`if (ret >= 0) { fx_palette_destroy(p);
 * return ret; }`), where the pre-image released it whenever it took it; the other way past the test releases nothing
 * (no release under the test's other branch) and nothing after the test names the value: when the test fails, it
 * leaks.
 */
function guardedReleases(model: ModelService, table: PairTable, file: ChangedFile, change: FunctionChange): GuardedRelease[] {
  const { pre, post } = change;
  if (!pre || !post || pre.hasErrors || post.hasErrors) return [];
  const out: GuardedRelease[] = [];
  for (const acquire of post.calls) {
    const variable = acquire.result?.trim();
    if (!acquire.resultLocal || acquire.autoReleased || variable === undefined || !/^\w+$/.test(variable)) continue;
    const match = table.anyPrimitive(acquire.callee);
    if (!match || match.role !== 'acquire') continue;
    const releaseNamed = (c: CCall) => match.counterparts.includes(c.callee) && c.args.some((x) => x.trim() === variable);
    const releases = post.calls.filter(releaseNamed);
    const newGuard = (r: CCall) =>
      r.guards.find((g) => g.condition.kind === 'if' && !acquire.guards.some((a) => a.condition === g.condition) && file.added.has(g.condition.line) && !word(g.condition.normalized, variable));
    const guard = releases[0] !== undefined ? newGuard(releases[0]) : undefined;
    if (!guard || !releases.every((r) => r.guards.some((g) => g.condition === guard.condition && g.negated === guard.negated))) continue;
    // the pre-image released it whenever it took it
    const taken = pre.calls.find((c) => c.callee === acquire.callee && c.result?.trim() === variable);
    const before = taken && pre.calls.find((c) => c.line > taken.line && releaseNamed(c) && model.guardsCover(c.guards, taken.guards) && !model.onErrorPath(pre, c.line, taken));
    if (!before) continue;
    // the other way: nothing after the test names the value, nothing returns or stores it
    if (post.calls.some((c) => c.line > guard.condition.stmtEndLine && c.args.some((x) => word(x, variable)))) continue;
    if (post.exits.some((e) => e.value !== undefined && word(e.value, variable)) || post.stores.some((st) => word(st.value, variable))) continue;
    out.push({ acquire, variable, guard, before });
  }
  return out;
}

/** The program's functions by name, as the commit's post-image has them. */
type ProgramIndex = (name: string) => CFunction | null;

/**
 * Does `call`, handed `variable` as a plain argument, only read it? The program has the callee, and the callee
 * neither releases nor stores nor hands on the parameter it gets (`fx_apply_all(list)` walking a list).
 */
function onlyReads(table: PairTable, program: ProgramIndex, call: CCall, variable: string): boolean {
  const at = call.args.findIndex((x) => x.trim() === variable);
  if (at < 0) return false;
  const callee = program(call.callee);
  const param = callee?.params?.[at];
  if (!callee || param === undefined || callee.hasErrors) return false;
  // (a local of its own walking it, `for (l = list; l; l = l->next)`, keeps nothing)
  if (callee.stores.some((st) => word(st.value, param) && !(st.value.trim() === param && /^\w+$/.test(st.target.trim()) && !(callee.params ?? []).includes(st.target.trim())))) return false;
  if (callee.exits.some((e) => e.value !== undefined && word(e.value, param))) return false;
  // what it hands the parameter to: only calls that read it (a loop over it, a lookup), never a release or a keep
  return callee.calls.every((c) => !c.args.some((x) => x.trim() === param) || !(table.hasReleaseVerb(c.callee) || table.anyPrimitive(c.callee) !== null || table.isListInsert(c.callee) || program(c.callee) !== null));
}

/** A new exit that runs part of the teardown the code after it runs on the same object, and leaves a step out. */
interface PartialTeardown {
  exit: CExit;
  guard: CGuard;
  /** a release the exit's block makes as the code after it does */
  done: CCall;
  /** the release the code after it makes on the same object and the block does not */
  missing: CCall;
  object: string;
}

/** The variable at the base of an argument (`kd` of `kd->mr`, `&s->lock` → `s`), or null. */
const baseOf = (arg: string): string | null => /^&?\s*\(?\s*(\w+)/.exec(arg.trim())?.[1] ?? null;

/**
 * Exits whose own block makes some of the releases the code after the exit makes on its way out (the same calls
 * with the same arguments: `QSLIST_REMOVE_HEAD(...); g_free(kd); continue;`, while the rest of the pass also does
 * `fx_unref(kd->mr)`), but not a release of that code on the same object (or a field of it): a teardown copied in
 * part. Not when the exit's test or its block names that object otherwise (`if (!kd->mr)`: nothing to release).
 */
function partialTeardowns(model: ModelService, table: PairTable, fn: CFunction): PartialTeardown[] {
  const releases = (c: CCall) => table.anyPrimitive(c.callee)?.role === 'release' || table.hasReleaseVerb(c.callee) || table.isHeapRelease(c.callee);
  if (!fn.calls.some(releases)) return [];
  const out: PartialTeardown[] = [];
  const text = (c: CCall) => model.callSource(c.callee, c.args.map((a) => a.replace(/\s+/g, '')), ',');
  for (const exit of fn.exits) {
    const guard = exit.guards[exit.guards.length - 1];
    if (!guard || guard.condition.kind !== 'if') continue;
    const cond = guard.condition;
    // where the path goes on when the exit's test fails: to the end of the loop's pass, or of the function
    const until = exit.kind === 'continue' ? exit.loopEnd : exit.kind === 'return' ? fn.endLine : undefined;
    if (until === undefined) continue;
    const outer = exit.guards.slice(0, -1);
    const inBlock = fn.calls.filter((c) => c.line > cond.endLine && c.line < exit.line && c.guards.some((g) => g.condition === cond && g.negated === guard.negated));
    const nested = (c: CCall) => inBlock.some((o) => o !== c && o.args.some((a) => a.includes(`${model.calleeBase(c.callee)}(`)));
    // the code after the block, on the way the exit's enclosing tests allow: under no test of its own
    const after = fn.calls.filter(
      (c) => c.line > cond.stmtEndLine && c.line <= until && c.guards.length === outer.length && c.guards.every((g, i) => g.condition === outer[i]?.condition && g.negated === outer[i]?.negated),
    );
    const blockTexts = new Set(inBlock.map(text));
    const done = after.filter((c) => releases(c) && blockTexts.has(text(c)));
    if (done.length === 0) continue;
    const bases = new Set(done.flatMap((c) => c.args.map(baseOf).filter((b): b is string => b !== null)));
    for (const missing of after) {
      if (!releases(missing) || blockTexts.has(text(missing)) || missing.args.length === 0) continue;
      const object = (missing.args[0] as string).replace(/\s+/g, '');
      const base = baseOf(object);
      if (base === null || !bases.has(base)) continue;
      if (cond.normalized.replace(/\s+/g, '').includes(object.replace(/^&/, ''))) continue;
      if (inBlock.some((c) => !nested(c) && c.args.some((a) => a.replace(/\s+/g, '') === object))) continue;
      out.push({ exit, guard, done: done[0] as CCall, missing, object });
      break;
    }
  }
  return out;
}

/** A new exit that frees a heap object of the function while a member of it still holds an allocation. */
interface OrphanedMember {
  exit: CExit;
  guard: CGuard;
  /** the free of the container in the exit's block (`g_free(e)`) */
  free: CCall;
  /** the allocation the member holds (`e->extra = g_new0(...)`), or the pair's acquire on what it holds (`ref`) */
  acquire: CCall;
  member: string;
  /** for a member given a variable the function took with a pair's acquire (`fx_ref(mr); e->mr = mr;`): that variable */
  ref?: string;
  /** where the file frees that member of such an object itself (a teardown freeing `x->extra` before `x`) */
  evidence: { fn: CFunction; call: CCall };
}

/** `e->extra` of `e`: the field chain after `base`, or null. */
const memberOf = (text: string | undefined, base: string): string | null => {
  const t = (text ?? '').replace(/\s+/g, '');
  return t.startsWith(base) && /^(->|\.)\w+((->|\.)\w+)*$/.test(t.slice(base.length)) ? t.slice(base.length).replace(/^(->|\.)/, '') : null;
};

/**
 * Exits whose own block frees a heap object the function allocated (`e = g_new0(...)`, then `g_free(e); return -1;`)
 * while a member of it may still hold a heap allocation the function made (`e->extra = g_new0(...)`, possibly under a
 * condition) that nothing on the way frees or hands on, and no call on the way was handed the whole container (it may
 * free the member): freeing the container loses the last pointer. The file must
 * show that such a member is freed on its own (a teardown doing `g_free(x->extra)`), so the member is owned, not shared.
 */
function orphanedMembers(model: ModelService, table: PairTable, file: ChangedFile, fn: CFunction): OrphanedMember[] {
  const heapAcquire = (c: CCall) => !c.autoReleased && table.isHeapAllocation(c.callee);
  // (most functions fill no member from the heap and store no variable into one)
  const heapMembers = fn.calls.some((c) => heapAcquire(c) && /->|\./.test(c.result ?? ''));
  if (!heapMembers && !fn.stores.some((st) => /^\w+$/.test(squeeze(st.value)))) return [];
  const out: OrphanedMember[] = [];
  for (const exit of fn.exits) {
    const guard = exit.guards[exit.guards.length - 1];
    if (!guard || (exit.kind !== 'return' && exit.kind !== 'goto')) continue;
    const cond = guard.condition;
    const inBlock = fn.calls.filter((c) => c.line > cond.endLine && c.line < exit.line && c.guards[c.guards.length - 1]?.condition === cond && c.guards[c.guards.length - 1]?.negated === guard.negated);
    for (const free of inBlock) {
      const container = free.args.length === 1 ? (free.args[0] as string).trim() : '';
      if (!table.isHeapRelease(free.callee) || !/^\w+$/.test(container)) continue;
      // the container is the function's own heap object
      if (!fn.calls.some((c) => c.line < free.line && c.resultLocal === true && c.result?.trim() === container && heapAcquire(c))) continue;
      for (const acquire of heapMembers ? fn.calls : []) {
        const member = memberOf(acquire.result, container);
        if (member === null || !heapAcquire(acquire) || acquire.line >= free.line || !model.mayHoldAt(fn, acquire, exit)) continue;
        const text = `${container}->${member}`;
        // the member itself, not a field read off it (`pstrcpy(e->extra->name, ...)` fills it, hands nothing on)
        const names = (t: string) => t.replace(/\s+/g, '').replace(/^&/, '').replace(/\./g, '->') === text;
        // freed or handed on after it was made: on the way, or after the label a jump goes to
        const from = exit.kind === 'goto' ? Math.min(exit.labelLine ?? exit.line, exit.line) : exit.line;
        if (fn.calls.some((c) => c !== acquire && c.line > acquire.line && (c.line < exit.line || (exit.kind === 'goto' && c.line >= from)) && c.args.some(names))) continue;
        if (fn.stores.some((st) => st.line > acquire.line && st.line < exit.line && names(st.value))) continue;
        // a call handed the whole container on the way may free the member itself (`fx_cleanup_mapping(res)`
        // frees `res->addrs`; a helper that fails may have cleaned up): only a report or a trace is known not to
        const handed = (c: CCall) => c !== free && !table.isNonResource(c.callee) && c.args.some((x) => x.replace(/\s+/g, '').replace(/^\(\w+\s*\*?\)/, '') === container);
        if (fn.calls.some((c) => c.line > acquire.line && c.line < exit.line && handed(c))) continue;
        const field = member.split(/->|\./).at(-1) as string;
        let evidence: OrphanedMember['evidence'] | null = null;
        for (const other of file.post?.functions ?? []) {
          const call = other.calls.find((c) => table.isHeapRelease(c.callee) && c.args.length === 1 && new RegExp(`(->|\\.)${field}$`).test((c.args[0] as string).replace(/\s+/g, '')));
          if (call) {
            evidence = { fn: other, call };
            break;
          }
        }
        if (!evidence) continue;
        out.push({ exit, guard, free, acquire, member: text, evidence });
      }
      out.push(...orphanedRefs(model, table, file, fn, exit, guard, free, container));
    }
  }
  return out;
}

/**
 * The reference form of orphanedMembers: a member of the freed container given a variable (`bounce->mr = mr;`) after
 * the function took it with a pair's acquire (`fx_region_ref(mr);`), neither given back on the way, where a
 * function of the file gives that member back with the acquire's counterpart (`fx_region_unref(bounce->mr)`).
 */
function orphanedRefs(model: ModelService, table: PairTable, file: ChangedFile, fn: CFunction, exit: CExit, guard: CGuard, free: CCall, container: string): OrphanedMember[] {
  const out: OrphanedMember[] = [];
  for (const st of fn.stores) {
    const member = memberOf(st.target, container);
    const variable = squeeze(st.value);
    if (member === null || st.line >= free.line || !/^\w+$/.test(variable)) continue;
    const acquire = fn.calls.find((c) => {
      const m = table.anyPrimitive(c.callee);
      return c.line < st.line && c.result === undefined && m?.role === 'acquire' && !table.isHeapAllocation(c.callee) && c.args.length >= 1 && squeeze(model.withoutCasts(c.args[0] as string)) === variable;
    });
    if (!acquire || !model.mayHoldAt(fn, acquire, exit)) continue;
    const counterparts = new Set(table.anyPrimitive(acquire.callee)?.counterparts ?? []);
    const text = `${container}->${member}`;
    // given back on the way (the variable or the member), or after the label a jump goes to
    const from = exit.kind === 'goto' ? Math.min(exit.labelLine ?? exit.line, exit.line) : exit.line;
    const names = (a: string) => [variable, text].includes(squeeze(model.withoutCasts(a)).replace(/\./g, '->'));
    if (fn.calls.some((c) => counterparts.has(c.callee) && c.line > acquire.line && (c.line < exit.line || (exit.kind === 'goto' && c.line >= from)) && c.args.some(names))) continue;
    const field = member.split(/->|\./).at(-1) as string;
    let evidence: OrphanedMember['evidence'] | null = null;
    for (const other of file.post?.functions ?? []) {
      if (other === fn) continue;
      const call = other.calls.find((c) => counterparts.has(c.callee) && c.args.length === 1 && new RegExp(`(->|\\.)${field}$`).test(squeeze(c.args[0] as string)));
      if (call) {
        evidence = { fn: other, call };
        break;
      }
    }
    if (!evidence) continue;
    out.push({ exit, guard, free, acquire, member: text, evidence, ref: variable });
  }
  return out;
}

/** Do two exits lie under the same tests but their own innermost one? */
function sameEnclosing(a: CExit, b: CExit): boolean {
  const outer = (e: CExit) => e.guards.slice(0, -1);
  const x = outer(a);
  const y = outer(b);
  return x.length === y.length && x.every((g, i) => g.condition === y[i]?.condition && g.negated === y[i]?.negated);
}

/** Does the jump `exit` land on a label from which the function falls through to `release` (no return on the way)? */
function reachesRelease(fn: CFunction, exit: CExit, release: CCall): boolean {
  const label = fn.labels.find((l) => l.name === exit.label);
  if (!label || label.line > release.line || label.line < exit.line) return false;
  return !fn.exits.some((e) => e.kind === 'return' && e.guards.length === 0 && e.line > label.line && e.line < release.line);
}

/**
 * Did the pre-image already leave by this exit holding the acquire, with no
 * release of it anywhere in the function? Then the commit only added the
 * release on another path (the normal one): the exit leaked before, it is
 * not new.
 */
function leakedBefore(summary: ReturnType<ModelService['summary']>, file: ChangedFile, fn: CFunction, h: Held): boolean {
  const cond = h.exit.guards[h.exit.guards.length - 1]?.condition.normalized;
  return summary.alreadySo(fn, file, (old, rename) => {
    const releases = new Set(h.match.counterparts.map(rename));
    if (old.calls.some((c) => releases.has(c.callee))) return false;
    const acquire = old.calls.find((c) => c.callee === rename(h.acquire.callee));
    return (
      acquire !== undefined &&
      old.exits.some(
        (e) => e.kind === h.exit.kind && e.label === h.exit.label && e.line > acquire.line && e.guards[e.guards.length - 1]?.condition.normalized === cond,
      )
    );
  });
}

// what is held, and on which exit: a new return value on the same exit (`-1` → `false`) is the same exit
const heldKey = (fnName: string, h: Held) =>
  `held|${fnName}|${h.acquire.callee}|${h.exit.guards[h.exit.guards.length - 1]?.condition.normalized ?? ''}|${h.exit.kind} ${h.exit.label ?? ''}`;

const exitKeyOf = (exit: CExit) => `${exit.guards[exit.guards.length - 1]?.condition.normalized ?? ''}|${exit.kind} ${exit.label ?? ''}`;
const exitKey = (h: Held) => exitKeyOf(h.exit);

/**
 * ...or by what is held and the calls the exit's condition tests: `if (start(&a, &b, "x", &args))` edited to
 * `..., &args->start))` is the exit the pre-image had, with its arguments reworded; so is `if (require() < 0)`
 * rewritten as `ret = require(); if (ret < 0)`.
 */
function callsKey(h: Held, rename: (name: string) => string): string[] {
  if (h.tests.length === 0) return [];
  return [`${rename(h.acquire.callee)}|calls ${h.tests.map(rename).join(',')}|${h.exit.kind} ${h.exit.label ?? ''}`];
}

/**
 * One exit, one finding: another pair rule (error-path-leak, which also names
 * the sibling exit that releases) already reported this exit for the same
 * acquire. This rule runs after the others (meta.after) to see it.
 */
function reportedByAnother(ctx: Ctx, file: ChangedFile, fn: CFunction, h: Held): boolean {
  return ctx.findings.some(
    (f) =>
      f.category === 'pair' &&
      f.file === file.path &&
      f.function === fn.name &&
      f.line <= h.exit.line &&
      (f.endLine ?? f.line) >= h.exit.line &&
      f.related.some((r) => r.file === file.path && r.line === h.acquire.line),
  );
}

/** A heap buffer the commit keeps in a local that nothing frees, beside a sibling local that is freed. */
interface UnfreedSibling {
  fill: CCall;
  variable: string;
  sibling: string;
  shared: CCall;
  free: CCall;
}

/**
 * A function's own variable filled by a heap allocator (`desc = g_strdup_printf(...)`) that nothing frees, returns,
 * stores or hands to any call but ones that are also handed a sibling variable the function fills from a heap
 * allocator and frees afterwards (`fx_set_description(obj, name, desc); g_free(name);`): the function's own code
 * says those calls copy what they are given, so the buffer leaks. Not a value kept in a g_autofree variable.
 */
function unfreedSiblings(table: PairTable, fn: CFunction): UnfreedSibling[] {
  const heapFill = (c: CCall) => !c.autoReleased && c.resultLocal === true && c.result !== undefined && /^\w+$/.test(c.result.trim()) && table.isHeapAllocation(c.callee);
  const fills = fn.calls.filter(heapFill);
  if (fills.length < 2) return [];
  const named = (c: CCall, v: string) => c.args.some((a) => a.replace(/^\(\w+\s*\*\)|\s+/g, '') === v);
  const out: UnfreedSibling[] = [];
  for (const fill of fills) {
    const v = (fill.result as string).trim();
    const uses = fn.calls.filter((c) => c !== fill && named(c, v));
    if (uses.some((c) => table.isHeapRelease(c.callee) || table.anyPrimitive(c.callee)?.role === 'release' || table.hasReleaseVerb(c.callee))) continue;
    if (fn.exits.some((e) => e.value !== undefined && word(e.value, v)) || fn.stores.some((st) => word(st.value, v))) continue;
    if (uses.length === 0) continue;
    for (const other of fills) {
      const w = (other.result as string).trim();
      if (other === fill || w === v || other.inLoop !== fill.inLoop) continue;
      const free = fn.calls.find((c) => c.line > other.line && table.isHeapRelease(c.callee) && c.args.length === 1 && named(c, w));
      if (!free) continue;
      // every use of v is a call also handed w (before w is freed): calls the function trusts not to keep it
      if (!uses.every((c) => named(c, w) && c.line < free.line)) continue;
      out.push({ fill, variable: v, sibling: w, shared: uses[0] as CCall, free });
      break;
    }
  }
  return out;
}

function checkUnfreedSiblings(ctx: Ctx, file: ChangedFile, change: FunctionChange): void {
  const fn = change.post;
  if (!fn || fn.hasErrors) return;
  const summary = ctx.model.summary();
  const found = summary.introduced(fn, file, (f) => unfreedSiblings(ctx.pairs, f), (u) => [`unfreed|${u.variable}|${u.fill.callee}`]);
  for (const u of found) {
    if (!file.added.has(u.fill.line)) continue;
    ctx.report({
      at: { file: file.path, line: u.fill.line, endLine: u.fill.endLine, function: fn.name },
      messageId: 'siblingFreed',
      data: {
        fn: fn.name,
        acquire: u.fill.callee,
        variable: u.variable,
        file: file.path,
        acquireLine: u.fill.line,
        sibling: u.sibling,
        shared: u.shared.callee,
        releaseLine: u.free.line,
        each: u.fill.inLoop ? ctx.format('eachPass') : '',
      },
      related: [{ file: file.path, line: u.free.line, function: fn.name, messageId: 'siblingFreedHere', data: { sibling: u.sibling } }],
      key: `unfreed|${fn.name}|${u.variable}`,
      repair: { callees: [u.free.callee], functions: [fn.name] },
    });
  }
}

/**
 * The line of the test a guarded set sits in the else of, when that test is true whenever the field is already set:
 * the field itself (`if (d->busy)`), or one of the alternatives of an or (`if (!nic || nic->guard->busy)`), reached
 * through any object (the set may go through a local the function took it into). Undefined for a set under any other
 * test, or under more than that one.
 */
function checkedClearBySetGuards(set: CStore): number | undefined {
  if (set.guards.length !== 1) return undefined;
  const g = set.guards[0] as CGuard;
  if (!g.negated) return undefined;
  const field = escapeRegExp(set.field);
  const alternatives = g.condition.normalized.replace(/\s+/g, '').split('||');
  const setWhen = new RegExp(`^[\\w>.()-]*(->|\\.)${field}(==(true|1))?$`);
  return alternatives.some((a) => setWhen.test(a)) ? g.condition.line : undefined;
}

/** A field set while the function works and cleared at its end, and an exit between that leaves it set. */
interface FlagLeft {
  set: CStore;
  clear: CStore;
  exit: CExit;
  /** where the function checks the flag is clear on entry (`assert(!s->busy)`, `if (s->busy) return;`) */
  entry: number;
}

/**
 * A field the function checks to be clear on entry (an assert of its negation, or a test that leaves), then sets
 * (`s->busy = true;`) and clears again later on its normal path (`s->busy = false;`), both under no test: a bracket
 * around its work (reentrancy, an operation in progress). A return or goto between the two, under a test, whose way
 * out does not clear it leaves the bracket open for every later call.
 * The set may also sit in the else of the test that finds it set (`if (s->busy) { ... } else { s->busy = 1; }`), the
 * check and the set in one, and the clear may test that the object holding the flag is there (`if (g) g->busy =
 * false;`, where `g` is what the set went through when it was taken).
 */
function flagsLeftSet(fn: CFunction): FlagLeft[] {
  const out: FlagLeft[] = [];
  const TRUE = /^(true|1)$/;
  const FALSE = /^(false|0)$/;
  for (const set of fn.stores) {
    if (!TRUE.test(set.value.trim())) continue;
    const target = set.target.replace(/\s+/g, '');
    const pattern = escapeRegExp(target);
    const setCheck = set.guards.length > 0 ? checkedClearBySetGuards(set) : undefined;
    if (set.guards.length > 0 && setCheck === undefined) continue;
    const base = target.replace(/(->|\.)\w+$/, '');
    const clear = fn.stores.find(
      (st) =>
        st.line > set.line &&
        FALSE.test(st.value.trim()) &&
        st.target.replace(/\s+/g, '') === target &&
        (st.guards.length === 0 || (setCheck !== undefined && st.guards.length === 1 && !st.guards[0]?.negated && st.guards[0]?.condition.normalized.replace(/\s+/g, '') === base)),
    );
    if (!clear) continue;
    // the field itself, not a longer name it begins (`s->busy` in `!s->busy`, not in `s->busy_count`)
    const names = (t: string) => new RegExp(`(^|[^\\w>.])${pattern}(?![\\w])`).test(t.replace(/\s+/g, ''));
    const entryCheck =
      setCheck ??
      fn.calls.find((c) => c.line < set.line && /^(g_)?assert$/.test(c.callee) && c.args.some((a) => /^!/.test(a.replace(/\s+/g, '')) && names(a)))?.line ??
      fn.exits.find(
        (e) => e.line < set.line && (e.kind === 'return' || e.kind === 'goto') && e.guards.some((g) => !g.negated && new RegExp(`^${pattern}(==(true|1))?$`).test(g.condition.normalized.replace(/\s+/g, ''))),
      )?.line;
    if (entryCheck === undefined) continue;
    for (const exit of fn.exits) {
      if ((exit.kind !== 'return' && exit.kind !== 'goto') || exit.line <= set.line || exit.line >= clear.line || exit.guards.length === 0) continue;
      // its way out clears it (in its block, or at the label it jumps to before the end)
      const block = exit.guards[exit.guards.length - 1] as CGuard;
      if (fn.stores.some((st) => st.line < exit.line && st.line > block.condition.endLine && st.guards.some((g) => g.condition === block.condition) && st.target.replace(/\s+/g, '') === target)) continue;
      if (exit.kind === 'goto' && (exit.labelLine === undefined || exit.labelLine <= clear.line)) continue;
      out.push({ set, clear, exit, entry: entryCheck });
    }
  }
  return out;
}

function checkFlags(ctx: Ctx, file: ChangedFile, fn: CFunction): void {
  const summary = ctx.model.summary();
  const found = summary.introduced(fn, file, flagsLeftSet, (f) => [`flag|${f.set.target.replace(/\s+/g, '')}|${f.exit.guards.at(-1)?.condition.normalized ?? ''}|${f.exit.kind}`]);
  for (const f of found) {
    if (!file.added.has(f.exit.line)) continue;
    const guard = f.exit.guards[f.exit.guards.length - 1] as CGuard;
    ctx.report({
      at: { file: file.path, line: guard.condition.stmtLine, endLine: f.exit.line, function: fn.name },
      messageId: 'flagLeftSet',
      data: {
        fn: fn.name,
        exit: ctx.model.describeExit(f.exit),
        when: ctx.format(guard.negated ? 'conditionFalse' : 'condition', { condition: guard.condition.text }),
        object: f.set.target,
        value: f.set.value.trim(),
        file: file.path,
        setLine: f.set.line,
        clearLine: f.clear.line,
        entryLine: f.entry,
      },
      related: [
        { file: file.path, line: f.set.line, function: fn.name, messageId: 'flagSetHere', data: { object: f.set.target } },
        { file: file.path, line: f.clear.line, function: fn.name, messageId: 'flagClearedHere', data: { object: f.set.target } },
      ],
      key: `flag-left-set|${fn.name}|${f.set.target.replace(/\s+/g, '')}|${guard.condition.normalized}`,
      repair: { callees: [], functions: [fn.name], names: [f.set.field] },
    });
  }
}

/** A callback's own registration given back by the callback, and a new exit before it. */
interface SelfKept {
  release: CCall;
  exit: CExit;
  acquirer: CFunction;
  acquire: CCall;
  /** the release gives back the opaque the registration handed the callback: the call that handed it */
  handed?: CCall;
}

/**
 * A callback that gives back its own registration when it runs (a one-shot bottom half, `qemu_bh_delete(s->bh);
 * s->bh = NULL;` in the BH, a change handler removed by the handler), under no test, where another function of the
 * file made that registration with the callback as an argument and kept it in the same field (`s->bh =
 * qemu_bh_new(fx_restart_bh, s)`): an exit before the release, under a test that does not ask after the field, keeps it.
 */
function selfKept(model: ModelService, table: PairTable, fn: CFunction, others: readonly CFunction[]): SelfKept[] {
  const out: SelfKept[] = [];
  for (const release of fn.calls) {
    // (a release of the table, or one named for releasing: the callback handed to the call that filled the same field
    // is the evidence of the pair, whatever the code base's confidence in it)
    const listed = table.anyPrimitive(release.callee);
    if (release.guards.length > 0 || (listed?.role !== 'release' && !table.hasReleaseVerb(model.calleeBase(release.callee)))) continue;
    const chain = /->|\./.test(release.args[0] ?? '') ? model.fieldChain(release.args[0] ?? '') : null;
    if (!chain || chain.length === 0) continue;
    const field = chain.join('.');
    const counterparts = listed?.role === 'release' ? listed.counterparts : null;
    let made: { acquirer: CFunction; acquire: CCall } | null = null;
    for (const g of others) {
      const c = g.calls.find(
        (x) => (counterparts === null || counterparts.includes(x.callee)) && x.result !== undefined && model.fieldChain(x.result)?.join('.') === field && x.args.some((a) => a.trim() === fn.name),
      );
      if (c) {
        made = { acquirer: g, acquire: c };
        break;
      }
    }
    if (!made) continue;
    const last = chain[chain.length - 1] as string;
    out.push(...exitsBefore(fn, release, (cond) => cond.names.includes(last)).map((exit) => ({ release, exit, ...made })));
  }
  out.push(...opaqueKept(model, table, fn, others));
  return out;
}

/**
 * The exits before `release`, under no test that asks after what it releases (`asks`), whose
 * block does not make the release itself, and (a jump) that do not land before it.
 */
function exitsBefore(fn: CFunction, release: CCall, asks: (cond: CCondition) => boolean): CExit[] {
  return fn.exits.filter((exit) => {
    if ((exit.kind !== 'return' && exit.kind !== 'goto') || exit.line >= release.line || exit.guards.length === 0) return false;
    if (exit.guards.some((g) => asks(g.condition))) return false;
    const block = exit.guards[exit.guards.length - 1] as CGuard;
    if (fn.calls.some((c) => c.line < exit.line && c.guards.some((g) => g.condition === block.condition) && c.callee === release.callee)) return false;
    return !(exit.kind === 'goto' && (exit.labelLine === undefined || exit.labelLine <= release.line));
  });
}

/**
 * A callback that gives back, under no test, what its registration handed it (`PatchInfo *info = data.host_ptr; ...
 * g_free(info);`), where another function of the file made that value (`info = g_new(PatchInfo, 1)`) and handed it
 * with the callback to one call (`fx_run_on_cpu(cs, fx_patch, RUN_ON_CPU_HOST_PTR(info))`): a new exit before the
 * release, not testing the value, leaves it with nobody.
 */
function opaqueKept(model: ModelService, table: PairTable, fn: CFunction, others: readonly CFunction[]): SelfKept[] {
  const out: SelfKept[] = [];
  const params = fn.params ?? [];
  if (params.length === 0) return out;
  const bare = (t: string) => model.withoutCasts(t.trim()).replace(/^\(\s*[\w\s]+\*+\s*\)\s*/, '').trim();
  for (const release of fn.calls) {
    if (release.guards.length > 0 || release.args.length !== 1) continue;
    const listed = table.anyPrimitive(release.callee);
    if (listed?.role !== 'release' && !table.freesHeapValue(release.callee)) continue;
    const v = (release.args[0] as string).trim();
    if (!/^\w+$/.test(v)) continue;
    // the value is the callback's parameter, or a local made of one (`info = (PatchInfo *) data.host_ptr`)
    const fromParam = params.includes(v) || (fn.assignments ?? []).some((a) => a.target.trim() === v && params.includes(/^(\w+)/.exec(bare(a.value))?.[1] ?? ''));
    if (!fromParam) continue;
    for (const g of others) {
      const handed = g.calls.find((c) => c.args.some((a) => a.trim() === fn.name));
      if (!handed) continue;
      // what it hands along with the callback, made there by an acquire the release undoes (or a heap allocation)
      const made = g.calls.find(
        (c) => c.line < handed.line && c.result !== undefined && /^\w+$/.test(c.result.trim()) &&
          handed.args.some((a) => bare(a) === c.result!.trim() || new RegExp(`\\(\\s*${c.result!.trim()}\\s*\\)$`).test(a.trim())) &&
          ((listed?.role === 'release' && listed.counterparts.includes(c.callee)) || (table.freesHeapValue(release.callee) && table.isHeapAllocation(c.callee))),
      );
      if (!made) continue;
      // (a test of the value itself asks whether there is anything to give back; a read through it does not)
      out.push(...exitsBefore(fn, release, (cond) => model.testsValueItself(cond.normalized, v)).map((exit) => ({ release, exit, acquirer: g, acquire: made, handed })));
      break;
    }
  }
  return out;
}

function checkSelfKept(ctx: Ctx, file: ChangedFile, fn: CFunction): void {
  // (the other functions of the image the function is read from: the pre-image's for its old self)
  const others = (f: CFunction) => ((f === fn ? file.post : file.pre)?.functions ?? []).filter((g) => g.name !== f.name);
  const found = ctx.model.summary().introduced(fn, file, (f) => selfKept(ctx.model, ctx.pairs, f, others(f)), (k) => [`self|${k.release.callee}|${k.exit.guards.at(-1)?.condition.normalized ?? ''}|${k.exit.kind}`]);
  for (const k of found) {
    if (!file.added.has(k.exit.line)) continue;
    const guard = k.exit.guards[k.exit.guards.length - 1] as CGuard;
    const object = (k.release.args[0] ?? '').trim();
    ctx.report({
      at: { file: file.path, line: guard.condition.stmtLine, endLine: k.exit.line, function: fn.name },
      messageId: k.handed ? 'opaqueKept' : 'selfKept',
      data: {
        fn: fn.name,
        exit: ctx.model.describeExit(k.exit),
        when: ctx.format(guard.negated ? 'conditionFalse' : 'condition', { condition: guard.condition.text }),
        release: k.release.callee,
        object,
        file: file.path,
        releaseLine: k.release.line,
        acquirer: k.acquirer.name,
        acquire: k.acquire.callee,
        acquirePath: file.path,
        acquireLine: k.acquire.line,
      },
      related: k.handed
        ? [{ file: file.path, line: k.handed.line, function: k.acquirer.name, messageId: 'handedHere', data: { acquirer: k.acquirer.name, fn: fn.name, object } }]
        : [{ file: file.path, line: k.acquire.line, function: k.acquirer.name, messageId: 'registeredHere', data: { acquirer: k.acquirer.name, fn: fn.name, acquire: k.acquire.callee } }],
      key: `self-kept|${fn.name}|${k.release.callee}|${guard.condition.normalized}`,
      repair: { callees: [k.release.callee], functions: [fn.name] },
    });
  }
}

function checkFunction(ctx: Ctx, file: ChangedFile, change: FunctionChange): void {
  const summary = ctx.model.summary();
  const fn = change.post;
  if (!fn || fn.hasErrors) return;
  // how a conditional exit leaves and when: the head every message of a new exit starts with
  const exitFacts = (exit: CExit, guard: CGuard) => ({
    fn: fn.name,
    exit: ctx.model.describeExit(exit),
    when: ctx.format(guard.negated ? 'conditionFalse' : 'condition', { condition: guard.condition.text }),
  });
  // "introduced" is decided by the model (summary.introduced), keyed by exit (its condition and where it
  // goes), whatever was held there: an API the commit swapped (qemu_sem_init → qemu_event_init) held on
  // an exit the pre-image had is not new
  const held = summary.introduced(fn, file, (f) => heldExits(ctx.model, ctx.pairs, f), (h, rename) => [exitKey(h), ...callsKey(h, rename)]);
  const reported = new Set<string>();
  // a conditional exit's test, and where a finding of it goes: the test when the commit wrote it, else the exit
  const placed = (exit: CExit) => {
    const guard = exit.guards[exit.guards.length - 1] as CGuard;
    return { guard, at: file.addedIn(guard.condition.line, guard.condition.endLine) ? guard.condition.stmtLine : exit.line };
  };
  const firstTime = (key: string) => !reported.has(key) && reported.add(key) !== undefined;
  for (const h of held) {
    const key = heldKey(fn.name, h);
    if (!firstTime(key)) continue;
    if (leakedBefore(summary, file, fn, h)) continue;
    if (reportedByAnother(ctx, file, fn, h)) continue;
    const guard = h.exit.guards[h.exit.guards.length - 1];
    const at = guard && file.addedIn(guard.condition.line, guard.condition.endLine) ? guard.condition.stmtLine : h.exit.line;
    const releaseName = h.release.callee;
    const data = {
      fn: fn.name,
      exit: ctx.model.describeExit(h.exit),
      acquire: h.acquire.callee,
      file: file.path,
      acquireLine: h.acquire.line,
      release: releaseName,
      releaseLine: h.release.line,
    };
    if (h.match === COUNT) {
      const object = h.acquire.args[0] as string;
      const counted = { fn: fn.name, exit: data.exit, object, file: file.path, acquireLine: h.acquire.line, releaseLine: h.release.line };
      ctx.report({
        at: { file: file.path, line: at, endLine: h.exit.line, function: fn.name },
        ...(guard
          ? { messageId: 'countHeldWhen', data: { ...counted, when: ctx.format(guard.negated ? 'conditionFalse' : 'condition', { condition: guard.condition.text }) } }
          : { messageId: 'countHeld', data: counted }),
        related: [
          { file: file.path, line: h.acquire.line, function: fn.name, messageId: 'raised', data: { object } },
          { file: file.path, line: h.release.line, function: fn.name, messageId: 'lowered', data: { object } },
        ],
        key,
      });
      continue;
    }
    if (h.takenUnder && guard) {
      ctx.report({
        at: { file: file.path, line: at, endLine: h.exit.line, function: fn.name },
        messageId: 'heldIfTaken',
        data: {
          ...data,
          when: ctx.format(guard.negated ? 'conditionFalse' : 'condition', { condition: guard.condition.text }),
          taken: ctx.format(h.takenUnder.negated ? 'conditionFalse' : 'condition', { condition: h.takenUnder.condition.text }),
        },
        related: [
          { file: file.path, line: h.acquire.line, function: fn.name, messageId: 'taken', data: { callee: h.acquire.callee } },
          { file: file.path, line: h.release.line, function: fn.name, messageId: 'releasedNormally', data: { release: releaseName } },
        ],
        key,
        repair: { callees: h.match.counterparts, functions: [fn.name] },
      });
      continue;
    }
    ctx.report({
      at: { file: file.path, line: at, endLine: h.exit.line, function: fn.name },
      ...(guard
        ? {
            messageId: 'heldWhen',
            data: { ...data, when: ctx.format(guard.negated ? 'conditionFalse' : 'condition', { condition: guard.condition.text }) },
          }
        : { messageId: 'held', data }),
      related: [
        { file: file.path, line: h.acquire.line, function: fn.name, messageId: 'taken', data: { callee: h.acquire.callee } },
        { file: file.path, line: h.release.line, function: fn.name, messageId: 'releasedNormally', data: { release: releaseName } },
      ],
      key,
      repair: { callees: h.match.counterparts, functions: [fn.name] },
    });
  }
  const partialKey = (p: PartialTeardown) => `partial|${p.exit.kind}|${p.guard.condition.normalized}|${p.missing.callee}`;
  for (const p of summary.introduced(fn, file, (f) => partialTeardowns(ctx.model, ctx.pairs, f), (p) => [partialKey(p)])) {
    if (!file.added.has(p.exit.line) || !firstTime(partialKey(p))) continue;
    ctx.report({
      at: { file: file.path, line: p.guard.condition.stmtLine, endLine: p.exit.line, function: fn.name },
      messageId: 'partial',
      data: {
        ...exitFacts(p.exit, p.guard),
        done: p.done.callee,
        missing: p.missing.callee,
        object: p.object,
        file: file.path,
        missingLine: p.missing.line,
      },
      related: [{ file: file.path, line: p.missing.line, function: fn.name, messageId: 'teardownHere', data: { missing: p.missing.callee, object: p.object } }],
      key: `${partialKey(p)}|${fn.name}`,
      repair: { callees: [p.missing.callee], functions: [fn.name] },
    });
  }
  const orphanKey = (o: OrphanedMember) => `orphaned|${o.exit.kind}|${o.guard.condition.normalized}|${o.member}`;
  for (const o of summary.introduced(fn, file, (f) => orphanedMembers(ctx.model, ctx.pairs, file, f), (o) => [orphanKey(o)])) {
    if (!file.addedIn(o.free.line, o.exit.line) || !firstTime(orphanKey(o))) continue;
    const release = o.evidence.call.callee;
    ctx.report({
      at: { file: file.path, line: o.guard.condition.stmtLine, endLine: o.exit.line, function: fn.name },
      messageId: o.ref !== undefined ? 'orphanedRef' : 'orphanedMember',
      data: {
        ...exitFacts(o.exit, o.guard),
        container: (o.free.args[0] as string).trim(),
        free: o.free.callee,
        member: o.member,
        ...(o.ref !== undefined ? { variable: o.ref } : {}),
        acquire: o.acquire.callee,
        file: file.path,
        acquireLine: o.acquire.line,
        teardown: o.evidence.fn.name,
        evidence: (o.evidence.call.args[0] as string).replace(/\s+/g, ''),
        evidencePath: file.path,
        evidenceLine: o.evidence.call.line,
        release,
      },
      related:
        o.ref !== undefined
          ? [
              { file: file.path, line: o.acquire.line, function: fn.name, messageId: 'memberTaken', data: { acquire: o.acquire.callee, variable: o.ref, member: o.member } },
              { file: file.path, line: o.evidence.call.line, function: o.evidence.fn.name, messageId: 'memberReleasedThere', data: { teardown: o.evidence.fn.name } },
            ]
          : [
              { file: file.path, line: o.acquire.line, function: fn.name, messageId: 'memberAllocated', data: { member: o.member } },
              { file: file.path, line: o.evidence.call.line, function: o.evidence.fn.name, messageId: 'memberFreedThere', data: { teardown: o.evidence.fn.name } },
            ],
      key: `${orphanKey(o)}|${fn.name}`,
      repair: { callees: [release], functions: [fn.name] },
    });
  }
  const program = summary.program('post');
  const index: ProgramIndex = (name) => (/^\w+$/.test(name) ? (program.lookup(name, file.path)?.fn ?? null) : null);
  for (const r of removedReleases(ctx.model, ctx.pairs, file, change, index)) {
    ctx.report({
      at: { file: file.path, line: r.acquire.line, endLine: r.acquire.endLine, function: fn.name },
      messageId: 'releaseRemoved',
      data: { fn: fn.name, release: r.removed.callee, object: r.variable, file: file.path, preLine: r.removed.line, acquire: r.acquire.callee, acquireLine: r.acquire.line },
      related: [{ file: file.path, line: r.acquire.line, function: fn.name, messageId: 'stillTaken', data: { callee: r.acquire.callee } }],
      key: `release-removed|${fn.name}|${r.acquire.callee}|${r.variable}`,
      repair: { callees: [r.removed.callee], functions: [fn.name] },
    });
  }
  for (const g of guardedReleases(ctx.model, ctx.pairs, file, change)) {
    ctx.report({
      at: { file: file.path, line: g.guard.condition.line, endLine: g.guard.condition.endLine, function: fn.name },
      messageId: 'releaseGuarded',
      data: {
        fn: fn.name,
        release: g.before.callee,
        object: g.variable,
        condition: g.guard.negated ? `!(${g.guard.condition.normalized})` : g.guard.condition.normalized,
        file: file.path,
        testLine: g.guard.condition.line,
        preLine: g.before.line,
        acquire: g.acquire.callee,
        acquireLine: g.acquire.line,
      },
      related: [{ file: file.path, line: g.acquire.line, function: fn.name, messageId: 'stillTaken', data: { callee: g.acquire.callee } }],
      key: `release-guarded|${fn.name}|${g.acquire.callee}|${g.variable}`,
      repair: { callees: [g.before.callee], functions: [fn.name] },
    });
  }
  const droppedKey = (d: Dropped) => `dropped|${d.release.callee}|${d.exit.guards[d.exit.guards.length - 1]?.condition.normalized ?? ''}`;
  for (const d of summary.introduced(fn, file, (f) => droppedExits(ctx.model, ctx.pairs, f), (d, rename) => [`dropped|${rename(d.release.callee)}|${d.exit.guards[d.exit.guards.length - 1]?.condition.normalized ?? ''}`])) {
    const key = `${droppedKey(d)}|${fn.name}`;
    if (!firstTime(key)) continue;
    const { guard, at } = placed(d.exit);
    // (the test it lets go under: a loop's condition is no test, it lets go on every pass)
    const letGoUnder = d.release.guards.filter((g) => g.condition.kind === 'if').at(-1);
    ctx.report({
      at: { file: file.path, line: at, endLine: d.exit.line, function: fn.name },
      messageId: 'droppedHeld',
      data: {
        ...exitFacts(d.exit, guard),
        release: d.release.callee,
        acquire: d.reacquire.callee,
        file: file.path,
        releaseLine: d.release.line,
        acquireLine: d.reacquire.line,
        under: letGoUnder
          ? ctx.format('whenDropped', { condition: letGoUnder.negated ? `!(${letGoUnder.condition.text})` : letGoUnder.condition.text })
          : '',
      },
      related: [
        { file: file.path, line: d.release.line, function: fn.name, messageId: 'letGo', data: { release: d.release.callee } },
        { file: file.path, line: d.reacquire.line, function: fn.name, messageId: 'takenBack', data: { acquire: d.reacquire.callee } },
      ],
      key,
      repair: { callees: [d.reacquire.callee], functions: [fn.name] },
    });
  }
  const consumedKey = (c: Consumed) => `consumed|${c.object}|${c.exit.guards[c.exit.guards.length - 1]?.condition.normalized ?? ''}`;
  for (const a of summary.introduced(fn, file, (f) => abandonedExits(ctx.model, ctx.pairs, f), (a, rename) => [`abandoned|${a.object}|${rename(a.acquire.callee)}|${exitKeyOf(a.exit)}`])) {
    const key = `abandoned|${fn.name}|${a.object}|${a.exit.line}`;
    if (!firstTime(key)) continue;
    const { guard, at } = placed(a.exit);
    ctx.report({
      at: { file: file.path, line: at, endLine: a.exit.line, function: fn.name },
      messageId: a.reference ? 'abandonedReference' : 'abandoned',
      data: {
        ...exitFacts(a.exit, guard),
        acquire: a.acquire.callee,
        object: a.object,
        release: a.release,
        file: file.path,
        acquireLine: a.acquire.line,
        handOff: a.handOff.text,
        handLine: a.handOff.line,
      },
      related: [
        { file: file.path, line: a.acquire.line, function: fn.name, messageId: 'taken', data: { callee: a.acquire.callee } },
        { file: file.path, line: a.handOff.line, function: fn.name, messageId: 'handedOnHere', data: { fn: fn.name, object: a.object } },
      ],
      key,
      repair: { callees: [a.release], functions: [fn.name] },
    });
  }
  for (const c of summary.introduced(fn, file, (f) => consumedExits(ctx.model, ctx.pairs, f), (c) => [consumedKey(c)])) {
    const key = `${consumedKey(c)}|${fn.name}`;
    if (!firstTime(key)) continue;
    const { guard, at } = placed(c.exit);
    ctx.report({
      at: { file: file.path, line: at, endLine: c.exit.line, function: fn.name },
      messageId: c.owed ? 'owed' : c.cleared ? 'consumedField' : 'consumed',
      data: {
        ...exitFacts(c.exit, guard),
        release: c.release.callee,
        object: c.object,
        param: c.param,
        file: file.path,
        releaseLine: c.release.line,
      },
      related: [
        c.owed
          ? { file: file.path, line: c.release.line, function: fn.name, messageId: 'owedHere', data: { fn: fn.name, release: c.release.callee } }
          : { file: file.path, line: c.release.line, function: fn.name, messageId: 'givenBack', data: { fn: fn.name, object: c.object } },
      ],
      key,
      repair: { callees: [c.release.callee], functions: [fn.name] },
    });
  }
}

export const heldOnExit: Rule<NoOptions, keyof typeof MESSAGES> = {
  meta: {
    id: 'held-on-exit',
    messages: MESSAGES,
    category: 'pair',
    severity: 'warning',
    // after the other rules: an exit another pair rule reported for the same acquire is not reported twice
    after: true,
    summary:
      'A new return, goto, loop break or continue leaves a function (or a pass of its loop) still holding what it acquired and releases on its normal path, or the commit deletes that release',
    docs: {
      what:
        'A heap buffer the patch keeps in one of the function\'s own variables (`desc = g_strdup_printf(...)`) that ' +
        'nothing frees, returns, stores or hands to any call but ones also handed a sibling variable the function ' +
        'fills the same way and frees (`fx_set_description(obj, name, desc); g_free(name);`): the function\'s own code ' +
        'says those calls copy what they get, so the buffer leaks (not a g_autofree variable). ' +
        'Inside one function, an acquire (a lock, an RCU read section, an in-flight count, a file descriptor, a ' +
        'buffer, a reference) is released later in the same function on its normal path (not only on an error ' +
        'branch, nor a release that leads straight to a failure return: `if (fx_populate(d, errp)) { return true; } ' +
        'fx_detach(d); return false;` undoes a failed attempt; a release under a test of which value the variable holds, ' +
        '`if (buf != defaults) { g_free(buf); }`, is the normal one; a buffer freed through a copy of its pointer, ' +
        '`head = iov; ... g_free(head);`, while `iov` itself moves on, counts too, and so does a call of a function the code ' +
        'base defines to release what it is handed there, `fx_wait_and_free(ctx)`, for heap memory), and the patch adds an exit between the two ' +
        '(a `return`, a `goto` to a label past the release, a `break` out of a loop or a switch when nothing after it ' +
        'releases it (code of one case is not on the way to another case\'s exit), or a `continue` that ends a pass of the loop before its body releases what the pass took, also in a loop with no condition) ' +
        'that releases nothing on its way. A count raised on a field (`s->in_flight++`), a static local or a variable of ' +
        'the file (`static int depth; depth++;`), not a plain local, and lowered again later on ' +
        'the normal path (`s->in_flight--`) is such an acquire too, as is a field the function checks to be clear on ' +
        'entry (`assert(!s->busy)`, or a test that leaves), sets (`s->busy = true`) and clears at its end, both under ' +
        'no test (a new exit between leaves the bracket open for every later call), or sets in the else of the test ' +
        'that finds it set (`if (s->busy || !fx_ready(s)) { ... } else { g = s; g->busy = 1; }`) and clears at its end ' +
        'under no test or a test that the object it went through is there (`if (g) { g->busy = 0; }`); so is one under a test the normal release repeats ' +
        '(`if (lock) { qemu_mutex_lock(lock); } ... if (lock) { qemu_mutex_unlock(lock); }`), for a new `return` between ' +
        'the two that tests nothing of it; a release under a test of a local flag declared false and set true only after ' +
        'the acquire, inside its block (`started = true;` ... `if (started) { fx_end(s); }`), is on the normal path too. ' +
        'Also: a new conditional `return`, before the ' +
        'unconditional free (or close, unref, destroy) of what the function was handed (`FxReq *req = opaque; ... ' +
        'g_free(req);`, a completion callback and its request), decided by a plain status (`if (ret == -ENOMEDIUM)`), ' +
        'that neither frees it nor hands it to a call on its way: not when the test reads the object\'s own state ' +
        '(a reference count, a list of users) or calls anything, unless a sibling exit of the same block gives up by ' +
        'a jump that reaches the free (then only the new exit\'s own test must leave the object alone). So is such a ' +
        '`return` before the unconditional drop of what a caller took for the object it handed over (a bottom half\'s ' +
        '`object_unref(OBJECT(s))` or `blk_dec_in_flight(s->conf.blk)`, `s` handed in or read off what was: ' +
        '`FxData *data = opaque; FxDev *s = data->s;`), a release of a pair named for dropping (unref, put, dec, release), ' +
        'whatever the test says of the object (`if (QTAILQ_EMPTY(&s->requests))`, `if (s->unplugging)`), but not a ' +
        'test of a count (`if (s->pending_count > 1)`, a reference count) nor of whether the object is there (`!s`); a ' +
        'trace or a report the object is handed to on the way hands nothing on. And a new `return` (or a jump past it) ' +
        'between the release of a lock the function did not take itself (one its caller holds, `bql_unlock()` around a ' +
        'blocking read) and the acquire that takes the same thing back later under the same tests (`if (drop) { bql_unlock(); ' +
        '} ... if (drop) { bql_lock(); }`, or both in one pass of a loop, `while (...) { bql_unlock(); qemu_sem_wait(...); ' +
        'bql_lock(); }`), that does not take it back on its way: the caller gets control without it. ' +
        'Also a heap buffer the function\'s own variable holds, NULL until a test\'s block allocates it (`tmp = NULL; ... ' +
        'if (unaligned) { tmp = bitmap_new(n); }`), freed at the end whatever happened (`g_free(tmp)`): a new `return` ' +
        'past that block and before the free leaves holding it whenever the test held (a store of it into a member of a ' +
        'struct in the function\'s own frame, `d.bitmap = tmp;`, hands nothing over). ' +
        'And every release of a value the function takes into a local of its own put under a new test that does not ' +
        'test the value (`if (ret >= 0) { fx_palette_destroy(p); return ret; }`), where the pre-image released it ' +
        'whenever it took it, with nothing after the test naming the value: when the test fails it leaks. ' +
        'A release handed a variable the function copied a member of a structure the acquire returned by value into ' +
        '(`section = fx_region_find(...); mr = section.mr; ... fx_region_unref(mr)`) releases what it took. ' +
        'The pairs come ' +
        'from the pair table and from the code base (pairs it shows in use); a call named like a release after which the ' +
        'function still hands the object to another call on its way (`fx_dict_put_str(d, "k", v)` before ' +
        '`fx_device_add_dict(d, ...)`) put something into it and releases nothing; a heap allocation counts when one of the ' +
        'function\'s own variables holds it (`buf = g_malloc0(size); ... g_free(buf);`), and so does a call through a slot ' +
        'whose name pairs with another slot the function calls later (`ops->lock(s); ... ops->unlock(s);`), and a call ' +
        'that fills in a heap buffer through the address of one of the function\'s own variables, which the function ' +
        'frees later (`g_file_get_contents(path, &contents, ...); ... g_free(contents);`), or through the address of a ' +
        'struct of its own, one member of which the function frees later (`fx_bitmap_alloc(&bm, size); ... ' +
        'g_free(bm.bits);`), and a wrapper of the program that returns what an acquire made (`name = ' +
        'fx_type_name(model)` around `g_strdup_printf()`, a wrapper the code base shows). A value filled in each branch ' +
        'of an `if`/`else` (`name = g_strdup_printf(...)` in both) is held after the two join, one stored through a ' +
        'choice (`file = path ? fopen(path, "rb") : NULL;`) is held whichever arm ran, and a release under a test of ' +
        'the value itself (`if (file) { ... fclose(file); }`) is on the normal path. What only a variable of the ' +
        'function holds is also given back by a call handed it whose name is the acquire\'s stem with a release verb ' +
        '(`fx_queue_detach_elem(q, elem)` for `elem = fx_queue_pop(q)`), not by a heap free alone. Exits that are the acquire\'s own ' +
        'failure (a test of its result itself; `elem->out_num` tests what it produced, so it succeeded; a comparison ' +
        'with another object, `section.mr != mr`, is no failure: what was found may be another object, taken all the same; an ' +
        '`||` test is the acquire\'s own failure only when each alternative is about its value or what it filled through an ' +
        'address, `!rptr || rlen != len || !wptr` also leaves when the other mapping failed; a release on the exit\'s way under ' +
        'a test of its own argument, `if (rptr) { unmap(rptr, ...); }`, releases it), that hand the object to the caller, that come after the function handed a heap allocation over ' +
        '(onto a list, into a field, to an async send), or that the pre-image already had are not reported: an exit ' +
        'whose test now reads a call\'s result from a variable (`ret = f(); if (ret < 0)`) is the one that tested ' +
        '`f() < 0`, and an exit that already left holding it when the function released it nowhere leaked before ' +
        '(the commit only added the release on the normal path). An exit another pair rule already reports for the same acquire (error-path-leak, which names the sibling error ' +
        'path that releases it) is left to that rule: one exit, one finding. ' +
        'Also: the commit deletes the release of a value the function takes into a local variable of its own ' +
        '(`list = fx_query_list(...); ... fx_free_list(list);`, or a list it builds, `l = g_list_append(l, ...); ... ' +
        'g_list_free_full(l, g_free);`) and keeps the take, so no path gives it back; not when ' +
        'the function now hands the value on in a way it did not before (returns it, stores it, declares it `g_auto`, ' +
        'gives it to a call the pre-image did not give it to, unless the program has that callee and it only reads ' +
        'the value: it neither releases, stores, returns nor hands on its parameter). ' +
        'Also: a new `return` or `goto` whose block frees a heap object the function allocated (`g_free(e)`) while a ' +
        'member of it may still hold a heap allocation the function made (`e->alias = g_new0(...)`, also under a ' +
        'condition) that nothing on the way frees or hands on, when the file frees such a member itself elsewhere (a ' +
        'teardown doing `g_free(x->alias)`): freeing the container loses the last pointer to the member. The same for ' +
        'a member given a variable the function took with a pair\'s acquire (`fx_region_ref(mr); bounce->mr = mr;`) ' +
        'and gave back on no way to the exit, where another function of the file gives that member back with the ' +
        'counterpart (`fx_region_unref(bounce->mr)`). ' +
        'And a new `return` or `continue` whose own block makes some of the releases the code after it makes on its way ' +
        'out (the same calls, the same arguments: `g_free(kd); continue;`) but not another release of that code on the ' +
        'same object or a field of it (`fx_unref(kd->mr)`): a teardown copied in part; not when the exit\'s test or its ' +
        'block names that object otherwise. Also a callback that gives back its own registration when it runs, under no ' +
        'test (a one-shot bottom half, `qemu_bh_delete(s->bh); s->bh = NULL;`), where another function of the file made ' +
        'that registration handing the callback itself and kept it in the same field (`s->bh = qemu_bh_new(fx_bh, s)`): ' +
        'a new exit before the release, whose test does not ask after the field and whose block does not release it, ' +
        'keeps the registration alive and the field set. So too a callback that gives back, under no test, what its ' +
        'registration handed it (`FxPatchInfo *info = data.host_ptr; ... g_free(info);`), where another function of the ' +
        'file made that value and handed it with the callback to one call (`info = g_new(...); fx_run_on_cpu(cs, ' +
        'fx_do_patch, RUN_ON_CPU_HOST_PTR(info))`): a new exit before the release, whose test does not test the value ' +
        'itself, leaves it with nobody. ' +
        'Also a new failure `return` before the unconditional free of a field of what the function was handed, which it clears right after (`g_free(b->routes_mig); b->routes_mig = NULL;`, a buffer the object keeps only until this step), on the normal path, not filled again after and not freed in the exit\'s own block, unless the test reads that field. An unlock, an end, a stop or a decrement releases its object even when the function goes on using it after (`fx_unlock_output(vc); fx_flush(vc);`). ' +
        'A new failure `return` (`return -1`, an errno) after an acquire whose value the function keeps in its own variable (`haddr = fx_space_map(...)`), past the acquire\'s own test, that neither releases nor hands the value on, while the success path stores it where the caller finds it (`req->buf = haddr`): the caller takes the failure as nothing done. Not when the function releases it anywhere, nor for a value it returns. ' +
        'So too for a reference or a count taken on a variable (`fx_route_ref(route)`) that the success path then hands whole to a call (`async_run_on_cpu(..., RUN_ON_CPU_HOST_PTR(route))`), when the new failure return comes between the two and does not test the variable itself.',
      why:
        'A lock still held on return deadlocks the next caller; an RCU read section left open stalls every ' +
        'grace period; an in-flight count never dropped makes drain wait forever; a descriptor or buffer leaks on ' +
        'every such call. These are the commonest pair bugs QEMU merged and fixed later: the new early exit is ' +
        'written for its own case and the release at the end of the function is out of sight.',
      fix: 'Release before the new exit (in reverse order of the acquires), or jump to the label whose code releases it.',
      bad: [
        'static int fx_queue_kick(FxQueue *q)',
        '{',
        '    qemu_mutex_lock(&q->lock);',
        '+   if (!q->ready) {',
        '+       return -EAGAIN;',
        '+   }',
        '    fx_queue_push_all(q);',
        '    qemu_mutex_unlock(&q->lock);',
        '    return 0;',
        '}',
      ].join('\n'),
      good: [
        '    qemu_mutex_lock(&q->lock);',
        '+   if (!q->ready) {',
        '+       qemu_mutex_unlock(&q->lock);',
        '+       return -EAGAIN;',
        '+   }',
      ].join('\n'),
    },
  },
  create(context) {
    return {
      changedFunction(file, change) {
        if (file.post) {
          checkFunction(context, file, change);
          checkUnfreedSiblings(context, file, change);
          if (change.post && !change.post.hasErrors) {
            checkFlags(context, file, change.post);
            checkSelfKept(context, file, change.post);
          }
        }
      },
    };
  },
};
