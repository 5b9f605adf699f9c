/**
 * call-asymmetry: a patch adds an acquire on one side with no release on the
 * other, removes a release the other side still needs, or makes a register
 * function replay add callbacks while its unregister replays no del, or
 * installs a handler the other side does not (or no longer) clears, or
 * releases one object more often than the other side takes it.
 */
import type { CCall, CFileModel, CFunction } from '../src/cmodel/types.js';
import type { NoOptions, Rule, RuleContext } from '../src/rule/rule.js';
import type { SidePair } from '../src/pairs/sides.js';
import type { PrimitiveMatch } from '../src/pairs/table.js';
import type { CallSite, ChangedFile, FunctionChange, ReachedFunction, SideRoots } from '../src/rule/model.js';


// what the release side does about it ({{never}} below): nothing, or the release on other objects only (facts.ts)
const ADDED = '{{never}}';
const LEAKS = 'what {{callee}}() sets up is not undone when the other side runs, so it leaks or outlives its owner.';
const ELSEWHERE =
  ' It is released in {{elsewhere}}() instead ({{elsewherePath}}:{{elsewhereLine}}), which does not run ' +
  'when {{release}}() does: a different lifetime, so between the two the {{what}} outlives what it serves.';
const ADD = ' Add the matching {{wanted}}() to {{release}}(), or explain in the commit message where it is released.';
const ADDED_HERE = '{{fn}}() now calls {{callee}}() on the acquire side of {{pair}}, but {{release}}() ({{file}}:{{releaseLine}}) ' + ADDED;
const NEW_RELEASE =
  '{{release}}() is new in this commit as the release side of {{pair}}, but ' + ADDED + ', ' +
  'for the {{callee}}() that {{fn}}() makes at {{file}}:{{line}}';

const MESSAGES = {
  newReleaseSide:
    '{{release}}(), which this commit adds as the release side of {{pair}}, undoes what {{done}}() sets up ' +
    '({{donePath}}:{{doneLine}}) but not {{acquire}}() of `{{object}}` ({{path}}:{{line}}), and no other function of the ' +
    'commit\'s files does: what {{acquire}}() sets up outlives its owner. Call {{wanted}}() on it in {{release}}() too.',
  addedAcquire: `${ADDED_HERE}: ${LEAKS}${ADD}`,
  addedAcquireElsewhere: `${ADDED_HERE}: ${LEAKS}${ELSEWHERE}${ADD}`,
  newRelease: `${NEW_RELEASE}: ${LEAKS}${ADD}`,
  newReleaseElsewhere: `${NEW_RELEASE}: ${LEAKS}${ELSEWHERE}${ADD}`,
  extraAcquire:
    '{{fn}}() now calls {{callee}}({{object}}) {{taken}} times on every path, but the release side of {{pair}} ' +
    'calls {{releaseCallee}}({{object}}) {{given}} ({{path}}:{{line}}): ' +
    'one {{callee}}() is never undone, so the {{what}} outlives its owner. Drop the extra {{callee}}(), ' +
    'or add the matching {{releaseCallee}}() to {{release}}().',
  extraRelease:
    '{{fn}}() now leads the release side of {{pair}} to call `{{callee}}({{object}})` {{given}} times on every path, but ' +
    'the acquire side takes it {{taken}} ({{path}}:{{line}}): the extra {{callee}}() releases what is no longer held ' +
    '(a double unref, unmap or free). Drop one of them.',
  copiedRelease:
    '{{fn}}() now calls {{callee}}() on `{{object}}` on the acquire side of {{pair}}, but the release side never ' +
    'calls {{wanted}}() on `{{object}}`: the {{wanted}}() this commit added to {{releaseFn}}() ({{path}}:{{line}}) is on ' +
    '`{{other}}`, which the release side already gives back at {{path}}:{{otherLine}}, so `{{other}}` is released twice ' +
    'and what {{callee}}() takes for `{{object}}` is never released. Call {{wanted}}() on `{{object}}` there instead.',
  removedRelease:
    '{{fn}}() no longer calls {{callee}}(), {{nothingElse}}, ' +
    'but {{acquireFn}}() still calls {{acquire}}() at {{path}}:{{line}}: what the acquire side ' +
    'sets up is now never released. Keep the {{callee}}() call, or drop the acquire in the same patch.',
  removedRuntimeRelease:
    '{{fn}}() no longer calls {{callee}}(), and nothing it calls does, but {{acquireFn}}() still calls {{acquire}}() ' +
    'at {{path}}:{{line}}, outside the acquire side of {{pair}}: {{fn}}() is what gives back whatever such calls still ' +
    'hold when it runs, and that is now never released. Keep the {{callee}}() call, or say in the commit message what releases it.',
  removedRuntimeReleaseOn:
    '{{fn}}() no longer calls {{callee}}() on {{object}}, and nothing it calls does, but {{acquireFn}}() still calls ' +
    '{{acquire}}() at {{path}}:{{line}}, outside the acquire side of {{pair}}: {{fn}}() is what gives back whatever such ' +
    'calls still hold when it runs, and that is now never released. Keep the {{callee}}() call on {{object}}, or say in ' +
    'the commit message what releases it.',
  removedReleaseOn:
    '{{fn}}() no longer calls {{callee}}() on {{object}}, {{nothingElse}}, ' +
    'but {{acquireFn}}() still calls {{acquire}}() at {{path}}:{{line}}: what the acquire side ' +
    'sets up is now never released. Keep the {{callee}}() call on {{object}}, or drop the acquire in the same patch.',
  releaseDroppedWithin:
    '{{fn}}() no longer gives back {{object}} with {{callee}}() on the path where the commit removed {{site}}() ' +
    '({{relPath}}:{{relLine}} before this commit{{through}}), and nothing it puts there does, while it still takes ' +
    '{{object}} with {{acquire}}() at {{path}}:{{line}}: on that path what {{acquire}}() took stays held. Keep the ' +
    '{{callee}}() call there (or the helper that made it), or say in the commit message what releases it.',
  // the helper that made the release ({{through}} above)
  throughHelper: ', which called {{callee}}()',
  replay:
    '{{acquire}}() replays .{{slot}} callbacks ({{callee}}() in {{fn}}() at ' +
    '{{file}}:{{line}}), but {{release}}() replays no .{{releaseSlot}}: everything a ' +
    '{{type}} took in {{slot}} (references, mappings, populated ranges) leaks when it is unregistered. ' +
    'Make {{release}}() call .{{releaseSlot}} for the same ranges, in reverse order.',
  copiedHere: 'this {{callee}}() the commit added is on `{{other}}`',
  alreadyHere: '{{callee}}() already releases it here',
  // the release side's part ({{never}} above, facts.releasesOnOtherObjects)
  neverCalls: 'never calls {{wanted}}(), directly or through its helpers',
  onlyOnOther: 'calls {{other}}() only on another object ({{otherFn}}() at {{otherPath}}:{{otherLine}}), never on {{object}}',
  // ({{nothingElse}} of removedRelease)
  nothingElse: 'and nothing else on the release side of {{pair}} does',
  otherNow: 'and the release side of {{pair}} calls it only on another object now ({{otherFn}}() at {{otherPath}}:{{otherLine}}), not on {{object}}',
  // the object named ({{object}} above)
  objectText: '`{{text}}`',
  thisCallTakes: 'what this call takes',
  thisOne: 'this one',
  // how often the release side calls ({{given}} above)
  once: 'once',
  times: '{{n}} times',
  handlerNotCleared:
    '{{fn}}() now installs {{handler}}() with {{callee}}() on the acquire side of {{pair}}, but {{release}}() ' +
    '({{file}}:{{releaseLine}}) never clears it: the code clears such a handler with {{callee}}() and NULL in its ' +
    'place ({{clearFn}}() at {{clearPath}}:{{clearLine}}), and without that {{handler}}() can still run after ' +
    '{{release}}() has torn its object down. Clear it in {{release}}() the same way.',
  handlerClearRemoved:
    '{{fn}}() no longer clears {{handler}}() (it called {{callee}}() with NULL in its place), but {{installFn}}() still ' +
    'installs it at {{installPath}}:{{installLine}}, and nothing else on the release side of {{pair}} clears it: ' +
    '{{handler}}() can now run after {{fn}}() has torn its object down. Keep the clearing call, or drop the install in the same patch.',
  // related locations
  installsHere: '{{fn}}() installs {{handler}}() here',
  clearsHere: '{{fn}}() clears a handler this way here',
  noCallTo: '{{release}}() has no {{wanted}}() call',
  noCallOn: '{{release}}() calls {{wanted}}() only on another object, not on {{object}}',
  noClear: '{{release}}() does not clear {{handler}}()',
  callsHere: '{{fn}}() calls {{callee}}() here',
  releasesOtherLifetime: '{{fn}}() releases it, with another lifetime',
  callsHereGiven: '{{fn}}() calls {{callee}}() here, {{given}}',
  stillCalls: '{{fn}}() still calls {{callee}}() here',
  sendsNo: '{{release}}() sends no .{{slot}}',
};

type Ctx = RuleContext<NoOptions, keyof typeof MESSAGES>;

/**
 * What identifies a call as moved: a name-family call (`fx_device_add_group`)
 * is specific enough by its name; a table primitive called all over QEMU
 * (g_malloc0, memory_region_ref) only with the same arguments.
 */
function movedArgs(match: PrimitiveMatch, call: CCall): readonly string[] | undefined {
  return match.fromFamily ? undefined : call.args;
}

/** For list-only pairs (g_malloc/g_free), the other side must take the element off the list. */
function listPaired(ctx: Ctx, file: ChangedFile, names: Iterable<string>, op: 'insert' | 'remove'): boolean {
  for (const name of names) {
    const fn = file.post?.functionByName(name);
    if (fn?.calls.some((c) => (op === 'insert' ? ctx.pairs.isListInsert(c.callee) : ctx.pairs.isListRemove(c.callee)))) return true;
  }
  return false;
}

/** Does the call work on a variable of the file or program (`&cfg_lock`), not on the instance or a parameter? */
function onGlobal(call: CCall, fn: CFunction): boolean {
  const m = /^&\s*([A-Za-z_]\w*)$/.exec((call.args[0] ?? '').trim());
  return m !== null && call.result === undefined && !(fn.params ?? []).includes(m[1] as string);
}

function count(fn: CFunction | null, callee: string): number {
  return fn ? fn.calls.filter((c) => c.callee === callee).length : 0;
}

/** The slot a call through a function pointer invokes: `listener->region_add(...)` → region_add. */
function slotOf(call: CCall): string | null {
  const m = /(?:->|\.)\s*(\w+)$/.exec(call.callee);
  return m ? (m[1] as string) : null;
}

function addedAcquires(ctx: Ctx, file: ChangedFile, pair: SidePair): void {
  const post = file.post!;
  const summary = ctx.model.summary();
  const sides = ctx.model.sideRootsOf(file.postSides, pair);
  // A new release-side function must undo what the acquire side does, added or not (reported only
  // where that newly breaks a balance: an element it takes off a list without freeing it).
  const newRelease = !summary.pre.has(summary.preName(pair.release)) && file.touched(pair.release);
  for (const name of pair.acquireSide) {
    if (!file.touched(name) && !newRelease) continue;
    const fn = post.functionByName(name);
    if (!fn) continue;
    const preFn = file.pre?.functionByName(summary.preName(name)) ?? null;
    const seen = new Set<string>();
    // calls the commit added: more calls of the callee than the old self made (summary.gained, names mapped)
    const gained = new Set(summary.gained(fn, file, (f) => f.calls, (c, rename) => rename(c.callee)).map((c) => c.callee));
    for (const call of fn.calls) {
      if (seen.has(call.callee)) continue;
      const addedHere = file.added.has(call.line) && gained.has(call.callee);
      if (!addedHere && !newRelease) continue;
      // a handler installed: handlersNotCleared() says what is left installed, with the handler named
      if (ctx.model.toggleOf(call.callee)?.kind === 'handler') continue;
      const match = ctx.model.matchPrimitive(call, fn, ctx.pairs, summary.knownNames, true);
      if (!match || match.role !== 'acquire') continue;
      if (match.pair.onlyWithList && !listPaired(ctx, file, pair.releaseSide, 'remove')) continue;
      // released by its scope (g_autofree), or a global the process keeps (`&file_scope_lock`): not the instance's
      if (call.autoReleased || onGlobal(call, fn)) continue;
      seen.add(call.callee);
      // moved here from another function or file of the commit: not a new acquire
      if (summary.callDelta(call.callee, movedArgs(match, call)).lost.length > 0) continue;
      if (!summary.newlyUnbalanced(sides, call.callee, file.path, call)) {
        if (addedHere && !copiedRelease(ctx, file, pair, fn, call, match)) extraAcquire(ctx, file, pair, fn, preFn, call, match);
        continue;
      }
      // made in a helper that is itself the acquire side of a pair the commit unbalanced the same way
      // (map_ring of map_ring/unmap_ring, reached from start/stop): that pair reports it, once
      if (fn.name !== pair.acquire && innerPairReports(ctx, file, pair, fn.name, call)) continue;
      const release = post.functionByName(pair.release) as CFunction;
      const wanted = match.counterparts.join('() or ');
      // released elsewhere, by a function with another lifetime (instance_finalize for a realize)
      const sideNames = new Set([...sides.release, ...pair.acquireSide]);
      const elsewhereSite = summary.releasedElsewhere('post', new Set(match.counterparts), sideNames, call);
      const elsewhere = elsewhereSite ? { c: elsewhereSite.call, p: { fn: elsewhereSite.fn, path: elsewhereSite.path } } : undefined;
      // the release side disposes of the field the call filled some other way (`g_clear_pointer(&b->array,
      // g_array_unref)` for a g_array_new() the table pairs with g_array_free()): not left behind. Only a free, a
      // disposer or a clearing call counts (`timer_del(s->t)` stops a timer, it does not free it)
      const chain = ctx.model.fieldChain(call.result);
      const disposal = chain !== null ? ctx.model.fieldRelease(summary.reach('post', sides.release, sides.acquire, file.path).values(), chain) : null;
      if (disposal !== null && [ctx.pairs.isSafeRelease, ctx.pairs.isHeapRelease, ctx.pairs.disposesWhole].some((is) => is.call(ctx.pairs, disposal.call.callee))) continue;
      // the release side calls the counterpart, on another object: say so, not "never calls"
      const object = ctx.model.objectText(call);
      const onOther = ctx.model.releasesOnOtherObjects(summary.reach('post', sides.release, sides.acquire, file.path).values(), new Set(match.counterparts), call)[0];
      const never = onOther
        ? ctx.format('onlyOnOther', {
            other: onOther.call.callee,
            otherFn: onOther.fn.name,
            otherPath: onOther.path,
            otherLine: onOther.call.line,
            object: object ? ctx.format('objectText', { text: object }) : ctx.format('thisCallTakes'),
          })
        : ctx.format('neverCalls', { wanted });
      // The primary location must be a changed line: the added call, or the new release function.
      const at = addedHere ? { line: call.line, endLine: call.endLine, fn: fn.name } : { line: release.startLine, endLine: release.startLine, fn: release.name };
      const data = { fn: fn.name, callee: call.callee, pair: pair.label, release: pair.release, file: file.path, wanted, never };
      const here = { ...data, releaseLine: release.startLine };
      const made = { ...data, line: call.line };
      ctx.report({
        at: { file: file.path, line: at.line, endLine: at.endLine, function: at.fn },
        ...(elsewhere
          ? {
              messageId: addedHere ? 'addedAcquireElsewhere' : 'newReleaseElsewhere',
              data: {
                ...(addedHere ? here : made),
                elsewhere: elsewhere.p.fn.name,
                elsewherePath: elsewhere.p.path,
                elsewhereLine: elsewhere.c.line,
                what: match.pair.what,
              },
            }
          : addedHere
            ? { messageId: 'addedAcquire', data: here }
            : { messageId: 'newRelease', data: made }),
        related: [
          addedHere
            ? onOther
              ? { file: file.path, line: release.startLine, function: pair.release, messageId: 'noCallOn', data: { release: pair.release, wanted: onOther.call.callee, object: object ? ctx.format('objectText', { text: object }) : ctx.format('thisOne') } }
              : { file: file.path, line: release.startLine, function: pair.release, messageId: 'noCallTo', data: { release: pair.release, wanted } }
            : { file: file.path, line: call.line, function: fn.name, messageId: 'callsHere', data: { fn: fn.name, callee: call.callee } },
          ...(elsewhere
            ? [{ file: elsewhere.p.path, line: elsewhere.c.line, function: elsewhere.p.fn.name, messageId: 'releasesOtherLifetime' as const, data: { fn: elsewhere.p.fn.name } }]
            : []),
        ],
        // once per call and release side: several acquires sharing one release (`fx_alloc`, `fx_alloc_from_fd`, ...
        // each reaching the same add with `fx_free` as their undo) are one finding
        key: `added|${pair.release}|${call.callee}`,
        repair: { callees: match.counterparts, functions: sides.release },
      });
    }
  }
}

/** Did the commit add, within a few lines of `line`, a call through a callback slot whose name is a release verb's? */
function delegatedHere(ctx: Ctx, file: ChangedFile, fn: CFunction, line: number): boolean {
  return fn.calls.some((c) => {
    if (!file.added.has(c.line) || Math.abs(c.line - line) > 3) return false;
    const slot = /(?:->|\.)\s*(\w+)$/.exec(c.callee)?.[1];
    return slot !== undefined && ctx.pairs.hasReleaseVerb(slot);
  });
}

/** Is `helper` the acquire root of another pair of the file that the commit left unbalanced for `call`? */
function innerPairReports(ctx: Ctx, file: ChangedFile, outer: SidePair, helper: string, call: CCall): boolean {
  const summary = ctx.model.summary();
  return file.postSides.some(
    (p) => p !== outer && p.acquire === helper && summary.newlyUnbalanced(ctx.model.sideRootsOf(file.postSides, p), call.callee, file.path, call),
  );
}

const firstArg = (c: CCall) => (c.args[0] ?? '').replace(/\s+/g, '');

/** Calls to `callees` with the same first argument, in `fns` (unconditional ones only, when `always`). */
function countOn(fns: Iterable<CFunction>, callees: ReadonlySet<string>, object: string, always: boolean): number {
  let n = 0;
  for (const fn of fns) {
    for (const c of fn.calls) if (callees.has(c.callee) && firstArg(c) === object && (!always || (c.guards.length === 0 && !c.inLoop))) n++;
  }
  return n;
}

/**
 * The acquire side now takes the same object more often than the release
 * side gives it back (a second `memory_region_ref(section->mr)` where
 * region_del unrefs once), where before the counts matched: counted over
 * unconditional calls of the acquiring function and every call of the
 * release side, with the same first argument.
 */
/**
 * As many releases as acquires, but not on the same objects: the commit adds an acquire on a new object and, on the
 * release side, a release of an object the release side already gives back (a copy-paste that kept the old name),
 * so nothing releases the new object. Reported (true) when so.
 */
function copiedRelease(ctx: Ctx, file: ChangedFile, pair: SidePair, fn: CFunction, call: CCall, match: PrimitiveMatch): boolean {
  const object = ctx.model.objectText(call);
  if (object === null) return false;
  const summary = ctx.model.summary();
  const sides = ctx.model.sideRootsOf(file.postSides, pair);
  const counterparts = new Set(match.counterparts);
  const releases = [...summary.reach('post', sides.release, sides.acquire, file.path).values()].flatMap((r) =>
    r.path === file.path ? r.fn.calls.filter((c) => counterparts.has(c.callee)).map((c) => ({ c, fn: r.fn })) : [],
  );
  if (releases.length === 0 || releases.some((r) => ctx.model.sameObject(r.c, call))) return false;
  const copied = releases.find((r) => file.added.has(r.c.line) && releases.some((o) => o !== r && ctx.model.sameObject(o.c, r.c)));
  if (!copied) return false;
  const other = releases.find((o) => o !== copied && ctx.model.sameObject(o.c, copied.c)) as { c: CCall; fn: CFunction };
  ctx.report({
    at: { file: file.path, line: call.line, endLine: call.endLine, function: fn.name },
    messageId: 'copiedRelease',
    data: {
      fn: fn.name,
      callee: call.callee,
      object,
      pair: pair.label,
      wanted: copied.c.callee,
      releaseFn: copied.fn.name,
      path: file.path,
      line: copied.c.line,
      other: ctx.model.objectText(copied.c) ?? firstArg(copied.c),
      otherLine: other.c.line,
    },
    related: [
      { file: file.path, line: copied.c.line, function: copied.fn.name, messageId: 'copiedHere', data: { callee: copied.c.callee, other: ctx.model.objectText(copied.c) ?? firstArg(copied.c) } },
      { file: file.path, line: other.c.line, function: other.fn.name, messageId: 'alreadyHere', data: { callee: other.c.callee } },
    ],
    key: `copied|${pair.acquire}/${pair.release}|${call.callee}|${object}`,
    repair: { callees: match.counterparts, functions: sides.release },
  });
  return true;
}

function extraAcquire(ctx: Ctx, file: ChangedFile, pair: SidePair, fn: CFunction, preFn: CFunction | null, call: CCall, match: PrimitiveMatch): void {
  const object = firstArg(call);
  if (object === '' || match.pair.safeRelease || !preFn || call.guards.length > 0 || call.inLoop) return;
  const summary = ctx.model.summary();
  const sides = ctx.model.sideRootsOf(file.postSides, pair);
  // a subregion of a container this side creates with an owner ends with the container
  if (ctx.model.addedToOwnedContainer(call, [...summary.reach('post', sides.acquire, sides.release, file.path).values()].map((r) => r.fn), summary.post.all().map((p) => p.fn))) return;
  const acquire = new Set([call.callee]);
  const release = new Set(match.counterparts);
  const releaseFns = (image: 'pre' | 'post') =>
    [...summary.reach(image, image === 'pre' ? summary.mapSides(sides).release : sides.release, image === 'pre' ? summary.mapSides(sides).acquire : sides.acquire, file.path).values()].map((r) => r.fn);
  const takenNow = countOn([fn], acquire, object, true);
  const givenNow = countOn(releaseFns('post'), release, object, false);
  const takenBefore = countOn([preFn], new Set([summary.preName(call.callee)]), object, true);
  const givenBefore = countOn(releaseFns('pre'), new Set(match.counterparts.map((c) => summary.preName(c))), object, false);
  if (!(takenNow > givenNow && takenNow > takenBefore && takenBefore <= givenBefore && givenBefore > 0)) return;
  const site = [...summary.reach('post', sides.release, sides.acquire, file.path).values()]
    .flatMap((r) => r.fn.calls.filter((c) => release.has(c.callee) && firstArg(c) === object).map((c) => ({ c, r })))[0];
  if (!site) return;
  const given = givenNow === 1 ? ctx.format('once') : ctx.format('times', { n: givenNow });
  ctx.report({
    at: { file: file.path, line: call.line, endLine: call.endLine, function: fn.name },
    messageId: 'extraAcquire',
    data: {
      fn: fn.name,
      callee: call.callee,
      object,
      taken: takenNow,
      pair: pair.label,
      releaseCallee: site.c.callee,
      given,
      path: site.r.path,
      line: site.c.line,
      what: match.pair.what,
      release: pair.release,
    },
    related: [{ file: site.r.path, line: site.c.line, function: site.r.fn.name, messageId: 'callsHereGiven', data: { fn: site.r.fn.name, callee: site.c.callee, given } }],
    key: `extra|${pair.acquire}/${pair.release}|${call.callee}|${object}`,
    repair: { callees: match.counterparts, functions: sides.release },
  });
}

/**
 * The release side now releases the same object more often than the acquire side takes it (a second
 * `fx_unref(s->obj)`, or a helper that releases it called before the release itself), where before the
 * counts matched: unconditional calls with the same first argument, over the release side's reach. An
 * argument passed by address (`g_clear_pointer(&s->buf, g_free)`) may be cleared by the call, and a store
 * into the object on the release side makes the second release another object's.
 */
function extraReleases(ctx: Ctx, file: ChangedFile, pair: SidePair): void {
  const post = file.post!;
  const summary = ctx.model.summary();
  const sides = ctx.model.sideRootsOf(file.postSides, pair);
  if (![...pair.releaseSide].some((n) => file.touched(n))) return;
  const root = post.functionByName(pair.release);
  if (!root || !file.pre) return;
  const reached = (image: 'pre' | 'post', roots: readonly string[], stop: readonly string[]) =>
    [...summary.reach(image, roots, stop, file.path).values()].map((r) => r.fn);
  const releaseNow = reached('post', sides.release, sides.acquire);
  const preSides = summary.mapSides(sides);
  const releaseBefore = reached('pre', preSides.release, preSides.acquire);
  // the same call, argument for argument: a first argument is often the context (`vdev`), not the object
  const textOf = (c: CCall) => c.args.map((a) => a.replace(/\s+/g, '')).join(', ');
  // one pass first: only a call made twice, unconditionally, can be an extra release
  const made = new Map<string, number>();
  for (const fn of releaseNow) {
    for (const c of fn.calls) {
      if (c.guards.length > 0 || c.inLoop || c.args.length === 0) continue;
      const k = `${c.callee}|${textOf(c)}`;
      made.set(k, (made.get(k) ?? 0) + 1);
    }
  }
  const seen = new Set<string>();
  for (const fn of releaseNow) {
    for (const call of fn.calls) {
      if (call.guards.length > 0 || call.inLoop || call.args.length === 0) continue;
      const object = textOf(call);
      const key = `${call.callee}|${object}`;
      if ((made.get(key) ?? 0) < 2 || seen.has(key) || call.args.some((a) => a.trim().startsWith('&'))) continue;
      seen.add(key);
      const match = ctx.model.matchPrimitive(call, fn, ctx.pairs, summary.knownNames, true);
      if (!match || match.role !== 'release') continue;
      const release = new Set([call.callee]);
      const same = (c: CCall) => c.args.map((a) => a.replace(/\s+/g, '')).join(', ') === object;
      const releases = (fns: readonly CFunction[], callees: ReadonlySet<string>) =>
        fns.reduce((n, f) => n + f.calls.filter((c) => callees.has(c.callee) && same(c) && c.guards.length === 0 && !c.inLoop).length, 0);
      const givenNow = releases(releaseNow, release);
      if (givenNow < 2) continue;
      const givenBefore = releases(releaseBefore, new Set([summary.preName(call.callee)]));
      // what the acquire side takes of it: calls of a counterpart on the same object
      const taken = (fns: readonly CFunction[], callees: ReadonlySet<string>) =>
        fns.reduce((n, f) => n + f.calls.filter((c) => callees.has(c.callee) && ctx.model.sameObject(c, call)).length, 0);
      const acquire = new Set(match.counterparts);
      const takenNow = taken(reached('post', sides.acquire, sides.release), acquire);
      const takenBefore = taken(reached('pre', preSides.acquire, preSides.release), new Set(match.counterparts.map((c) => summary.preName(c))));
      if (!(givenNow > takenNow && givenNow > givenBefore && givenBefore <= takenBefore && takenNow > 0)) continue;
      // what the instance holds (a field chain): a local's count is no balance (a view held once by the
      // variable and once by the map it came from is rightly unreffed twice)
      const field = ctx.model.fieldChain(call.args[0]);
      if (!field) continue;
      // stored again on the release side: the second release is of what the store put there
      if (releaseNow.some((f) => f.stores.some((st) => st.field === field[field.length - 1]))) continue;
      // where the commit made the extra one: a release of the object it added on the release side, else a call of
      // a helper it added in the release root
      const mine = releaseNow.filter((f) => post.functionByName(f.name) === f);
      const at =
        mine.flatMap((f) => f.calls.filter((c) => file.added.has(c.line) && c.callee === call.callee && same(c)).map((c) => ({ c, f })))[0] ??
        root.calls.filter((c) => file.added.has(c.line) && summary.post.has(c.callee)).map((c) => ({ c, f: root }))[0];
      const site = reached('post', sides.acquire, sides.release)
        .flatMap((f) => f.calls.filter((c) => acquire.has(c.callee) && ctx.model.sameObject(c, call)).map((c) => ({ c, f })))[0];
      if (!at || !site) continue;
      const sitePath = summary.post.lookup(site.f.name, file.path)?.path ?? file.path;
      ctx.report({
        at: { file: file.path, line: at.c.line, endLine: at.c.endLine, function: at.f.name },
        messageId: 'extraRelease',
        data: {
          fn: at.f.name,
          pair: pair.label,
          callee: call.callee,
          object,
          given: givenNow,
          taken: takenNow === 1 ? ctx.format('once') : ctx.format('times', { n: takenNow }),
          path: sitePath,
          line: site.c.line,
        },
        related: [{ file: sitePath, line: site.c.line, function: site.f.name, messageId: 'callsHere', data: { fn: site.f.name, callee: site.c.callee } }],
        key: `extra-release|${pair.acquire}/${pair.release}|${call.callee}|${object}`,
      });
    }
  }
}

function removedReleases(ctx: Ctx, file: ChangedFile, pair: SidePair): void {
  const pre = file.pre;
  const post = file.post!;
  if (!pre) return;
  const summary = ctx.model.summary();
  const sides = ctx.model.sideRootsOf(file.postSides, pair);
  for (const name of pair.releaseSide) {
    const postFn = post.functionByName(name);
    const preFn = pre.functionByName(summary.preName(name));
    if (!preFn || !postFn || !file.touched(name)) continue;
    const seen = new Set<string>();
    // counted by callee and object: a copy-paste that frees one timer twice and the other never keeps the count
    // of `timer_free` calls, not of `timer_free(s->other)` ones
    const objectOf = (c: CCall) => ctx.model.objectText(c) ?? '';
    const countOf = (fn: CFunction, c: CCall) => fn.calls.filter((x) => x.callee === c.callee && objectOf(x) === objectOf(c)).length;
    for (const call of preFn.calls) {
      const key = `${call.callee}\u0000${objectOf(call)}`;
      if (!file.removed.has(call.line) || seen.has(key)) continue;
      if (count(postFn, call.callee) >= count(preFn, call.callee) && countOf(postFn, call) >= countOf(preFn, call)) continue;
      // a handler clear dropped: handlerClearsRemoved() names the handler left installed
      if (ctx.model.toggleOf(call.callee)?.kind === 'handler') continue;
      const match = ctx.model.matchPrimitive(call, preFn, ctx.pairs, summary.knownNames, true);
      if (!match || match.role !== 'release') continue;
      if (match.pair.onlyWithList && !listPaired(ctx, file, pair.acquireSide, 'insert')) continue;
      seen.add(key);
      // still made, through a call handed it as a function on the same object (`g_clear_pointer(&s->bh, qemu_bh_delete)`)
      if (ctx.model.releaseHandedOn(postFn, call)) continue;
      // moved to another function or file of the commit (a helper, a framework path): not dropped
      if (summary.callDelta(call.callee, movedArgs(match, call)).gained.length > 0) continue;
      // the acquire of the object this release undid, still made on the acquire side
      const onSide = ctx.model.firstCallTo(summary.reach('post', sides.acquire, sides.release, file.path), new Set(match.counterparts), call);
      const runtime = onSide ? null : runtimeAcquire(ctx, file, sides, match, call, preFn);
      const first = onSide ?? runtime;
      if (!first || (onSide && !summary.newlyUnbalanced(sides, onSide.call.callee, file.path, call))) continue;
      const line = file.preToPost(call.line);
      // replaced, where it stood, by a call through a release-named callback (`ops->release(obj)`): the release is
      // delegated to what the code installs in that slot, which a call through a pointer does not show
      if (delegatedHere(ctx, file, postFn, line)) continue;
      // what the model saw on the release side now: nothing for this object, or the release on other objects only
      const object = ctx.model.objectText(call);
      const onOther = ctx.model.releasesOnOtherObjects(summary.reach('post', sides.release, sides.acquire, file.path).values(), new Set([call.callee]), call)[0];
      const nothingElse = onOther
        ? ctx.format('otherNow', {
            pair: pair.label,
            otherFn: onOther.fn.name,
            otherPath: onOther.path,
            otherLine: onOther.call.line,
            object: object ? ctx.format('objectText', { text: object }) : ctx.format('thisOne'),
          })
        : ctx.format('nothingElse', { pair: pair.label });
      // the function still makes the call, on other objects: name the one it no longer releases
      const still = object !== null && count(postFn, call.callee) > 0;
      ctx.report({
        at: { file: file.path, line, function: postFn.name },
        messageId: runtime ? (still ? 'removedRuntimeReleaseOn' : 'removedRuntimeRelease') : still ? 'removedReleaseOn' : 'removedRelease',
        data: {
          ...(still ? { object: ctx.format('objectText', { text: object }) } : {}),
          nothingElse,
          fn: postFn.name,
          callee: call.callee,
          pair: pair.label,
          acquireFn: first.fn.name,
          acquire: first.call.callee,
          path: first.path,
          line: first.call.line,
        },
        related: [
          {
            file: first.path,
            line: first.call.line,
            function: first.fn.name,
            messageId: 'stillCalls',
            data: { fn: first.fn.name, callee: first.call.callee },
          },
        ],
        // one teardown, whichever pairs it is the release side of: one finding for a runtime acquire
        key: runtime ? `removed-runtime|${postFn.name}|${call.callee}` : `removed|${pair.acquire}/${pair.release}|${call.callee}`,
        repair: { callees: [call.callee], functions: sides.release },
      });
    }
  }
}

/**
 * A function that both takes an object and gives it back (a register handler that starts a transfer and, on a reset,
 * ends it), where the commit removes a call of a helper of the file whose own code released the object (a pair's
 * release on it) and puts nothing in its place (the same test, a few lines around) that still does, while the
 * function itself still makes the pair's acquire on the same object, as before, and the commit adds that release
 * nowhere else (moved to a caller, it is still made): a helper swapped for one that does less (`fx_reset(dev)` for
 * `fx_reset_regs(s)`). A release line deleted from the function itself is left to the error-path and pair rules.
 */
function droppedWithin(ctx: Ctx, file: ChangedFile, change: FunctionChange): void {
  const post = change.post;
  const pre = change.pre;
  if (!post || !pre || post.hasErrors || pre.hasErrors) return;
  // most changed functions remove no call at all
  const removed = pre.calls.filter((c) => file.removed.has(c.line));
  if (removed.length === 0) return;
  const summary = ctx.model.summary();
  const prePath = file.oldPath ?? file.path;
  const lastGuard = (c: CCall) => c.guards[c.guards.length - 1]?.condition.normalized ?? '';
  // what a call of the function releases, itself or through the helper it calls: a pair's release and its object
  const releasesOf = (image: 'pre' | 'post', call: CCall, fn: CFunction, path: string): { release: CCall; match: PrimitiveMatch; helper: string | null }[] => {
    const own = ctx.model.matchPrimitive(call, fn, ctx.pairs, summary.knownNames, true);
    if (own?.role === 'release' && !own.pair.onlyWithList) return [{ release: call, match: own, helper: null }];
    if (own) return [];
    // a helper of the same file, read one level deep: what it calls itself, not what its own helpers do
    const helper = summary.program(image).lookup(call.callee, path);
    if (!helper || helper.path !== path || helper.fn === fn) return [];
    const out: { release: CCall; match: PrimitiveMatch; helper: string | null }[] = [];
    for (const c of helper.fn.calls) {
      const m = ctx.model.matchPrimitive(c, helper.fn, ctx.pairs, summary.knownNames, true);
      if (m?.role === 'release' && !m.pair.onlyWithList) out.push({ release: c, match: m, helper: call.callee });
    }
    return out;
  };
  const reported = new Set<string>();
  for (const site of removed) {
    for (const { release, match, helper } of releasesOf('pre', site, pre, prePath)) {
      // a release line deleted from the function itself is the error-path and pair rules' business (most such
      // deletions drop a second release, or move it to an unwind): here, only a helper swapped for one doing less
      if (helper === null) continue;
      // the function still calls that helper, elsewhere (moved to an unwind label): not swapped
      if (post.calls.some((c) => c.callee === site.callee)) continue;
      const object = ctx.model.objectText(release);
      const key = `${release.callee}\u0000${object ?? ''}`;
      if (object === null || reported.has(key)) continue;
      // where the site stood, the post-image still releases it: a kept call, or an added one, itself or through a helper
      // (the function's other paths may release it too: this path is the one the commit changed)
      const there = post.calls.filter((c) => lastGuard(c) === lastGuard(site) && c.line >= file.preToPost(site.line) - 3 && c.line <= file.preToPost(site.line) + 3);
      if (there.some((c) => releasesOf('post', c, post, file.path).some((x) => x.release.callee === release.callee && ctx.model.sameObject(x.release, release)))) continue;
      // or a helper put there that calls the removed helper itself (`fx_region_unmap(region)` looping over
      // `fx_subregion_unmap(region, i)`): the release is still made, one level further down
      // (the loop or test around the removed call may go with it: the helper has its own)
      const near = post.calls.filter((c) => file.added.has(c.line) && c.line >= file.preToPost(site.line) - 8 && c.line <= file.preToPost(site.line) + 8);
      if (near.some((c) => summary.program('post').lookup(c.callee, file.path)?.fn.calls.some((x) => x.callee === site.callee))) continue;
      // the function itself still takes it, as before (in its own body: what a helper deep down takes is that
      // helper's business)
      const counterparts = new Set(match.counterparts);
      const takenCall = post.calls.find((c) => counterparts.has(c.callee) && ctx.model.sameObject(c, release));
      const preNames = new Set(match.counterparts.map((c) => summary.preName(c)));
      if (!takenCall || !pre.calls.some((c) => preNames.has(c.callee) && ctx.model.sameObject(c, release))) continue;
      const taken = { call: takenCall, fn: post, path: file.path };
      // the commit makes the release somewhere else (moved to a caller, another file)
      if (summary.callDelta(release.callee).gained.length > 0) continue;
      reported.add(key);
      const through = ctx.format('throughHelper', { callee: release.callee });
      // the object as the code names it (`s->bus`), not only its last field
      const named = (release.args[0] ?? '').trim();
      const shown = named !== '' && named.replace(/\s+/g, '').includes(object) ? named : object;
      const line = file.preToPost(site.line);
      ctx.report({
        at: { file: file.path, line, function: post.name },
        messageId: 'releaseDroppedWithin',
        data: {
          fn: post.name,
          object: ctx.format('objectText', { text: shown }),
          callee: release.callee,
          site: site.callee,
          through,
          relPath: prePath,
          relLine: site.line,
          acquire: taken.call.callee,
          path: taken.path,
          line: taken.call.line,
        },
        related: [{ file: taken.path, line: taken.call.line, function: taken.fn.name, messageId: 'callsHere', data: { fn: taken.fn.name, callee: taken.call.callee } }],
        key: `dropped-within|${post.name}|${release.callee}|${object}`,
        repair: { callees: [release.callee], functions: [post.name] },
      });
    }
  }
}

/**
 * The acquire a teardown's dropped release undid, when the acquire side never makes it: made by another function
 * of the file while the object lives (a queue a guest-driven register write creates), in the pre-image too. The
 * teardown gives back whatever such calls still hold when it runs, so dropping its release leaks that. Kept to
 * what is plainly the instance's: a name-family pair on the same first argument (the instance the pair works on),
 * or a table pair whose acquire stores into the field the release named. Null when the release side still reaches
 * the release on that object (through any helper).
 */
function runtimeAcquire(ctx: Ctx, file: ChangedFile, sides: SideRoots, match: PrimitiveMatch, release: CCall, preFn: CFunction): CallSite | null {
  const summary = ctx.model.summary();
  const releaseReach = summary.reach('post', sides.release, sides.acquire, file.path);
  const releases = new Set([release.callee]);
  for (const r of releaseReach.values()) if (r.fn.calls.some((c) => releases.has(c.callee) && ctx.model.sameObject(c, release))) return null;
  const counterparts = new Set(match.counterparts);
  // the release gave back what its own function had taken just before (a mapping made to check it): not the teardown's
  if (preFn.calls.some((c) => c.line < release.line && counterparts.has(c.callee))) return null;
  // the code still uses the release elsewhere: a call the commit retired everywhere (an API removed) leaves nothing to keep
  if (!summary.post.all().some(({ fn }) => !releaseReach.has(fn.name) && fn.calls.some((c) => c.callee === release.callee))) return null;
  const instance = firstArg(release);
  const chain = ctx.model.fieldChain(ctx.model.objectText(release) ?? undefined);
  const held = (c: CCall) =>
    match.fromFamily ? instance !== '' && firstArg(c) === instance : chain !== null && c.result !== undefined && ctx.model.fieldChain(c.result) !== null && ctx.model.sameObject(c, release);
  for (const { fn, path } of summary.post.all()) {
    if (path !== file.path || releaseReach.has(fn.name) || sides.acquire.includes(fn.name)) continue;
    const call = fn.calls.find((c) => counterparts.has(c.callee) && held(c));
    // an acquire whose body the commit rewrites may no longer take what the teardown gave back
    if (!call || file.touched(call.callee)) continue;
    // there before the commit too: the teardown's release was the one that undid it
    const before = summary.pre.lookup(summary.preName(fn.name), file.oldPath ?? file.path)?.fn;
    if (!before?.calls.some((c) => c.callee === summary.preName(call.callee))) continue;
    return { call, fn, path, via: [fn.name] };
  }
  return null;
}

/**
 * The commit adds the release side of a pair whose acquire side was there (a new unrealize, a new exit): it must
 * undo what the acquire side sets up on the instance. Reported: an acquire of the acquire side (through its helpers)
 * on a field of the instance that no function of the commit's files releases, while the new release side releases
 * another acquire of the acquire side (so it is the teardown, and forgot one).
 */
function newReleaseSide(ctx: Ctx, file: ChangedFile, pair: SidePair): void {
  const pre = file.pre;
  const post = file.post!;
  if (!pre || pair.kind === 'config') return;
  const summary = ctx.model.summary();
  const releaseFn = post.functionByName(pair.release);
  if (!releaseFn || pre.functionByName(summary.preName(pair.release)) || !pre.functionByName(summary.preName(pair.acquire))) return;
  const sides = ctx.model.sideRootsOf(file.postSides, pair);
  const acquireReach = summary.reach('post', sides.acquire, sides.release, file.path);
  const releaseReach = summary.reach('post', sides.release, sides.acquire, file.path);
  const everywhere = new Map(summary.post.all().map((p) => [`${p.path}\u0000${p.fn.name}`, { fn: p.fn, path: p.path, via: [p.fn.name] }]));
  // an acquire of the acquire side the new release side does undo
  let done: { call: CCall; path: string } | null = null;
  const missing: { call: CCall; fn: CFunction; path: string; match: PrimitiveMatch; object: string }[] = [];
  for (const r of acquireReach.values()) {
    for (const call of r.fn.calls) {
      // a block of the heap kept in a field and freed there (`s->regs = g_new0(...)`, `g_free(s->regs)`) shows the
      // new function is the teardown; one it does not free is field-leak's business
      const kept = call.result !== undefined ? ctx.model.fieldChain(call.result)?.join('.') : undefined;
      if (kept !== undefined && [...releaseReach.values()].some((x) => x.fn.calls.some((c) => ctx.pairs.isHeapRelease(c.callee) && c.args.length === 1 && ctx.model.fieldChain(c.args[0] as string)?.join('.') === kept))) {
        done ??= { call, path: r.path };
        continue;
      }
      const match = ctx.model.matchPrimitive(call, r.fn, ctx.pairs, summary.knownNames, true);
      if (!match || match.role !== 'acquire' || match.pair.onlyWithList || match.pair.safeRelease) continue;
      // a subregion of a container the instance owns goes with the container: nothing for the teardown to undo
      // (an address space rooted at the container is an acquire of its own: the new teardown destroys it, or it is
      // what this reports missing; either way not the subregion)
      if (ctx.model.addedToOwnedContainer(call, [...acquireReach.values()].map((x) => x.fn), summary.post.all().map((p) => p.fn), () => true)) continue;
      // what the instance keeps: a field (`s->timer`, `&s->notifier`)
      // (the value it made or the first thing it is handed: `virtio_init(vdev, ..., s->config_size)` works on vdev)
      const held = call.result ?? call.args[0];
      // or the instance handed as the opaque of a callback it registers (`fx_register_reset(fx_reset, s)`)
      // (the callback right before it: `fx_realize_base(dev, fx_ctrl_cb, errp)` hands callbacks and an Error, no opaque)
      const callbackOpaque = () => {
        const opaque = (call.args.at(-1) ?? '').trim();
        const callback = (call.args.at(-2) ?? '').replace(/^&/, '').trim();
        return call.result === undefined && /^\w+$/.test(opaque) && !/err/.test(opaque) && summary.post.has(callback);
      };
      const byOpaque = (held === undefined || ctx.model.fieldChain(held) === null) && callbackOpaque();
      if ((held === undefined || ctx.model.fieldChain(held) === null) && !byOpaque) continue;
      const counterparts = new Set(match.counterparts);
      // a callback registration is undone by the same callback and opaque (`fx_unregister_reset(fx_reset, s)`)
      const squeeze = (c: CCall) => c.args.map((a) => a.replace(/\s+/g, '')).join(',');
      const found = (reach: ReadonlyMap<string, ReachedFunction>) =>
        byOpaque ? [...reach.values()].some((x) => x.fn.calls.some((c) => counterparts.has(c.callee) && (squeeze(c) === squeeze(call) || c.args.length === 1))) : ctx.model.firstCallTo(reach, counterparts, call) !== null;
      if (found(releaseReach)) {
        done ??= { call, path: r.path };
        continue;
      }
      if (found(everywhere)) continue;
      // (a callback registration named by its callback and opaque, as its undo must name them)
      const object = byOpaque ? call.args.map((a) => a.trim()).join(', ') : (call.result ?? call.args[0] ?? '').replace(/\s+/g, '');
      missing.push({ call, fn: r.fn, path: r.path, match, object });
    }
  }
  if (!done) return;
  // the teardown taken over from functions that were there before (`fx_exit()` now calls the new `fx_cleanup()`):
  // what they never released either is no gap this commit opens
  const callers = summary.post.all().filter((p) => p.fn.name !== releaseFn.name && p.fn.calls.some((c) => c.callee === releaseFn.name) && summary.pre.lookup(summary.preName(p.fn.name), p.path) !== null);
  const before = callers.length > 0 ? summary.reach('pre', callers.map((p) => summary.preName(p.fn.name)), [], file.path) : null;
  const first = missing.find((m) => !before || ctx.model.firstCallTo(before, new Set(m.match.counterparts), m.call) !== null);
  if (!first) return;
  ctx.report({
    at: { file: file.path, line: releaseFn.startLine, function: releaseFn.name },
    messageId: 'newReleaseSide',
    data: {
      release: releaseFn.name,
      pair: pair.label,
      done: done.call.callee,
      donePath: done.path,
      doneLine: done.call.line,
      acquire: first.call.callee,
      object: first.object,
      path: first.path,
      line: first.call.line,
      wanted: first.match.counterparts[0] as string,
    },
    related: [{ file: first.path, line: first.call.line, function: first.fn.name, messageId: 'callsHere', data: { fn: first.fn.name, callee: first.call.callee } }],
    key: `new-release-side|${pair.acquire}/${pair.release}|${first.call.callee}`,
    repair: { callees: first.match.counterparts, functions: [releaseFn.name] },
  });
}

/**
 * Slot calls of a side: its functions, and the callbacks it hands to an
 * iterator (`fx_foreach(fx_notify_one, n)`), in this file.
 */
type Replay = { call: CCall; fn: CFunction; slot: string };

/** A function's calls through slots, and the plain names among its arguments: once per function, not once per pair. */
const slotCallsMemo = new WeakMap<CFunction, { slots: Replay[]; names: string[] }>();
function slotCallsOf(fn: CFunction): { slots: Replay[]; names: string[] } {
  let memo = slotCallsMemo.get(fn);
  if (!memo) {
    const slots: Replay[] = [];
    for (const call of fn.calls) {
      const slot = slotOf(call);
      if (slot) slots.push({ call, fn, slot });
    }
    const names = [...new Set(fn.calls.flatMap((c) => c.args.map((a) => a.replace(/^&\s*/, '').trim())).filter((a) => /^\w+$/.test(a)))];
    slotCallsMemo.set(fn, (memo = { slots, names }));
  }
  return memo;
}

function replaysOf(model: CFileModel | null, names: Iterable<string>): Replay[] {
  const side = [...names].map((n) => model?.functionByName(n)).filter((f): f is CFunction => f !== null && f !== undefined);
  const sideNames = new Set(side.map((f) => f.name));
  // the callbacks a side function hands to an iterator, by name among its arguments
  const fns = new Set(side);
  for (const f of side) {
    for (const a of slotCallsOf(f).names) {
      const handed = sideNames.has(a) ? null : model?.functionByName(a);
      if (handed) fns.add(handed);
    }
  }
  return [...fns].flatMap((fn) => slotCallsOf(fn).slots);
}

/**
 * Slots a side calls through a dispatch macro that takes the slot's name
 * (`FX_LISTENER_CALL_ALL(log_stop, Reverse)` expands to a loop calling
 * `l->log_stop(l)`): the model sees the macro, not the loop it hides, so a
 * bare name among an upper-case macro's arguments counts as a slot the side
 * calls. Used for the release side only, where it can only withhold a
 * finding ("replays no .log_stop" would be untrue).
 */
function macroDispatchedSlots(model: CFileModel | null, names: Iterable<string>): string[] {
  const out: string[] = [];
  // the side's functions and the file's functions they call, as deep as they go (`stop` → `do_stop`)
  const queue = [...names];
  const seen = new Set(queue);
  while (queue.length > 0) {
    const fn = model?.functionByName(queue.pop() as string);
    for (const call of fn?.calls ?? []) {
      if (/^[A-Z][A-Z0-9_]*$/.test(call.callee)) {
        for (const a of call.args) if (/^[a-z_]\w*$/.test(a.trim())) out.push(a.trim());
      } else if (!seen.has(call.callee) && model?.functionByName(call.callee)) {
        seen.add(call.callee);
        queue.push(call.callee);
      }
    }
  }
  return out;
}

/**
 * Slot pairs the code shows for a callback list: the acquire side puts its
 * argument on a list and the release side takes it off (a notifier or
 * listener registry), the acquire side calls a slot (`n->block_added`) and
 * the file calls the slot whose name undoes it (`n->block_removed`)
 * somewhere. Such a register that replays its add slot over what exists owes
 * its unregister the matching replay, whether or not the table lists them.
 */
function listSlotPairs(ctx: Ctx, file: ChangedFile, pair: SidePair, replays: readonly { slot: string }[]): { acquire: string; release: string; type: string }[] {
  const post = file.post!;
  const callsOn = (names: Iterable<string>, test: (callee: string) => boolean) =>
    [...names].some((n) => post.functionByName(n)?.calls.some((c) => test(c.callee)));
  if (!callsOn(pair.acquireSide, (c) => ctx.pairs.isListInsert(c)) || !callsOn(pair.releaseSide, (c) => ctx.pairs.isListRemove(c))) return [];
  const slotsCalled = new Set(post.functions.flatMap((f) => f.calls.map(slotOf).filter((x): x is string => x !== null)));
  const out: { acquire: string; release: string; type: string }[] = [];
  for (const slot of new Set(replays.map((r) => r.slot))) {
    for (const other of slotsCalled) if (ctx.pairs.namesPair(slot, other)) out.push({ acquire: slot, release: other, type: 'notifier' });
  }
  return out;
}

function replayMismatch(ctx: Ctx, file: ChangedFile, pair: SidePair): void {
  const post = file.post!;
  const sideTouched = (set: Set<string>) => [...set].some((n) => file.touched(n));
  if (!sideTouched(pair.acquireSide) && !sideTouched(pair.releaseSide)) return;
  const acquireReplays = replaysOf(post, pair.acquireSide);
  if (acquireReplays.length === 0) return;
  const releaseSlots = new Set([...replaysOf(post, pair.releaseSide).map((r) => r.slot), ...macroDispatchedSlots(post, pair.releaseSide)]);
  const summary = ctx.model.summary();
  const prePair = file.preSides.find((p) => p.acquire === summary.preName(pair.acquire) && p.release === summary.preName(pair.release));
  const preSlots = new Set(prePair ? replaysOf(file.pre, prePair.acquireSide).map((r) => r.slot) : []);
  const preReleaseSlots = new Set(prePair ? [...replaysOf(file.pre, prePair.releaseSide).map((r) => r.slot), ...macroDispatchedSlots(file.pre, prePair.releaseSide)] : []);
  // Replays are a listener's or notifier's business (slots marked `replay` in the pair table):
  // register sends add callbacks for what exists.
  for (const slotPair of [...ctx.pairs.data.slots.filter((s) => s.replay === true), ...listSlotPairs(ctx, file, pair, acquireReplays)]) {
    const replay = acquireReplays.find((r) => r.slot === slotPair.acquire);
    if (!replay || releaseSlots.has(slotPair.release)) continue;
    // Only what this patch changed: a new replay, or a release side that lost its undo.
    const newReplay = !preSlots.has(slotPair.acquire);
    if (!newReplay && !preReleaseSlots.has(slotPair.release)) continue;
    const release = post.functionByName(pair.release) as CFunction;
    const atReplay = file.added.has(replay.call.line);
    const acquireRoot = post.functionByName(pair.acquire) as CFunction;
    const changedLine = atReplay
      ? replay.call.line
      : [...file.added].filter((l) => l >= acquireRoot.startLine && l <= acquireRoot.endLine).sort((a, b) => a - b)[0] ?? release.startLine;
    ctx.report({
      at: { file: file.path, line: changedLine, function: post.functionAt(changedLine)?.name ?? pair.acquire },
      messageId: 'replay',
      data: {
        acquire: pair.acquire,
        slot: slotPair.acquire,
        callee: replay.call.callee,
        fn: replay.fn.name,
        file: file.path,
        line: replay.call.line,
        release: pair.release,
        releaseSlot: slotPair.release,
        // the pair table names what registers (a notifier); a listener unless it says
        type: slotPair.type ?? 'listener',
      },
      related: [
        {
          file: file.path,
          line: release.startLine,
          function: pair.release,
          messageId: 'sendsNo',
          data: { release: pair.release, slot: slotPair.release },
        },
      ],
      key: `replay|${pair.acquire}/${pair.release}|${slotPair.acquire}`,
    });
  }
}

/**
 * A handler installed on the acquire side (`fx_set_fd_handler(fd, fx_read, NULL, s)`) that the release side
 * never clears: the code under review shows the clearing form, the same call with NULL where the handler
 * stood; the release side (through its helpers) makes no such call on the same object.
 */
function handlersNotCleared(ctx: Ctx, file: ChangedFile, pair: SidePair): void {
  const post = file.post!;
  const summary = ctx.model.summary();
  const sides = ctx.model.sideRootsOf(file.postSides, pair);
  const program = summary.post;
  // the setter a call makes, whichever side the model names it for (`fx_set_fd_handler__fn_4`, `__null_4`)
  const setter = (callee: string) => ctx.model.toggleOf(callee)?.base ?? callee;
  for (const name of pair.acquireSide) {
    if (!file.touched(name)) continue;
    const fn = post.functionByName(name);
    if (!fn) continue;
    for (const call of fn.calls) {
      // a setter (`*_set_*handler*`, `*_set_handlers`), installed on the normal path (a failure path that
      // puts back the handler the function took away restores, it does not acquire)
      if (!file.added.has(call.line) || !setter(call.callee).split('_').includes('set') || ctx.model.onErrorBranch(fn, call)) continue;
      // the argument positions that name a function of the program: the handlers it installs
      const handlerAt = call.args
        .map((a, i) => ({ name: a.replace(/^&\s*/, '').trim(), i }))
        .filter((h) => /^\w+$/.test(h.name) && h.name !== setter(call.callee) && program.has(h.name));
      if (handlerAt.length === 0) continue;
      // the clearing form: NULL in every place this call puts a handler
      const clears = (c: CCall) => setter(c.callee) === setter(call.callee) && c.args.length === call.args.length && handlerAt.every((h) => c.args[h.i]?.trim() === 'NULL');
      const clearing = program.all().flatMap((p) => p.fn.calls.filter(clears).map((c) => ({ c, p })))[0];
      if (!clearing) continue;
      // already installed there before the commit (under the old names): not new
      if (summary.alreadySo(fn, file, (old, rename) => old.calls.some((c) => setter(c.callee) === rename(setter(call.callee)) && handlerAt.every((h) => c.args[h.i]?.trim() === rename(h.name))))) continue;
      const releaseReach = summary.reach('post', sides.release, sides.acquire, file.path);
      if ([...releaseReach.values()].some((r) => r.fn.calls.some((c) => clears(c) && ctx.model.sameObject(c, call)))) continue;
      // cleared again on the acquire side's own normal path (a temporary handler)
      if (fn.calls.some((c) => c.line > call.line && clears(c))) continue;
      const release = post.functionByName(pair.release);
      if (!release) continue;
      const handler = (handlerAt[0] as { name: string }).name;
      ctx.report({
        at: { file: file.path, line: call.line, endLine: call.endLine, function: fn.name },
        messageId: 'handlerNotCleared',
        data: {
          fn: fn.name,
          handler,
          callee: setter(call.callee),
          pair: pair.label,
          release: pair.release,
          file: file.path,
          releaseLine: release.startLine,
          clearFn: clearing.p.fn.name,
          clearPath: clearing.p.path,
          clearLine: clearing.c.line,
        },
        related: [
          { file: file.path, line: release.startLine, function: pair.release, messageId: 'noClear', data: { release: pair.release, handler } },
          { file: clearing.p.path, line: clearing.c.line, function: clearing.p.fn.name, messageId: 'clearsHere', data: { fn: clearing.p.fn.name } },
        ],
        key: `handler|${pair.acquire}/${pair.release}|${setter(call.callee)}|${handler}`,
        repair: { callees: [clearing.c.callee], functions: sides.release },
      });
    }
  }
}

/**
 * The release side stops clearing a handler the acquire side still installs: the commit removes a setter
 * call with NULL where the install puts a function of the program (`fx_set_fd_handler(fd, NULL, NULL, NULL)`
 * against `fx_set_fd_handler(fd, fx_read, NULL, s)`), on the same object, and moves it nowhere else.
 */
function handlerClearsRemoved(ctx: Ctx, file: ChangedFile, pair: SidePair): void {
  const pre = file.pre;
  if (!pre) return;
  const post = file.post!;
  const summary = ctx.model.summary();
  const sides = ctx.model.sideRootsOf(file.postSides, pair);
  const program = summary.post;
  const setter = (callee: string) => ctx.model.toggleOf(callee)?.base ?? callee;
  for (const name of pair.releaseSide) {
    if (!file.touched(name)) continue;
    const postFn = post.functionByName(name);
    const preFn = pre.functionByName(summary.preName(name));
    if (!preFn || !postFn) continue;
    for (const call of preFn.calls) {
      if (!file.removed.has(call.line) || !setter(call.callee).split('_').includes('set')) continue;
      const nullAt = call.args.flatMap((a, i) => (a.trim() === 'NULL' ? [i] : []));
      if (nullAt.length === 0) continue;
      // the install it undid: the same setter on the same object, a function of the program where this one has NULL
      const handlerAt = (c: CCall) =>
        nullAt.filter((i) => {
          const h = c.args[i]?.replace(/^&\s*/, '').trim();
          return h !== undefined && /^\w+$/.test(h) && h !== setter(c.callee) && program.has(h);
        });
      const install = [...summary.reach('post', sides.acquire, sides.release, file.path).values()]
        .flatMap((r) => r.fn.calls.filter((c) => setter(c.callee) === setter(call.callee) && c.args.length === call.args.length && handlerAt(c).length > 0 && ctx.model.sameObject(c, call) && !ctx.model.onErrorBranch(r.fn, c)).map((c) => ({ c, r })))[0];
      if (!install) continue;
      const positions = handlerAt(install.c);
      const clears = (c: CCall) => setter(c.callee) === setter(call.callee) && c.args.length === call.args.length && positions.every((i) => c.args[i]?.trim() === 'NULL');
      // still cleared on the release side (kept elsewhere, or moved into a helper it reaches)
      if ([...summary.reach('post', sides.release, sides.acquire, file.path).values()].some((r) => r.fn.calls.some((c) => clears(c) && ctx.model.sameObject(c, install.c)))) continue;
      // moved to another function of the commit
      if (summary.callDelta(call.callee, call.args).gained.length > 0) continue;
      const handler = (install.c.args[positions[0] as number] as string).replace(/^&\s*/, '').trim();
      const line = file.preToPost(call.line);
      ctx.report({
        at: { file: file.path, line, function: postFn.name },
        messageId: 'handlerClearRemoved',
        data: {
          fn: postFn.name,
          handler,
          callee: setter(call.callee),
          installFn: install.r.fn.name,
          installPath: install.r.path,
          installLine: install.c.line,
          pair: pair.label,
        },
        related: [{ file: install.r.path, line: install.c.line, function: install.r.fn.name, messageId: 'installsHere', data: { fn: install.r.fn.name, handler } }],
        key: `handler-removed|${pair.acquire}/${pair.release}|${setter(call.callee)}|${handler}`,
        repair: { callees: [call.callee], functions: sides.release },
      });
    }
  }
}

export const callAsymmetry: Rule<NoOptions, keyof typeof MESSAGES> = {
  meta: {
    id: 'call-asymmetry',
    messages: MESSAGES,
    category: 'pair',
    severity: 'warning',
    summary: 'An acquire added without its release on the other side, a release removed, a replay without its undo, or a handler installed and never cleared (or no longer cleared)',
    docs: {
      what:
        'The patch adds an acquire call (vfio_container_dma_map, memory_region_ref, memory_listener_register, a ' +
        'name-family call such as *_add_subregion) to one side of a pair while the other side has no matching ' +
        'release; or removes a release while the other side still acquires, or while another function of the file, ' +
        'outside the acquire side, still makes the acquire the release undid (a queue a guest\'s register write creates: ' +
        'the teardown gave back whatever was still created when it ran; not when the dropped release undid its own ' +
        'function\'s temporary, the code calls the release nowhere any more, or the commit rewrites the acquire); ' +
        'or, inside one function that both takes an object and gives it back (a register handler that starts a ' +
        'transfer and, on a reset, ends it), removes the call of a helper of the file whose own code released it there ' +
        '(`fx_reset(dev)` swapped for `fx_reset_regs(s)`) and puts nothing in its place, under the same test, that ' +
        'still does (a new helper there that calls the removed one, `fx_region_unmap(region)` for a loop of ' +
        '`fx_subregion_unmap(region, i)`, still does), while the function itself still makes the acquire and the commit adds the release nowhere else; ' +
        'or makes a register function replay ' +
        'add callbacks (region_add, log_global_start, or the added/removed slots of any list registry) while its ' +
        'unregister replays no del (a dispatch macro given the del slot\'s name, `FX_CALL_ALL(log_global_stop, Reverse)`, ' +
        'counts as replaying it); or installs a handler with a setter (`qemu_set_fd_handler(fd, read_cb, ...)`) ' +
        'that the other side never clears with NULL in its place, or removes that clearing call while the install stays; ' +
        'or makes the release side release one object more often than the acquire side takes it (a second unref of a ' +
        'reference taken once, directly or through a helper); or adds an acquire on a new object together with a release ' +
        'on the other side that names an object the release side already gives back (a copy-paste that kept the old ' +
        'name: the old object is released twice, the new one never). ' +
        'Sides are followed through ' +
        'their helpers and wrappers over every file the commit touches; only an imbalance the commit introduces is ' +
        'reported (a call moved to a helper, a caller or another file, an acquire whose release was already ' +
        'missing, a release replaced where it stood by a call through a release-named callback such as ' +
        '`ops->release(obj)`, or one rewritten as a call handed it as a function on the same object, ' +
        '`g_clear_pointer(&s->bh, qemu_bh_delete)`, is not). ' +
        'Also: the commit adds the release side of a pair whose acquire side was there (a new unrealize), and it undoes ' +
        'one acquire the acquire side makes on a field of the instance (or frees a heap block kept in one) but not ' +
        'another acquire on a field, or a callback registered with the instance as its opaque ' +
        '(`fx_register_reset(fx_reset, s)`, undone only by the same callback and opaque), which no function of the ' +
        'commit\'s files releases; not what the functions that now call the new release side, there before the commit, ' +
        'never released either (a teardown moved into a new helper keeps its old gaps).',
      why:
        'A pair only stays balanced if every acquire has its release on the other side. A missing release leaks a ' +
        'reference, a mapping or a listener, and QEMU\'s history has many such leaks merged and fixed years later: ' +
        'the release side is usually out of sight of the patch that adds the acquire.',
      fix: 'Add the matching release to the other side (in reverse order of the acquires), or keep the release you removed.',
      bad: [
        'static void foo_realize(DeviceState *dev, Error **errp)',
        '{',
        '+   memory_listener_register(&s->listener, &address_space_memory);',
        '}',
        'static void foo_unrealize(DeviceState *dev)',
        '{',
        '    /* no memory_listener_unregister() */',
        '}',
      ].join('\n'),
      good: [
        'static void foo_unrealize(DeviceState *dev)',
        '{',
        '+   memory_listener_unregister(&s->listener);',
        '}',
      ].join('\n'),
    },
  },
  create(context) {
    return {
      // the engine's loop over file.postSides (none without a post-image)
      changedFunction(file, change) {
        droppedWithin(context, file, change);
      },
      pair(file, pair) {
        addedAcquires(context, file, pair);
        removedReleases(context, file, pair);
        extraReleases(context, file, pair);
        replayMismatch(context, file, pair);
        handlersNotCleared(context, file, pair);
        handlerClearsRemoved(context, file, pair);
        newReleaseSide(context, file, pair);
      },
    };
  },
};
