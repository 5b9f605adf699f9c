/**
 * error-path-leak: a function that acquires several things gives up on an
 * error path that releases some of them but not all, while the normal
 * release path (another function, or this one's own undo) releases them all;
 * or a new error exit releases nothing of an acquire a sibling error exit of
 * the same function releases (the function's own error handling is the
 * evidence).
 */
import type { CCall, CCondition, CExit, CFunction, CGuard, CStore } from '../src/cmodel/types.js';
import type { NoOptions, Rule, RuleContext } from '../src/rule/rule.js';
import type { PairTable, PrimitiveMatch } from '../src/pairs/table.js';
import type { SidePair } from '../src/pairs/sides.js';
import type { ChangedFile, CommitSummary, FunctionChange, ModelService, ProgramFunction } from '../src/rule/model.js';

const MESSAGES = {
  leak:
    '{{fn}}() {{how}} on this error path after {{leaked}}() ({{file}}:{{leakedLine}}{{when}}), and the ' +
    'unwind undoes {{released}}() but never calls {{want}}(): the {{what}} leaks when ' +
    '`{{condition}}` holds. The normal release path, {{normal}}() ({{normalPath}}:{{normalLine}}), ' +
    'undoes both. Call {{want}}() on this error path too, in reverse order of the acquires.',
  leakSame:
    '{{fn}}() {{how}} on this error path after {{leaked}}() took `{{leakedObject}}` ({{file}}:{{leakedLine}}{{when}}), and the ' +
    'unwind undoes the {{released}}() of `{{releasedObject}}` but never calls {{want}}() on `{{leakedObject}}`: the {{what}} leaks when ' +
    '`{{condition}}` holds. The normal release path, {{normal}}() ({{normalPath}}:{{normalLine}}), ' +
    'undoes both. Call {{want}}() on this error path too, in reverse order of the acquires.',
  siblingLeak:
    '{{fn}}() {{how}} on this error path while it holds what {{leaked}}() took ({{file}}:{{leakedLine}}{{when}}), ' +
    'but its error path at {{file}}:{{siblingLine}} releases that with {{want}}() before it leaves: ' +
    'the {{what}} leaks when `{{condition}}` holds. Call {{want}}() on this error path too, or jump to the unwind that does.',
  siblingLeakVia:
    '{{fn}}() {{how}} on this error path while it holds what {{leaked}}() took ({{file}}:{{leakedLine}}{{when}}), ' +
    'but its error path at {{file}}:{{siblingLine}} releases that through {{helper}}(), which calls {{want}}() ' +
    '({{releasePath}}:{{releaseLine}}), before it leaves: the {{what}} leaks when `{{condition}}` holds. Call ' +
    '{{helper}}() on this error path too, or jump to the unwind that does.',
  skipLeak:
    '{{fn}}() {{how}} here when `{{condition}}` holds, skipping the rest, while `{{variable}}` alone holds what ' +
    '{{leaked}}() took ({{file}}:{{leakedLine}}{{when}}); its error path at {{file}}:{{siblingLine}} releases that ' +
    'with {{want}}() before it leaves, and nothing on this way does: the {{what}} leaks. Call {{want}}() before ' +
    'this return too, or make the check before {{leaked}}().',
  storedLeak:
    '{{fn}}() {{how}} on this error path while `{{object}}` holds what {{leaked}}() returned ({{file}}:{{leakedLine}}{{when}}), ' +
    'but its error path at {{file}}:{{siblingLine}} gives `{{object}}` back with {{want}}() before it leaves: ' +
    'it leaks when `{{condition}}` holds. Call {{want}}() on this error path too, or jump to the unwind that does.',
  returnedLeak:
    '{{fn}}() {{how}} on this error path while `{{variable}}` holds what {{leaked}}() took ({{file}}:{{leakedLine}}{{when}}), ' +
    'and only its success path hands `{{variable}}` on, returning it to the caller at {{file}}:{{returnLine}}: on this ' +
    'path nobody has it, so the {{what}} leaks when `{{condition}}` holds. Call {{want}}() on this error path, or jump to an unwind that does.',
  keptLeakSkip:
    '{{fn}}() {{how}} here when `{{condition}}` holds, skipping the rest, while `{{variable}}` alone holds what ' +
    '{{leaked}}() took ({{file}}:{{leakedLine}}{{when}}), and only the way past this exit keeps `{{variable}}`, {{kept}}: ' +
    'on this way nobody has it, so the {{what}} leaks. Call {{want}}() before this return, or make the check before {{leaked}}().',
  keptStoring: 'storing it in `{{target}}` at {{file}}:{{storeLine}}',
  keptInto: 'putting it into `{{target}}` with {{insert}}() at {{file}}:{{storeLine}}',
  keptLeak:
    '{{fn}}() {{how}} on this error path while `{{variable}}` holds what {{leaked}}() took ({{file}}:{{leakedLine}}{{when}}), ' +
    'and only its success path keeps `{{variable}}`, storing it in `{{target}}` at {{file}}:{{storeLine}}: on this ' +
    'path nobody has it, so the {{what}} leaks when `{{condition}}` holds. Call {{want}}() on this error path, or store it before the check.',
  formerLeak:
    '{{fn}}() {{how}} on this error path while it holds what {{leaked}}() took ({{file}}:{{leakedLine}}{{when}}), ' +
    'but before this commit the same error path {{former}}: the {{what}} now leaks when `{{condition}}` holds. ' +
    'Call {{want}}() on this error path again, or jump back to the unwind that does.',
  unwindSkipped:
    '{{fn}}() {{how}} on this error path, where the error paths before and after it (at {{file}}:{{prevLine}} and ' +
    '{{file}}:{{nextLine}}) jump to {{label}}: it skips {{skipped}}() ({{file}}:{{skippedLine}}), which they run on their ' +
    'way out, so what that undoes stays held when `{{condition}}` holds. Jump to {{label}} too.',
  unwindSkippedNormal:
    '{{fn}}() {{how}} on this error path, where the error path before it (at {{file}}:{{prevLine}}) jumps to ' +
    '{{label}} and the normal path runs into it: it skips {{skipped}}() ({{file}}:{{skippedLine}}), which both run on ' +
    'their way out, so what that undoes stays held when `{{condition}}` holds. Jump to {{label}} too.',
  unwindSkippedLadder:
    '{{fn}}() {{how}} on this error path, while the error path before it (at {{file}}:{{prevLine}}) jumps to {{label}}, ' +
    'whose unwind runs {{skipped}}() ({{file}}:{{skippedLine}}) and this one does not; an earlier error path ' +
    '({{file}}:{{lowerLine}}) skips it as this one does, so what {{skipped}}() undoes was taken between those two, and ' +
    'nothing since gave it back: it stays held when `{{condition}}` holds. Jump to {{label}} too.',
  foreignMapped:
    '{{fn}}() {{how}} on this error path after adding `{{child}}` to `{{container}}` ({{file}}:{{addLine}}), a ' +
    'container it did not make: {{fn}}() is its device\'s .{{slot}}, and a failed {{slot}} is never undone, so ' +
    '`{{child}}` stays in `{{container}}` after the device is gone when `{{condition}}` holds. Take it out on this ' +
    'path with {{release}}(), or add it after the checks that can fail.',
  ladderSkipped:
    '{{fn}}() {{how}} on this error path after {{acquire}}() took `{{object}}` ({{file}}:{{acquireLine}}), but the ' +
    'next error path (at {{file}}:{{nextLine}}) jumps to {{nextLabel}}, whose unwind gives it back with {{skipped}}() ' +
    '({{file}}:{{skippedLine}}), and this one leaves without it: `{{object}}` stays held when `{{condition}}` holds. ' +
    'Jump to {{nextLabel}} instead.',
  unrealizedLeak:
    '{{fn}}() {{how}} on this error path after {{leaked}}() {{took}} ({{file}}:{{leakedLine}}{{when}}); ' +
    '{{want}}() releases it in {{releaseRoot}}(){{through}} ({{releasePath}}:{{releaseLine}}), the .{{releaseSlot}} of ' +
    'this .{{acquireSlot}}, which never runs when {{fn}}() fails: the {{what}} leaks when `{{condition}}` holds. ' +
    'Call {{want}}() on this error path too, or take it after the checks that can fail.',
  // what the acquire did ({{took}} above): took a field, or set up on the instance
  tookField: 'took `{{object}}`',
  setUpOn: 'set something up on `{{object}}`',
  // the helper of the release slot that makes the release ({{through}} above)
  throughHelper: ' through {{helper}}()',
  partialLeak:
    '{{fn}}() {{how}} on this error path after {{leaked}}() took `{{object}}` in this pass of its loop ' +
    '({{file}}:{{leakedLine}}), but the unwind releases with {{want}}() only the elements before `{{index}}` ' +
    '(`{{loop}}`, {{file}}:{{releaseLine}}): the one this pass took leaks when `{{condition}}` holds. ' +
    'Release it before the jump, or let the unwind start from the current element.',
  ownedLeak:
    '{{fn}}() {{how}} on this error path without releasing `{{param}}`, which it was handed to keep or to release: ' +
    '{{siblings}} give `{{param}}` back with {{want}}() before leaving, and on this ' +
    'one nobody does, so it leaks when `{{condition}}` holds. Call `{{want}}({{param}})` on this error path too.',
  // what the error path did before the commit ({{former}} above)
  formerJump: 'jumped to {{label}}, whose unwind releases that with {{want}}() ({{at}})',
  formerBlock: 'released that with {{want}}() ({{at}}) before it left',
  // where the former release stands: in the post-image, or only in the pre-image
  formerHere: '{{file}}:{{line}}',
  formerGone: '{{file}}:{{line}} before this commit',
  // how the error path leaves ({{how}} above)
  jumps: 'jumps to {{label}}',
  jumpsUnwind: 'jumps to its unwind label',
  breaksScope: 'leaves the block that declares `{{variable}}` with `{{kind}}`',
  returnsValue: 'returns {{value}}',
  returns: 'returns',
  // a conditional acquire ({{when}} above): held on the error path when its condition was true
  takenWhen: ', taken when `{{condition}}`',
  takenBefore: ', in the passes of the loop before this one',
  // what leaks ({{what}} above) when the table's entry is for lists only and the function's own variable holds it
  heapAllocation: 'heap allocation',
  flagUnset:
    '{{fn}}() {{how}} on this error path after {{acquire}}() took `{{object}}` ({{file}}:{{acquireLine}}) but before it ' +
    'sets `{{flag}}` ({{file}}:{{flagLine}}), while {{other}}() releases it with {{release}}() only when `{{flag}}` is ' +
    'set ({{otherPath}}:{{testLine}}): on this path nothing ever releases it. Release it before leaving, or set ' +
    '`{{flag}}` right after {{acquire}}() succeeds.',
  movedAbove:
    '{{fn}}() now takes `{{object}}` with {{acquire}}() ({{file}}:{{acquireLine}}) before the error path at ' +
    '{{file}}:{{exitLine}}, which {{how}} when `{{condition}}` holds; before this commit {{acquire}}() came after that ' +
    'check, and nothing on that path gives it back: what it takes now leaks there. Call {{release}}() on that path, ' +
    'or take it after the check again.',
  movedAboveSkip:
    '{{fn}}() now takes `{{object}}` with {{acquire}}() ({{file}}:{{acquireLine}}) before the early exit at ' +
    '{{file}}:{{exitLine}}, which {{how}} when `{{condition}}` holds; before this commit {{acquire}}() came after that ' +
    'exit, so that way took nothing, and nothing on it gives back what it takes now: it leaks there. Call {{release}}() ' +
    'on that way, or take it after the exit again.',
  // related locations
  exitHere: 'this error path leaves without {{release}}()',
  skipHere: 'this exit leaves without {{release}}()',
  flagTested: '{{other}}() tests `{{flag}}` here before it releases with {{release}}()',
  taken: '{{callee}}() is taken here',
  takenByHelper: '{{callee}}() takes it here, with {{inner}}() inside it',
  addedHere: '{{callee}}() puts it into that container here',
  storedHere: '`{{object}}` takes what {{callee}}() returned here',
  releasedBy: '{{fn}}() releases it with {{release}}()',
  siblingReleases: 'this error path releases it with {{release}}()',
  siblingReleasesVia: 'this error path releases it through {{helper}}()',
  ownedReleases: 'this error path gives `{{param}}` back with {{release}}()',
  returnedHere: 'the success path returns `{{variable}}` to the caller here',
  keptOnSuccess: 'the success path keeps `{{variable}}` here',
  jumpsThere: 'this error path jumps to {{label}}',
  skippedHere: '{{label}} runs {{skipped}}() here',
  acquiredHere: '{{acquire}}() takes `{{object}}` here',
  formerlyReleased: 'before this commit, this error path released it with {{release}}() here',
  unwindsBefore: 'the unwind calls {{release}}() here only for the elements before `{{index}}`',
  releasedByReleaseSlot: '{{fn}}() releases it here, on the .{{releaseSlot}} path that runs only after a .{{acquireSlot}} that succeeded',
};

type Ctx = RuleContext<NoOptions, keyof typeof MESSAGES>;

interface Acquire {
  call: CCall;
  match: PrimitiveMatch;
  /**
   * checked on sibling error exits only: a heap allocation held in one of the function's own
   * variables (the table counts heap allocations only with lists), while nothing took it over; or
   * a call through a slot whose name pairs with another slot on the same base (`k->realize`)
   */
  siblingOnly?: 'heap' | 'slot' | 'constructor' | 'field' | 'helper' | 'stored';
  /** for a heap allocation: the function's own variable that holds it (releases count on that variable only) */
  variable?: string;
  /** for a helper's acquire: the call inside the helper that takes it */
  inner?: CCall;
}

interface Leak {
  exit: CExit;
  guard: CGuard;
  leaked: Acquire;
  released: Acquire;
  /** a function that releases both: the normal path */
  normal: ProgramFunction;
  normalCalls: [CCall, CCall];
}

/** An error exit that leaves holding an acquire that a sibling error exit of the same function releases. */
interface SiblingLeak {
  exit: CExit;
  guard: CGuard;
  leaked: Acquire;
  /** the release on the sibling error path; null when the evidence is the success return (returnedAt) */
  siblingRelease: CCall | null;
  /** the helper of the program the sibling's unwind calls, when the release is made inside it (`fx_cleanup(s)`) */
  siblingVia?: CCall;
  /** the success path's `return v;` that hands the acquire's variable to the caller, when no sibling releases it */
  returnedAt?: CExit;
  /** the success path's store of the acquire's variable into a field or an element (`u->sq[qid] = sq;`) */
  storedAt?: CStore & { via?: string };
  /** the same error exit in the pre-image, whose unwind released it (formerRelease), when no sibling releases it */
  former?: FormerRelease;
  /** the release slot's release of it, when the function is an acquire slot whose failure skips that slot */
  releaseSlot?: SlotRelease;
  /** the unwind's release of the elements before the current one (beforeCurrent), when nothing else releases it */
  partial?: CCall;
  /** how many exits of the function leave this acquire held (set by factsOf) */
  heldExits?: number;
  /** the exit is no error: a bare `return;` that skips the rest, leaving what only a variable of the function held */
  skip?: true;
}

/**
 * Table acquires of `fn` (scoped error-path entries included; scope-released values are not). A list-only
 * allocation counts when one of the function's own variables holds it (`res = g_new0(...)`): whether the
 * function still owns it on an exit is then read off the function itself (model.handedOverBefore).
 */
function acquiresOf(model: ModelService, table: PairTable, fn: CFunction, helpers?: HelperAcquires): Acquire[] {
  const out: Acquire[] = [];
  for (const call of fn.calls) {
    // g_autoptr/g_autofree: the scope releases it on every path
    if (call.autoReleased) continue;
    // heap memory kept in a field of the instance (`s->q[i].buf = g_try_malloc0(...)`), whatever pair the
    // table or the code base gives its allocator: released by a heap free naming that field
    if (model.heapFieldStore(call) !== null) {
      const listed = table.anyPrimitive(call.callee);
      const release = listed?.role === 'acquire' ? listed.counterparts : ['g_free'];
      const match: PrimitiveMatch =
        listed?.role === 'acquire' ? listed : { pair: { acquire: [call.callee], release, what: 'heap allocation', onlyWithList: true }, role: 'acquire', counterparts: release, fromFamily: false };
      out.push({ call, match, siblingOnly: 'field' });
      continue;
    }
    const match = table.anyPrimitive(call.callee);
    if (!match) {
      // a helper of the program that keeps what it took on success (`fx_init_pci()` adding a subregion and
      // setting up MSI-X): the call holds those, undone by their counterparts on a sibling error path
      for (const h of helpers?.(call.callee) ?? []) out.push({ call, match: h.match, siblingOnly: 'helper', inner: h.inner });
      const slot = table.slotCall(call.callee);
      if (slot) {
        out.push({ call, match: slot, siblingOnly: 'slot' });
        continue;
      }
      // a heap buffer the call fills in through a variable's address, which the function frees later
      const filled = model.filledHeapVariable(fn, call);
      if (filled) out.push({ call, match: filled.match, siblingOnly: 'heap', variable: filled.variable });
      // a constructor wrapper's object (`dev = fx_pci_new(...)`, a wrapper of object_new), held in a variable of the function
      const wrapped = !filled && call.resultLocal === true && call.result !== undefined ? table.wrappedAcquire(call.callee) : null;
      if (wrapped) out.push({ call, match: wrapped, siblingOnly: 'constructor', variable: call.result!.trim() });
      continue;
    }
    if (match.role !== 'acquire') continue;
    // a constructor wrapper with a pair of its own (`pci_new()` / `pci_realize_and_unref()`) still makes the
    // object the call it wraps makes (object_new()), dropped by that call's counterparts on a sibling error exit
    const wrapped = call.resultLocal === true && call.result !== undefined && /^\w+$/.test(call.result.trim()) ? table.wrappedAcquireBeyond(call.callee, match.counterparts) : null;
    if (wrapped) {
      out.push({ call, match: wrapped, siblingOnly: 'constructor', variable: call.result!.trim() });
    }
    if (!match.pair.onlyWithList) out.push({ call, match });
    else if (call.resultLocal && call.result !== undefined) out.push({ call, match, siblingOnly: 'heap', variable: call.result.trim() });
    // a heap allocation kept in a field of the instance (`s->regs = g_malloc0(...)`): released as that field
    else if (model.heapFieldStore(call) !== null) out.push({ call, match, siblingOnly: 'field' });
  }
  return elementAliases(fn, [...out, ...storedAcquires(table, fn)]);
}

const squeeze = (t: string) => t.replace(/\s+/g, '');

/**
 * What the function keeps from a call the table does not know, which a release of the table gives back later
 * in the same function (`s->devfd = fx_create_dev(s)` or `ret = ioctl(...); if (ret < 0) {...} s->devfd = ret;`,
 * then `close(s->devfd)` on an unwind): the function's own release says it owns the value from where it
 * stored it. Checked on sibling error exits only, as what the call returned, kept in that object.
 */
function storedAcquires(table: PairTable, fn: CFunction): Acquire[] {
  const releases = new Map<string, CCall[]>();
  for (const c of fn.calls) {
    // a release that disposes of the whole value (`close`, `object_unref`): a cleanup handed a pointer may
    // only undo what was done to it (`fx_cleanup(vdev)` of a cast), a free may drop a looked-up element
    if (c.args[0] === undefined || table.anyPrimitive(c.callee)?.role !== 'release' || !table.disposesWhole(c.callee)) continue;
    const key = squeeze(c.args[0]);
    releases.set(key, [...(releases.get(key) ?? []), c]);
  }
  if (releases.size === 0) return [];
  const out: Acquire[] = [];
  // a release that undoes a known acquire on the same object (`fx_device_destroy(vdev)` after
  // `fx_device_init(vdev, ...)`) gives back what that acquire took, not the value a lookup returned
  const explained = (r: CCall) =>
    fn.calls.some((c) => {
      if (c.line >= r.line) return false;
      const m = table.anyPrimitive(c.callee);
      const object = squeeze(r.args[0] ?? '');
      return m?.role === 'acquire' && m.counterparts.includes(r.callee) && [c.result, c.args[0]].some((t) => t !== undefined && squeeze(t) === object);
    });
  const stored = (call: CCall, target: string, line: number): void => {
    const release = releases.get(squeeze(target))?.find((r) => r.line > line && !explained(r));
    if (!release) return;
    const what = table.anyPrimitive(release.callee)?.pair.what ?? 'resource';
    out.push({
      call,
      match: { pair: { acquire: [call.callee], release: [release.callee], what }, role: 'acquire', counterparts: [release.callee], fromFamily: false },
      siblingOnly: 'stored',
    });
  };
  for (const call of fn.calls) {
    // (a cast or a field read makes nothing: `vdev = VIRTIO_DEVICE(dev)`)
    if (call.result === undefined || call.autoReleased || table.anyPrimitive(call.callee) !== null || table.isMacro(call.callee)) continue;
    // the call's own value, in a field or variable the function releases (`s->devfd = fx_create_dev(s)`)
    stored(call, call.result, call.line);
  }
  for (const st of fn.stores) {
    // a status variable handed on once tested (`ret = ioctl(...); if (ret < 0) { ... } s->devfd = ret;`): held
    // from the store, after the test of its failure
    const v = st.value.trim();
    if (!/^[a-z_]\w*$/i.test(v)) continue;
    const origin = fn.calls.filter((c) => c.line < st.line && c.result?.trim() === v && c.resultLocal === true).at(-1);
    if (!origin || table.anyPrimitive(origin.callee) !== null || table.isMacro(origin.callee)) continue;
    const tested = fn.conditions.some((c) => c.line > origin.line && c.endLine < st.line && (c.identifiers ?? c.names).includes(v));
    if (!tested) continue;
    stored({ ...origin, line: st.line, endLine: st.line, guards: st.guards, result: st.target, resultLocal: false }, st.target, st.line);
  }
  return out;
}

/**
 * Is `release` in an unwind loop that undoes only the elements before the current index of the loop `acquire`
 * is in (`for (i = 0; ...; i++) { s->q[i].buf = ...; }` unwound by `while (--i >= 0) { g_free(s->q[i].buf); }`,
 * or `for (j = 0; j < i; j++)`)? Then it does not undo what this pass of the loop took.
 */
function beforeCurrent(acquire: CCall, release: CCall): boolean {
  const idx = /\[\s*([a-z_]\w*)\s*\]/.exec(acquire.result ?? acquire.args[0] ?? '')?.[1];
  if (idx === undefined) return false;
  if (!acquire.guards.some((g) => g.condition.kind === 'for' && g.condition.loop?.index === idx)) return false;
  return release.guards.some((g) => {
    const t = g.condition.normalized.replace(/\s+/g, '');
    if (g.condition.kind === 'while') return t === `--${idx}>=0` || t === `${idx}-->0` || t === `${idx}--`;
    return g.condition.kind === 'for' && new RegExp(`^\\w+<${idx}$`).test(t);
  });
}

/** What a helper of the program keeps on success: the matches of the acquires its body does not undo on its normal path. */
type HelperAcquires = (callee: string) => { match: PrimitiveMatch; inner: CCall }[];

function helperAcquires(model: ModelService, summary: CommitSummary, table: PairTable, image: 'pre' | 'post', path: string): HelperAcquires {
  const memo = new Map<string, { match: PrimitiveMatch; inner: CCall }[]>();
  return (callee) => {
    let out = memo.get(callee);
    if (out) return out;
    out = [];
    const helper = summary.program(image).lookup(callee, path);
    if (helper && /^\w+$/.test(callee)) {
      for (const inner of helper.fn.calls) {
        const m = table.anyPrimitive(inner.callee);
        if (!m || m.role !== 'acquire' || m.pair.onlyWithList || inner.autoReleased) continue;
        // a value it made and handed on (returned: a constructor wrapper's; stored in a field or onto a list:
        // the owner's) is not what the caller holds by calling it
        // (a status it returns is no such value: `ret = fx_dev_init(&s->dev, ...); ... return ret;`)
        const status = inner.result !== undefined && model.returnsStatus(helper.fn, inner);
        const made = !status && inner.result !== undefined && /^\w+$/.test(inner.result.trim()) ? inner.result.trim() : null;
        if (inner.result !== undefined && made === null && !status) continue;
        if (made !== null) {
          const named = (t: string) => word(t, made);
          if (helper.fn.exits.some((e) => e.kind === 'return' && e.value !== undefined && named(e.value))) continue;
          if (helper.fn.stores.some((st) => named(st.value)) || helper.fn.calls.some((c) => c.line > inner.line && table.isListInsert(c.callee) && c.args.some(named))) continue;
        }
        // undone in the helper itself on its normal path: a temporary, nothing kept (an undo in a block that
        // gives up, `if (ret < 0) { fx_del(...); return false; }`, is for its own failure)
        const leavesAfter = (c: CCall) => {
          const g = c.guards[c.guards.length - 1];
          return g !== undefined && helper.fn.exits.some((e) => (e.kind === 'return' || e.kind === 'goto') && e.line > c.line && e.guards[e.guards.length - 1]?.condition === g.condition && e.guards[e.guards.length - 1]?.negated === g.negated);
        };
        if (helper.fn.calls.some((c) => c.line > inner.line && m.counterparts.includes(c.callee) && !model.onErrorPath(helper.fn, c.line) && !leavesAfter(c))) continue;
        if (!out.some((o) => o.match.pair === m.pair)) out.push({ match: m, inner });
      }
    }
    memo.set(callee, out);
    return out;
  };
}

/**
 * Does `c` release what `a` holds: on its variable for a heap allocation, else on the same object? An
 * acquire whose result only the function's own variable holds (`elem = fx_queue_pop(q)`) is also
 * released by any call that takes that variable and whose name is the acquire's stem with a release verb
 * (`fx_queue_detach(q, elem)`): the pair table need not list every way to give such a value back.
 */
function releasesHeld(model: ModelService, table: PairTable, a: Acquire, c: CCall): boolean {
  if (!a.match.counterparts.includes(c.callee)) return disposesLocal(table, a, c);
  // what a helper took is named by its own parameters inside it: the counterpart is all the caller shows
  if (a.siblingOnly === 'helper') return true;
  // a stored value is released by a release naming where it was stored
  if (a.siblingOnly === 'stored') return c.args[0] !== undefined && squeeze(c.args[0]) === squeeze(a.call.result ?? '');
  if (a.variable !== undefined) return model.namesVariable(c.args[0], a.variable);
  // a heap field is released by a free that names that field (`g_free(s->rxq)` is not `g_free(s->txq)`)
  if (a.siblingOnly === 'field') {
    const chain = model.fieldChain(a.call.result);
    return chain !== null && model.takesField(c, chain);
  }
  return model.sameObject(c, a.call);
}

/**
 * Is `c` a call named for giving back what `a` acquired (morphology's stem release), handed the function's own
 * variable that holds it? A heap
 * free (`g_free(elem)`) gives back the memory, not what the acquire took from its source.
 */
function disposesLocal(table: PairTable, a: Acquire, c: CCall): boolean {
  const local = a.call.resultLocal && a.call.result !== undefined && /^\w+$/.test(a.call.result.trim()) ? a.call.result.trim() : null;
  return local !== null && c.args.some((x) => x.trim() === local) && table.stemRelease(a.call.callee, c.callee) && !table.isHeapRelease(c.callee);
}

/** Calls that run when `exit` is taken: those in its block before it, and for a goto those after the label up to the next return. */
function unwindCalls(fn: CFunction, exit: CExit, guard: CGuard): CCall[] {
  const cond = guard.condition;
  // (of a switch, the exit's own case: every case stands under the switch's condition)
  const sameCase = (g: CGuard) => !guard.caseValues?.length || (g.caseValues ?? []).join('|') === guard.caseValues.join('|');
  const inBlock = fn.calls.filter(
    (c) => c.line > cond.endLine && c.line < exit.line && c.line <= cond.stmtEndLine && c.guards.some((g) => g.condition === cond && g.negated === guard.negated && sameCase(g)),
  );
  if (exit.kind !== 'goto' || exit.labelLine === undefined) return inBlock;
  const labelLine = exit.labelLine;
  const end = fn.exits
    .filter((e) => e.kind === 'return' && e.line > labelLine)
    .reduce((min, e) => Math.min(min, e.line), fn.endLine);
  return [...inBlock, ...fn.calls.filter((c) => c.line > labelLine && c.line <= end)];
}

/** Is `call` in a block that ends in an error exit (`if (err) { release(); return -1; }`)? */
function onErrorBranch(model: ModelService, fn: CFunction, call: CCall): boolean {
  const g = call.guards[call.guards.length - 1];
  if (!g) return false;
  return fn.exits.some((e) => {
    const eg = e.guards[e.guards.length - 1];
    return e.line > call.line && eg !== undefined && eg.condition === g.condition && eg.negated === g.negated && model.isErrorExit(fn, e, eg);
  });
}

/**
 * Is the acquire tested in an `if` whose block always leaves on success
 * (`if (!attach(...)) { ...; goto found; }`, a non-error exit), or whose else
 * block does while its block reports the error, so that an exit after the
 * `if` is reached only when it did not succeed?
 */
function succeededElsewhere(model: ModelService, fn: CFunction, call: CCall, exit: CExit): boolean {
  // the `if` that calls it, or the first later `if` that tests the value it stored (`res = attach(); if (!res) {...} else { goto found; }`)
  const stored = call.result !== undefined && /^\w+$/.test(call.result.trim()) ? call.result.trim() : null;
  const cond =
    fn.conditions.find((c) => c.kind === 'if' && call.line >= c.line && call.line <= c.endLine) ??
    (stored ? fn.conditions.find((c) => c.kind === 'if' && c.line > call.line && c.line < exit.line && (c.identifiers ?? c.names).includes(stored)) : undefined);
  if (!cond || exit.line <= cond.stmtEndLine) return false;
  const leavesOn = (negated: boolean) =>
    fn.exits.some((e) => {
      const g = e.guards[e.guards.length - 1];
      return g !== undefined && g.condition === cond && g.negated === negated && (e.kind === 'return' || e.kind === 'goto') && !model.isErrorExit(fn, e, g);
    });
  if (leavesOn(false)) return true;
  // `if (attach(...)) { report the error } else { ...; goto found; }`: the branch that reports an error is the
  // failure, so the else branch that always leaves is the success, and after the `if` nothing is held
  // (the else block's own error exits, nested deeper, do not count against it: its exit to a label that is no unwind does)
  const reportsError = fn.calls.some((c) => c.guards.some((g) => g.condition === cond && !g.negated) && /^(error_\w+|warn_\w+)$/.test(c.callee));
  const elseLeaves = fn.exits.some((e) => {
    const g = e.guards[e.guards.length - 1];
    return g !== undefined && g.condition === cond && g.negated && e.kind === 'goto' && e.label !== undefined && !model.isErrorLabel(e.label);
  });
  return reportsError && elseLeaves;
}

/**
 * A value the function holds in its own frame: returned by value into a
 * local and released through its address (`c = begin_changes(s); ...
 * commit_changes(&c)`). Nothing outside the frame is held.
 */
function stackValue(fn: CFunction, call: CCall, table: PairTable): boolean {
  if (call.result === undefined || !/^\w+$/.test(call.result.trim())) return false;
  const name = call.result.trim();
  const address = `&${name}`;
  if (!fn.calls.some((c) => c.line > call.line && c.args.some((a) => a.replace(/\s+/g, '') === address))) return false;
  // ...but a value the function also gives back by value, whole (`close(fd)` on an error path, while
  // `fx_dmabuf_new(..., &fd, 1)` takes an array of one), is a resource, not a frame's value
  return !fn.calls.some((c) => c.line > call.line && c.args[0]?.trim() === name && table.disposesWhole(c.callee));
}

/**
 * Is `a` the call whose failure the exit's condition tests (`addr = mmap(...); if (addr == MAP_FAILED)`)?
 * Not a later test of its value once an exit before it left on the failure (`irq = alloc(..., &err); if (err)
 * { return; } ... if (irq & mask) { return; }`): that value came from a call that succeeded.
 */
function failedHere(model: ModelService, fn: CFunction, a: CCall, guard: CGuard): boolean {
  if (!testsFailure(model, fn, a, guard)) return false;
  const cond = guard.condition;
  if (a.line >= cond.line && a.line <= cond.endLine) return true;
  return !fn.exits.some(
    (e) => e.line > a.line && e.line < cond.line && e.guards.some((g) => g.condition.line > a.line && g.condition !== cond && testsFailure(model, fn, a, g)),
  );
}

/**
 * An acquire in a loop that takes one element per pass (`fx_notifier_init(&s->q[i].n)`, or through a local the pass
 * points at the element, `FxQueue *q = &s->q[i];`): an exit inside the same loop leaves the elements of the passes
 * before this one held, even where this pass's acquire failed.
 */
function heldByEarlierPasses(fn: CFunction, a: CCall, exit: CExit): boolean {
  const loop = a.guards.find((g) => (g.condition.kind === 'for' || g.condition.kind === 'while') && exit.guards.some((h) => h.condition === g.condition))?.condition;
  const index = loop?.loop?.index;
  if (!loop || index === undefined) return false;
  const indexed = (t: string) => new RegExp(`\\[\\s*${index}\\s*\\]`).test(t);
  if (a.args.some(indexed) || (a.result !== undefined && indexed(a.result))) return true;
  // the local the pass points at its element (`FxQueue *q = &s->q[i];` in the loop's body)
  const base = /^&?\s*(\w+)\s*(?:->|\.)/.exec(a.args[0] ?? a.result ?? '')?.[1];
  return (
    base !== undefined &&
    fn.statements.some((st) => st.line > loop.endLine && st.line < a.line && st.assignment !== undefined && st.assignment.startsWith(`${base} = `) && indexed(st.assignment))
  );
}

function testsFailure(model: ModelService, fn: CFunction, a: CCall, guard: CGuard): boolean {
  const cond = guard.condition;
  if (a.line >= cond.line && a.line <= cond.endLine) return true;
  // `fd = qemu_open(path, flags, errp); if (*errp)`: the test is of the error the acquire itself set, when no
  // call in between was handed the same error
  const errArg = a.args.map((x) => x.replace(/\s+/g, '')).find((x) => /^(errp|&\w*err\w*)$/.test(x));
  if (errArg !== undefined) {
    const errVar = errArg.replace(/^&/, '');
    // (the condition's own call too: `if (probe(s, errp) < 0)` tests what probe() set)
    const setsItToo = fn.calls.some((c) => c !== a && c.line >= a.line && c.line <= cond.endLine && c.args.some((x) => x.replace(/\s+/g, '') === errArg));
    if (!setsItToo && (cond.identifiers ?? cond.names).includes(errVar)) return true;
  }
  if (a.result === undefined) return false;
  // `r = start(); ... r = set_base(); if (r < 0)`: a later call stored into the same variable, so the test is of that one
  const stored = a.result.replace(/\s+/g, '');
  // (not one in the other branch of an `if` the acquire is in: `if (dir) { fd = mkstemp(...); } else { fd = open(...); }`)
  const exclusive = (c: CCall) => c.guards.some((g) => a.guards.some((h) => h.condition === g.condition && h.negated !== g.negated));
  if (fn.calls.some((c) => c.line > a.line && c.line < cond.line && c.result !== undefined && c.result.replace(/\s+/g, '') === stored && !exclusive(c))) return false;
  // `addr = mmap(...)` tests addr; `n->addr = mmap(...)` tests the field (`n->addr == MAP_FAILED`), not a call
  // handed it (`fx_lock_fd(s->fd) < 0` is that call's failure)
  const fields = a.result.split(/\s*(?:->|\.)\s*/);
  if (fields.length > 1) return cond.names.includes(fields[fields.length - 1] as string) && model.testsValueItself(squeeze(cond.normalized), squeeze(a.result));
  // the value itself: `elem->in_num == 0` or `fx_len(elem) < n` use what the call produced, so it succeeded
  // (a structure returned by value, through the member it is handed on by: `!section.mr`)
  return ((cond.identifiers ?? cond.names).includes(a.result) && model.testsValueItself(cond.normalized, a.result)) || model.testsReturnedMember(cond.normalized, a);
}

/**
 * The release of `a` on another error exit of `fn` that also leaves holding it
 * (its unwind calls the counterpart on the same object): the function's own
 * error handling says the acquire must be undone before it gives up.
 */
function siblingRelease(
  model: ModelService,
  summary: CommitSummary,
  table: PairTable,
  fn: CFunction,
  a: Acquire,
  exit: CExit,
  errorExits: readonly ErrorExit[],
): { release: CCall; via?: CCall } | null {
  for (const { exit: other, guard: g, unwind } of errorExits) {
    if (other === exit) continue;
    // the cheap test first: does its unwind call a counterpart on the same object at all, itself or through a helper
    // of the program it calls (`cleanup: fx_cleanup(s);`, whose body frees `&s->list`)
    const release = unwind.find((c) => releasesHeld(model, table, a, c));
    const inner = release ? null : helperRelease(model, summary, table, fn, a, unwind);
    if (!release && !inner) continue;
    if (!model.mayHoldAt(fn, a.call, other) || failedHere(model, fn, a.call, g) || succeededElsewhere(model, fn, a.call, other)) continue;
    return release ? { release } : inner;
  }
  return null;
}

/**
 * A helper of the program among `unwind` (not a helper that took it: a helper's acquires are named by its own
 * parameters) whose body, or a function it reaches, releases what `a` holds: the release, and the helper call.
 */
function helperRelease(model: ModelService, summary: CommitSummary, table: PairTable, fn: CFunction, a: Acquire, unwind: readonly CCall[]): { release: CCall; via: CCall } | null {
  if (a.siblingOnly === 'helper') return null;
  for (const via of unwind) {
    if (!summary.post.has(via.callee)) continue;
    for (const p of summary.reach('post', [via.callee], [fn.name]).values()) {
      const release = p.fn.calls.find((r) => releasesHeld(model, table, a, r));
      if (release) return { release, via };
    }
  }
  return null;
}

/**
 * The success path's `return v;` after `exit`, when the acquire's value is held only in the function's own
 * variable `v` (`s = g_new0(...); ... return s;`): the function makes the object for its caller, so on an
 * error exit before that return nobody else has it. Not when the exit returns or hands `v` on itself, nor
 * after a call handed `v` whose name says it releases (`fx_realize_and_unref(dev, ...)` consumes it).
 */
function returnedOnSuccess(model: ModelService, table: PairTable, fn: CFunction, a: Acquire, exit: CExit): CExit | null {
  // a call through a slot returns a status, not an object made for the caller
  if (a.siblingOnly === 'slot' || !/^\w+$/.test(a.call.callee)) return null;
  // a constructor says it made nothing with NULL: a status or a descriptor handed back is another contract
  if (exit.kind !== 'return' || exit.value?.trim() !== 'NULL') return null;
  const v = a.call.resultLocal === true ? a.call.result?.trim() : undefined;
  if (v === undefined || !/^\w+$/.test(v) || a.call.autoReleased) return null;
  if (exit.value !== undefined && word(exit.value, v)) return null;
  const success = fn.exits.find((e) => e.kind === 'return' && e.line > exit.line && e.value?.trim() === v && !model.onErrorPath(fn, e.line));
  if (!success) return null;
  // the success path left earlier (`fd = open(...); if (fd >= 0) break;`): this exit is on the acquire's failure path
  const leftOnSuccess = fn.exits.some((e) => e.line > a.call.line && e.line < exit.line && e.guards.some((g) => !g.negated && model.testsValueItself(g.condition.normalized, v)));
  if (leftOnSuccess) return null;
  const consumed = fn.calls.some((c) => c.line > a.call.line && c.line < exit.line && c.args.some((x) => word(x, v)) && table.hasReleaseVerb(c.callee));
  return consumed ? null : success;
}

/**
 * The success path's store, after `exit`, of the variable that alone holds a heap allocation into a field or an
 * element of something that outlives the function (`sq = g_malloc0(...); ...; u->sq[qid] = sq;`): until then
 * nobody else has it, so a plain error return before the store leaves it with nobody. Not when the exit returns or
 * hands on the variable, nor after a call handed it (model.handedOverBefore, checked by the caller).
 */
function storedOnSuccess(model: ModelService, table: PairTable, fn: CFunction, a: Acquire, exit: CExit): (CStore & { via?: string }) | null {
  if (a.siblingOnly !== 'heap' || exit.kind !== 'return' || a.call.autoReleased) return null;
  const v = a.call.resultLocal === true ? a.call.result?.trim() : undefined;
  if (v === undefined || !/^\w+$/.test(v)) return null;
  if (exit.value !== undefined && word(exit.value, v)) return null;
  // any store of it on the way already kept it somewhere
  if (fn.stores.some((st) => st.line > a.call.line && st.line < exit.line && word(st.value, v))) return null;
  const store = fn.stores.find((st) => st.line > exit.line && st.value.trim() === v && /->|\./.test(st.target) && !model.onErrorPath(fn, st.line));
  if (store) return store;
  // or a container of a field it is put into (`g_hash_table_replace(s->cache, key, v)`, `QTAILQ_INSERT_TAIL(&s->q, v,
  // next)`): the container keeps it from there on
  const insert = fn.calls.find(
    (c) => c.line > exit.line && !model.onErrorPath(fn, c.line) && (table.isListInsert(c.callee) || KEYED_INSERT.test(c.callee)) && /->|\./.test(c.args[0] ?? '') && c.args.slice(1).some((x) => x.trim() === v),
  );
  if (insert) return { target: (insert.args[0] as string).trim().replace(/^&\s*/, ''), field: '', value: v, line: insert.line, guards: insert.guards, via: insert.callee };
  // an element of a field's array (`u->sq[qid] = sq;`), which the model keeps as a statement, not as a field store
  if (!fn.statements.some((st) => st.line > exit.line && st.normalized.includes(v) && st.normalized.includes('['))) return null;
  const element = new RegExp(`^([\\w.>\\[\\]-]*(?:->|\\.)[\\w.>\\[\\]-]*\\[[^=]+\\])\\s*=\\s*${v}\\s*;?$`);
  for (const st of fn.statements) {
    if (st.line <= exit.line || model.onErrorPath(fn, st.line)) continue;
    const m = element.exec(st.normalized);
    if (m) return { target: m[1] as string, field: '', value: v, line: st.line, guards: [] };
  }
  return null;
}

/** GLib's keyed and array containers' inserts, the container first (the lists' are the table's, table.isListInsert). */
const KEYED_INSERT = /^(g_hash_table_(insert|replace|add)|g_tree_(insert|replace)|g_ptr_array_add)$/;

const word = (text: string, w: string) => new RegExp(`(^|[^A-Za-z0-9_>.])${w}([^A-Za-z0-9_]|$)`).test(text);

/**
 * For an exit in an unwind (after an unconditional return, reached only by jumps to the labels between them):
 * does one of those jumps come while the acquire is held, not as its failure, and without releasing it in its own
 * block first? An exit there that only the acquire's failure, or a jump that already released it, reaches holds
 * nothing of it.
 */
function reachedHolding(model: ModelService, table: PairTable, fn: CFunction, a: Acquire, exit: CExit): boolean {
  const ret = fn.exits.filter((e) => e.kind === 'return' && e.guards.length === 0 && e.line < exit.line).at(-1);
  if (!ret) return true;
  const labels = new Set(fn.labels.filter((l) => l.line > ret.line && l.line < exit.line).map((l) => l.name));
  if (labels.size === 0) return true;
  return fn.exits.some((j) => {
    if (j.kind !== 'goto' || j.label === undefined || !labels.has(j.label) || j.line > ret.line) return false;
    if (!model.mayHoldAt(fn, a.call, j) || j.guards.some((g) => failedHere(model, fn, a.call, g))) return false;
    const block = j.guards[j.guards.length - 1];
    return !fn.calls.some((c) => c.line > a.call.line && c.line < j.line && block !== undefined && c.guards.includes(block) && releasesHeld(model, table, a, c));
  });
}

/** An exit that plainly gives up on a failure, with the calls its unwind makes. */
interface ErrorExit {
  exit: CExit;
  guard: CGuard;
  unwind: CCall[];
}

/** The function's clear error exits (model.isClearErrorExit) and their unwinds. */
function clearErrorExits(model: ModelService, fn: CFunction): ErrorExit[] {
  const out: ErrorExit[] = [];
  for (const exit of fn.exits) {
    // (a break that ends the function is read as the bare `return;` it stands for)
    // (and one that leaves the block declaring a variable that holds what a call returned, for that variable)
    const leaves: CExit | null =
      exit.kind === 'return' || exit.kind === 'goto' ? exit : endsFunction(fn, exit) || fn.calls.some((c) => leavesScopeOf(exit, c)) ? { ...exit, kind: 'return' } : null;
    const guard = exit.guards[exit.guards.length - 1];
    if (leaves && guard && model.isClearErrorExit(fn, leaves, guard)) out.push({ exit, guard, unwind: unwindCalls(fn, exit, guard) });
  }
  return out;
}

/**
 * Does `exit`, a `break` or `continue`, leave the block that declares the local `call` stored its value in (`case X:
 * { int fd = fx_get_fd(...); if (bad) { break; } ... }`, a loop's body)? The variable ends there, and with it the only
 * hold on what it took; a jump inside the block goes on holding it.
 */
function leavesScopeOf(exit: CExit, call: CCall): boolean {
  const target = exit.kind === 'break' ? (exit.switchEnd ?? exit.loopEnd) : exit.kind === 'continue' ? exit.loopEnd : undefined;
  const scopeEnd = call.resultScopeEnd;
  return target !== undefined && scopeEnd !== undefined && call.line < exit.line && exit.line <= scopeEnd && scopeEnd <= target;
}

/**
 * A `break` out of a loop after which the function does nothing more (`for (;;) { elem = pop(); if (bad) {
 * detach(elem); break; } ... }` and the end): it leaves the function as a return would, so its unwind is
 * a sibling's evidence too.
 */
function endsFunction(fn: CFunction, exit: CExit): boolean {
  if (exit.kind !== 'break' || exit.loopEnd === undefined) return false;
  const end = exit.loopEnd;
  return !fn.calls.some((c) => c.line > end) && !fn.exits.some((e) => e.line > end && e.kind === 'return' && e.value !== undefined);
}

function leaks(
  model: ModelService,
  summary: CommitSummary,
  table: PairTable,
  fn: CFunction,
  unreleased?: Set<string>,
  siblings?: SiblingLeak[],
  former?: FormerLookup,
  slotRelease?: SlotReleaseLookup,
  helpers?: HelperAcquires,
  ownUndo?: OwnUndoLookup,
): Leak[] {
  // a value the frame holds is no resource on any exit (decided once, not per exit)
  const acquires = acquiresOf(model, table, fn, helpers).filter((a) => !stackValue(fn, a.call, table));
  if (acquires.length === 0 || (acquires.length < 2 && !unreleased)) return [];
  const out: Leak[] = [];
  let errorExits: ErrorExit[] | null = null;
  for (const exit of fn.exits) {
    // only what leaves the function: a `break` out of a switch goes on to the normal path; but a `break` or
    // `continue` that leaves the block declaring a variable leaves what that variable alone holds, as a bare
    // `return;` would
    const scoped = exit.kind === 'break' || exit.kind === 'continue' ? acquires.filter((a) => leavesScopeOf(exit, a.call)) : null;
    if (scoped?.length === 0) continue;
    const guard = exit.guards[exit.guards.length - 1];
    if (!guard) continue;
    const leaving: CExit = scoped ? { ...exit, kind: 'return' } : exit;
    // a bare `return;` that skips the rest (no error) still leaves what only a variable of the function holds: nobody
    // else has it (a heap buffer, a constructor's object); only those count there
    const errorExit = model.isErrorExit(fn, leaving, guard);
    if (!errorExit && !(leaving.kind === 'return' && leaving.value === undefined)) continue;
    // taken on the way to this exit: before it, and not in a block the exit lies outside of (a branch that
    // always leaves, or the acquire's own success branch)
    const outstanding = acquires.filter(
      (a) =>
        (scoped === null || scoped.includes(a)) &&
        (errorExit || (a.variable !== undefined && a.siblingOnly !== 'helper')) &&
        // the acquire's failure may be tested by any `if` the exit is in (`if (fd < 0) { ...retry...; if (fd2 < 0) return; }`)
        model.mayHoldAt(fn, a.call, exit) && (!exit.guards.some((g) => failedHere(model, fn, a.call, g)) || heldByEarlierPasses(fn, a.call, exit)) && !succeededElsewhere(model, fn, a.call, exit) &&
        reachedHolding(model, table, fn, a, exit),
    );
    const unwind = unwindCalls(fn, exit, guard);
    // an acquire of a loop that failed in this pass holds only what the passes before took: an unwind of the
    // elements before the current one gives all of it back
    const failedThisPass = (a: Acquire) => exit.guards.some((g) => failedHere(model, fn, a.call, g));
    // released already on the way (between the acquire and the exit, under no test but the acquire's own and the
    // exit's: a release in another error branch that leaves is not on this way), on the same object: the exit's own
    // munmap() of one mapping is no release of another mapping the same call made
    const onTheWay = (a: Acquire, c: CCall) => model.guardsCover(c.guards.filter((g) => !model.guardsCover([g], a.call.guards)), exit.guards);
    // (the cheap tests first: this runs for every exit and acquire)
    const releasedBefore = (a: Acquire) =>
      fn.calls.some(
        (c) =>
          c.line > a.call.line && c.line < exit.line && a.match.counterparts.includes(c.callee) &&
          onTheWay(a, c) && releasesHeld(model, table, a, c),
      );
    // the unwind releases it, itself or through a helper of the program (a container destroy that unregisters);
    // a heap allocation only by a free of its own variable
    // a helper of the program the unwind calls releases it (`fx_cleanup(s)` frees `s->vqs`)
    const byHelper = (a: Acquire) =>
      unwind.find((c) => summary.post.has(c.callee) && [...summary.reach('post', [c.callee], [fn.name]).values()].some((p) => p.fn.calls.some((r) => releasesHeld(model, table, a, r))));
    const undone = (a: Acquire) =>
      a.variable !== undefined
        ? unwind.find((c) => releasesHeld(model, table, a, c))
        : a.siblingOnly === 'field'
          ? (unwind.find((c) => releasesHeld(model, table, a, c) && (!beforeCurrent(a.call, c) || failedThisPass(a))) ?? byHelper(a))
        : (unwind.find((c) => releasesHeld(model, table, a, c)) ??
          unwind.find(
            (c) =>
              summary.post.has(c.callee) &&
              model.firstCallTo(summary.reach('post', [c.callee], [fn.name]), new Set(a.match.counterparts)) !== null &&
              !helperLeavesIt(c, a),
          ));
    // a sibling error exit that calls the same helper and still releases the object itself shows the helper does
    // not cover it (`fx_unparent_vfs(dev, i)` drops the elements stored before this one, not the one in hand)
    const helperLeavesIt = (helper: CCall, a: Acquire) => {
      errorExits ??= clearErrorExits(model, fn);
      return errorExits.some(
        (e) => e.exit !== exit && e.unwind.some((c) => c.callee === helper.callee) && e.unwind.some((c) => releasesHeld(model, table, a, c)) && model.mayHoldAt(fn, a.call, e.exit),
      );
    };
    if (unreleased) {
      // every acquire this exit leaves held, whatever its unwind releases: what the pre-image already leaked
      for (const a of outstanding) {
        if (undone(a) || releasedBefore(a)) continue;
        // (one call read two ways, as its own pair's acquire and as the constructor it wraps: given back either way,
        // it is not held)
        if (outstanding.some((b) => b !== a && b.call === a.call && (undone(b) || releasedBefore(b)))) continue;
        unreleased.add(`${a.call.callee}|${guard.condition.normalized}`);
        // one entry an exit: how many exits leave it held (counted by factsOf)
        unreleased.add(`n|${a.call.callee}|${exit.line}`);
        if (exit.kind === 'goto' && exit.label) unreleased.add(`${a.call.callee}|goto ${exit.label}`);
      }
    }
    if (siblings && outstanding.length > 0 && (!errorExit || model.isClearErrorExit(fn, leaving, guard))) {
      errorExits ??= clearErrorExits(model, fn);
      // an error exit that undoes nothing of an acquire another error exit of the function undoes
      for (const a of outstanding) {
        // (this exit's own unwind releasing it through a helper counts as the sibling's does: `goto out` to `fx_free(c)`)
        // (not a helper a sibling exit calls too and still releases the object after: it covers others)
        const ownHelper = undone(a) || releasedBefore(a) ? null : helperRelease(model, summary, table, fn, a, unwind);
        if (undone(a) || releasedBefore(a) || (ownHelper !== null && !helperLeavesIt(ownHelper.via, a))) continue;
        const sibling = siblingRelease(model, summary, table, fn, a, exit, errorExits);
        const release = sibling?.release ?? null;
        const returned = release ? null : returnedOnSuccess(model, table, fn, a, exit);
        const stored = release || returned ? null : storedOnSuccess(model, table, fn, a, exit);
        const was = release || returned || stored ? null : (former?.(exit, guard, a) ?? null);
        // the unwind releases the elements before this one, in a loop counting down from it
        const partial = release || returned || stored || was ? null : (unwind.find((c) => releasesHeld(model, table, a, c) && beforeCurrent(a.call, c)) ?? null);
        const bySlot = release || returned || stored || was || partial ? null : (slotRelease?.(a) ?? null);
        if (!release && !returned && !stored && !was && !bySlot && !partial) continue;
        if (a.variable !== undefined && model.handedOverBefore(fn, a.call, exit.line, a.variable)) continue;
        // an error test every call that sets the error on the way already answered serves another path
        if (model.errorHandledOnWay(fn, a.call, exit, guard)) continue;
        // finalize releasing it serves a function run once for the instance; one with an undo of its own
        // (connect/disconnect) is run again after it failed, over what this exit left in the field
        // a skip exit leaks on the evidence of a sibling's release only: the other forms speak of error paths; and
        // not what the normal path releases later (`goto exit` ... `exit: g_free(in);`): held-on-exit's to say
        // (a plain `return;` before the only hand-over of a heap value the function made is no exit that needs an error:
        // the value is lost on that way whatever it means, `kept` below)
        if (!errorExit && !(stored && exit.value === undefined) && (!release || fn.calls.some((c) => c.line > exit.line && releasesHeld(model, table, a, c) && !onErrorBranch(model, fn, c)))) continue;
        if (ownUndo?.(a) || !releasedAfterFailure(model, summary, table, a)) siblings.push({ ...(errorExit ? {} : { skip: true as const }), exit, guard, leaked: a, siblingRelease: release, ...(sibling?.via ? { siblingVia: sibling.via } : {}), ...(returned ? { returnedAt: returned } : {}), ...(stored ? { storedAt: stored } : {}), ...(was ? { former: was } : {}), ...(bySlot ? { releaseSlot: bySlot } : {}), ...(partial ? { partial } : {}) });
      }
    }
    // the normal-path comparison is for the table's resources, not for what counts on sibling exits only
    if (!errorExit) continue;
    const resources = outstanding.filter((a) => a.siblingOnly === undefined);
    if (resources.length < 2) continue;
    const released = resources.filter((a) => undone(a));
    const leaked = resources.filter((a) => !undone(a) && !releasedBefore(a));
    // an unwind that releases nothing is a plain early return, not an unwind that forgot one
    if (released.length === 0 || leaked.length === 0) continue;
    for (const l of leaked) {
      // released by a function that runs also after this one failed (instance finalize): not leaked here
      if (releasedAfterFailure(model, summary, table, l)) continue;
      // (named as what the unwind undoes: one still held on the way, not one given back before the exit)
      const r = released.find((a) => !releasedBefore(a)) ?? (released[0] as Acquire);
      const normal = normalPath(model, summary, fn, l, r);
      if (normal) out.push({ exit, guard, leaked: l, released: r, ...normal });
    }
  }
  return out;
}

/** A call argument as the name it passes, casts dropped (`CPU(cpu)` → `cpu`). */
const bare = (arg: string): string => {
  let t = arg.trim();
  for (let m = /^[A-Z_][A-Z0-9_]*\((.*)\)$/.exec(t); m; m = /^[A-Z_][A-Z0-9_]*\((.*)\)$/.exec(t)) t = (m[1] as string).trim();
  return t;
};

/** A function's instance: its first parameter and the locals cast from it (`FxCPU *cpu = FX_CPU(dev);`). */
function instanceNames(fn: CFunction): Set<string> {
  const first = fn.params?.[0];
  if (first === undefined) return new Set();
  return new Set([first, ...(fn.paramAliases ?? []).filter((x) => x.param === first).map((x) => x.name)]);
}

/** Does the function's own undo (the release side of a pair it is the acquire root of) release what `a` took? */
type OwnUndoLookup = (a: Acquire) => boolean;

/**
 * For a function that is the acquire root of a name pair that may run again after it failed
 * (`fx_backend_connect`/`fx_backend_disconnect`; not `realize`, table.releaseSkippedOnFailure): does the
 * release side release what the acquire took? Then the function is an operation run over and over in the
 * instance's life, and instance finalize releasing the field too does not make up for an error exit that
 * leaves it held: the next call takes it again and overwrites it.
 */
function ownUndoLookup(model: ModelService, summary: CommitSummary, table: PairTable, file: ChangedFile, fn: CFunction): OwnUndoLookup | undefined {
  const pairs = file.postSides.filter((p) => {
    if (p.acquire !== fn.name || p.kind !== 'family') return false;
    const word = /_([a-z]+?)(?:fn)?$/.exec(p.acquire)?.[1];
    return word !== undefined && !table.releaseSkippedOnFailure(word) && !table.runsAfterFailure(p.release);
  });
  if (pairs.length === 0) return undefined;
  return (a) =>
    pairs.some((pair) => {
      const sides = model.sideRootsOf(file.postSides, pair);
      return [...summary.reach('post', sides.release, sides.acquire, file.path).values()].some((p) =>
        p.fn.calls.some((c) => a.match.counterparts.includes(c.callee) && releasesHeld(model, table, a, c)),
      );
    });
}

/** Where the release slot of a pair releases an acquire of its acquire slot. */
interface SlotRelease {
  pair: SidePair;
  /** the function of the release side that releases it, and the call */
  fn: ProgramFunction;
  call: CCall;
}

type SlotReleaseLookup = (a: Acquire) => SlotRelease | null;

/**
 * For a function that is the acquire slot of a pair whose release slot never runs when it fails
 * (`realize`, table.releaseSkippedOnFailure): the release side's release of what an acquire of the
 * function keeps in a field of its instance (`s->timer = timer_new_ns(...)`, freed by the unrealize
 * with `timer_free(s->timer)`). On the function's error exits nothing will release it.
 */
function slotReleaseLookup(model: ModelService, summary: CommitSummary, table: PairTable, file: ChangedFile, fn: CFunction): SlotReleaseLookup | undefined {
  // (a pair by name too, `fx_cpu_realize`/`fx_cpu_unrealize`, when the file hands the acquire to a call named for its
  // slot: `device_class_set_parent_realize(dc, fx_cpu_realize, ...)` fills in the slot through a parent-class hook)
  const slotWord = (p: SidePair) => p.acquireSlot ?? (p.kind === 'family' ? /_([a-z]+?)(?:fn)?$/.exec(p.acquire)?.[1] : undefined);
  const handedToSlot = (p: SidePair, word: string) =>
    p.kind === 'slot' || (file.post?.functions ?? []).some((f) => f.calls.some((c) => c.callee.includes(word) && c.args.some((x) => x.trim() === p.acquire)));
  const pairs = file.postSides.filter((p) => {
    const word = slotWord(p);
    return p.acquire === fn.name && (p.kind === 'slot' || p.kind === 'family') && word !== undefined && table.releaseSkippedOnFailure(word) && handedToSlot(p, word);
  });
  if (pairs.length === 0) return undefined;
  return (a) => {
    // only what the instance keeps: a value in the function's own variable is the sibling and held-on-exit modes' business
    if (a.variable !== undefined || a.siblingOnly === 'slot' || a.siblingOnly === 'helper') return null;
    // the fields it took (`s->timer`, `OBJECT(s->mem)`): the release side names them from its own base
    const chains = model.acquiredObjectTexts(a.call).flatMap((t) => (/->/.test(t) ? [model.fieldChain(t)] : [])).filter((c): c is string[] => c !== null);
    // ...or the instance itself (`fx_create_tables(cpu, errp)` in realize, `fx_destroy_tables(cpu)` in unrealize)
    // (handed in any place: `fx_register_reset(fx_reset, s)` is undone by `fx_unregister_reset(fx_reset, s)`, and
    // `fx_state_register(NULL, id, &fx_vmsd, s, ...)` by `fx_state_unregister(NULL, &fx_vmsd, s)`: the release's
    // other arguments are words the acquire was handed too)
    const at = chains.length === 0 && a.call.result === undefined ? a.call.args.findIndex((x) => instanceNames(fn).has(bare(x))) : -1;
    const others = new Set(a.call.args.flatMap((x, i) => (i === at ? [] : [x.replace(/\s+/g, '')])));
    const onInstance = at >= 0;
    if (chains.length === 0 && !onInstance) return null;
    const stored = a.call.result !== undefined ? model.fieldChain(a.call.result.trim()) : null;
    for (const pair of pairs) {
      const sides = model.sideRootsOf(file.postSides, pair);
      for (const p of summary.reach('post', sides.release, sides.acquire, file.path).values()) {
        const undoes = (c: CCall) =>
          onInstance
            ? p.fn.name === pair.release && c.args.some((x) => instanceNames(p.fn).has(bare(x))) &&
              c.args.every((x) => instanceNames(p.fn).has(bare(x)) || others.has(x.replace(/\s+/g, '')))
            : chains.some((chain) => model.takesField(c, chain));
        // (or the field the acquire's value went into, disposed of by a free or a call named for releasing: the code
        // base's release of the pair is not the only way to give back what a field holds, `g_free(s->irq)`)
        const disposes = (c: CCall) => stored !== null && (table.freesHeapValue(c.callee) || table.hasReleaseVerb(model.calleeBase(c.callee))) && model.takesField(c, stored);
        const call = p.fn.calls.find((c) => (a.match.counterparts.includes(c.callee) && undoes(c)) || disposes(c));
        if (call) return { pair, fn: p, call };
      }
    }
    return null;
  };
}

/** The release an error exit made before the commit (the same exit in the pre-image). */
interface FormerRelease {
  /** the pre-image's exit */
  exit: CExit;
  /** its unwind's release, at its pre-image line */
  release: CCall;
}

type FormerLookup = (exit: CExit, guard: CGuard, a: Acquire) => FormerRelease | null;

/**
 * What an error exit of the post-image released before the commit: the exit under the same `if` (the
 * condition kept its line through the commit) in the function's old self, which held the same acquire
 * and whose unwind released it. A goto sent to a label further down (past the release), a jump turned
 * into a plain return, or a release taken out of the exit's own block leaves the exit holding what it
 * gave back before. Only while the function still releases it elsewhere (the commit kept the duty to
 * release it, and did not hand it to the caller or to a helper).
 */
function formerLookup(model: ModelService, table: PairTable, file: ChangedFile, fn: CFunction, old: CFunction): FormerLookup {
  return (exit, guard, a) => {
    const preCond = file.postToPre(guard.condition.line);
    if (preCond === null) return null;
    if (!fn.calls.some((c) => c.line > a.call.line && c.line !== exit.line && releasesHeld(model, table, a, c))) return null;
    const preAcquireLine = file.postToPre(a.call.line);
    const oldCall = old.calls.find((c) => c.callee === a.call.callee && (preAcquireLine === null || c.line === preAcquireLine));
    if (!oldCall) return null;
    const oldA: Acquire = { ...a, call: oldCall };
    for (const e of old.exits) {
      if (e.kind !== 'return' && e.kind !== 'goto') continue;
      const g = e.guards[e.guards.length - 1];
      if (!g || g.condition.line !== preCond || g.negated !== guard.negated) continue;
      if (!model.mayHoldAt(old, oldCall, e) || failedHere(model, old, oldCall, g) || succeededElsewhere(model, old, oldCall, e)) continue;
      const release = unwindCalls(old, e, g).find((c) => releasesHeld(model, table, oldA, c));
      if (release) return { exit: e, release };
    }
    return null;
  };
}

function releasedAfterFailure(model: ModelService, summary: CommitSummary, table: PairTable, leaked: Acquire): boolean {
  return summary.post
    .all()
    .some((p) => table.runsAfterFailure(p.fn.name) && p.fn.calls.some((c) => leaked.match.counterparts.includes(c.callee) && model.sameObject(c, leaked.call)));
}

/** A function of the program that releases both (the normal release path undoes all of it). */
function normalPath(model: ModelService, summary: CommitSummary, fn: CFunction, leaked: Acquire, released: Acquire): { normal: ProgramFunction; normalCalls: [CCall, CCall] } | null {
  // the acquiring function's own normal path first: it releases these very objects (`qemu_fclose(fb)` after
  // `fb = ...new_output()`), where another function of the program may release others of the same kind
  const all = summary.post.all();
  const own = all.filter((p) => p.fn === fn);
  for (const p of [...own, ...all.filter((p) => p.fn !== fn)]) {
    // a release on another error branch is no normal path
    const normal = (c: CCall) => !model.onErrorPath(p.fn, c.line) && !onErrorBranch(model, p.fn, c);
    // on the same objects: a release of another listener or region is no release of these
    const a = p.fn.calls.find((c) => leaked.match.counterparts.includes(c.callee) && normal(c) && !model.clearlyDifferentObjects(c, leaked.call));
    const b = p.fn.calls.find((c) => released.match.counterparts.includes(c.callee) && normal(c) && !model.clearlyDifferentObjects(c, released.call));
    if (a && b) return { normal: p, normalCalls: [a, b] };
  }
  return null;
}

/** A test's negation: the else branch of `if (!v2)` is taken when `v2`, not `!(!v2)`. */
const negate = (c: string) => (/^!\s*[\w>.-]+$/.test(c) ? c.replace(/^!\s*/, '') : `!(${c})`);

/** What holds where an exit leaves: its test, or for an exit in the test's else branch, the test's negation. */
function holdsText(guard: CGuard): string {
  return guard.negated ? negate(guard.condition.text) : guard.condition.text;
}

/** The conditions under which a conditional acquire ran, where the exit does not already imply them. */
function takenWhen(ctx: Ctx, call: CCall, exit: CExit, fn: CFunction): string {
  // an acquire of a loop whose failure this exit tests: what leaks is what the passes before this one took
  if (exit.guards.some((g) => failedHere(ctx.model, fn, call, g)) && heldByEarlierPasses(fn, call, exit)) return ctx.format('takenBefore', {});
  const own = call.guards.filter((g) => g.condition.kind === 'if' && !exit.guards.some((o) => o.condition === g.condition && o.negated === g.negated));
  if (own.length === 0) return '';
  const text = own.map((g) => (g.negated ? negate(g.condition.normalized) : g.condition.normalized)).join(' && ');
  return ctx.format('takenWhen', { condition: text });
}

/** A fact of one function for "introduced": a leak, or an acquire its exit leaves held (callee|where). */
type LeakFact = { leak: Leak; post: boolean } | { sibling: SiblingLeak } | { held: string };

function checkFunction(ctx: Ctx, file: ChangedFile, change: FunctionChange): void {
  const summary = ctx.model.summary();
  const fn = change.post;
  if (!fn) return;
  const old = summary.oldSelf(fn, file);
  const former = old ? formerLookup(ctx.model, ctx.pairs, file, fn, old) : undefined;
  const bySlot = slotReleaseLookup(ctx.model, summary, ctx.pairs, file, fn);
  const ownUndo = ownUndoLookup(ctx.model, summary, ctx.pairs, file, fn);
  const factsOf = (f: CFunction): LeakFact[] => {
    const held = new Set<string>();
    const siblings: SiblingLeak[] = [];
    const helpers = helperAcquires(ctx.model, summary, ctx.pairs, f === fn ? 'post' : 'pre', f === fn ? file.path : (file.oldPath ?? file.path));
    const found = leaks(ctx.model, summary, ctx.pairs, f, held, f === fn ? siblings : undefined, f === fn ? former : undefined, f === fn ? bySlot : undefined, helpers, f === fn ? ownUndo : undefined);
    // one finding an exit and acquire: a leak the normal path shows is the stronger statement
    const shown = new Set(found.map((l) => `${l.exit.line}|${l.leaked.call.line}`));
    // exits that leave each acquire held: an exit reworded or moved keeps the count, a new one raises it
    const heldExits = new Map<string, number>();
    for (const h of held) if (h.startsWith('n|')) heldExits.set(h.split('|')[1] as string, (heldExits.get(h.split('|')[1] as string) ?? 0) + 1);
    for (const l of siblings) l.heldExits = heldExits.get(l.leaked.call.callee) ?? 0;
    const counts = [...heldExits].flatMap(([callee, n]) => Array.from({ length: n }, (_, k) => `count|${callee}|${k + 1}`));
    return [
      ...found.map((leak) => ({ leak, post: f === fn })),
      ...siblings.filter((l) => !shown.has(`${l.exit.line}|${l.leaked.call.line}`)).map((sibling) => ({ sibling })),
      // what the pre-image held only serves as keys for the commit's facts: none from the post-image, so that a
      // function without a leak is done here and its old self is never read
      ...(f === fn ? [] : [...held, ...counts].map((h) => ({ held: h }))),
    ];
  };
  const where = (l: { guard: CGuard; exit: CExit }) => [l.guard.condition.normalized, ...(l.exit.kind === 'goto' && l.exit.label ? [`goto ${l.exit.label}`] : [])];
  // "introduced" is decided by the model (summary.introduced), callee names mapped through renames. A leak is old when
  // the pre-image had: the same leak (by its condition, or its unwind label); the same two resources leaked on an error
  // path (a reworded condition or return value); the same acquire held on this exit, then with nothing undone (a plain
  // early return); or, on this exit, a resource the commit replaced (a notifier swapped for a listener, on the same
  // unwind): the error path already leaked what stood there, so the leak is inherited
  const keys = (fact: LeakFact, rename: (name: string) => string): string[] => {
    if ('held' in fact) {
      const bar = fact.held.indexOf('|');
      const callee = fact.held.slice(0, bar);
      const replaced = !fn.calls.some((c) => summary.preName(c.callee) === callee);
      return [`held|${fact.held}`, ...(replaced ? [`replaced|${fact.held.slice(bar + 1)}`] : [])];
    }
    if ('sibling' in fact) {
      // old when the pre-image's exit already held it (the same condition or unwind label)
      const l = fact.sibling;
      const leaked = rename(l.leaked.call.callee);
      // or, when as many of its exits left it held (a reworded or moved exit, not a new one)
      return [...where(l).flatMap((w) => [`sibling|${leaked}|${w}`, `held|${leaked}|${w}`, `replaced|${w}`]), `held|count|${leaked}|${l.heldExits ?? 0}`];
    }
    const l = fact.leak;
    const leaked = rename(l.leaked.call.callee);
    const released = rename(l.released.call.callee);
    const own = [...where(l).map((w) => `${leaked}|${released}|${w}`), `${leaked}|${released}`];
    // a leak of the commit is also looked up among the pre-image's held acquires and replaced resources
    return fact.post ? [...own, ...where(l).map((w) => `held|${leaked}|${w}`), ...where(l).map((w) => `replaced|${w}`)] : own;
  };
  const reported = new Set<string>();
  for (const fact of summary.introduced(fn, file, factsOf, keys)) {
    if ('sibling' in fact) {
      reportSibling(ctx, file, fn, fact.sibling, reported);
      continue;
    }
    if (!('leak' in fact)) continue;
    const leak = fact.leak;
    const { exit, guard, leaked, released, normal, normalCalls } = leak;
    const cond = guard.condition;
    // where this commit changed it: the exit, its unwind or the acquires
    if (!file.addedIn(Math.min(leaked.call.line, cond.stmtLine), exit.line) || reported.has(leaked.call.callee)) continue;
    reported.add(leaked.call.callee);
    const want = leaked.match.counterparts.join('() or ');
    const how = howItLeaves(ctx, exit);
    const data = {
      fn: fn.name,
      how,
      leaked: leaked.call.callee,
      file: file.path,
      leakedLine: leaked.call.line,
      when: takenWhen(ctx, leaked.call, exit, fn),
      released: released.call.callee,
      want,
      what: leaked.match.pair.what,
      condition: holdsText(guard),
      normal: normal.fn.name,
      normalPath: normal.path,
      normalLine: normalCalls[0].line,
    };
    // the same call took both (two notifiers initialised one after the other): name the objects, or the words contradict
    const leakedChain = ctx.model.objectText(leaked.call);
    const releasedChain = ctx.model.objectText(released.call);
    const sameCallee = leaked.call.callee === released.call.callee && leakedChain !== null && releasedChain !== null && leakedChain !== releasedChain;
    // what the call acted on: the field it filled (`s->fd = open(...)`), else its first argument (`&s->call`), not a status
    const argText = (c: CCall) => (c.result !== undefined && /->|\./.test(c.result) ? c.result : (c.args[0] ?? '')).trim();
    ctx.report({
      at: { file: file.path, line: cond.stmtLine, endLine: exit.line, function: fn.name },
      ...(sameCallee
        ? { messageId: 'leakSame' as const, data: { ...data, leakedObject: argText(leaked.call), releasedObject: argText(released.call) } }
        : { messageId: 'leak' as const, data }),
      related: [
        { file: file.path, line: leaked.call.line, function: fn.name, messageId: 'taken', data: { callee: leaked.call.callee } },
        { file: normal.path, line: normalCalls[0].line, function: normal.fn.name, messageId: 'releasedBy', data: { fn: normal.fn.name, release: normalCalls[0].callee } },
      ],
      key: `leak|${fn.name}|${leaked.call.callee}|${cond.normalized}`,
      repair: { callees: leaked.match.counterparts, functions: [fn.name] },
    });
  }
}

/** What every error-path message says of the exit and the acquire it leaves held. */
function leakAt(ctx: Ctx, file: ChangedFile, fn: CFunction, exit: CExit, leaked: Acquire) {
  return {
    fn: fn.name,
    how: howItLeaves(ctx, exit, leaked.call),
    leaked: leaked.call.callee,
    file: file.path,
    leakedLine: leaked.call.line,
    when: takenWhen(ctx, leaked.call, exit, fn),
  };
}

/** How an error exit leaves, in words ({{how}}). */
function howItLeaves(ctx: Ctx, exit: CExit, held?: CCall): string {
  if (exit.kind === 'goto') return exit.label !== undefined ? ctx.format('jumps', { label: exit.label }) : ctx.format('jumpsUnwind');
  // (a `break` or `continue` counts as leaving only for the variable whose block it leaves: leavesScopeOf)
  if ((exit.kind === 'break' || exit.kind === 'continue') && held?.result !== undefined) return ctx.format('breaksScope', { variable: held.result.trim(), kind: exit.kind });
  return exit.value ? ctx.format('returnsValue', { value: exit.value }) : ctx.format('returns');
}

/**
 * Acquires into a member of a local that a loop's body points at one element of an array (`FxTest *t = &d->tests[i];`,
 * `t = d->tests + i;`, set once, before the acquire), read as that element's member (`d->tests[i].hdr`): the unwind
 * of the loop names the element, not the local.
 */
function elementAliases(fn: CFunction, list: Acquire[]): Acquire[] {
  return list.map((a) => {
    const m = /^([a-z_]\w*)\s*->\s*(.+)$/.exec(a.call.result?.trim() ?? '');
    if (!m) return a;
    const sets = (fn.assignments ?? []).filter((x) => x.target.trim() === m[1]);
    const set = sets[0];
    if (sets.length !== 1 || !set || !set.inLoop || set.line > a.call.line) return a;
    const v = set.value.replace(/\s+/g, '');
    const e = /^&([\w.>-]+)\[([a-z_]\w*)\]$/.exec(v) ?? /^([\w.>-]+)\+([a-z_]\w*)$/.exec(v);
    if (!e) return a;
    return { ...a, call: { ...a.call, result: `${e[1]}[${e[2]}].${m[2]}` } };
  });
}

/** An error exit that leaves a parameter the function owns unreleased, while sibling error exits release it. */
interface OwnedLeak {
  param: string;
  exit: CExit;
  guard: CGuard;
  /** the releases of the sibling error exits, one each */
  siblings: CCall[];
}

/**
 * A function handed a value to keep or to release (a received descriptor, a request): one or more of its error
 * exits give that parameter back, each with the same disposing call (`close(fd); return;`), so an error exit between
 * the first and the last of them that does not leaves it with nobody; so does one after the last, while nothing since
 * has handed the parameter to a call or stored it. Not an exit that hands the parameter on
 * (returns it, or calls something with it on its way), nor one under a test of the parameter itself (`if (fd < 0)`),
 * which a call handed it in the test is not (`if (!fx_set_blocking(fd, false, &err))`).
 */
function ownedLeaks(model: ModelService, table: PairTable, fn: CFunction): OwnedLeak[] {
  const given = (c: CCall) => c.args.length === 1 && (fn.params ?? []).includes(c.args[0]?.trim() ?? '');
  // a call giving a parameter back at all, before the error exits are read (most functions have none)
  const params = [...new Set(fn.calls.filter((c) => given(c) && (table.disposesWhole(c.callee) || table.isHeapRelease(c.callee))).map((c) => (c.args[0] as string).trim()))];
  if (params.length === 0) return [];
  const exits = clearErrorExits(model, fn);
  if (exits.length < 2) return [];
  const out: OwnedLeak[] = [];
  for (const param of params) {
    const gives = (c: CCall) => c.args.length === 1 && c.args[0]?.trim() === param && (table.disposesWhole(c.callee) || table.isHeapRelease(c.callee));
    const releasing = exits.map((e) => ({ e, release: e.unwind.find(gives) })).filter((x): x is { e: ErrorExit; release: CCall } => x.release !== undefined);
    // (one is enough for the exits after it: the function owned the parameter there, and owns it until something
    // takes it over)
    if (releasing.length < 1 || new Set(releasing.map((x) => x.release.callee)).size !== 1) continue;
    const first = releasing[0]!.e.exit.line;
    const last = releasing[releasing.length - 1]!.e.exit.line;
    for (const { exit, guard, unwind } of exits) {
      // (after the last of them only while nothing since took the parameter over: `fx_map_from_fd(..., fd, ...)`, `s->fd = fd`)
      const handedOn = (from: number, to: number) =>
        fn.calls.some((c) => c.line > from && c.line < to && !table.isNonResource(c.callee) && c.args.some((a) => word(a, param))) || fn.stores.some((st) => st.line > from && st.line < to && word(st.value, param));
      // (the exit's own test may hand it to a call that failed: `if (!fx_set_blocking(fd, ...))` takes nothing over)
      if (exit.line <= first || (exit.line >= last && (exit.line === last || handedOn(last, guard.condition.stmtLine))) || releasing.some((x) => x.e.exit === exit)) continue;
      if (releasing.length < 2 && exit.line < last) continue;
      // (a trace point or an error report naming it takes nothing over)
      if (unwind.some((c) => !table.isNonResource(c.callee) && c.args.some((a) => word(a, param)))) continue;
      if (exit.value !== undefined && word(exit.value, param)) continue;
      if (exit.guards.some((g) => model.testsValueItself(g.condition.normalized, param))) continue;
      out.push({ param, exit, guard, siblings: releasing.map((x) => x.release) });
    }
  }
  return out;
}

function checkOwned(ctx: Ctx, file: ChangedFile, change: FunctionChange): void {
  const fn = change.post;
  if (!fn || fn.hasErrors) return;
  const summary = ctx.model.summary();
  const found = summary.introduced(fn, file, (f) => ownedLeaks(ctx.model, ctx.pairs, f), (o) => [`owned|${o.param}|${o.guard.condition.normalized}`]);
  for (const o of found) {
    const cond = o.guard.condition;
    if (!file.addedIn(cond.stmtLine, o.exit.line)) continue;
    const want = (o.siblings[0] as CCall).callee;
    ctx.report({
      at: { file: file.path, line: cond.stmtLine, endLine: o.exit.line, function: fn.name },
      messageId: 'ownedLeak',
      data: {
        fn: fn.name,
        how: howItLeaves(ctx, o.exit),
        param: o.param,
        file: file.path,
        siblings:
          o.siblings.length === 1
            ? `its error path at ${file.path}:${(o.siblings[0] as CCall).line} does`
            : `its error paths at ${file.path}:${o.siblings.map((c) => c.line).join(', ')}`,
        want,
        condition: holdsText(o.guard),
      },
      related: o.siblings.map((c) => ({ file: file.path, line: c.line, function: fn.name, messageId: 'ownedReleases' as const, data: { param: o.param, release: c.callee } })),
      key: `owned|${fn.name}|${o.param}|${cond.normalized}`,
      repair: { callees: [want], functions: [fn.name] },
    });
  }
}

/** A new error exit that leaves past the unwind its neighbouring error exits take. */
interface UnwindSkip {
  exit: CExit;
  guard: CGuard;
  prev: CExit;
  /** the error exit after it that jumps to the same label; null when the normal path runs into the label */
  next: CExit | null;
  /** when neither: an error exit before `prev` that jumps where this one does (the ladder: what `prev`'s unwind
   * adds was taken between the two, and nothing since gave it back) */
  lower?: CExit;
  label: string;
  /** the first release the neighbours' unwind runs and this exit does not */
  skipped: CCall;
}

/**
 * The error exits just before and just after this one (in source order) both jump to the same label L, and
 * this one returns, or jumps to a label below L: it skips the releases of L's unwind (at least one call with a
 * release verb or a table release between L and where this exit goes on), which the function's own error
 * handling runs on both sides of it: the plain `return` written where a `goto out` belonged.
 */
/** The values whose field `object` was set from before `line` (`mr = section.mr;` → `section`). */
function fieldOfMade(fn: CFunction, object: string, line: number): string[] {
  const out: string[] = [];
  for (const st of fn.statements) {
    if (st.line >= line) break;
    const m = /^(\w+)=(\w+)(?:\.|->)\w+;$/.exec((st.assignment ?? st.normalized).replace(/\s+/g, ''));
    if (m && m[1] === object) out.push(m[2] as string);
  }
  return out;
}

/** The error exits that leave the function (a return, or a jump to a label), each with its own test, in source order. */
function leavingErrorExits(model: ModelService, fn: CFunction): { exit: CExit; guard: CGuard }[] {
  return fn.exits.flatMap((exit) => {
    const guard = exit.guards[exit.guards.length - 1];
    return (exit.kind === 'return' || exit.kind === 'goto') && guard && model.isErrorExit(fn, exit, guard) ? [{ exit, guard }] : [];
  });
}

function unwindSkips(model: ModelService, table: PairTable, fn: CFunction): UnwindSkip[] {
  // no jump to a label, no unwind to skip (most functions): before any exit is read
  if (!fn.exits.some((e) => e.kind === 'goto')) return [];
  // error exits (a jump to a label the normal path also runs is one too: `goto out` after error_setg())
  const exits = leavingErrorExits(model, fn);
  if (exits.length < 2) return [];
  const out: UnwindSkip[] = [];
  const lastLine = fn.endLine;
  for (let i = 1; i < exits.length; i++) {
    const prev = exits[i - 1]!.exit;
    const next = exits[i + 1]?.exit ?? null;
    const { exit, guard } = exits[i]!;
    if (prev.kind !== 'goto' || prev.labelLine === undefined || exit.line > prev.labelLine) continue;
    // this exit itself says it failed (an error set or reported in its block, a failure value): not `if (ret == 0) { return 0; }`
    if (!model.isClearErrorExit(fn, exit, guard) || (exit.value !== undefined && /^(0|true)$/.test(exit.value.trim()))) continue;
    // neighbours, not exits inside this exit's own block (a special case of its failure that unwinds further)
    const block = guard.condition;
    if (prev.guards.some((g) => g.condition === block)) continue;
    const from = prev.labelLine;
    // the error exit after it jumps there too, or the normal path runs into the label (no plain return before it)
    const nextJumps = next !== null && next.kind === 'goto' && next.label === prev.label;
    const normalRuns = !nextJumps && !fn.exits.some((e) => e.kind === 'return' && e.guards.length === 0 && e.line > exit.line && e.line < from);
    if (exit.kind === 'goto' && (exit.label === prev.label || exit.labelLine === undefined || exit.labelLine <= from)) continue;
    // or the ladder itself says it: an error exit before `prev` jumps where this one does, so what `prev`'s rung adds
    // was taken between the two, and this later exit (the last before the labels) leaves it held
    const lower =
      nextJumps || normalRuns || exit.kind !== 'goto' || next !== null
        ? undefined
        : exits.slice(0, i - 1).find((e) => e.exit.kind === 'goto' && e.exit.label === exit.label && !e.exit.inLoop)?.exit;
    if (!nextJumps && !normalRuns && !lower) continue;
    // what the neighbours' unwind runs and this exit does not: from their label to where this exit goes on
    const until = exit.kind === 'goto' ? (exit.labelLine as number) : lastLine + 1;
    const endOfUnwind = fn.exits.find((e) => e.kind === 'return' && e.line > from && e.guards.length === 0)?.line ?? lastLine + 1;
    const skipped = fn.calls.find(
      (c) => c.line > from && c.line < Math.min(until, endOfUnwind + 1) && (table.anyPrimitive(c.callee)?.role === 'release' || table.hasReleaseVerb(c.callee)),
    );
    if (!skipped) continue;
    if (lower) {
      // neighbours on one level (no exit inside another's block), nothing on the way from `prev` to this exit gives it
      // back (the same release), and this exit's own block does not deal with it
      if (exit.inLoop || prev.inLoop || exit.guards.length !== prev.guards.length || exit.guards.length !== lower.guards.length) continue;
      if (fn.calls.some((c) => c.line > prev.line && c.line < exit.line && c.callee === skipped.callee)) continue;
      if (fn.calls.some((c) => c.line > block.endLine && c.line < exit.line && c.guards.some((g) => g.condition === block) && (table.hasReleaseVerb(c.callee) || table.anyPrimitive(c.callee)?.role === 'release'))) continue;
      out.push({ exit, guard, prev, next: null, lower, label: prev.label as string, skipped });
      continue;
    }
    // what it releases was made before this exit: a call returned it, filled it in through its address, or took it
    const object = (skipped.args[0] ?? '').replace(/^\s*&\s*/, '').trim();
    if (object === '' || !/^[\w>.-]+$/.test(object)) continue;
    const madeBefore = (name: string) =>
      fn.calls.some((c) => c.line < exit.line && c !== skipped && (c.result?.trim() === name || c.args.some((a) => a.replace(/\s+/g, '') === `&${name}`)));
    // ...or it is a field of a value a call returned (`section = fx_find(...); mr = section.mr;`)
    if (!madeBefore(object) && !fieldOfMade(fn, object, exit.line).some(madeBefore)) continue;
    // the exit's own block hands it to a call (`error_report_err(err); return;`): it deals with it itself
    // (not a call whose value another call takes: `error_report("...", fx_name(mr))` only reads it)
    const own = fn.calls.filter((c) => c.line > block.endLine && c.line < exit.line && c.guards.some((g) => g.condition === block));
    const readOnly = (c: CCall) => own.some((o) => o !== c && o.args.some((a) => a.includes(`${model.calleeBase(c.callee)}(`)));
    if (own.some((c) => !readOnly(c) && c.args.some((a) => a.replace(/^\s*&\s*/, '').trim() === object))) continue;
    out.push({ exit, guard, prev, next: nextJumps ? next : null, label: prev.label as string, skipped });
  }
  return out;
}

function checkUnwindSkips(ctx: Ctx, file: ChangedFile, change: FunctionChange, already: ReadonlySet<number>): void {
  const fn = change.post;
  if (!fn || fn.hasErrors) return;
  const summary = ctx.model.summary();
  const found = summary.introduced(fn, file, (f) => unwindSkips(ctx.model, ctx.pairs, f), (u) => [`unwind|${u.guard.condition.normalized}|${u.exit.kind}|${u.exit.label ?? ''}`]);
  for (const u of found) {
    const cond = u.guard.condition;
    // the exit itself is the commit's (a new or rewritten `return`/`goto`), not an old one whose neighbours changed
    if (already.has(u.exit.line) || !file.added.has(u.exit.line)) continue;
    ctx.report({
      at: { file: file.path, line: cond.stmtLine, endLine: u.exit.line, function: fn.name },
      messageId: u.next ? 'unwindSkipped' : u.lower ? 'unwindSkippedLadder' : 'unwindSkippedNormal',
      data: {
        fn: fn.name,
        how: howItLeaves(ctx, u.exit),
        file: file.path,
        prevLine: u.prev.line,
        ...(u.next ? { nextLine: u.next.line } : {}),
        ...(u.lower ? { lowerLine: u.lower.line } : {}),
        label: u.label,
        skipped: u.skipped.callee,
        skippedLine: u.skipped.line,
        condition: holdsText(u.guard),
      },
      related: [
        { file: file.path, line: u.prev.line, function: fn.name, messageId: 'jumpsThere', data: { label: u.label } },
        { file: file.path, line: u.skipped.line, function: fn.name, messageId: 'skippedHere', data: { label: u.label, skipped: u.skipped.callee } },
      ],
      key: `unwind-skipped|${fn.name}|${cond.normalized}`,
      repair: { callees: [u.skipped.callee], functions: [fn.name] },
    });
  }
}

/** A new error exit of a realize after it put a child of its own into a container it did not make. */
interface ForeignMap {
  exit: CExit;
  guard: CGuard;
  add: CCall;
  slot: string;
  release: string;
}

/**
 * The function fills a slot whose release slot never runs when it fails (`.realize`), and puts a child of its
 * instance (`&s->mmio`) into a container some call hands it (`get_system_memory()`, a bus's address space): no
 * field of the device, so nothing of the device takes it out when the device goes. An error exit after that, on
 * its way (not the other arm of a test, not past a block that leaves), with no call anywhere in the function taking
 * that child out, leaves it mapped. The table pairs the add with its release; the ownership data names the adds.
 */
function foreignMaps(model: ModelService, table: PairTable, file: ChangedFile, fn: CFunction): ForeignMap[] {
  const slot = (file.post?.initializers ?? []).flatMap((i) => i.fields).find((f) => f.value.trim() === fn.name && table.releaseSkippedOnFailure(f.field))?.field;
  if (slot === undefined) return [];
  const own = table.ownership;
  const adds = fn.calls.filter(
    (c) => own.isAdd(c.callee) && /^\w+\s*\(.*\)$/.test((c.args[0] ?? '').trim()) && /^&\s*\w+\s*->/.test((c.args[c.args.length - 1] ?? '').trim()),
  );
  if (adds.length === 0) return [];
  const out: ForeignMap[] = [];
  for (const exit of fn.exits) {
    const guard = exit.guards[exit.guards.length - 1];
    if (!guard || (exit.kind !== 'return' && exit.kind !== 'goto') || !model.isClearErrorExit(fn, exit, guard)) continue;
    const add = adds.find((a) => {
      if (a.endLine >= exit.line || leavesBefore(fn, a, exit)) return false;
      if (a.guards.some((g) => exit.guards.some((h) => h.condition === g.condition && h.negated !== g.negated))) return false;
      const child = (a.args[a.args.length - 1] as string).replace(/\s+/g, '');
      const release = table.anyPrimitive(a.callee);
      // the function takes that child out somewhere (an unwind, a branch): the unwind modes speak of it
      return release?.role === 'acquire' && !fn.calls.some((c) => release.counterparts.includes(c.callee) && c.args.some((x) => x.replace(/\s+/g, '') === child));
    });
    if (!add) continue;
    const release = table.anyPrimitive(add.callee)?.counterparts[0];
    if (release === undefined) continue;
    out.push({ exit, guard, add, slot, release });
  }
  return out;
}

function checkForeignMaps(ctx: Ctx, file: ChangedFile, change: FunctionChange, already: ReadonlySet<number>): void {
  const fn = change.post;
  if (!fn || fn.hasErrors) return;
  const summary = ctx.model.summary();
  const found = summary.introduced(fn, file, (f) => foreignMaps(ctx.model, ctx.pairs, file, f), (u) => [`foreign|${u.guard.condition.normalized}|${u.exit.kind}|${u.add.callee}`]);
  for (const u of found) {
    const cond = u.guard.condition;
    if (already.has(u.exit.line) || !file.added.has(u.exit.line)) continue;
    ctx.report({
      at: { file: file.path, line: cond.stmtLine, endLine: u.exit.line, function: fn.name },
      messageId: 'foreignMapped',
      data: {
        fn: fn.name,
        how: howItLeaves(ctx, u.exit),
        child: (u.add.args[u.add.args.length - 1] as string).trim(),
        container: (u.add.args[0] as string).trim(),
        file: file.path,
        addLine: u.add.line,
        slot: u.slot,
        condition: holdsText(u.guard),
        release: u.release,
      },
      related: [{ file: file.path, line: u.add.line, function: fn.name, messageId: 'addedHere', data: { callee: u.add.callee } }],
      key: `foreign|${fn.name}|${cond.normalized}`,
      repair: { callees: [u.release], functions: [fn.name] },
    });
  }
}

/** A new error exit that leaves above the rung of the unwind ladder the next error exit takes. */
interface LadderSkip {
  exit: CExit;
  guard: CGuard;
  /** the next error exit, which jumps lower down the ladder */
  next: CExit;
  acquire: CCall;
  object: string;
  /** the release on the next exit's way out that this exit's way out lacks */
  skipped: CCall;
}

/**
 * An unwind written as a ladder of labels (`err_notifier:` releases what was taken last, then falls into
 * `err_alloc:`): each error exit jumps to the rung that undoes what is held at that point. An error exit whose next
 * error exit (in source order) jumps to a lower rung M while it jumps higher (or returns) skips the releases
 * between M and its own label; one of them gives back an object an acquire before this exit took (the pair's
 * counterpart, on the same object, not given back before the exit), so that object stays held. Not an exit that
 * tests that acquire's own result (its failure: nothing was taken), nor one whose block deals with the object.
 */
function ladderSkips(model: ModelService, table: PairTable, fn: CFunction): LadderSkip[] {
  if (!fn.exits.some((e) => e.kind === 'goto')) return [];
  const exits = leavingErrorExits(model, fn);
  const out: LadderSkip[] = [];
  const object = (c: CCall) => (c.args[0] ?? '').replace(/^\s*&\s*/, '').replace(/\s+/g, '');
  for (let i = 0; i + 1 < exits.length; i++) {
    const { exit, guard } = exits[i]!;
    const next = exits[i + 1]!.exit;
    if (next.kind !== 'goto' || next.labelLine === undefined || next.labelLine <= exit.line) continue;
    if (!model.isClearErrorExit(fn, exit, guard) || (exit.value !== undefined && /^(0|true)$/.test(exit.value.trim()))) continue;
    // a special case inside the next exit's own failure block is no neighbour
    if (next.guards.some((g) => g.condition === guard.condition) || exit.guards.some((g) => g.condition === next.guards[next.guards.length - 1]?.condition)) continue;
    // a rung that a jump which is no error also takes (`if (s->done) goto out;`) is no error unwind alone
    if (fn.exits.some((e) => e.kind === 'goto' && e.label === next.label && !exits.some((x) => x.exit === e))) continue;
    // where this exit's way out starts: its label (below the next one's), or nowhere (a plain return)
    if (exit.kind === 'goto' && (exit.labelLine === undefined || exit.labelLine <= next.labelLine)) continue;
    const from = next.labelLine;
    const endOfUnwind = fn.exits.find((e) => e.kind === 'return' && e.line > from && e.guards.length === 0)?.line ?? fn.endLine + 1;
    const until = Math.min(exit.kind === 'goto' ? (exit.labelLine as number) : fn.endLine + 1, endOfUnwind + 1);
    const block = guard.condition;
    for (const skipped of fn.calls) {
      if (skipped.line <= from || skipped.line >= until) continue;
      const plain = object(skipped);
      const named = plain !== '' && /^[\w>.-]+$/.test(plain);
      // the nearest acquire before the exit (an earlier one may be another attempt, already failed or left)
      const acquire = fn.calls.filter((a) => {
        if (a.line >= exit.line || a.line >= from) return false;
        // on the way to this exit: not the other arm of a test the exit is under, nor in a block that leaves first
        if (a.guards.some((g) => exit.guards.some((h) => h.condition === g.condition && h.negated !== g.negated))) return false;
        if (leavesBefore(fn, a, exit)) return false;
        if (clearsSetter(model, a, skipped)) return true;
        const m = table.anyPrimitive(a.callee);
        if (!named || m?.role !== 'acquire' || !m.counterparts.includes(skipped.callee)) return false;
        return (object(a) === plain && model.sameObject(a, skipped)) || a.result?.replace(/\s+/g, '') === plain;
      }).at(-1);
      if (!acquire) continue;
      // what it holds: the acquire's object, or what a setter was handed that the unwind clears
      const o = named && !clearsSetter(model, acquire, skipped) ? plain : setValue(acquire, skipped);
      // given back before this exit (a temporary), or this exit is the acquire's own failure
      if (fn.calls.some((c) => c.line > acquire.line && c.line < exit.line && (clearsSetter(model, acquire, c) || (c.callee === skipped.callee && object(c) === o)))) continue;
      if (failureOf(fn, acquire, block)) continue;
      // this exit's own way out gives it back too, lower down (a rung above that releases it again is another defect)
      if (exit.kind === 'goto' && fn.calls.some((c) => c.line > (exit.labelLine as number) && c.line <= endOfUnwind && c.callee === skipped.callee && object(c) === o)) continue;
      // the exit's own block hands the object to a call: it deals with it itself
      const own = fn.calls.filter((c) => c.line > block.endLine && c.line < exit.line && c.guards.some((g) => g.condition === block));
      if (own.some((c) => c.args.some((a) => a.replace(/^\s*&\s*/, '').replace(/\s+/g, '') === o))) continue;
      out.push({ exit, guard, next, acquire, object: o, skipped });
      break;
    }
  }
  return out;
}

/**
 * Does `clear` undo the setter call `set`: the same callee handed the same arguments but NULL where `set` was
 * handed a value (`fx_set_flag_handler(id, &s->notifier)` ... `fx_set_flag_handler(id, NULL)`)?
 */
function clearsSetter(model: ModelService, set: CCall, clear: CCall): boolean {
  const sq = (t: string | undefined) => (t ?? '').replace(/\s+/g, '');
  // the model names a handler setter's install and its clear apart (`fx_set_handler__fn_2`, `__null_2`)
  const setter = (callee: string) => model.toggleOf(callee)?.base ?? callee;
  return (
    set !== clear && setter(set.callee) === setter(clear.callee) && set.args.length === clear.args.length &&
    set.args.some((x, k) => sq(clear.args[k]) === 'NULL' && sq(x) !== 'NULL') &&
    set.args.every((x, k) => sq(clear.args[k]) === 'NULL' || sq(x) === sq(clear.args[k]))
  );
}

/** What a setter was handed where its clearing call passes NULL (`&s->notifier` → `s->notifier`), else its first argument. */
function setValue(set: CCall, clear: CCall): string {
  const k = set.args.findIndex((x, i) => clear.args[i]?.trim() === 'NULL' && x.trim() !== 'NULL');
  return (set.args[k >= 0 ? k : 0] ?? '').replace(/^\s*&\s*/, '').replace(/\s+/g, '');
}

/**
 * A new error exit of a function that takes something and then records that it did (`s->connected = true;` after
 * `fx_dev_init(&s->dev, ...)`), placed between the two, where another function of the file releases it only when
 * that flag is set (`if (!s->connected) { goto done; } ... fx_dev_cleanup(&s->dev);`): the exit leaves it taken and
 * unrecorded, so nothing ever releases it.
 */
function checkFlagUnset(ctx: Ctx, file: ChangedFile, change: FunctionChange, already: ReadonlySet<number>): void {
  const fn = change.post;
  if (!fn || fn.hasErrors) return;
  const summary = ctx.model.summary();
  const others = summary.post.all().filter((p) => p.path === file.path && p.fn.name !== fn.name);
  const found = summary.introduced(fn, file, (f) => flagUnsetExits(ctx, f, others), (x) => [`flag|${x.acquire.callee}|${x.flag.target}|${x.guard.condition.normalized}`]);
  for (const x of found) {
    if (already.has(x.exit.line) || !file.added.has(x.exit.line)) continue;
    ctx.report({
      at: { file: file.path, line: x.guard.condition.stmtLine, endLine: x.exit.line, function: fn.name },
      messageId: 'flagUnset',
      data: {
        fn: fn.name,
        how: howItLeaves(ctx, x.exit),
        acquire: x.acquire.callee,
        object: x.object,
        file: file.path,
        acquireLine: x.acquire.line,
        flag: x.flag.target.replace(/\s+/g, ''),
        flagLine: x.flag.line,
        other: x.other.fn.name,
        release: x.release.callee,
        otherPath: x.other.path,
        testLine: x.test.line,
      },
      related: [
        { file: file.path, line: x.acquire.line, function: fn.name, messageId: 'taken', data: { callee: x.acquire.callee } },
        { file: x.other.path, line: x.test.line, function: x.other.fn.name, messageId: 'flagTested', data: { other: x.other.fn.name, flag: x.flag.target.replace(/\s+/g, ''), release: x.release.callee } },
      ],
      key: `flag-unset|${fn.name}|${x.acquire.callee}|${x.flag.target}`,
      repair: { callees: [x.release.callee], functions: [fn.name] },
    });
  }
}

interface FlagUnset {
  exit: CExit;
  guard: CGuard;
  acquire: CCall;
  object: string;
  flag: CStore;
  other: ProgramFunction;
  release: CCall;
  test: CCondition;
}

function flagUnsetExits(ctx: Ctx, fn: CFunction, others: readonly ProgramFunction[]): FlagUnset[] {
  const out: FlagUnset[] = [];
  const flags = fn.stores.filter((st) => /^(true|1)$/.test(st.value.trim()) && ctx.model.fieldChain(st.target) !== null);
  if (flags.length === 0) return out;
  for (const exit of fn.exits) {
    if (exit.kind !== 'return' && exit.kind !== 'goto') continue;
    const guard = exit.guards[exit.guards.length - 1];
    if (!guard || !ctx.model.isClearErrorExit(fn, exit, guard)) continue;
    for (const acquire of fn.calls) {
      if (acquire.line >= exit.line || !ctx.model.mayHoldAt(fn, acquire, exit)) continue;
      const match = ctx.pairs.anyPrimitive(acquire.callee);
      if (match?.role !== 'acquire' || match.pair.onlyWithList) continue;
      // the flag recorded after the exit, at the acquire's level (whenever it was taken and nothing failed)
      const flag = flags.find((st) => st.line > exit.line && st.line > acquire.line && ctx.model.guardsCover(st.guards, acquire.guards) && st.guards.length === acquire.guards.length);
      if (!flag) continue;
      // the acquire's own failure test is no exit that holds it (`ret = fx_start(...); if (ret < 0) { return ret; }`)
      if (failureOf(fn, acquire, guard.condition)) continue;
      const gives = (c: CCall) => ctx.pairs.anyPrimitive(c.callee)?.role === 'release' && match.counterparts.includes(c.callee) && ctx.model.sameObject(acquire, c);
      if (fn.calls.some((c) => gives(c) && c.line > acquire.line && c.line < exit.line && ctx.model.guardsCover(c.guards, exit.guards))) continue;
      if (exit.kind === 'goto' && (exit.labelLine === undefined || fn.calls.some((c) => gives(c) && c.line > (exit.labelLine as number)))) continue;
      // the release elsewhere that waits for the flag: a test naming it before the release, in the same function
      const field = flag.field;
      for (const other of others) {
        const release = other.fn.calls.find(gives);
        if (!release) continue;
        const test = other.fn.conditions.find((c) => c.line < release.line && (c.identifiers ?? c.names).concat(c.names).includes(field));
        if (!test) continue;
        const object = (acquire.args[0] ?? '').replace(/^\s*&\s*/, '').replace(/\s+/g, '');
        out.push({ exit, guard, acquire, object, flag, other, release, test });
        break;
      }
      if (out.at(-1)?.exit === exit) break;
    }
  }
  return out;
}

/**
 * Acquires the commit moved up past an error exit they used to follow (the same call, the same arguments, deleted
 * below the exit and written above it): the exit now leaves holding what they take, when nothing on its way (before
 * it, or after the label it jumps to) gives it back and its own block hands the object to no call.
 */
function checkMovedAbove(ctx: Ctx, file: ChangedFile, change: FunctionChange, already: ReadonlySet<number>): void {
  const { pre, post } = change;
  if (!pre || !post || pre.hasErrors || post.hasErrors) return;
  const args = (c: CCall) => c.args.map((a) => a.replace(/\s+/g, '')).join(',');
  // the functions of the file that run also after a failed acquire (instance finalize), for what a holder's unref frees
  const late = (file.post?.functions ?? []).filter((f) => ctx.pairs.runsAfterFailure(f.name));
  for (const acquire of post.calls) {
    if (!file.added.has(acquire.line)) continue;
    // (an acquire whose value a field keeps, `s->bitmap = bitmap_new(n)`, takes that field; one that returns a status or
    // fills a local is the other modes' business)
    const kept = acquire.result !== undefined ? ctx.model.fieldChain(acquire.result) : null;
    if (acquire.result !== undefined && kept === null) continue;
    const listed = ctx.pairs.anyPrimitive(acquire.callee);
    const match = listed?.role === 'acquire' && !listed.pair.onlyWithList ? listed : kept !== null && ctx.model.isHeapAllocation(acquire.callee) && listed?.role === 'acquire' ? listed : null;
    if (match === null) continue;
    const same = (c: CCall) => c.callee === acquire.callee && args(c) === args(acquire) && (c.result ?? '').replace(/\s+/g, '') === (acquire.result ?? '').replace(/\s+/g, '');
    const old = pre.calls.find((c) => same(c) && file.removed.has(c.line));
    if (!old || post.calls.some((c) => c !== acquire && same(c))) continue;
    const object = kept !== null ? (acquire.result as string).replace(/\s+/g, '') : (acquire.args[0] ?? '').replace(/^\s*&\s*/, '').replace(/\s+/g, '');
    if (object === '') continue;
    const holder = kept !== null ? (/^(\w+)/.exec(object)?.[1] ?? '') : '';
    for (const exit of post.exits) {
      if (exit.line <= acquire.endLine || already.has(exit.line) || file.added.has(exit.line) || (exit.kind !== 'return' && exit.kind !== 'goto')) continue;
      const guard = exit.guards[exit.guards.length - 1];
      // an exit that stood above the acquire before the commit: an error exit, or one that skips the rest (`if
      // (fx_try_merge(l, section)) { return; }`), which took nothing before and now leaves holding it
      const preLine = file.postToPre(exit.line);
      if (!guard || preLine === null || preLine > old.line) continue;
      const errorExit = ctx.model.isClearErrorExit(post, exit, guard);
      if (!errorExit && !(exit.kind === 'return' && (exit.value === undefined || /^(true|false|0|1)$/.test(exit.value.trim())))) continue;
      if (!ctx.model.mayHoldAt(post, acquire, exit)) continue;
      // given back on its way: before it (under tests that hold whenever it is taken), or in the unwind after the
      // label it jumps to, there also through a helper of the program (`fx_container_destroy(c)` that unregisters it)
      const summary = ctx.model.summary();
      const gives = (c: CCall) => (kept !== null ? c.args.some((a) => a.replace(/\s+/g, '') === object) : true) && match.counterparts.includes(c.callee) && ctx.model.sameObject(acquire, c);
      const unwinds = (c: CCall) =>
        gives(c) || (summary.post.has(c.callee) && [...summary.reach('post', [c.callee], [], file.path).values()].some((r) => r.fn.calls.some((x) => match.counterparts.includes(x.callee))));
      if (post.calls.some((c) => gives(c) && c.line > acquire.line && c.line < exit.line && ctx.model.guardsCover(c.guards, exit.guards))) continue;
      if (exit.kind === 'goto' && (exit.labelLine === undefined || post.calls.some((c) => unwinds(c) && c.line > (exit.labelLine as number)))) continue;
      // the exit's own block hands the object to a call (it deals with it)
      const cond = guard.condition;
      if (post.calls.some((c) => c.line > cond.endLine && c.line < exit.line && c.guards.some((g) => g.condition === cond) && c.args.some((a) => a.replace(/^\s*&\s*/, '').replace(/\s+/g, '') === object))) continue;
      // a field's holder handed on there (`object_unref(OBJECT(attr))`) frees the field only where its finalize does
      if (holder !== '' && kept !== null && post.calls.some((c) => c.line > cond.endLine && c.line < exit.line && c.guards.some((g) => g.condition === cond) && c.args.some((a) => new RegExp(`(^|\\W)${holder}(\\W|$)`).test(a) && !a.includes('->')))) {
        const chain = kept.join('.');
        if (late.some((f) => f.calls.some((c) => match.counterparts.includes(c.callee) && c.args.some((a) => ctx.model.fieldChain(a.replace(/^&/, '').trim())?.join('.') === chain)))) continue;
      }
      ctx.report({
        at: { file: file.path, line: acquire.line, endLine: acquire.endLine, function: post.name },
        messageId: errorExit ? 'movedAbove' : 'movedAboveSkip',
        data: {
          fn: post.name,
          object,
          acquire: acquire.callee,
          file: file.path,
          acquireLine: acquire.line,
          exitLine: exit.line,
          how: howItLeaves(ctx, exit),
          condition: holdsText(guard),
          release: match.counterparts[0] as string,
        },
        related: [{ file: file.path, line: exit.line, function: post.name, messageId: errorExit ? 'exitHere' : 'skipHere', data: { release: match.counterparts[0] as string } }],
        key: `moved-above|${post.name}|${acquire.callee}|${object}|${cond.normalized}`,
        repair: { callees: match.counterparts, functions: [post.name] },
      });
      break;
    }
  }
}

/** Does a block the call is in leave the function (a return, or a jump) after it and before `exit`? */
function leavesBefore(fn: CFunction, call: CCall, exit: CExit): boolean {
  return fn.exits.some(
    (e) =>
      e.line > call.endLine && e.line < exit.line && (e.kind === 'return' || e.kind === 'goto') &&
      e.guards.length <= call.guards.length && e.guards.every((g, i) => call.guards[i]?.condition === g.condition && call.guards[i]?.negated === g.negated),
  );
}

/**
 * Is `cond` the test of the acquire's own failure (it took nothing then): the call is in the test, the test reads
 * what the call stored, or it is the first test after the call with nothing but reporting between them
 * (`fx_register(s, &err); if (err) goto out;`), when the call can say it failed?
 */
function failureOf(fn: CFunction, acquire: CCall, cond: CCondition): boolean {
  if (cond.line <= acquire.endLine && cond.endLine >= acquire.line) return true;
  const status = acquire.result?.replace(/\s+/g, '');
  if (status !== undefined && (/^\w+$/.test(status) ? (cond.identifiers ?? cond.names).includes(status) : cond.normalized.replace(/\s+/g, '').includes(status))) return true;
  const between = fn.calls.filter((c) => c.line > acquire.endLine && c.line < cond.line && !/error|warn|trace|report|printf|log/.test(c.callee));
  const testsBetween = fn.conditions.some((c) => c.line > acquire.endLine && c.line < cond.line);
  // (only a call that can say it failed: one whose value is kept, or one handed an error to fill)
  const reports = acquire.result !== undefined || acquire.args.some((a) => /^&?\s*\w*err\w*$/.test(a.trim()));
  return reports && between.length === 0 && !testsBetween;
}

function checkLadderSkips(ctx: Ctx, file: ChangedFile, change: FunctionChange, already: ReadonlySet<number>): void {
  const fn = change.post;
  if (!fn || fn.hasErrors) return;
  const summary = ctx.model.summary();
  const found = summary.introduced(fn, file, (f) => ladderSkips(ctx.model, ctx.pairs, f), (u) => [`ladder|${u.guard.condition.normalized}|${u.exit.kind}|${u.exit.label ?? ''}|${u.object}`]);
  for (const u of found) {
    const cond = u.guard.condition;
    if (already.has(u.exit.line) || !file.added.has(u.exit.line)) continue;
    ctx.report({
      at: { file: file.path, line: cond.stmtLine, endLine: u.exit.line, function: fn.name },
      messageId: 'ladderSkipped',
      data: {
        fn: fn.name,
        how: howItLeaves(ctx, u.exit),
        acquire: u.acquire.callee,
        object: u.object,
        file: file.path,
        acquireLine: u.acquire.line,
        nextLine: u.next.line,
        nextLabel: u.next.label as string,
        skipped: u.skipped.callee,
        skippedLine: u.skipped.line,
        condition: holdsText(u.guard),
      },
      related: [
        { file: file.path, line: u.acquire.line, function: fn.name, messageId: 'acquiredHere', data: { acquire: u.acquire.callee, object: u.object } },
        { file: file.path, line: u.next.line, function: fn.name, messageId: 'jumpsThere', data: { label: u.next.label as string } },
        { file: file.path, line: u.skipped.line, function: fn.name, messageId: 'skippedHere', data: { label: u.next.label as string, skipped: u.skipped.callee } },
      ],
      key: `ladder-skipped|${fn.name}|${cond.normalized}|${u.object}`,
      repair: { callees: [u.skipped.callee], functions: [fn.name] },
    });
  }
}

/** An error exit of an acquire slot (`realize`) that leaves what its release slot alone releases. */
function reportUnrealized(ctx: Ctx, file: ChangedFile, fn: CFunction, leak: SiblingLeak, by: SlotRelease): void {
  const { exit, guard, leaked } = leak;
  const cond = guard.condition;
  // the field it took, or the instance it set up (`fx_create_tables(cpu, errp)`)
  const field = ctx.model.acquiredObjectTexts(leaked.call).find((t) => /->/.test(t));
  const instance = leaked.call.args.find((x) => instanceNames(fn).has(bare(x))) ?? leaked.call.args[0] ?? '';
  const took = field !== undefined ? ctx.format('tookField', { object: field }) : ctx.format('setUpOn', { object: bare(instance) });
  // a pair by name (`fx_cpu_realize`/`fx_cpu_unrealize`) stands for the slots its verbs name
  const verb = (name: string) => /_([a-z]+?)(?:fn)?$/.exec(name)?.[1] ?? name;
  const releaseSlot = by.pair.kind === 'slot' ? (/\.(\w+)$/.exec(by.pair.label)?.[1] ?? by.pair.release) : verb(by.pair.release);
  const acquireSlot = by.pair.acquireSlot ?? verb(by.pair.acquire);
  ctx.report({
    at: { file: file.path, line: cond.stmtLine, endLine: exit.line, function: fn.name },
    messageId: 'unrealizedLeak',
    data: {
      fn: fn.name,
      how: howItLeaves(ctx, exit),
      leaked: leaked.call.callee,
      took,
      file: file.path,
      leakedLine: leaked.call.line,
      when: takenWhen(ctx, leaked.call, exit, fn),
      releaseRoot: by.pair.release,
      through: by.fn.fn.name === by.pair.release ? '' : ctx.format('throughHelper', { helper: by.fn.fn.name }),
      want: by.call.callee,
      releasePath: by.fn.path,
      releaseLine: by.call.line,
      releaseSlot,
      acquireSlot,
      what: leaked.siblingOnly === 'field' || leaked.match.pair.onlyWithList ? ctx.format('heapAllocation', {}) : leaked.match.pair.what,
      condition: holdsText(guard),
    },
    related: [
      { file: file.path, line: leaked.call.line, function: fn.name, messageId: 'taken', data: { callee: leaked.call.callee } },
      {
        file: by.fn.path,
        line: by.call.line,
        function: by.fn.fn.name,
        messageId: 'releasedByReleaseSlot',
        data: { fn: by.fn.fn.name, releaseSlot, acquireSlot },
      },
    ],
    key: `unrealized|${fn.name}|${leaked.call.callee}|${cond.normalized}`,
    repair: { callees: [by.call.callee], functions: [fn.name] },
  });
}

/** An error exit that released the acquire before the commit and now leaves holding it. */
function reportFormer(ctx: Ctx, file: ChangedFile, fn: CFunction, leak: SiblingLeak, former: FormerRelease): void {
  const { exit, guard, leaked } = leak;
  const cond = guard.condition;
  const want = former.release.callee;
  // the release still stands where it stood (an unwind the exit no longer reaches), or the commit took it out
  const kept = file.removedIn(former.release.line, former.release.line) ? null : file.preToPost(former.release.line);
  const at =
    kept !== null
      ? ctx.format('formerHere', { file: file.path, line: kept })
      : ctx.format('formerGone', { file: file.oldPath ?? file.path, line: former.release.line });
  const formerText =
    former.exit.kind === 'goto' && former.exit.label !== undefined
      ? ctx.format('formerJump', { label: former.exit.label, want, at })
      : ctx.format('formerBlock', { want, at });
  ctx.report({
    at: { file: file.path, line: cond.stmtLine, endLine: exit.line, function: fn.name },
    messageId: 'formerLeak',
    data: {
      ...leakAt(ctx, file, fn, exit, leaked),
      former: formerText,
      want,
      what: leaked.siblingOnly === 'heap' || leaked.match.pair.onlyWithList ? ctx.format('heapAllocation', {}) : leaked.match.pair.what,
      condition: holdsText(guard),
    },
    related: [
      { file: file.path, line: leaked.call.line, function: fn.name, messageId: 'taken', data: { callee: leaked.call.callee } },
      ...(kept !== null
        ? [{ file: file.path, line: kept, function: fn.name, messageId: 'formerlyReleased' as const, data: { release: want } }]
        : []),
    ],
    key: `former|${fn.name}|${leaked.call.callee}|${cond.normalized}`,
    repair: { callees: [want], functions: [fn.name] },
  });
}

function reportSibling(ctx: Ctx, file: ChangedFile, fn: CFunction, leak: SiblingLeak, reported: Set<string>): void {
  const { exit, guard, leaked, siblingRelease } = leak;
  const cond = guard.condition;
  // where this commit changed it: the exit, or the acquire it holds
  if (!file.addedIn(Math.min(leaked.call.line, cond.stmtLine), exit.line) || reported.has(leaked.call.callee)) return;
  // (a release inside a helper is evidence for a plain error exit only)
  if (leak.siblingVia && (leak.skip || leaked.siblingOnly === 'stored')) return;
  // (one finding an exit and helper: the first acquire it leaves held names the rest)
  const viaKey = leak.siblingVia ? `via|${exit.line}|${leak.siblingVia.callee}` : null;
  if (viaKey !== null && reported.has(viaKey)) return;
  if (viaKey !== null) reported.add(viaKey);
  reported.add(leaked.call.callee);
  if (!siblingRelease && leak.former) {
    reportFormer(ctx, file, fn, leak, leak.former);
    return;
  }
  if (!siblingRelease && leak.partial) {
    const release = leak.partial;
    const loop = release.guards.find((g) => g.condition.kind === 'while' || g.condition.kind === 'for')?.condition;
    const index = /\[\s*([a-z_]\w*)\s*\]/.exec(leak.leaked.call.result ?? leak.leaked.call.args[0] ?? '')?.[1] ?? '';
    ctx.report({
      at: { file: file.path, line: leak.guard.condition.stmtLine, endLine: leak.exit.line, function: fn.name },
      messageId: 'partialLeak',
      data: {
        fn: fn.name,
        how: howItLeaves(ctx, leak.exit),
        leaked: leak.leaked.call.callee,
        object: (leak.leaked.call.result ?? leak.leaked.call.args[0] ?? '').trim(),
        file: file.path,
        leakedLine: leak.leaked.call.line,
        want: release.callee,
        index,
        loop: loop?.text ?? '',
        releaseLine: release.line,
        condition: holdsText(leak.guard),
      },
      related: [
        { file: file.path, line: leak.leaked.call.line, function: fn.name, messageId: 'taken', data: { callee: leak.leaked.call.callee } },
        { file: file.path, line: release.line, function: fn.name, messageId: 'unwindsBefore', data: { release: release.callee, index } },
      ],
      key: `partial|${fn.name}|${leak.leaked.call.callee}|${leak.guard.condition.normalized}`,
      repair: { callees: [release.callee], functions: [fn.name] },
    });
    return;
  }
  if (!siblingRelease && leak.releaseSlot) {
    reportUnrealized(ctx, file, fn, leak, leak.releaseSlot);
    return;
  }
  if (!siblingRelease) {
    // the evidence is the success path: it stores the variable somewhere that outlives the function, or returns it
    const store = leak.storedAt;
    const returned = leak.returnedAt as CExit;
    const variable = (leaked.call.result ?? '').trim();
    const shared = {
      fn: fn.name,
      how: howItLeaves(ctx, exit, leaked.call),
      variable,
      leaked: leaked.call.callee,
      file: file.path,
      leakedLine: leaked.call.line,
      when: takenWhen(ctx, leaked.call, exit, fn),
      want: leaked.match.counterparts[0] as string,
      // a heap allocation made through a wrapper is one too, whatever the table says of its lists
      what: leaked.siblingOnly === 'heap' || leaked.match.pair.onlyWithList ? ctx.format('heapAllocation', {}) : leaked.match.pair.what,
      condition: holdsText(guard),
    };
    const taken = { file: file.path, line: leaked.call.line, function: fn.name, messageId: 'taken' as const, data: { callee: leaked.call.callee } };
    ctx.report({
      at: { file: file.path, line: cond.stmtLine, endLine: exit.line, function: fn.name },
      ...(store && leak.skip
        ? {
            messageId: 'keptLeakSkip' as const,
            data: {
              ...shared,
              kept: store.via
                ? ctx.format('keptInto', { target: store.target.trim(), insert: store.via, file: file.path, storeLine: store.line })
                : ctx.format('keptStoring', { target: store.target.trim(), file: file.path, storeLine: store.line }),
            },
            related: [taken, { file: file.path, line: store.line, function: fn.name, messageId: 'keptOnSuccess' as const, data: { variable } }],
            key: `stored|${fn.name}|${leaked.call.callee}|${cond.normalized}`,
          }
        : store
        ? {
            messageId: 'keptLeak' as const,
            data: { ...shared, target: store.target.trim(), storeLine: store.line },
            related: [taken, { file: file.path, line: store.line, function: fn.name, messageId: 'keptOnSuccess' as const, data: { variable } }],
            key: `stored|${fn.name}|${leaked.call.callee}|${cond.normalized}`,
          }
        : {
            messageId: 'returnedLeak' as const,
            data: { ...shared, returnLine: returned.line },
            related: [taken, { file: file.path, line: returned.line, function: fn.name, messageId: 'returnedHere' as const, data: { variable } }],
            key: `returned|${fn.name}|${leaked.call.callee}|${cond.normalized}`,
          }),
      repair: { callees: leaked.match.counterparts, functions: [fn.name] },
    });
    return;
  }
  if (leaked.siblingOnly === 'stored') {
    const object = (leaked.call.result ?? '').trim();
    ctx.report({
      at: { file: file.path, line: cond.stmtLine, endLine: exit.line, function: fn.name },
      messageId: 'storedLeak',
      data: { ...leakAt(ctx, file, fn, exit, leaked), object, siblingLine: siblingRelease.line, want: siblingRelease.callee, condition: holdsText(guard) },
      related: [
        { file: file.path, line: leaked.call.line, function: fn.name, messageId: 'storedHere', data: { object, callee: leaked.call.callee } },
        { file: file.path, line: siblingRelease.line, function: fn.name, messageId: 'siblingReleases', data: { release: siblingRelease.callee } },
      ],
      key: `sibling|${fn.name}|${object}|${cond.normalized}`,
      repair: { callees: [siblingRelease.callee], functions: [fn.name] },
    });
    return;
  }
  if (leak.siblingVia) {
    const via = leak.siblingVia;
    const inside = ctx.model.summary().post.lookup(via.callee, file.path);
    ctx.report({
      at: { file: file.path, line: cond.stmtLine, endLine: exit.line, function: fn.name },
      messageId: 'siblingLeakVia',
      data: {
        ...leakAt(ctx, file, fn, exit, leaked),
        siblingLine: via.line,
        helper: via.callee,
        want: siblingRelease.callee,
        releasePath: inside?.path ?? file.path,
        releaseLine: siblingRelease.line,
        what: leaked.siblingOnly === 'heap' || leaked.siblingOnly === 'field' ? ctx.format('heapAllocation', {}) : leaked.match.pair.what,
        condition: holdsText(guard),
      },
      related: [
        { file: file.path, line: leaked.call.line, function: fn.name, messageId: 'taken', data: { callee: leaked.call.callee } },
        { file: file.path, line: via.line, function: fn.name, messageId: 'siblingReleasesVia', data: { helper: via.callee } },
      ],
      key: `sibling|${fn.name}|${leaked.call.callee}|${cond.normalized}`,
      repair: { callees: [via.callee], functions: [fn.name] },
    });
    return;
  }
  ctx.report({
    at: { file: file.path, line: cond.stmtLine, endLine: exit.line, function: fn.name },
    messageId: leak.skip ? 'skipLeak' : 'siblingLeak',
    data: {
      variable: leaked.variable ?? '',
      ...leakAt(ctx, file, fn, exit, leaked),
      siblingLine: siblingRelease.line,
      want: siblingRelease.callee,
      what: leaked.siblingOnly === 'heap' || leaked.siblingOnly === 'field' ? ctx.format('heapAllocation', {}) : leaked.match.pair.what,
      condition: holdsText(guard),
    },
    related: [
      leaked.inner
        ? { file: file.path, line: leaked.call.line, function: fn.name, messageId: 'takenByHelper', data: { callee: leaked.call.callee, inner: leaked.inner.callee } }
        : { file: file.path, line: leaked.call.line, function: fn.name, messageId: 'taken', data: { callee: leaked.call.callee } },
      { file: file.path, line: siblingRelease.line, function: fn.name, messageId: 'siblingReleases', data: { release: siblingRelease.callee } },
    ],
    key: `sibling|${fn.name}|${leaked.call.callee}|${cond.normalized}`,
    repair: { callees: [siblingRelease.callee], functions: [fn.name] },
  });
}

export const errorPathLeak: Rule<NoOptions, keyof typeof MESSAGES> = {
  meta: {
    id: 'error-path-leak',
    messages: MESSAGES,
    category: 'pair',
    severity: 'warning',
    summary: 'An error path releases some of what the function acquired, but not all that the normal release path releases',
    docs: {
      what:
        'A function acquires several things (mmap, a RAM-device memory region over that mapping, a DMA mapping, a ' +
        'reference) and gives up on an error path (`return -1`, `goto err`, `return false`) whose unwind releases ' +
        'some of them but not all, while the normal release path (a teardown function, or this function\'s own undo ' +
        'of an earlier state) releases them all. Also: a new error exit (a failure value returned, a jump to an unwind ' +
        'label, or a return from a block that reports an error) that releases nothing of an acquire that another error exit ' +
        'of the same function does release, on the same object, before it leaves (itself, or through a helper of the ' +
        'program its unwind calls, `cleanup: fx_cleanup(s);` whose body frees `&s->list`: one finding an exit and helper): ' +
        'the function\'s own error handling says it must be undone; or, with no such sibling, a new `return NULL` of a function whose success path returns the ' +
        'variable that holds the acquire (`s = g_new0(...); ... return s;`): it makes the object for its caller, so ' +
        'before that return nobody else has it (not after it handed the object over, nor after a call that takes it ' +
        'and is named for releasing, `fx_realize_and_unref(dev, ...)`); or a new plain return while the function\'s own ' +
        'variable alone holds a heap allocation that only the success path keeps, storing it in a field or an element of ' +
        'one (`sq = g_malloc0(...); ...; u->sq[qid] = sq;`) or puts into a container of a field (`g_hash_table_replace(s->cache, ' +
        'key, entry)`), also when the return is a plain one that skips the rest (`if (cached) { return; }`). ' +
        'Also: a new error exit that returns, or jumps to a label further down, where the error exit before it jumps to ' +
        'a label L and the one after it jumps to L too (or the normal path runs into L), so it skips a release L\'s code ' +
        'makes on what the function made before this exit (a `return` written where a `goto out` belonged); not when the ' +
        'exit hands that object to a call itself. Or, with no error exit after it and the normal path returning before ' +
        'the labels, when an error exit before L\'s jumper jumps where this one does: the ladder says what L\'s release ' +
        'undoes was taken between those two (`goto err_msix` ... `goto err_cap` ... new `goto err_msix`), and nothing ' +
        'on the way since calls that release; the exits stand on one level, outside loops, and this one\'s own block ' +
        'releases nothing. Also: a new error exit of a `.realize` (a slot whose release never runs when it fails) after it put a ' +
        'child of its instance (`&s->mmio`) into a container a call handed it (`get_system_memory()`, a bus\'s space), ' +
        'when no call of the function takes that child out: it stays mapped after the device is gone. ' +
        'Also, in an unwind written as a ladder of labels (each rung undoes ' +
        'what was taken last, then falls into the rung below): a new error exit that jumps to a higher rung (or returns) ' +
        'than the next error exit after it, after an acquire whose release stands between the two rungs, on the same ' +
        'object (`fx_notifier_init(&r->n)`, then a new `goto err_route` where the next exit takes `goto err_notifier`, ' +
        'whose rung calls `fx_notifier_cleanup(&r->n)`; a setter called again with NULL where it was handed a value, ' +
        '`fx_set_flag_handler(id, &c->n)` and `fx_set_flag_handler(id, NULL)`, is such a pair); not when the exit tests that acquire\'s own result (its failure ' +
        'took nothing), its block deals with the object, or its own rung releases the object too, lower down (the rung ' +
        'above releasing it again is another defect). Also: a new error exit that does not give back a ' +
        'parameter the function was handed to keep or to release (a received descriptor), between two or more error ' +
        'exits that each give it back with the same call (`close(fd); return;`), or after the last of them (one is ' +
        'enough) while nothing since handed the parameter to a call or stored it (a trace point or an error report ' +
        'naming it takes nothing over); not one that hands it on or tests it. ' +
        'Also: an error exit that kept its `if` through the commit and released the acquire before it, ' +
        'but no longer does (its goto now jumps to a label past the release, or it returns instead of jumping to the unwind), ' +
        'while the function still releases it elsewhere (a function that gives the release up altogether handed the duty on). ' +
        'Also: a new error exit of a function that is the acquire slot of a pair whose release slot never runs when it ' +
        'fails (`.realize`: QOM never unrealizes a device whose realize failed; the table\'s `failedAcquireSlots`; also ' +
        'a pair by name, `fx_cpu_realize`/`fx_cpu_unrealize`, whose acquire the file hands to a call named for the slot, ' +
        '`device_class_set_parent_realize(dc, fx_cpu_realize, ...)`), ' +
        'leaving something it keeps in a field of the instance (`s->timer = timer_new_ns(...)`, `s->vqs = g_new0(...)`) ' +
        'or sets up on the instance itself (`fx_create_tables(cpu, errp)`, undone by `fx_destroy_tables(cpu)`; the instance in ' +
        'any place, `fx_wakeup_handler_add(fx_on_wakeup, s)` or `fx_state_register(NULL, id, &fx_vmsd, s)`, undone by a ' +
        'release handed the instance in any place whose other arguments are all words the acquire was handed) ' +
        'that the release slot\'s side releases (`timer_free(s->timer)` in the unrealize or a helper of it; for a value ' +
        'the acquire stored in a field, any free or call named for releasing that field there counts: `g_free(s->irq)`), and no ' +
        'function that runs after a failure (instance finalize) does. Also: a new jump, inside a loop, to an unwind ' +
        'whose loop releases only the elements before the current index (`while (--i >= 0)`, `for (j = 0; j < i; j++)`), ' +
        'after this pass of the loop took an element of its own (`s->q[i].buf = g_try_malloc0(...)`, also through a local ' +
        'the body points at the element once, `FxTest *t = &d->tests[i]; t->hdr = g_malloc0(...)`). An exit inside a loop ' +
        'that takes one element a pass (`fx_notifier_init(&s->q[i].n)`, or through `FxQ *q = &s->q[i];`) holds the elements ' +
        'of the passes before, also where it tests this pass\'s failure: an unwind that does not give those back leaks them. The acquire may be a constructor wrapper the ' +
        'code base shows (a function whose every return hands back what one call made, keeping no other hold of it: ' +
        '`fx_pci_new()` → `fx_qdev_new()` → `object_new()`), released as what it wraps, also when the wrapper has a pair ' +
        'of its own (`fx_new()` with `fx_realize_and_unref()`): a sibling exit\'s `object_unref(dev)` still shows what is owed. ' +
        'A helper the unwind calls counts as the release only when no sibling exit calls the same helper and still ' +
        'releases the object itself (`fx_unparent_vfs(dev, i)` drops the elements stored before this pass, not the one in hand). ' +
        'Instance finalize releasing the field excuses a function run once for the instance (realize), not one with an ' +
        'undo of its own by name (`fx_backend_connect` and `fx_backend_disconnect`, which closes the same fd): that one ' +
        'runs again after it failed and takes the resource anew over what the error exit left. A new bare `return;` that ' +
        'is no error (a skip: `if (section->offset > s->range_last) { return; }`) counts too, for what only a variable of the ' +
        'function holds (a heap buffer, a constructor\'s object) that a sibling error exit releases and the normal path hands ' +
        'on rather than releases (onto a list): nobody else has it on that way. There, a heap allocation held in one of the function\'s own variables counts until the function ' +
        'hands it over (onto a list, into a field), and only a free of that variable releases it; a heap allocation kept in a ' +
        'field of the instance counts too (by any of the table\'s heap allocators), released only by a free that names that field (`g_free(r->tx)` is no release of `r->rx`); so does a heap buffer a ' +
        'call fills in through a variable\'s address that the function frees later (`g_file_get_contents(path, &blob, ...)`), ' +
        'a call of a helper of the program that keeps what it took on success (`fx_init_bar(s)` adding a subregion it ' +
        'undoes only when it fails itself), released by the counterparts of those acquires; ' +
        'a call through a slot whose name pairs with another slot ' +
        '(`k->realize()`, undone by `k->unrealize()`); and what a call the table does not know returned, once the function ' +
        'keeps it in a variable or field that a release disposing of a whole value gives back later in the same function ' +
        '(`ret = fx_ioctl(...); if (ret < 0) {...} s->devfd = ret;` then `close(s->devfd)` on an unwind), held from where it ' +
        'is stored (not the value of a cast macro, nor one whose release undoes a known acquire on it, `fx_device_destroy(vdev)` ' +
        'after `fx_device_init(vdev)`). What only a variable of the function holds (`elem = fx_queue_pop(q)`) ' +
        'is also given back by a call handed that variable whose name is the acquire\'s stem with a release verb ' +
        '(`fx_queue_detach(q, elem)` for `fx_queue_pop()`; a heap free such ' +
        'as `g_free(elem)` gives back only the memory). ' +
        'An exit counts as an error exit also when its block stores an ' +
        'error code for the caller (`req->status = FX_RESP_ERR_UNSPEC;`) or calls a reporter named for errors ' +
        '(`error_report()`, a one-word `<bus>_error()`), and a jump to a label of any name (`out_deregister:`) that ' +
        'stands after the function\'s last unconditional return and that only error exits jump to; a sibling may also leave by a `break` ' +
        'out of a loop after which the function does nothing more. A `break` or `continue` that leaves the block ' +
        'declaring the variable a call\'s value is kept in (a case\'s `{ ... }`, a loop\'s body: `int fd = fx_take_fd(...)`) ' +
        'leaves that variable, and is an exit for what it holds, as a new exit or a sibling. Not when the exit tests the failure of that ' +
        'acquire itself (its result, or the error it set; a test of a field of the result, `!blob->pages`, is no such test), nor an error test that every call setting the error on the ' +
        'way already answered with an exit of its own, nor an exit in the unwind (after an unconditional return) that only ' +
        'jumps from the acquire\'s failure, or jumps that released it first, reach, nor when the commit only reworded or moved an exit (as many exits ' +
        'leave it held as before). ' +
        'Also an acquire the commit moves up past an error exit it used to follow (the same call, deleted below the exit ' +
        'and written above it, `fx_object_ref(child)` before the fallible add): the exit now leaves holding it when nothing ' +
        'on its way gives it back and its block hands the object to no call; an allocation kept in a field ' +
        '(`attr->bitmap = bitmap_new(n)`) also when the block hands on only the field\'s holder (`object_unref(OBJECT(attr))`) ' +
        'and no instance finalize of the file frees the field. So too past a plain `return` that skips the rest ' +
        '(`if (fx_try_merge(l, section)) { return; }`, a return of no value or of a truth value): that way took nothing ' +
        'before and now leaves holding it. ' +
        'Also a new error exit between an acquire and the store that records it (`s->connected = true;` after `fx_dev_init(&s->dev, ...)`), when another function of the file releases it only after testing that flag (`if (!s->connected) { return; } ... fx_dev_cleanup(&s->dev);`): on that path nothing ever releases it.',
      why:
        'An unwind that releases part of the state shows the author meant to undo it; the part it forgets leaks on ' +
        'every failure: a failure path that munmap()s a page but leaves the RAM-device memory region made over it ' +
        '(object_unparent() missing), which the normal remove path does undo, leaks the region each time.',
      fix: 'Release everything acquired so far on the error path, in reverse order of acquisition (a `goto` unwind ladder keeps it in one place).',
      bad: [
        '    addr = mmap(NULL, page_size, PROT_WRITE, MAP_SHARED, fd, offset);',
        '    if (addr == MAP_FAILED) {',
        '        return -1;',
        '    }',
        '    memory_region_init_ram_device_ptr(&n->mr, OBJECT(vdev), name, page_size, addr);',
        '    if (fx_queue_set_notifier_mr(vdev, idx, &n->mr, true)) {',
        '        munmap(addr, page_size);       /* the region over it leaks */',
        '        return -1;',
        '    }',
      ].join('\n'),
      good: [
        '    if (fx_queue_set_notifier_mr(vdev, idx, &n->mr, true)) {',
        '        object_unparent(OBJECT(&n->mr));',
        '        munmap(addr, page_size);',
        '        return -1;',
        '    }',
      ].join('\n'),
    },
  },
  create(context) {
    return {
      changedFunction(file, change) {
        if (file.post) {
          // the exits this rule already reported a leak on: the unwind check below says less of them
          const reportedExits = new Set<number>();
          const recording: Ctx = { ...context, report: (d) => { reportedExits.add(d.at.endLine ?? d.at.line); context.report(d); } };
          checkFunction(recording, file, change);
          checkOwned(recording, file, change);
          const recordingAll: Ctx = { ...context, report: (d) => { reportedExits.add(d.at.endLine ?? d.at.line); context.report(d); } };
          checkUnwindSkips(recordingAll, file, change, reportedExits);
          checkLadderSkips(recordingAll, file, change, reportedExits);
          checkForeignMaps(context, file, change, reportedExits);
          checkMovedAbove(context, file, change, reportedExits);
          checkFlagUnset(context, file, change, reportedExits);
        }
      },
    };
  },
};
