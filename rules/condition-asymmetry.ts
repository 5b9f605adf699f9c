/**
 * condition-asymmetry: the two sides of a pair run under different
 * conditions. The commit adds a release that runs whatever happened, while
 * the acquire of the same object happens only under a condition (so the
 * release undoes what was never done when it is false); or it puts an
 * acquire under a new condition while its release still runs always; or it
 * removes the acquire outright while the release still runs; or puts the
 * release under a new condition while the acquire still runs always; or,
 * inside one function, puts an acquire under an `if` its later release is
 * not under.
 */
import type { CCall, CCondition, CFunction, CGuard } from '../src/cmodel/types.js';
import type { NoOptions, Rule, RuleContext } from '../src/rule/rule.js';
import type { SidePair } from '../src/pairs/sides.js';
import type { PrimitiveMatch } from '../src/pairs/table.js';
import type { CallSite, ChangedFile, CommitSummary, ModelService } from '../src/rule/model.js';


const RELEASE_TAIL =
  'when that condition did not hold, {{callee}}() undoes what was never done. Test the same condition, ' +
  "or the object's own state, before {{callee}}().";

const MESSAGES = {
  newRelease:
    '{{fn}}() now calls {{callee}}() whatever happened before, but {{otherFn}}() calls ' +
    `{{otherCallee}}() {{when}} ({{otherPath}}:{{otherLine}}): ${RELEASE_TAIL}`,
  newReleaseVia:
    '{{fn}}() now calls {{callee}}() whatever happened before, but {{otherFn}}() calls ' +
    `{{otherCallee}}() {{when}} ({{otherPath}}:{{otherLine}}, reached from {{via}}()): ${RELEASE_TAIL}`,
  newGuard:
    '{{fn}}() now calls {{callee}}() {{when}} ({{file}}:{{line}}), but {{otherFn}}() still calls ' +
    '{{otherCallee}}() at {{otherPath}}:{{otherLine}} without that test: when the condition does not hold, ' +
    '{{otherCallee}}() undoes a {{callee}}() that never happened. Test the same condition on the release side.',
  newGuardVia:
    '{{fn}}() now calls {{callee}}() {{when}} ({{file}}:{{line}}), and with it the {{inner}}() {{callee}}() makes, but ' +
    '{{otherFn}}() still calls {{otherCallee}}() at {{otherPath}}:{{otherLine}} without that test: when the condition ' +
    'does not hold, {{otherCallee}}() undoes the {{inner}}() that never happened. Test the same condition on the release side.',
  releaseGuard:
    '{{fn}}() now calls {{callee}}() {{when}} ({{file}}:{{line}}), but {{otherFn}}() still calls ' +
    '{{otherCallee}}() at {{otherPath}}:{{otherLine}} without that test: when the condition does not hold, what ' +
    '{{otherCallee}}() took is never released. Release it whatever the condition, or test the same condition on the acquire side.',
  releaseOtherTest:
    '{{fn}}() now calls {{callee}}() only when `{{condition}}` ({{file}}:{{line}}), but {{otherFn}}() calls ' +
    '{{otherCallee}}() when `{{acquireCondition}}` ({{otherPath}}:{{otherLine}}): the two tests of `{{value}}` differ, so ' +
    'for a value that passes the acquire\'s test and not this one, what {{otherCallee}}() took is never released. Test ' +
    'what the acquire side tests, or release whatever the value.',
  releaseSkipped:
    '{{fn}}() now skips {{callee}}() with a `continue` when `{{condition}}` ({{file}}:{{line}}), but {{otherFn}}() ' +
    'still calls {{otherCallee}}() at {{otherPath}}:{{otherLine}} without that test: for every pass where it holds, what ' +
    '{{otherCallee}}() took is never released. Release it before the `continue`, or whatever the condition.',
  removedAcquire:
    '{{fn}}() no longer calls {{callee}}() (it did at {{file}}:{{preLine}} before this commit), but {{otherFn}}() still ' +
    'calls {{otherCallee}}() at {{otherPath}}:{{otherLine}}, whatever happened before: it now undoes a {{callee}}() that ' +
    'never happens. Drop the {{otherCallee}}() in the same patch, or keep the {{callee}}().',
  withinGuard:
    '{{fn}}() now calls {{callee}}() {{when}} ({{file}}:{{line}}), but calls {{otherCallee}}() at {{file}}:{{otherLine}} ' +
    'whatever that condition was: when it does not hold, {{otherCallee}}() undoes a {{callee}}() that never happened. ' +
    'Test the same condition before {{otherCallee}}(), or take {{callee}}() whatever the condition.',
  drift:
    '{{fn}}() now calls {{callee}}() when `{{condition}}` (before this commit, when `{{oldCondition}}`), but ' +
    '{{otherFn}}() still calls {{otherCallee}}() at {{otherPath}}:{{otherLine}} when `{{oldCondition}}`: the two ' +
    'sides tested the same thing before and no longer do, so where the tests differ one runs without the other ' +
    '(what {{acquire}}() took is never released, or {{release}}() undoes what was never done). Change the test ' +
    'before {{otherCallee}}() the same way, or keep the old one.',
  driftCount:
    '{{fn}}() now {{changes}} `{{count}}` when `{{condition}}` (before this commit, when `{{oldCondition}}`), but ' +
    '{{otherFn}}() still {{otherChanges}} it at {{otherPath}}:{{otherLine}} when `{{oldCondition}}`: the two sides ' +
    'tested the same thing before and no longer do, so where the tests differ the count goes out of step (lowered ' +
    'where it was never raised, or raised where it is never lowered). Change the test in {{otherFn}}() the same way, ' +
    'or keep the old one.',
  raises: 'raises',
  lowers: 'lowers',
  unrecorded:
    '{{fn}}() now calls {{callee}}() here without setting `{{flag}}`, which it sets beside its other {{callee}}() of ' +
    'the same object ({{file}}:{{siblingLine}}); {{otherFn}}() undoes it with {{otherCallee}}() only when ' +
    '`{{flag}}` holds ({{otherPath}}:{{otherLine}}): what this call does is never undone. Set `{{flag}}` here ' +
    'too, or undo it whatever the flag says.',
  unguarded:
    '{{fn}}() now calls {{callee}}() whatever `{{oldCondition}}` says (before this commit, only when it held), but ' +
    '{{otherFn}}() still calls {{otherCallee}}() at {{otherPath}}:{{otherLine}} only when `{{oldCondition}}`: the two ' +
    'sides tested the same thing before and no longer do, so when it does not hold what {{callee}}() takes is never ' +
    'released. Drop the test before {{otherCallee}}() too (a release that checks for itself needs none), or keep the ' +
    'old one.',
  driftWithin:
    '{{fn}}() now calls {{callee}}() when `{{condition}}` (before this commit, when `{{oldCondition}}`), but still ' +
    'calls {{otherCallee}}() at {{file}}:{{otherLine}} when `{{oldCondition}}`: the two calls tested the same thing ' +
    'before and no longer do, so where the tests differ one runs without the other (what {{acquire}}() took is never ' +
    'released, or {{release}}() undoes what was never done). Change the test before {{otherCallee}}() the same way, ' +
    'or keep the old one.',
  narrowed:
    '{{fn}}() now calls {{callee}}() only when `{{condition}}` (before this commit, when `{{oldCondition}}`), but ' +
    '{{otherCallee}}() at {{file}}:{{otherLine}}, its counterpart on the same object, keeps its own test: in the ' +
    'cases `{{added}}` now leaves out, {{what}}. Give {{otherCallee}}() the same test, or keep the old one.',
  // what goes wrong ({{what}} above)
  narrowedAcquire: '{{otherCallee}}() undoes a {{callee}}() that never happened',
  narrowedRelease: 'what {{otherCallee}}() took is never released',
  withinRelease:
    '{{fn}}() now calls {{otherCallee}}() at {{file}}:{{otherLine}} whatever `{{condition}}` is, but still calls ' +
    '{{callee}}() {{when}} ({{file}}:{{line}}): when it does not hold, {{otherCallee}}() undoes a {{callee}}() ' +
    'that never happened. Keep {{otherCallee}}() under the same condition, or take {{callee}}() whatever the condition.',
  hoisted:
    '{{fn}}() now {{taking}} whether or not `{{condition}}` holds (before this commit, only ' +
    'when it held), but still calls `{{otherCall}}` at {{file}}:{{otherLine}} only when it holds: when it ' +
    'does not, nothing releases what {{callee}}() took. Release it whatever the condition, or take it again only ' +
    'under it.',
  releaseOnFailureOnly:
    '{{fn}}() now calls {{callee}}() only when `{{condition}}` ({{file}}:{{line}}); before this commit it called it ' +
    'on every path, and the success path still does with the object only what it did then: on success, what ' +
    '{{acquire}}() took at {{file}}:{{acquireLine}} is never released. Keep the {{callee}}() on the success path ' +
    'too, or hand the reference to whoever releases it now.',
  releaseUnderNewIf:
    '{{fn}}() now calls {{callee}}() only when `{{condition}}` ({{file}}:{{line}}), but takes it with {{acquire}}() at ' +
    '{{file}}:{{acquireLine}} whatever that condition is: when it does not hold, {{fn}}() leaves without giving back ' +
    'what {{acquire}}() took. Release it whatever the condition, or take it only under the same test.',
  refreshGuard:
    '{{fn}}() now calls {{callee}}() {{when}} ({{file}}:{{line}}), but goes on to call {{otherCallee}}() on the same ' +
    'object at {{file}}:{{otherLine}} whatever that condition was: when it does not hold, what an earlier run of ' +
    '{{fn}}() took is taken a second time without being released (a region added twice, a notifier inserted twice). ' +
    'Release it whatever the condition, or test the same condition before {{otherCallee}}().',
  // the condition one side runs under ({{when}} above)
  movedToSlot:
    '{{fn}}() now calls {{callee}}() ({{file}}:{{line}}), which {{oldFn}}() did before this commit, but {{otherFn}}() ' +
    'still calls {{otherCallee}}() at {{otherPath}}:{{otherLine}} whatever happened: {{otherFn}}() runs also for an ' +
    'object whose {{slot}} failed or never ran, and then {{otherCallee}}() undoes a {{callee}}() that never happened. ' +
    'Release it where the {{slot}} is undone, or test the object before releasing it.',
  onlyWhen: 'only when `{{condition}}`',
  onlyInCase: 'only when `{{condition}}` is {{cases}}',
  unless: 'unless `{{condition}}`',
  dispatch:
    '{{fn}}() now also takes `{{field}}` with {{callee}}() in the branch of `{{condition}}` that takes `{{sibling}}` ' +
    '({{file}}:{{line}}), but {{releaseFn}}() gives it back (`{{release}}({{releaseField}})`, {{releasePath}}:{{releaseLine}}) ' +
    'only in the branch that does not release `{{releaseSibling}}`: the two functions dispatch the same way, and where ' +
    '`{{releaseSibling}}` is released, what {{callee}}() took now stays held. Release `{{releaseField}}` in that branch too.',
  // related locations
  releasedOnlyThere: '{{fn}}() releases `{{field}}` only here, in the other branch than `{{sibling}}`',
  siblingReleased: '{{fn}}() releases `{{sibling}}` here, and not `{{field}}`',
  callsHere: '{{fn}}() calls {{callee}}() here',
  flagSetBeside: '{{fn}}() sets `{{flag}}` beside its other {{callee}}() here',
  changesHere: '{{fn}}() {{changes}} `{{count}}` here',
  acquireCondition: 'the condition the acquire runs under',
};

type Ctx = RuleContext<NoOptions, keyof typeof MESSAGES>;

/** A take of a reference on an object that exists already (`fx_ref`, `object_ref`, `fx_get`). */
const COUNTED_REF = /(^|_)(ref|get)$/;

/**
 * Table primitives only (list-only allocations aside): a name family says too little about conditions. A release
 * that checks for itself (an unregister that returns at once for a listener never registered) may run whatever
 * happened, so it is left out where the question is whether the release may run without the acquire (modes a to
 * c); `skipped` keeps it, for mode (d), where the question is whether the release may not run after the acquire:
 * skipped, it leaks whatever it checks.
 */
function tablePrimitive(ctx: Ctx, callee: string, skipped = false): PrimitiveMatch | null {
  const m = ctx.pairs.primitive(callee);
  return m && !m.pair.onlyWithList && (skipped || !m.pair.safeRelease) ? m : null;
}

/** A heap free (`g_free(s->buf)`) of a field chain: the heap pair, whatever its list condition says. */
function heapFieldFree(ctx: Ctx, call: CCall): PrimitiveMatch | null {
  if (call.args.length !== 1 || !/->/.test(call.args[0] as string) || !ctx.pairs.isHeapRelease(call.callee)) return null;
  const m = ctx.pairs.primitive(call.callee);
  return m?.role === 'release' ? m : null;
}

function sitesIn(model: ModelService, summary: CommitSummary, roots: readonly string[], stop: readonly string[], path: string, callees: readonly string[], object: CCall): CallSite[] {
  const out: CallSite[] = [];
  for (const r of summary.reach('post', roots, stop, path).values()) {
    for (const call of r.fn.calls) {
      if (callees.includes(call.callee) && model.sameObject(call, object)) out.push({ call, fn: r.fn, path: r.path, via: r.via });
    }
  }
  return out;
}

/**
 * Does the acquire keep its value in a plain variable of its function that neither the release names nor the
 * function stores into the field the release names (`container = fx_new(...)` against `fx_unref(dev->hiod)`)?
 * Then the two name different objects, whatever the pair says.
 */
function intoOtherLocal(model: ModelService, site: CallSite, release: CCall): boolean {
  const local = site.call.result?.trim();
  if (local === undefined || !/^\w+$/.test(local)) return false;
  if (release.args.some((a) => model.namesVariable(a, local))) return false;
  const chains = release.args.map((a) => model.fieldChain(a)).filter((c): c is string[] => c !== null && c.length > 0);
  if (chains.length === 0) return false;
  const last = (c: readonly string[]) => c[c.length - 1];
  // (a status kept in the variable, `ret = fx_setup(&d->pci, ...)`: the arguments name the object)
  if (site.call.args.some((a) => { const c = model.fieldChain(a); return c !== null && chains.some((r) => last(r) === last(c)); })) return false;
  return !site.fn.stores.some((st) => model.namesVariable(st.value, local) && chains.some((c) => last(model.fieldChain(st.target) ?? []) === last(c)));
}

/** The tests with an acquire site in each of their two branches (in one function): the acquire is made whichever branch runs. */
function joinedTests(sites: readonly CallSite[]): Set<CCondition> {
  const out = new Set<CCondition>();
  for (const a of sites) {
    const g = a.call.guards[a.call.guards.length - 1];
    if (!g || g.condition.kind !== 'if' || g.negated) continue;
    const outer = a.call.guards.slice(0, -1);
    const other = sites.some((b) => {
      const h = b.call.guards[b.call.guards.length - 1];
      return b.fn === a.fn && h !== undefined && h.condition === g.condition && h.negated && b.call.guards.length === a.call.guards.length &&
        outer.every((o, i) => b.call.guards[i]?.condition === o.condition && b.call.guards[i]?.negated === o.negated);
    });
    if (other) out.add(g.condition);
  }
  return out;
}

/** A test of one value against a constant (`x == C`, `x != C`) or of a flag (`x`, `!x`), as it holds where it guards. */
interface ValueTest {
  /** as written (`d->msi`) */
  value: string;
  /** what it names across functions: a field chain without its base (`msi`), else the variable */
  key: string;
  /** `==`: the value is `constant`; `!=`: it is not */
  op: '==' | '!=';
  constant: string;
}

function valueTest(g: CGuard): ValueTest | null {
  const text = g.condition.normalized.replace(/\s+/g, '');
  let m = /^([a-z_][\w]*(?:(?:->|\.)\w+)*)(==|!=)([A-Z_][A-Z0-9_]*|-?\d+|true|false)$/.exec(text);
  let t: ValueTest | null = null;
  if (m) t = { value: m[1] as string, key: '', op: m[2] as '==' | '!=', constant: m[3] as string };
  else if ((m = /^(!?)([a-z_][\w]*(?:(?:->|\.)\w+)*)$/.exec(text))) t = { value: m[2] as string, key: '', op: m[1] === '' ? '!=' : '==', constant: '0' };
  if (!t) return null;
  const chain = t.value.split(/->|\./);
  t.key = chain.length > 1 ? chain.slice(1).join('.') : t.value;
  if (g.negated) t.op = t.op === '==' ? '!=' : '==';
  // a flag compared with true or false is the flag itself
  if (t.constant === 'true' || t.constant === 'false') t = { ...t, op: (t.op === '==') === (t.constant === 'true') ? '!=' : '==', constant: '0' };
  return t;
}

/**
 * Is there a value the acquire's test lets through and the release's does not? Of two tests of one value against
 * constants: `== A` against `== B` (B another constant), `!= A` against `== B` (more than two values), `!= A`
 * against `!= B` (B another constant: A passes one and not the other), `== A` against `!= A`.
 */
function leavesValuesOut(acquire: ValueTest, release: ValueTest): boolean {
  if (acquire.key !== release.key) return false;
  const same = acquire.constant === release.constant;
  if (acquire.op === '==') return release.op === '==' ? !same : same;
  // the acquire takes every value but one: only a release for every value but that same one covers it
  return !(release.op === '!=' && same);
}

/** (d') a release the commit puts under a new test of the value the acquire is tested on, with another predicate. */
function reportOtherTest(ctx: Ctx, file: ChangedFile, fn: CFunction, call: CCall, guard: CGuard, acquire: CallSite, acquireTests: readonly CGuard[]): void {
  const release = valueTest(guard);
  if (!release) return;
  const tests = acquireTests.map((g) => ({ g, t: valueTest(g) })).filter((x) => x.t !== null && x.t.key === release.key);
  // one test of the value on the acquire's way, which this one leaves values out of
  if (tests.length !== 1) return;
  const only = tests[0] as { g: CGuard; t: ValueTest };
  if (!leavesValuesOut(only.t, release)) return;
  ctx.report({
    at: { file: file.path, line: guard.condition.stmtLine, endLine: guard.condition.endLine, function: fn.name },
    messageId: 'releaseOtherTest',
    data: {
      fn: fn.name,
      callee: call.callee,
      condition: guard.negated ? `!(${guard.condition.text})` : guard.condition.text,
      file: file.path,
      line: guard.condition.line,
      otherFn: acquire.fn.name,
      otherCallee: acquire.call.callee,
      acquireCondition: only.g.negated ? `!(${only.g.condition.text})` : only.g.condition.text,
      otherPath: acquire.path,
      otherLine: only.g.condition.line,
      value: release.value,
    },
    related: [{ file: acquire.path, line: acquire.call.line, function: acquire.fn.name, messageId: 'callsHere', data: { fn: acquire.fn.name, callee: acquire.call.callee } }],
    key: `release-other-test|${fn.name}|${call.callee}|${guard.condition.normalized}`,
    repair: { callees: [], functions: [fn.name, acquire.fn.name], names: [release.value] },
  });
}

/**
 * Of acquire sites made in both branches of a test, the one whose branch stores into the flag `guard` tests
 * (a plain field or variable, `if (st->output)` or `if (!st->output)`) the value under which the guard fails.
 */
function leftOut(sites: readonly CallSite[], joined: ReadonlySet<CCondition>, guard: CGuard): CallSite | null {
  if (joined.size === 0) return null;
  const text = guard.condition.normalized.replace(/\s+/g, '');
  const m = /^(!?)([\w>.-]+)$/.exec(text);
  if (!m) return null;
  const field = (m[2] as string).split(/->|\./).pop() as string;
  // the guard holds when the flag is true (`if (flag)`), or false (`if (!flag)`, the else of `if (flag)`)
  const holdsWhenTrue = (m[1] === '') !== guard.negated;
  const failing = holdsWhenTrue ? /^(false|0)$/ : /^(true|1)$/;
  return sites.find((site) => {
    const branch = site.call.guards[site.call.guards.length - 1];
    if (!branch || !joined.has(branch.condition)) return false;
    return site.fn.stores.some((st) => {
      const last = st.guards[st.guards.length - 1];
      return st.field === field && failing.test(st.value.trim()) && last?.condition === branch.condition && last.negated === branch.negated;
    });
  }) ?? null;
}

/** When a guard lets its code run, in words: `only when \`x\``, `unless \`x\``, or a switch's case values. */
function whenOf(ctx: Ctx, guard: CGuard): string {
  const cond = guard.condition;
  if (cond.kind === 'switch' && (guard.caseValues?.length ?? 0) > 0) return ctx.format('onlyInCase', { condition: cond.text, cases: (guard.caseValues ?? []).join(' or ') });
  return ctx.format(guard.negated ? 'unless' : 'onlyWhen', { condition: cond.text });
}

/** Does the side test what `guard` tests, anywhere on its reach? */
function sideTests(model: ModelService, summary: CommitSummary, roots: readonly string[], stop: readonly string[], path: string, guard: CGuard): boolean {
  const key = model.predicateKey(guard.condition);
  if (!key) return true;
  return model.anyTests([...summary.reach('post', roots, stop, path).values()].map((r) => r.fn), key);
}

function report(ctx: Ctx, file: ChangedFile, at: CallSite, other: CallSite, guard: CGuard, newRelease: boolean, inner?: string): void {
  const cond = guard.condition;
  const when = whenOf(ctx, guard);
  const data = {
    fn: at.fn.name,
    callee: at.call.callee,
    when,
    otherFn: other.fn.name,
    otherCallee: other.call.callee,
    otherPath: other.path,
    otherLine: other.call.line,
  };
  ctx.report({
    at: {
      file: file.path,
      line: newRelease ? at.call.line : cond.stmtLine,
      endLine: newRelease ? at.call.endLine : cond.endLine,
      function: at.fn.name,
    },
    ...(!newRelease
      ? inner !== undefined
        ? { messageId: 'newGuardVia', data: { ...data, file: file.path, line: cond.line, inner } }
        : { messageId: 'newGuard', data: { ...data, file: file.path, line: cond.line } }
      : other.via.length > 1
        ? { messageId: 'newReleaseVia', data: { ...data, via: String(other.via[0]) } }
        : { messageId: 'newRelease', data }),
    related: [
      { file: other.path, line: other.call.line, function: other.fn.name, messageId: 'callsHere', data: { fn: other.fn.name, callee: other.call.callee } },
      ...(newRelease ? [{ file: other.path, line: cond.line, function: other.via[Math.max(0, other.via.length - 2)] ?? other.fn.name, messageId: 'acquireCondition' as const }] : []),
    ],
    key: `${newRelease ? 'release' : 'acquire'}|${at.fn.name}|${at.call.callee}|${cond.normalized}`,
    repair: { callees: [], functions: [at.fn.name, other.fn.name], names: ctx.model.predicateKey(cond)?.names ?? [] },
  });
}

/** The call in `fn`'s old self, under its old name, with the same arguments. */
function oldCallOf(old: CFunction, rename: (n: string) => string, call: CCall): CCall | undefined {
  return old.calls.find((c) => c.callee === rename(call.callee) && c.args.join(',') === call.args.join(','));
}

/** Does `fn` call `callee` exactly once? */
const once = (fn: CFunction, callee: string): boolean => fn.calls.filter((c) => c.callee === callee).length === 1;

/**
 * The call as the pre-image made it (the model decides what "already there" means, summary.alreadySo); with
 * `unique`, only when the function made that call once before and makes it once now, so which call it was is not in doubt.
 */
function oldCallIn(summary: CommitSummary, file: ChangedFile, fn: CFunction, call: CCall, unique = false): CCall | undefined {
  if (unique && !once(fn, call.callee)) return undefined;
  let found: CCall | undefined;
  summary.alreadySo(fn, file, (old, rename) => {
    // (made once then and once now, it is the same call whatever its arguments became: `rcba & MASK` named `base`)
    found = !unique ? oldCallOf(old, rename, call) : once(old, rename(call.callee)) ? old.calls.find((c) => c.callee === rename(call.callee)) : undefined;
    return found !== undefined;
  });
  return found;
}

/** A test's text with what its calls are handed left out: `f(a, b)` and `f(a, b, c)` test the same thing. */
const withoutArguments = (text: string): string => {
  let t = text;
  // innermost calls first (`f(g(x), y)` → `f(g@, y)` → `f@`); a parenthesised expression is no call and stays
  for (let prev = ''; prev !== t; ) {
    prev = t;
    t = t.replace(/(\w)\s*\([^()]*\)/g, '$1@');
  }
  return t;
};

/** The same test, or the same reworded only in the arguments of its calls (a call given one more argument). */
function sameTest(a: CGuard, b: CGuard): boolean {
  if (a.condition.normalized === b.condition.normalized) return true;
  return a.negated === b.negated && a.condition.callees.length > 0 && withoutArguments(a.condition.normalized) === withoutArguments(b.condition.normalized);
}

/**
 * A call that was there before the commit ("already so" is decided by the model, summary.alreadySo) and is
 * now under an `if` or `?:` the commit wrote, which did not guard it before: that condition, else null.
 */
function newGuard(
  summary: CommitSummary,
  file: ChangedFile,
  fn: CFunction,
  call: CCall,
  keep: (g: CGuard) => boolean = () => true,
  movedIn = false,
): CGuard | null {
  if (!summary.alreadySo(fn, file, (old, rename) => oldCallOf(old, rename, call) !== undefined)) return null;
  // (`movedIn`: also an `if` that was there, when the commit moved the call itself into it)
  const written = (g: CGuard) => file.addedIn(g.condition.line, g.condition.endLine) || (movedIn && file.added.has(call.line) && g.condition.kind === 'if');
  return (
    call.guards.find(
      (g) => (g.condition.kind === 'if' || g.condition.kind === 'ternary') && written(g) &&
        !summary.alreadySo(fn, file, (old, rename) => oldCallOf(old, rename, call)?.guards.some((b) => sameTest(b, g)) === true) &&
        keep(g),
    ) ?? null
  );
}

/**
 * A `continue` the commit adds before a call that was there, in the same pass of its loop, under a test of its own
 * written by the commit (its other conditions the call's too): the call now runs only when that test fails. As a
 * guard of the call: the `continue`'s test, negated. Null when there is none.
 */
function newSkipInPass(summary: CommitSummary, file: ChangedFile, fn: CFunction, call: CCall): CGuard | null {
  // the call ran on every pass before: the same callee on the same last field (`d->tests[i].hdr` named through a new
  // local as `test->hdr` is the same field), under no `if` of its own inside the loop
  const field = (a: string | undefined) => /(\w+)\s*$/.exec((a ?? '').replace(/\[[^\]]*\]/g, ''))?.[1] ?? '';
  const everyPass = (old: CFunction, rename: (n: string) => string) =>
    old.calls.some((c) => c.callee === rename(call.callee) && c.inLoop && field(c.args[0]) === field(call.args[0]) && c.guards.every((g) => g.condition.kind !== 'if' && g.condition.kind !== 'ternary'));
  if (!call.inLoop || !summary.alreadySo(fn, file, everyPass)) return null;
  for (const exit of fn.exits) {
    if (exit.kind !== 'continue' || exit.loopEnd === undefined || exit.line >= call.line || call.line > exit.loopEnd) continue;
    const own = exit.guards[exit.guards.length - 1];
    if (!own || own.condition.kind !== 'if' || !file.addedIn(own.condition.line, own.condition.endLine) || own.condition.stmtEndLine >= call.line) continue;
    const outer = exit.guards.slice(0, -1);
    if (!outer.every((g) => call.guards.some((c) => c.condition === g.condition && c.negated === g.negated))) continue;
    return { condition: own.condition, negated: !own.negated };
  }
  return null;
}

/** The names a test reads, without the bases fields are read through (`ch->voice` → `voice`). */
function testedNames(cond: CCondition): string[] {
  const bases = new Set([...cond.text.matchAll(/(\w+)\s*(->|\.)/g)].map((m) => m[1] as string));
  return cond.names.filter((n) => !bases.has(n) || cond.callees.includes(n));
}

/** The functions of a pair's side that the commit touched, as they are after it. */
function* touchedSideFunctions(file: ChangedFile, names: Iterable<string>): Generator<CFunction> {
  for (const name of names) {
    if (!file.touched(name)) continue;
    const fn = file.post?.functionByName(name);
    if (fn) yield fn;
  }
}

/**
 * Is the pair known only from the two functions a finding would compare: every evidence site of every learned pair
 * behind it is that acquire and that release (the commit's own code taught it)? The code base then shows nothing of
 * the release beyond what the author wrote, not even whether it checks for itself (its definition is not in the tree
 * under review): an unconditional release written beside a conditional acquire is the author's choice to judge.
 */
function taughtOnlyBy(m: PrimitiveMatch, acquireFn: string, releaseFn: string): boolean {
  if (!m.fromFamily || !m.learned || m.learned.length === 0) return false;
  return m.learned.every((p) => p.examples.length === p.support && p.examples.every((e) => e.fn === acquireFn && e.releaseFn === releaseFn));
}

/** Does the condition call something with the acquire's first argument (`&` aside) among its own arguments? */
function testHandsObject(cond: CCondition, acquire: CCall): boolean {
  const object = (acquire.args[0] ?? '').replace(/^\s*&\s*/, '').replace(/\s+/g, '');
  if (!/^[\w>.-]+$/.test(object) || cond.callees.length === 0) return false;
  const t = object.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`[(,]\\s*&?\\s*${t}\\s*[,)]`).test(cond.normalized);
}

function checkPair(ctx: Ctx, file: ChangedFile, pair: SidePair): void {
  const summary = ctx.model.summary();
  const sides = ctx.model.sideRootsOf(file.postSides, pair);
  // (a) a release the commit adds, run always, against an acquire run under a condition
  for (const fn of touchedSideFunctions(file, pair.releaseSide)) {
    // "introduced" is decided by the model (summary.gained): calls of a callee the function makes more often
    // than its old self (under its old names) did
    const gained = new Set(summary.gained(fn, file, (f) => f.calls, (c, rename) => rename(c.callee)));
    const ifs = (c: CCall) => c.guards.filter((g) => g.condition.kind === 'if' || g.condition.kind === 'ternary').length;
    for (const call of fn.calls) {
      if (!file.added.has(call.line)) continue;
      // added, or taken out of an `if` it was under (`if (s->started) { cleanup(); }` → `cleanup();`)
      const unguarded = !gained.has(call) && summary.alreadySo(fn, file, (old, rename) => {
        const o = oldCallOf(old, rename, call);
        return o !== undefined && ifs(o) > ifs(call);
      });
      if (!gained.has(call) && !unguarded) continue;
      const m = tablePrimitive(ctx, call.callee);
      if (!m || m.role !== 'release') continue;
      if (!unguarded && summary.callDelta(call.callee, call.args).lost.length > 0) continue; // moved, not added
      const releaseSite = sitesIn(ctx.model, summary, sides.release, sides.acquire, file.path, [call.callee], call).find((s) => s.call === call);
      // a release side that tests anything on its way (around the release, or an early return before it)
      // decides for itself when there is something to release
      if (!releaseSite || ctx.model.pathGuards(summary.post, releaseSite).length > 0 || ctx.model.exitGuards(summary.post, releaseSite).length > 0) continue;
      const acquires = sitesIn(ctx.model, summary, sides.acquire, sides.release, file.path, m.counterparts, call);
      // another acquire of the object the side makes always (`fx_packet_init()` beside a guarded `fx_packet_setup()`):
      // the release always has something to undo
      if (acquires.some((a) => ctx.model.pathGuards(summary.post, a).length === 0)) continue;
      for (const acquire of acquires) {
        const guard = ctx.model.pathGuards(summary.post, acquire).find((g) => !g.condition.callees.some((c) => ctx.pairs.isInheritedState(c)));
        if (!guard || sideTests(ctx.model, summary, sides.release, sides.acquire, file.path, guard)) continue;
        if (taughtOnlyBy(m, acquire.fn.name, releaseSite.fn.name)) continue;
        // a test that hands a call the very object the acquire takes (`if (!fx_supported(be, blocker)) {
        // fx_add_blocker(blocker, ...); }`): what the object holds follows the test, and the release may read it
        if (testHandsObject(guard.condition, acquire.call)) continue;
        report(ctx, file, releaseSite, acquire, guard, true);
        break;
      }
    }
  }
  // (b) an acquire the commit puts under a new condition, against a release run always
  for (const fn of touchedSideFunctions(file, pair.acquireSide)) {
    for (const call of fn.calls) {
      // an element put on a list (`QLIST_INSERT_HEAD(&l, s, next)`) against its removal (`QLIST_REMOVE(s, next)`)
      if (ctx.model.listOp(call)?.op === 'insert') {
        listInsertUnderNewGuard(ctx, file, pair, fn, call);
        continue;
      }
      // the acquire itself, or what a helper of the program makes at its own level, read with its parameters named
      // as this call passes them (`fx_mmio_init(s, &d->mmio, d->mrs)` adding `&subs[0]` to `parent`)
      const acquires = helperAcquires(ctx, summary, file, call);
      if (acquires.length === 0) continue;
      // a new acquire is call-asymmetry's business
      const guard = newGuard(summary, file, fn, call, (g) => !g.condition.callees.some((c) => ctx.pairs.isInheritedState(c)), true);
      if (!guard || !ctx.model.pathGuards(summary.post, { call, fn, path: file.path, via: [fn.name] }).includes(guard)) continue;
      for (const { acquire, m } of acquires) {
        if (checkGuardedAcquire(ctx, file, sides, fn, call, acquire, m, guard)) break;
      }
    }
  }
  removedAcquires(ctx, file, pair);
  guardedReleases(ctx, file, pair);
  driftedTests(ctx, file, pair);
  driftedRootCalls(ctx, file, pair);
  dispatchMirrors(ctx, file, pair);
}

/**
 * The calls of a pair's two roots (`fx_msix_setup(vdev)` in a realize, `fx_msix_teardown(vdev)` in a finalize), each
 * under one test in other functions of the file, when the commit changes the test of one (`if (vdev->msix)` become
 * `if (vdev->msix && !s->local_pba)`) and the other, on the same arguments, is still under the old test and not the
 * new one: the two sides were kept under one test, and now one runs without the other.
 */
function driftedRootCalls(ctx: Ctx, file: ChangedFile, pair: SidePair): void {
  const post = file.post;
  if (!post || pair.kind !== 'family') return;
  const summary = ctx.model.summary();
  const roots = [pair.acquire, pair.release];
  const same = (a: CCall, b: CCall) => a.args.length === b.args.length && a.args.every((x, i) => x.replace(/\s+/g, '') === (b.args[i] as string).replace(/\s+/g, ''));
  for (const fn of post.functions) {
    if (roots.includes(fn.name) || !file.touched(fn.name)) continue;
    for (const call of fn.calls) {
      if (!roots.includes(call.callee)) continue;
      const other = call.callee === pair.acquire ? pair.release : pair.acquire;
      const now = call.guards[call.guards.length - 1];
      if (!now || now.condition.kind !== 'if' || !file.addedIn(now.condition.line, now.condition.endLine)) continue;
      const before = oldCallIn(summary, file, fn, call, true)?.guards.at(-1);
      if (!before || before.condition.kind !== 'if' || sameTest(before, now)) continue;
      const was = before;
      if (call.guards.some((g) => sameTest(g, was))) continue;
      let found: { f: CFunction; c: CCall } | null = null;
      for (const f of post.functions) {
        if (f === fn || roots.includes(f.name)) continue;
        const c = f.calls.find((x) => x.callee === other && same(x, call) && x.guards.some((g) => sameTest(g, was)) && !x.guards.some((g) => sameTest(g, now)));
        if (c) {
          found = { f, c };
          break;
        }
      }
      if (!found) continue;
      reportDrift(ctx, file, fn, call, now, was, { fn: found.f, call: found.c, path: file.path }, call.callee === pair.acquire);
    }
  }
}

/**
 * The acquires a call makes: itself, when it is one of the table's (a release that checks for itself undoes nothing
 * never done, but a reference dropped on an object that is there anyway, `fx_ref(mr)` skipped and `fx_unref(mr)`
 * still run, is dropped once too often: its check is for NULL); or, for a helper of the program, the acquires it makes
 * under no test of its own, their arguments read with its parameters named as the call passes them.
 */
function helperAcquires(ctx: Ctx, summary: CommitSummary, file: ChangedFile, call: CCall): { acquire: CCall; m: PrimitiveMatch }[] {
  const usable = (c: CCall, m: PrimitiveMatch | null): m is PrimitiveMatch =>
    m !== null && m.role === 'acquire' && (!m.pair.safeRelease || (c.result === undefined && COUNTED_REF.test(c.callee)));
  const own = tablePrimitive(ctx, call.callee, true);
  if (own !== null) return usable(call, own) ? [{ acquire: call, m: own }] : [];
  const helper = summary.reach('post', [call.callee], [], file.path).get(call.callee);
  const params = helper?.fn.params ?? [];
  if (!helper || params.length === 0) return [];
  const out: { acquire: CCall; m: PrimitiveMatch }[] = [];
  for (const c of helper.fn.calls) {
    const m = tablePrimitive(ctx, c.callee, true);
    if (c.guards.length > 0 || !usable(c, m)) continue;
    const args = c.args.map((a) => ctx.model.withArguments(a, params, call.args));
    // (only what names the caller's objects: an argument still a parameter of the helper's own is no object here)
    if (args.join(',') === c.args.join(',')) continue;
    out.push({ acquire: { ...c, args, line: call.line, endLine: call.endLine, guards: call.guards, inLoop: call.inLoop }, m });
  }
  return out;
}

/**
 * (b) an acquire (`call`, made by `at` itself or by the helper `at` calls) the commit puts under `guard`, against a
 * release that runs always: reported at `at`.
 */
function checkGuardedAcquire(
  ctx: Ctx,
  file: ChangedFile,
  sides: { acquire: readonly string[]; release: readonly string[] },
  fn: CFunction,
  at: CCall,
  call: CCall,
  m: PrimitiveMatch,
  guard: CGuard,
): boolean {
  const summary = ctx.model.summary();
  const release = sitesIn(ctx.model, summary, sides.release, sides.acquire, file.path, m.counterparts, call)[0];
  // (for a reference on an object there anyway, a test of that object for NULL mirrors nothing: it is set either way)
  const counted = call.result === undefined && COUNTED_REF.test(call.callee);
  // (a flag the acquire side sets whatever the new condition says, `s->watch_set = true;`, tests nothing of it)
  const tests = (gs: readonly CGuard[]) =>
    gs.filter((g) => !(counted && release && ctx.model.skipsOnlyAbsentObject(g.condition, release.call)) && !staleFlagTest(fn, guard, g));
  if (!release || tests(ctx.model.pathGuards(summary.post, release)).length > 0 || tests(ctx.model.exitGuards(summary.post, release)).length > 0) return false;
  // the release side's tests elsewhere (another step under the same condition) do not guard this release: only a
  // test on the path to it would mirror the new one, and there is none (checked above)
  if (!ctx.model.predicateKey(guard.condition)) return false;
  // the other branch acquires the same object another way (an `*_init_fd()` for an
  // inherited descriptor), which the same release undoes: acquired either way
  const otherWay = fn.calls.some((c) => {
    if (c === at || !c.guards.some((g) => g.condition === guard.condition && g.negated !== guard.negated)) return false;
    const alt = tablePrimitive(ctx, c.callee);
    const undone = alt !== null ? alt.role === 'acquire' && alt.counterparts.includes(release.call.callee) : ctx.pairs.namesPair(c.callee, release.call.callee);
    return undone && ctx.model.sameObject(c, call);
  });
  if (otherWay) return false;
  report(ctx, file, { call: at, fn, path: file.path, via: [fn.name] }, release, guard, false, at === call ? undefined : call.callee);
  return true;
}

/**
 * Does `g` (a test on the release side) test only fields that `fn`, the acquire side, sets whatever `guard` (the new
 * condition on its acquire) says: stored or filled through their address outside that `if`, and never inside it
 * (`s->watch_set = true;` beside a register now under `if (io)`, `error_setg(&o->blocker, ...)` beside an add
 * now under `if (hotplugged)`)? Such a flag no longer says whether the acquire ran: it mirrors nothing.
 */
function staleFlagTest(fn: CFunction, guard: CGuard, g: CGuard): boolean {
  if (g.negated || g.condition.kind !== 'if') return false;
  const parts = g.condition.normalized.split('&&').map((p) => p.trim().replace(/^\((.*)\)$/, '$1').replace(/\s*!=\s*NULL$/, '').trim());
  const chains: string[] = [];
  for (const part of parts) {
    if (!/^\w+((->|\.)\w+)+$/.test(part)) return false;
    chains.push(part.split(/->|\./).slice(1).join('.'));
  }
  const under = (guards: readonly CGuard[]) => guards.some((h) => h.condition === guard.condition);
  const names = (text: string, chain: string) => {
    const t = text.replace(/\s+/g, '').replace(/^&/, '').replace(/->/g, '.');
    return t === chain || t.endsWith(`.${chain}`);
  };
  for (const chain of chains) {
    const sets = [
      ...fn.stores.filter((st) => names(st.target, chain)).map((st) => st.guards),
      ...fn.calls.filter((c) => c.args.some((a) => a.trim().startsWith('&') && names(a, chain))).map((c) => c.guards),
    ];
    if (sets.length === 0 || sets.some(under)) return false;
  }
  return chains.length > 0;
}

/**
 * The two sides dispatch alike: the acquire side takes `Y` in one branch of an if/else and `X` in the other, the
 * release side gives back `Y` in one branch and `X` in the other (`if (q->timer) { timer_free(q->timer); } else {
 * qemu_bh_delete(q->bh); }`). The commit makes the acquire side also take `X` in `Y`'s branch: where the release
 * side gives back `Y`, nothing gives back `X`.
 */
function dispatchMirrors(ctx: Ctx, file: ChangedFile, pair: SidePair): void {
  const m = ctx.model;
  const summary = m.summary();
  const sides = m.sideRootsOf(file.postSides, pair);
  const chainOf = (c: CCall): string[] | null => (c.result !== undefined ? m.fieldChain(c.result) : null);
  const sameChain = (a: readonly string[], b: readonly string[]) => {
    const [short, long] = a.length <= b.length ? [a, b] : [b, a];
    return short.every((x, i) => x === long[long.length - short.length + i]);
  };
  for (const fn of touchedSideFunctions(file, pair.acquireSide)) {
    for (const call of fn.calls) {
      if (!file.added.has(call.line)) continue;
      const match = tablePrimitive(ctx, call.callee);
      const field = chainOf(call);
      const guard = call.guards[call.guards.length - 1];
      if (!match || match.role !== 'acquire' || !field || !guard || guard.condition.kind !== 'if') continue;
      // the same field taken already in the other branch of the same test (not by the commit)
      const elsewhere = fn.calls.some(
        (c) => c !== call && !file.added.has(c.line) && c.guards.some((g) => g.condition === guard.condition && g.negated !== guard.negated) && chainOf(c) !== null && sameChain(chainOf(c) as string[], field),
      );
      if (!elsewhere) continue;
      // this branch's own resource: another field taken here before the commit
      const own = fn.calls.filter(
        (c) => c !== call && !file.added.has(c.line) && c.guards.some((g) => g.condition === guard.condition && g.negated === guard.negated) && chainOf(c) !== null && !sameChain(chainOf(c) as string[], field) && tablePrimitive(ctx, c.callee)?.role === 'acquire',
      );
      for (const sibling of own) {
        const siblingChain = chainOf(sibling) as string[];
        const siblingMatch = tablePrimitive(ctx, sibling.callee) as PrimitiveMatch;
        for (const r of summary.reach('post', sides.release, sides.acquire, file.path).values()) {
          const releaseOf = (c: CCall, callees: readonly string[], chain: readonly string[]) => callees.includes(c.callee) && m.takesField(c, chain);
          const fieldReleases = r.fn.calls.filter((c) => releaseOf(c, match.counterparts, field));
          const siblingReleases = r.fn.calls.filter((c) => releaseOf(c, siblingMatch.counterparts, siblingChain));
          if (fieldReleases.length === 0 || siblingReleases.length === 0) continue;
          // each release only in one branch of one test, and the two in opposite branches
          const fr = fieldReleases[0] as CCall;
          const sr = siblingReleases[0] as CCall;
          const split = fr.guards.find((g) => g.condition.kind === 'if' && sr.guards.some((h) => h.condition === g.condition && h.negated !== g.negated));
          if (!split) continue;
          if (fieldReleases.some((c) => !c.guards.some((g) => g.condition === split.condition && g.negated === split.negated))) continue;
          const fieldText = (call.result as string).trim();
          const siblingText = (sibling.result as string).trim();
          // each side in its own words (`n->vqs[index].tx_bh` made, `q->tx_bh` given back)
          const argText = (c: CCall, chain: readonly string[]) => (c.args.find((a) => m.fieldChain(a) !== null && sameChain(m.fieldChain(a) as string[], chain)) ?? '').trim();
          const releaseField = argText(fr, field);
          const releaseSibling = argText(sr, siblingChain);
          ctx.report({
            at: { file: file.path, line: call.line, endLine: call.endLine, function: fn.name },
            messageId: 'dispatch',
            data: {
              fn: fn.name,
              field: fieldText,
              callee: call.callee,
              condition: guard.condition.text,
              sibling: siblingText,
              file: file.path,
              line: sibling.line,
              releaseFn: r.fn.name,
              release: fr.callee,
              releaseField,
              releaseSibling,
              releasePath: r.path,
              releaseLine: fr.line,
            },
            related: [
              { file: r.path, line: fr.line, function: r.fn.name, messageId: 'releasedOnlyThere', data: { fn: r.fn.name, field: releaseField, sibling: releaseSibling } },
              { file: r.path, line: sr.line, function: r.fn.name, messageId: 'siblingReleased', data: { fn: r.fn.name, field: releaseField, sibling: releaseSibling } },
            ],
            key: `dispatch|${fn.name}|${field.join('.')}|${siblingChain.join('.')}`,
            repair: { callees: match.counterparts, functions: [r.fn.name] },
          });
          return;
        }
      }
    }
  }
}

/**
 * Mode (b) for a list: an element the commit now puts on a list only under a new condition, while the release side
 * takes the same element (same name, same link field) off that list on a path that tests nothing: when the condition
 * does not hold, the removal unlinks an element that was never linked.
 */
function listInsertUnderNewGuard(ctx: Ctx, file: ChangedFile, pair: SidePair, fn: CFunction, call: CCall): void {
  const summary = ctx.model.summary();
  const sides = ctx.model.sideRootsOf(file.postSides, pair);
  const insert = ctx.model.listOp(call)?.list;
  if (!insert) return;
  const guard = newGuard(summary, file, fn, call, (g) => !g.condition.callees.some((c) => ctx.pairs.isInheritedState(c)), true);
  if (!guard || !ctx.model.pathGuards(summary.post, { call, fn, path: file.path, via: [fn.name] }).includes(guard)) return;
  if (!ctx.model.predicateKey(guard.condition)) return;
  let release: CallSite | undefined;
  for (const r of summary.reach('post', sides.release, sides.acquire, file.path).values()) {
    const c = r.fn.calls.find((x) => {
      const o = ctx.model.listOp(x);
      return o !== null && o.op === 'remove' && o.list.elm === insert.elm && o.list.link === insert.link;
    });
    if (c) {
      release = { call: c, fn: r.fn, path: r.path, via: r.via };
      break;
    }
  }
  if (!release || ctx.model.pathGuards(summary.post, release).length > 0 || ctx.model.exitGuards(summary.post, release).length > 0) return;
  report(ctx, file, { call, fn, path: file.path, via: [fn.name] }, release, guard, false);
}

/**
 * (e) the two sides tested the same thing: an acquire under `if (P)` whose release runs under `if (P)` too. The commit
 * changes the test before one of them (`if (P)` → `if (Q)`; not a test only reworded in its calls' arguments) and
 * leaves the other: where P and Q differ, one side runs without the other.
 */
/** (e) drift: `call` under the changed test `now` (before, `was`), its counterpart `other` still under `was`. */
function reportDrift(ctx: Ctx, file: ChangedFile, fn: CFunction, call: CCall, now: CGuard, was: CGuard, other: { fn: CFunction; call: CCall; path: string }, acquires: boolean): void {
  ctx.report({
    at: { file: file.path, line: now.condition.stmtLine, endLine: now.condition.endLine, function: fn.name },
    messageId: 'drift',
    data: {
      fn: fn.name,
      callee: call.callee,
      condition: holds(now),
      oldCondition: holds(was),
      otherFn: other.fn.name,
      otherCallee: other.call.callee,
      otherPath: other.path,
      otherLine: other.call.line,
      acquire: acquires ? call.callee : other.call.callee,
      release: acquires ? other.call.callee : call.callee,
    },
    related: [{ file: other.path, line: other.call.line, function: other.fn.name, messageId: 'callsHere', data: { fn: other.fn.name, callee: other.call.callee } }],
    key: `drift|${fn.name}|${call.callee}|${now.condition.normalized}`,
    repair: { callees: [], functions: [fn.name, other.fn.name], names: ctx.model.predicateKey(now.condition)?.names ?? [] },
  });
}

/** A count kept in a field, raised on one side of a pair and lowered on the other (`con->dcls++` / `con->dcls--`). */
const COUNTS: ReadonlyMap<string, PrimitiveMatch> = new Map([
  ['++', { pair: { acquire: ['++'], release: ['--'], what: 'count' }, role: 'acquire', counterparts: ['--'], fromFamily: false }],
  ['--', { pair: { acquire: ['++'], release: ['--'], what: 'count' }, role: 'release', counterparts: ['++'], fromFamily: false }],
]);

function driftedTests(ctx: Ctx, file: ChangedFile, pair: SidePair): void {
  const summary = ctx.model.summary();
  const sides = ctx.model.sideRootsOf(file.postSides, pair);
  for (const [names, role, otherRoots, stop] of [
    [pair.acquireSide, 'acquire', sides.release, sides.acquire],
    [pair.releaseSide, 'release', sides.acquire, sides.release],
  ] as const) {
    for (const fn of touchedSideFunctions(file, names)) {
      for (const call of fn.calls) {
        const count = COUNTS.get(call.callee);
        const m = tablePrimitive(ctx, call.callee, true) ?? count ?? null;
        if (!m || m.role !== role) continue;
        const now = call.guards[call.guards.length - 1];
        if (role === 'acquire' && file.added.has(call.line) && !count) unguardedAcquire(ctx, file, fn, call, m, otherRoots, stop);
        if (!now || now.condition.kind !== 'if' || !file.addedIn(now.condition.line, now.condition.endLine)) continue;
        if (call.line >= now.condition.line && call.line <= now.condition.endLine) continue;
        const before = oldCallIn(summary, file, fn, call)?.guards.at(-1);
        if (!before || before.condition.kind !== 'if' || sameTest(before, now)) continue;
        const was = before;
        // the old test still guards the call, the new one inside it: narrowed, not changed (`if (!x->virq) { if (msg)
        // { add(...); } }` against a release under the old test, which asks whether the add was made)
        if (call.guards.some((g) => sameTest(g, was))) continue;
        const other =
          sitesIn(ctx.model, summary, otherRoots, stop, file.path, m.counterparts, call).find((site) => {
            const guards = ctx.model.pathGuards(summary.post, site);
            return guards.some((g) => sameTest(g, was)) && !guards.some((g) => sameTest(g, now));
          }) ?? sameTestInFile(ctx, file, fn, call, m, was, now);
        if (!other) continue;
        if (count) {
          ctx.report({
            at: { file: file.path, line: now.condition.stmtLine, endLine: now.condition.endLine, function: fn.name },
            messageId: 'driftCount',
            data: {
              fn: fn.name,
              changes: ctx.format(call.callee === '++' ? 'raises' : 'lowers', {}),
              count: (call.args[0] ?? '').trim(),
              condition: holds(now),
              oldCondition: holds(was),
              otherFn: other.fn.name,
              otherChanges: ctx.format(other.call.callee === '++' ? 'raises' : 'lowers', {}),
              otherPath: other.path,
              otherLine: other.call.line,
            },
            related: [{ file: other.path, line: other.call.line, function: other.fn.name, messageId: 'changesHere', data: { fn: other.fn.name, changes: ctx.format(other.call.callee === '++' ? 'raises' : 'lowers', {}), count: (other.call.args[0] ?? '').trim() } }],
            key: `drift|${fn.name}|${call.callee}|${now.condition.normalized}`,
            repair: { callees: [], functions: [fn.name, other.fn.name], names: ctx.model.predicateKey(now.condition)?.names ?? [] },
          });
          continue;
        }
        reportDrift(ctx, file, fn, call, now, was, other, role === 'acquire');
      }
    }
  }
}

/**
 * The counterpart of `call` on the same field (`&pbdev->notifier` in both), in another function of the file that the
 * side's reach does not show (a teardown helper an unplug request calls), right under the test `call` was under
 * before the commit and not under the new one: the two were kept under one test, and the commit changed one of them.
 */
function sameTestInFile(ctx: Ctx, file: ChangedFile, fn: CFunction, call: CCall, m: PrimitiveMatch, was: CGuard, now: CGuard | undefined): CallSite | null {
  const chains = call.args.map((a) => ctx.model.fieldChain(a)).filter((c): c is string[] => c !== null);
  if (chains.length === 0) return null;
  for (const f of file.post?.functions ?? []) {
    if (f === fn) continue;
    const c = f.calls.find(
      (x) =>
        m.counterparts.includes(x.callee) &&
        ctx.model.sameObject(x, call) &&
        chains.some((chain) => ctx.model.takesField(x, chain)) &&
        x.guards.some((g) => sameTest(g, was)) &&
        (now === undefined || !x.guards.some((g) => sameTest(g, now))),
    );
    if (c) return { call: c, fn: f, path: file.path, via: [] };
  }
  return null;
}

/**
 * (e) the acquire taken out of its test: `if (P) { fx_new(...); }` becomes a call made always, while the other
 * side's release stays under `if (P)` (and nothing there releases it outside that test): when P does not hold, what
 * the acquire now takes is never released. Not for a release that checks for itself (a guarded call of it is a
 * choice, not a need), nor a test of the acquire's own object (`if (s->t) { fx_free(s->t); }` is its success).
 */
function unguardedAcquire(ctx: Ctx, file: ChangedFile, fn: CFunction, call: CCall, m: PrimitiveMatch, otherRoots: readonly string[], stop: readonly string[]): void {
  const summary = ctx.model.summary();
  // the function's one call of it before and after (its arguments may have changed with its test)
  if (!once(fn, call.callee)) return;
  let old: CCall | undefined;
  summary.alreadySo(fn, file, (pre, rename) => {
    const calls = pre.calls.filter((c) => c.callee === rename(call.callee));
    old = calls.length === 1 ? calls[0] : undefined;
    return old !== undefined;
  });
  const was = old?.guards.at(-1);
  if (!old || !was || was.condition.kind !== 'if' || call.guards.some((g) => sameTest(g, was))) return;
  // every release of it on the other side stays under the old test
  let sites = sitesIn(ctx.model, summary, otherRoots, stop, file.path, m.counterparts, call);
  // (where the other side does not reach one, the counterpart on the same field in another function of the file,
  // under the old test and not the new one: the two were kept under one test)
  if (sites.length === 0) {
    const inFile = sameTestInFile(ctx, file, fn, call, m, was, call.guards.at(-1));
    if (inFile) sites = [inFile];
  }
  if (sites.length === 0) return;
  const guarded = sites.filter((site) => ctx.model.pathGuards(summary.post, site).some((g) => sameTest(g, was)));
  if (guarded.length === 0 || guarded.length !== sites.length) return;
  const other = guarded[0] as CallSite;
  if (ctx.pairs.isSafeRelease(other.call.callee) || m.pair.safeRelease) return;
  // a test of the object itself (`if (s->t)`, `if (s->fd >= 0)`) before its release: the release checks for it
  const objectNames = (ctx.model.objectText(call) ?? '').split(/->|\./).filter((n) => n.length > 0);
  const last = objectNames[objectNames.length - 1];
  if (last !== undefined && was.condition.names.includes(last)) return;
  ctx.report({
    at: { file: file.path, line: call.line, endLine: call.endLine, function: fn.name },
    messageId: 'unguarded',
    data: {
      fn: fn.name,
      callee: call.callee,
      oldCondition: holds(was),
      otherFn: other.fn.name,
      otherCallee: other.call.callee,
      otherPath: other.path,
      otherLine: other.call.line,
    },
    related: [{ file: other.path, line: other.call.line, function: other.fn.name, messageId: 'callsHere', data: { fn: other.fn.name, callee: other.call.callee } }],
    key: `unguarded|${fn.name}|${call.callee}|${was.condition.normalized}`,
    repair: { callees: [], functions: [fn.name, other.fn.name], names: ctx.model.predicateKey(was.condition)?.names ?? [] },
  });
}

/**
 * (e) a new acquire of an object the side already takes elsewhere with a flag set beside it (`s->autoscan = true;
 * QTAILQ_INSERT_TAIL(&devs, s, next);`), where the release side gives it back only under a test of that flag (`if
 * (s->autoscan) { QTAILQ_REMOVE(&devs, s, next); }`), and nothing sets the flag beside the new acquire: what it takes is
 * never given back. A list's insert and remove count here (the flag, not the list, is the question).
 */
function unrecordedAcquires(ctx: Ctx, file: ChangedFile, pair: SidePair): void {
  const summary = ctx.model.summary();
  const sides = ctx.model.sideRootsOf(file.postSides, pair);
  const args = (c: CCall) => c.args.map(squeezed).join(',');
  const sameBlock = (a: readonly CGuard[], b: readonly CGuard[]) => a.length === b.length && a.every((g, i) => g.condition === b[i]?.condition && g.negated === b[i]?.negated);
  for (const fn of touchedSideFunctions(file, pair.acquireSide)) {
    for (const call of fn.calls) {
      if (!file.added.has(call.line)) continue;
      const m = ctx.pairs.anyPrimitive(call.callee);
      const listed = ctx.pairs.isListInsert(call.callee);
      if (m?.role !== 'acquire' && !listed) continue;
      const sibling = fn.calls.find((c) => c !== call && !file.added.has(c.line) && c.callee === call.callee && args(c) === args(call));
      if (!sibling) continue;
      const flag = fn.stores.find((st) => Math.abs(st.line - sibling.line) <= 3 && /^(true|1)$/.test(st.value.trim()) && sameBlock(st.guards, sibling.guards));
      if (!flag) continue;
      const target = squeezed(flag.target);
      // nothing sets the flag beside the new acquire, nor does a test of it lead there
      if (fn.stores.some((st) => squeezed(st.target) === target && Math.abs(st.line - call.line) <= 3 && sameBlock(st.guards, call.guards))) continue;
      if (call.guards.some((g) => g.condition.names.includes(flag.field))) continue;
      // (a list's removal of the same element from the same head, for an insert)
      const releases =
        m?.role === 'acquire'
          ? sitesIn(ctx.model, summary, sides.release, sides.acquire, file.path, m.counterparts, call)
          : [...summary.reach('post', sides.release, sides.acquire, file.path).values()].flatMap((r) =>
              r.fn.calls.filter((c) => ctx.pairs.isListRemove(c.callee) && args(c) === args(call)).map((c) => ({ call: c, fn: r.fn, path: r.path, via: r.via })),
            );
      const test = new RegExp(`^[\\w>.-]*(->|\\.)${flag.field}$`);
      const gated = releases.filter((site) => ctx.model.pathGuards(summary.post, site).some((g) => !g.negated && test.test(squeezed(g.condition.normalized))));
      if (releases.length === 0 || gated.length !== releases.length) continue;
      const other = gated[0] as CallSite;
      ctx.report({
        at: { file: file.path, line: call.line, endLine: call.endLine, function: fn.name },
        messageId: 'unrecorded',
        data: {
          fn: fn.name,
          callee: call.callee,
          flag: flag.target.trim(),
          file: file.path,
          siblingLine: sibling.line,
          otherFn: other.fn.name,
          otherCallee: other.call.callee,
          otherPath: other.path,
          otherLine: other.call.line,
        },
        related: [
          { file: file.path, line: flag.line, function: fn.name, messageId: 'flagSetBeside', data: { fn: fn.name, flag: flag.target.trim(), callee: call.callee } },
          { file: other.path, line: other.call.line, function: other.fn.name, messageId: 'callsHere', data: { fn: other.fn.name, callee: other.call.callee } },
        ],
        key: `unrecorded|${fn.name}|${call.callee}|${flag.field}`,
        repair: { callees: [], functions: [fn.name, other.fn.name], names: [flag.field] },
      });
    }
  }
}

/**
 * Made whatever happens: under no test but loops over a fixed number of elements (`for (i = 0; i < FX_N; i++) {
 * fx_free(s->t[i].x); }`); a loop over what a count says exists (`i < s->n_sections`) runs for what was made.
 */
const always = (c: CCall) =>
  c.guards.every((g) => (g.condition.kind === 'for' || g.condition.kind === 'while') && /<=?\s*([A-Z_][A-Z0-9_]*|\d+|ARRAY_SIZE\([^()]*\))\s*$/.test(g.condition.normalized));

/**
 * Does the release check for itself: the function of the program it names returns at once, before any call, on a
 * test of what it is handed (`if (dev->exp.cap == 0) { return; }`), as one called for what was never made would?
 */
function releaseChecksFirst(summary: CommitSummary, path: string, callee: string): boolean {
  const def = summary.post.lookup(callee, path)?.fn;
  const params = def?.params ?? [];
  if (!def || params.length === 0) return false;
  const firstCall = Math.min(...def.calls.map((c) => c.line), Infinity);
  return def.exits.some(
    (e) => e.kind === 'return' && e.line < firstCall && e.guards.length === 1 && (e.guards[0]?.condition.identifiers ?? e.guards[0]?.condition.names ?? []).some((n) => params.includes(n)),
  );
}

/** After the acquire, does the function test what it made and leave when it is not there (`if (!res->image) { ...; return; }`)? */
function leavesWhenNotMade(fn: CFunction, call: CCall, field: string): boolean {
  return fn.conditions.some(
    (c) => c.kind === 'if' && c.line > call.endLine && c.names.includes(field) && /^!|==\s*NULL/.test(c.normalized.trim()) && fn.exits.some((e) => (e.kind === 'return' || e.kind === 'goto') && e.guards.some((g) => g.condition === c && !g.negated)),
  );
}

/**
 * An acquire of a field moved into a slot whose failure its release slot never follows (`realize`), out of a
 * function that ran for every object (`instance_init`), while a function that runs for every object too, also after
 * a failed acquire (`instance_finalize`), still releases that field always, with a release that does not check for
 * itself (`ptimer_free(s->timer)` with `s->timer = ptimer_init(...)` moved from init into realize): for an object
 * whose realize failed or never ran, the release undoes what was never made.
 */
function checkMovedIntoSlot(ctx: Ctx, file: ChangedFile, fn: CFunction): void {
  const pre = file.pre;
  const post = file.post;
  if (!pre || !post) return;
  const slot = post.initializers.flatMap((i) => i.fields).find((f) => f.value === fn.name && ctx.pairs.releaseSkippedOnFailure(f.field))?.field;
  if (slot === undefined) return;
  const summary = ctx.model.summary();
  const chainOf = (c: CCall) => ctx.model.objectText(c);
  for (const call of fn.calls) {
    const m = ctx.model.matchPrimitive(call, fn, ctx.pairs, summary.knownNames, true);
    if (m?.role !== 'acquire' || m.pair.safeRelease) continue;
    const chain = chainOf(call);
    if (chain === null) continue;
    const same = (c: CCall) => c.callee === call.callee && chainOf(c) === chain;
    // made by another function before the commit, which makes it no more
    const donor = pre.functions.find((f) => f.name !== fn.name && !ctx.pairs.runsAfterFailure(f.name) && f.calls.some(same));
    if (!donor || (post.functionByName(donor.name)?.calls.some(same) ?? false) || (pre.functionByName(fn.name)?.calls.some(same) ?? false)) continue;
    for (const other of post.functions) {
      if (other.name === fn.name || !ctx.pairs.runsAfterFailure(other.name)) continue;
      // (the same field, named from another base or through the element it is in: `t->counters[i].ptimer`)
      const release = other.calls.find((c) => m.counterparts.includes(c.callee) && chainOf(c) !== null && ctx.model.sameObject(c, call) && always(c) && !ctx.pairs.isSafeRelease(c.callee));
      if (!release || releaseChecksFirst(summary, file.path, release.callee)) continue;
      ctx.report({
        at: { file: file.path, line: call.line, endLine: call.endLine, function: fn.name },
        messageId: 'movedToSlot',
        data: { fn: fn.name, callee: call.callee, file: file.path, line: call.line, oldFn: donor.name, otherFn: other.name, otherCallee: release.callee, otherPath: file.path, otherLine: release.line, slot },
        related: [{ file: file.path, line: release.line, function: other.name, messageId: 'callsHere', data: { fn: other.name, callee: release.callee } }],
        key: `moved-to-slot|${fn.name}|${call.callee}|${chain}`,
        repair: { callees: [release.callee], functions: [fn.name, other.name] },
      });
      return;
    }
  }
}

/**
 * An acquire of a field moved under a condition: the commit adds it under an `if`, while before the commit the
 * file made it on the same field unconditionally (in this function or another) and now makes it nowhere so; and
 * another function of the file releases that field unconditionally, with a release that does not check for itself
 * (`fx_add_exit_notifier(&s->exit)` moved from the init helper into `if (downscript) {...}` of another function,
 * `fx_remove_exit_notifier(&s->exit)` still in cleanup). When the condition does not hold, the release undoes an
 * acquire that never happened.
 */
function checkMovedUnderCondition(ctx: Ctx, file: ChangedFile, fn: CFunction): void {
  const pre = file.pre;
  const post = file.post;
  if (!pre || !post) return;
  const summary = ctx.model.summary();
  // the field chain a call works on, without its base (`&s->exit` in one function, `&ts->exit` in another)
  const chainOf = (c: CCall) => ctx.model.objectText(c);
  for (const call of fn.calls) {
    const guard = call.guards.at(-1);
    if (!guard || guard.condition.kind !== 'if' || !file.added.has(call.line)) continue;
    const m = ctx.model.matchPrimitive(call, fn, ctx.pairs, summary.knownNames, true);
    if (m?.role !== 'acquire' || m.pair.safeRelease) continue;
    const chain = chainOf(call);
    if (chain === null) continue;
    const same = (c: CCall) => c.callee === call.callee && chainOf(c) === chain;
    // made always before the commit, and nowhere always after it
    const wasAlways = pre.functions.some((f) => f.calls.some((c) => same(c) && c.guards.length === 0));
    const isAlways = post.functions.some((f) => f.calls.some((c) => same(c) && c.guards.length === 0));
    if (!wasAlways || isAlways) continue;
    // released always by another function of the file, as before the commit, with a release that does not check
    for (const other of post.functions) {
      if (other.name === fn.name) continue;
      const release = other.calls.find(
        (c) => m.counterparts.includes(c.callee) && chainOf(c) !== null && ctx.model.sameObject(c, call) && always(c) && !file.added.has(c.line) && !ctx.pairs.isSafeRelease(c.callee),
      );
      if (!release || releaseChecksFirst(summary, file.path, release.callee)) continue;
      // the function itself leaves when the acquire was not made: the release never sees the object then
      const field = chain.split('.').at(-1) as string;
      if (leavesWhenNotMade(fn, call, field)) return;
      // an acquire that says in a status of its own whether it made anything (`res = fx_init_vfs(...); if (res > 0)`)
      // may make nothing, under the old test as under the new one
      const status = call.result?.trim();
      if (status !== undefined && /^\w+$/.test(status) && fn.conditions.some((c) => c.line > call.endLine && (c.identifiers ?? c.names).includes(status))) return;
      report(ctx, file, { call, fn, path: file.path, via: [fn.name] }, { call: release, fn: other, path: file.path, via: [other.name] }, guard, false);
      return;
    }
  }
}

/**
 * (e) within one function: an acquire under `if (P)` and its release later under `if (P)` too (a lock taken and
 * dropped around a step only some configurations need). The commit changes one test to `if (Q)` and leaves the
 * other: where P and Q differ, the function takes without releasing, or releases what it never took.
 */
function checkDriftWithin(ctx: Ctx, file: ChangedFile, fn: CFunction): void {
  const summary = ctx.model.summary();
  for (const call of fn.calls) {
    const m = tablePrimitive(ctx, call.callee, true);
    // (one call of it before and after: which call it was is then not in doubt)
    if (!m || !once(fn, call.callee)) continue;
    const now = call.guards[call.guards.length - 1];
    if (!now || now.condition.kind !== 'if' || !file.addedIn(now.condition.line, now.condition.endLine)) continue;
    if (call.line >= now.condition.line && call.line <= now.condition.endLine) continue;
    const before = oldCallIn(summary, file, fn, call, true)?.guards.at(-1);
    if (!before || before.condition.kind !== 'if' || sameTest(before, now)) continue;
    const was = before;
    // its counterpart on the same object, on the same way (the same tests around both `if`s: not the other branch
    // of a realize/unrealize dispatch), the acquire first, under the old test still (a test the commit did not write)
    const enclosing = (c: CCall) => c.guards.slice(0, -1);
    const sameWay = (c: CCall) => enclosing(c).length === enclosing(call).length && enclosing(c).every((g, i) => g.condition === enclosing(call)[i]?.condition && g.negated === enclosing(call)[i]?.negated);
    const other = fn.calls.find((c) => {
      const last = c.guards[c.guards.length - 1];
      return (
        c !== call && m.counterparts.includes(c.callee) && once(fn, c.callee) && ctx.model.sameObject(c, call) && last !== undefined && sameTest(last, was) &&
        !file.addedIn(last.condition.line, last.condition.endLine) && !c.guards.some((g) => g.condition === now.condition) && sameWay(c) &&
        (m.role === 'acquire' ? c.line > call.line : c.line < call.line)
      );
    });
    if (!other) continue;
    ctx.report({
      at: { file: file.path, line: now.condition.stmtLine, endLine: now.condition.endLine, function: fn.name },
      messageId: 'driftWithin',
      data: {
        fn: fn.name,
        callee: call.callee,
        condition: holds(now),
        oldCondition: holds(was),
        file: file.path,
        otherCallee: other.callee,
        otherLine: other.line,
        acquire: m.role === 'acquire' ? call.callee : other.callee,
        release: m.role === 'acquire' ? other.callee : call.callee,
      },
      related: [{ file: file.path, line: other.line, function: fn.name, messageId: 'callsHere', data: { fn: fn.name, callee: other.callee } }],
      key: `drift-within|${fn.name}|${call.callee}|${now.condition.normalized}`,
      repair: { callees: [], functions: [fn.name], names: ctx.model.predicateKey(now.condition)?.names ?? [] },
    });
  }
}

/** The role a call plays for narrowing, with its object: a table acquire or release, or a list insert or remove. */
function narrowRole(ctx: Ctx, call: CCall): { role: 'acquire' | 'release'; counterparts: (c: CCall) => boolean; safe: boolean } | null {
  const list = ctx.model.listOp(call);
  if (list) {
    const { op, list: l } = list;
    return {
      role: op === 'insert' ? 'acquire' : 'release',
      counterparts: (c) => {
        const o = ctx.model.listOp(c);
        return o !== null && o.op !== op && o.list.elm === l.elm && o.list.link === l.link;
      },
      safe: false,
    };
  }
  const m = tablePrimitive(ctx, call.callee, true);
  if (!m) return null;
  return { role: m.role, counterparts: (c) => m.counterparts.includes(c.callee) && ctx.model.sameObject(c, call), safe: m.pair.safeRelease === true };
}

/**
 * (f) within one function: the commit adds a conjunct to the test before an acquire (or a release), `if (a)`
 * becoming `if (a && b)`, and leaves alone the test of its counterpart on the same object elsewhere in the
 * function (another branch of the same dispatch, or later on the way): in the cases `b` leaves out, one runs
 * without the other. Not when the counterpart checks for itself or tests what the added conjunct tests.
 */
const squeezed = (t: string) => t.replace(/\s+/g, '');

function checkNarrowed(ctx: Ctx, file: ChangedFile, fn: CFunction): void {
  const summary = ctx.model.summary();
  for (const call of fn.calls) {
    const now = call.guards[call.guards.length - 1];
    if (!now || now.negated || now.condition.kind !== 'if' || !file.addedIn(now.condition.line, now.condition.endLine)) continue;
    if (call.line >= now.condition.line && call.line <= now.condition.endLine) continue;
    if (!once(fn, call.callee)) continue;
    const role = narrowRole(ctx, call);
    if (!role) continue;
    const oldCall = oldCallIn(summary, file, fn, call, true);
    if (!oldCall) continue;
    const before = oldCall.guards.at(-1);
    // `if (a)` become `if (a && b)`, or a new `if (b)` inside `if (a)`; the latter only against a counterpart in
    // another branch of the same dispatch (on the same way, mode (c) `within` speaks)
    const nested = oldCall.guards.length + 1 === call.guards.length && newGuard(summary, file, fn, call) === now;
    const added = nested ? [now.condition.text] : before && !before.negated && before.condition.kind === 'if' ? ctx.model.addedConjuncts(before.condition.normalized, now.condition.normalized) : null;
    if (!added || added.length === 0) continue;
    // an incoming CPR inherits the state: the other side must still undo it (inheritedState)
    if (now.condition.callees.some((c) => ctx.pairs.isInheritedState(c) && !before?.condition.callees.includes(c))) continue;
    // a release on a failure branch (`if (!fx_enable(...)) { fx_free(...); return false; }`) undoes a failed setup:
    // a narrower test there only picks the failures, it leaves nothing held on success
    if (role.role === 'release' && ctx.model.onErrorBranch(fn, call)) continue;
    const exclusive = (c: CCall) => c.guards.some((g) => call.guards.some((h) => h !== now && h.condition === g.condition && h.negated !== g.negated));
    const addedNames = new Set(added.flatMap((t) => t.match(/[A-Za-z_]\w*/g) ?? []));
    const other = fn.calls.find((c) => {
      if (c === call || !role.counterparts(c) || !once(fn, c.callee) || (nested && !exclusive(c))) return false;
      // not inside the narrowed block itself (its else branches run more often now, which is the point)
      if (c.guards.some((g) => g.condition === now.condition && !g.negated)) return false;
      // its own tests are as they were, and none of them tests what the added conjunct tests
      if (c.guards.some((g) => file.addedIn(g.condition.line, g.condition.endLine) && g.condition !== now.condition)) return false;
      return !c.guards.some((g) => g.condition !== now.condition && added.some((t) => squeezed(g.condition.normalized).includes(squeezed(t))));
    });
    if (!other) continue;
    // a release that checks for itself undoes nothing never done
    const otherRole = narrowRole(ctx, other);
    if (role.role === 'acquire' && (otherRole?.safe || ctx.pairs.isSafeRelease(other.callee))) continue;
    const data = { fn: fn.name, callee: call.callee, otherCallee: other.callee };
    ctx.report({
      at: { file: file.path, line: now.condition.stmtLine, endLine: now.condition.endLine, function: fn.name },
      messageId: 'narrowed',
      data: {
        ...data,
        condition: nested && before ? `${holds(before)}\` and \`${now.condition.text}` : now.condition.text,
        oldCondition: nested ? (before ? holds(before) : 'always') : (before as CGuard).condition.text,
        file: file.path,
        otherLine: other.line,
        added: added.join(' && '),
        what: ctx.format(role.role === 'acquire' ? 'narrowedAcquire' : 'narrowedRelease', data),
      },
      related: [{ file: file.path, line: other.line, function: fn.name, messageId: 'callsHere', data: { fn: fn.name, callee: other.callee } }],
      key: `narrowed|${fn.name}|${call.callee}|${now.condition.normalized}`,
      repair: { callees: [], functions: [fn.name], names: [...addedNames] },
    });
  }
}

/**
 * Does a function of the file store into one of `names` (a flag a new test reads) in the same block as a call of
 * the release's callee on the same arguments, a few lines apart: the flag records that the release was made?
 */
function releasedWhereFlagSet(fns: readonly { fn: CFunction; path: string }[], path: string, names: readonly string[], release: CCall): boolean {
  const args = release.args.map(squeezed).join(',');
  const last = (gs: readonly CGuard[]) => gs[gs.length - 1]?.condition;
  return fns.some(({ fn, path: p }) =>
    p === path &&
    fn.stores.some((st) => names.includes(st.field) &&
      fn.calls.some((c) => c !== release && c.callee === release.callee && c.args.map(squeezed).join(',') === args &&
        Math.abs(c.line - st.line) <= 3 && last(c.guards) === last(st.guards))));
}

/** A test as it holds where the call runs: the else branch of `if (p)` runs when `!(p)`. */
const holds = (g: CGuard): string => (g.negated ? (/^!\s*[\w>.-]+$/.test(g.condition.text) ? g.condition.text.replace(/^!\s*/, '') : `!(${g.condition.text})`) : g.condition.text);

/**
 * (d) a release the commit puts under a new condition (or moves into an `if` that was there), against an
 * acquire made always (error exits before it aside: a side that failed is never undone): when the
 * condition is false, nothing releases what was taken. Not when the condition tests the object itself
 * (`if (s->timer)`) or state the acquire side stores (a flag set beside the acquire); nor when the test
 * is only reworded (no more conditions than before), nor when the release undoes the function's own
 * earlier acquire (a lock it took itself). A test the acquire side makes only for other steps (`if
 * (s->memdev) { ... }` before an acquire made whatever it says) is no reason: the acquire is made either way.
 */
function guardedReleases(ctx: Ctx, file: ChangedFile, pair: SidePair): void {
  const summary = ctx.model.summary();
  const sides = ctx.model.sideRootsOf(file.postSides, pair);
  for (const fn of touchedSideFunctions(file, pair.releaseSide)) {
    for (const call of fn.calls) {
      // (a heap free of a field of the instance too: what the acquire side allocated into that field, whether or
      // not a list holds it)
      const m = tablePrimitive(ctx, call.callee, true) ?? heapFieldFree(ctx, call);
      if (!m || m.role !== 'release') continue;
      // a new release is mode (a)'s business; this one was there, unguarded by this condition (a new `if`, or
      // one that was there when the commit moved the release into it)
      // (or a new `continue` before it in the same pass of its loop: the rest of the pass runs only when its test fails)
      const skip = newGuard(summary, file, fn, call, () => true, true) === null ? newSkipInPass(summary, file, fn, call) : null;
      const guard = skip ?? newGuard(summary, file, fn, call, () => true, true);
      if (!guard) continue;
      // put under a condition it was not under: more conditions than before (a reworded test is the same one)
      const ifs = (c: CCall) => c.guards.filter((g) => g.condition.kind === 'if' || g.condition.kind === 'ternary').length;
      if (!skip && summary.alreadySo(fn, file, (old, rename) => { const o = oldCallOf(old, rename, call); return o !== undefined && ifs(o) >= ifs(call); })) continue;
      // the release undoes the function's own acquire (a lock it takes first): a temporary, not the other side's
      if (fn.calls.some((c) => c.line < call.line && m.counterparts.includes(c.callee) && ctx.model.sameObject(c, call))) continue;
      // the other branch of the test releases the same object another way (`force ? fx_force_stop(&s->dev) :
      // fx_stop(&s->dev)`): released either way
      const otherWay = (c: CCall) => c.guards.some((h) => h.condition === guard.condition && h.negated !== guard.negated);
      if (fn.calls.some((c) => c !== call && otherWay(c) && ctx.pairs.hasReleaseVerb(c.callee) && squeezed(c.args[0] ?? '') === squeezed(call.args[0] ?? ''))) continue;
      const site = { call, fn, path: file.path, via: [fn.name] };
      if (!skip && !ctx.model.pathGuards(summary.post, site).includes(guard)) continue;
      // the condition asks whether there is anything to release: the object itself
      // (any object it is handed: `memory_region_is_mapped(&d->sub)` asks after the subregion, the second argument
      // of a subregion's removal)
      const object = call.args.flatMap((a) => ctx.model.fieldChain(a.replace(/^\s*&/, '')) ?? []);
      const names = guard.condition.names;
      // (a plain argument tested itself, `if (fd >= 0)`, not one whose field is tested: `if (b->memdev)` says
      // nothing of whether `b` was registered)
      if (object.some((f) => names.includes(f)) || call.args.some((a) => /^\w+$/.test(a.trim()) && ctx.model.testsValueItself(guard.condition.normalized, a.trim()))) continue;
      // (an acquire that names no object, neither a value it keeps nor an argument other than a constant,
      // `object_new(TYPE_FX)` inside a cast, is no known match for the object this release names; a switch of
      // global state, no argument on either side, is its own match)
      const namesObject = (c: CCall) => c.result !== undefined || c.args.some((a) => !/^[A-Z_][A-Z0-9_]*$|^-?\d+$|^"/.test(a.trim()));
      const acquires = sitesIn(ctx.model, summary, sides.acquire, sides.release, file.path, m.counterparts, call).filter((site) => (namesObject(site.call) || (site.call.args.length === 0 && call.args.length === 0)) && !intoOtherLocal(ctx.model, site, call));
      const acquire = acquires[0];
      // an acquire made in each branch of one `if` (`if (out) { st->t = timer_new(a); } else { st->t =
      // timer_new(b); }`) is made whichever branch runs: that test does not make it conditional, and a flag the
      // branches set (`st->output = true;` / `= false;`) tells them apart, it does not record the acquire
      const joined = joinedTests(acquires);
      if (!acquire) continue;
      // (an error exit before the acquire does not make it conditional: a side that failed is never undone)
      const acquireTests = ctx.model.pathGuards(summary.post, acquire).filter((g) => !joined.has(g.condition));
      if (acquireTests.length > 0) {
        // an acquire under its own test of the same value, which the new test does not cover: `if (d->msi !=
        // OFF) { msi_init(...); }` against `if (d->msi == ON) { msi_uninit(...); }` leaves AUTO unreleased
        if (!skip) reportOtherTest(ctx, file, fn, call, guard, acquire, acquireTests);
        // tests of other things than the new one (`switch (type)` choosing which nodes get a timer) leave the acquire
        // made whatever the new test says (`if (a->use_timer)` on the release side only): read on as for an acquire
        // made always; a test that shares a name with the new one is reportOtherTest's business
        // (a new `continue` likewise: an acquire made in every pass whatever the other tests, a loop over the nodes,
        // a switch on their type, is still made when the new test skips its release)
        if (acquireTests.some((g) => g.condition.names.some((n) => names.includes(n)))) continue;
      }
      // (for a new `continue`, only an exit before the acquire that tests what it tests: `if (!kinds[i]) continue;` on
      // both sides leaves the same passes out of both)
      // (a test of a value that was not made, `if (!ch->voice) continue;`, counts here whether or not it reads as a failure)
      if (skip ? ctx.model.exitGuards(summary.post, acquire).some((g) => testedNames(g.condition).some((n) => testedNames(guard.condition).includes(n))) : ctx.model.exitGuards(summary.post, acquire, (f, exit, g) => !ctx.model.isErrorExit(f, exit, g)).length > 0) continue;
      // (for a new `continue`, read closer: a test the acquire side makes elsewhere, or a flag it sets anywhere, says
      // nothing of this acquire, which runs on every pass; only a flag set beside it, under its own tests, does)
      if (skip) {
        // (a flag each branch of a joined test sets its own way, `st->output = true;` / `= false;`, tells the
        // branches apart and records nothing)
        const beside = acquire.fn.stores.some((st) => Math.abs(st.line - acquire.call.line) <= 3 && names.includes(st.field) && !st.guards.some((g) => joined.has(g.condition)) &&
          st.guards.length === acquire.call.guards.length && st.guards.every((g, i) => g.condition === acquire.call.guards[i]?.condition));
        if (beside) continue;
      } else {
        // ...or state the acquire side records (a flag it sets beside the acquire)
        const acquireFns = [...summary.reach('post', sides.acquire, sides.release, file.path).values()].map((r) => r.fn);
        const recorded = acquireFns.map((f) => ({ ...f, stores: f.stores.filter((st) => !st.guards.some((g) => joined.has(g.condition))) }));
        if (ctx.model.intersects(ctx.model.fieldsStored(recorded), names)) continue;
      }
      // ...or a flag that, where the code sets it, comes with this very release (`g->allowed = true;
      // fx_inhibit(false);`): the test says the release was made early, not that it is skipped
      if (releasedWhereFlagSet(summary.post.all(), file.path, names, call)) continue;
      // at the new `if`, or at the release the commit moved into one that was there
      // of an acquire made in both branches, name the one the test leaves out: the branch that sets the tested flag
      // to what makes the test fail (`st->output = false;` against `if (st->output)`)
      const left = leftOut(acquires, joined, guard) ?? acquire;
      const guardNew = file.addedIn(guard.condition.line, guard.condition.endLine);
      const shared = {
        fn: fn.name,
        callee: call.callee,
        file: file.path,
        line: guard.condition.line,
        otherFn: left.fn.name,
        otherCallee: left.call.callee,
        otherPath: left.path,
        otherLine: left.call.line,
      };
      ctx.report({
        at: guardNew ? { file: file.path, line: guard.condition.stmtLine, endLine: guard.condition.endLine, function: fn.name } : { file: file.path, line: call.line, endLine: call.endLine, function: fn.name },
        ...(skip
          ? { messageId: 'releaseSkipped' as const, data: { ...shared, condition: guard.condition.text } }
          : { messageId: 'releaseGuard' as const, data: { ...shared, when: whenOf(ctx, guard) } }),
        related: [{ file: left.path, line: left.call.line, function: left.fn.name, messageId: 'callsHere', data: { fn: left.fn.name, callee: left.call.callee } }],
        key: `release-guard|${fn.name}|${call.callee}|${guard.condition.normalized}`,
        repair: { callees: [], functions: [fn.name, left.fn.name], names: ctx.model.predicateKey(guard.condition)?.names ?? [] },
      });
    }
  }
}

/**
 * (c) an acquire the commit removes while the release side still releases
 * the same object always: the condition under which it is acquired became
 * "never". Moved acquires (another function of the commit gained the same
 * call) and objects still acquired another way are not removed.
 */
function removedAcquires(ctx: Ctx, file: ChangedFile, pair: SidePair): void {
  if (!file.pre) return;
  const summary = ctx.model.summary();
  const sides = ctx.model.sideRootsOf(file.postSides, pair);
  for (const fn of touchedSideFunctions(file, pair.acquireSide)) {
    const old = summary.oldSelf(fn, file);
    if (!old) continue;
    const calls = (f: CFunction, callee: string) => f.calls.filter((c) => c.callee === callee).length;
    for (const call of old.calls) {
      if (!file.removed.has(call.line)) continue;
      const m = tablePrimitive(ctx, call.callee);
      if (!m || m.role !== 'acquire') continue;
      if (calls(fn, call.callee) >= calls(old, call.callee)) continue;
      if (summary.callDelta(call.callee, call.args).gained.length > 0) continue; // moved, not removed
      // replaced: the function now hands the same object to a call the commit wrote (another acquire,
      // a variant of the same one), or stores into what the call produced (a descriptor handed in)
      if (fn.calls.some((c) => file.added.has(c.line) && ctx.model.sameObject(c, call))) continue;
      if (call.result !== undefined && fn.stores.some((st) => st.target === call.result)) continue;
      const release = sitesIn(ctx.model, summary, sides.release, sides.acquire, file.path, m.counterparts, call)[0];
      if (!release || file.added.has(release.call.line) || ctx.model.pathGuards(summary.post, release).length > 0 || ctx.model.exitGuards(summary.post, release).length > 0) continue;
      // still acquired on the acquire side, by this call or another the same release undoes
      const acquiredStill = [...summary.reach('post', sides.acquire, sides.release, file.path).values()].some((r) =>
        r.fn.calls.some((c) => {
          if (!ctx.model.sameObject(c, call)) return false;
          const alt = ctx.pairs.primitive(c.callee);
          return alt !== null ? alt.role === 'acquire' && alt.counterparts.includes(release.call.callee) : ctx.pairs.namesPair(c.callee, release.call.callee);
        }),
      );
      if (acquiredStill) continue;
      const line = file.preToPost(call.line);
      ctx.report({
        at: { file: file.path, line, function: fn.name },
        messageId: 'removedAcquire',
        data: {
          fn: fn.name,
          callee: call.callee,
          file: file.oldPath ?? file.path,
          preLine: call.line,
          otherFn: release.fn.name,
          otherCallee: release.call.callee,
          otherPath: release.path,
          otherLine: release.call.line,
        },
        related: [{ file: release.path, line: release.call.line, function: release.fn.name, messageId: 'callsHere', data: { fn: release.fn.name, callee: release.call.callee } }],
        key: `removed|${fn.name}|${call.callee}|${call.args.join(',')}`,
        repair: { callees: [], functions: [fn.name, release.fn.name], names: [] },
      });
    }
  }
}

/** An acquire under a condition whose release later in the same function runs whether or not it held. */
interface WithinFact {
  acquire: CCall;
  guard: CGuard;
  release: CCall;
}

/**
 * In one function, an acquire under an `if` the later release of the same object is not under: when the
 * condition does not hold, the release undoes what was never taken (a mutex unlocked that nobody locked,
 * a context released that was never acquired). Releases in another branch, or that check for themselves, are
 * not asked; on an error path, only one in an error block right under the acquire's outer conditions whose test
 * reads nothing the acquire's test reads.
 */
function withinFacts(ctx: Ctx, fn: CFunction): WithinFact[] {
  const out: WithinFact[] = [];
  for (const acquire of fn.calls) {
    const guard = acquire.guards[acquire.guards.length - 1];
    if (!guard || guard.condition.kind !== 'if') continue;
    // the acquire's own test (`if (!fx_trylock(...))`) is its failure, not a condition on it
    if (acquire.line >= guard.condition.line && acquire.line <= guard.condition.endLine) continue;
    const m = tablePrimitive(ctx, acquire.callee);
    if (!m || m.role !== 'acquire') continue;
    const outer = acquire.guards.slice(0, -1);
    // a block that always leaves after the acquire, or with it (`if (x) { lock(); ...; unlock(); return; }`,
    // `if (valid) { return attach(...); } return detach(...);`) reaches no later release
    if (fn.exits.some((e) => (e.kind === 'return' || e.kind === 'goto') && e.line >= acquire.line && e.guards.length === acquire.guards.length && e.guards.every((g, i) => g.condition === acquire.guards[i]?.condition && g.negated === acquire.guards[i]?.negated))) continue;
    // the value it made, when it made one into a variable, is what the release must name (`p = map(as, ...)`
    // is not undone by `unmap(as, q, ...)`)
    const made = acquire.result !== undefined && /^\w+$/.test(acquire.result.trim()) ? acquire.result.trim() : null;
    // a variable other code fills too (another branch opens the same `fd`), or that starts out NULL (`hiod = NULL;
    // if (x) { hiod = fx_new(...); } ... fx_unref(hiod)` releases NULL when the condition did not hold), is no
    // proof the release undoes what was never done
    if (made !== null) {
      if (fn.calls.some((c) => c.line !== acquire.line && c.result?.trim() === made)) continue;
      const nulled = new RegExp(`^${made}\\s*=\\s*NULL\\s*;?$`);
      if (fn.statements.some((st) => st.line < acquire.line && st.assignment !== undefined && nulled.test(st.assignment.trim()))) continue;
    }
    const names = (r: CCall) => (made !== null ? r.args.some((x) => new RegExp(`(^|[^A-Za-z0-9_])${made}([^A-Za-z0-9_]|$)`).test(x)) : ctx.model.releasesSameObjectWithin(acquire, r));
    // (what the tests read: fields, calls, variables; the function's parameters are the base of most of them)
    const params = new Set(fn.params ?? []);
    const tested = new Set(guard.condition.names.filter((n) => !params.has(n)));
    // an error block right under the acquire's outer conditions that undoes it and leaves (`if (fx_enable(...) < 0)
    // { fx_remove_notifier(...); return false; }`): it runs whatever the acquire's test said, unless its own test
    // reads what that test read
    const errorBlock = (r: CCall) => {
      const inner = r.guards[r.guards.length - 1];
      if (!inner || inner.condition.kind !== 'if' || r.guards.length !== outer.length + 1 || !ctx.model.guardsCover(r.guards.slice(0, -1), outer)) return false;
      if (inner.condition.names.some((n) => tested.has(n))) return false;
      return fn.exits.some((e) => (e.kind === 'return' || e.kind === 'goto') && e.line > r.line && e.guards[e.guards.length - 1]?.condition === inner.condition && e.guards[e.guards.length - 1]?.negated === inner.negated && ctx.model.isClearErrorExit(fn, e, inner));
    };
    const release = fn.calls.find(
      (r) =>
        r.line > guard.condition.stmtEndLine &&
        m.counterparts.includes(r.callee) &&
        names(r) &&
        // runs whenever the acquire's outer conditions let the path on, whatever this one said (in the same case of a switch)
        ((r.guards.length === outer.length && ctx.model.guardsCover(r.guards, outer) && !ctx.model.onErrorPath(fn, r.line)) || errorBlock(r)),
    );
    if (release) out.push({ acquire, guard, release });
  }
  return out;
}

/**
 * A function that refreshes an object (releases it, then takes it again: `del_subregion(sys, &s->hole); ...;
 * add_subregion(sys, ..., &s->hole)`) whose release is under an `if` the later acquire is not under: when the
 * condition does not hold, what an earlier run took is taken again while still held. Not when the condition tests
 * the object itself or state the function records (a field it stores: `s->mapped = true`), nor when the block
 * leaves, nor for a release that checks for itself.
 */
function refreshFacts(ctx: Ctx, fn: CFunction): WithinFact[] {
  const out: WithinFact[] = [];
  let stored: Set<string> | null = null;
  for (const release of fn.calls) {
    const guard = release.guards[release.guards.length - 1];
    if (!guard || guard.condition.kind !== 'if' || release.inLoop) continue;
    if (release.line >= guard.condition.line && release.line <= guard.condition.endLine) continue;
    const m = tablePrimitive(ctx, release.callee);
    if (!m || m.role !== 'release') continue;
    const outer = release.guards.slice(0, -1);
    if (fn.exits.some((e) => e.line >= release.line && e.line <= guard.condition.stmtEndLine)) continue;
    const names = guard.condition.names;
    const object = ctx.model.fieldChain(release.args[release.args.length - 1] ?? '') ?? [];
    if (object.some((f) => names.includes(f)) || release.args.some((a) => /^\w+$/.test(a.trim()) && names.includes(a.trim()))) continue;
    stored ??= ctx.model.fieldsStored([fn]);
    if (ctx.model.intersects(stored, names)) continue;
    const acquire = fn.calls.find(
      (a) =>
        a.line > guard.condition.stmtEndLine &&
        m.counterparts.includes(a.callee) &&
        ctx.model.releasesSameObjectWithin(a, release) &&
        a.guards.length === outer.length &&
        ctx.model.guardsCover(a.guards, outer) &&
        !ctx.model.onErrorPath(fn, a.line),
    );
    // the acquire stands first in the fact: it is what runs whatever the condition
    if (acquire) out.push({ acquire: release, guard, release: acquire });
  }
  return out;
}

function checkRefresh(ctx: Ctx, file: ChangedFile, fn: CFunction): void {
  const summary = ctx.model.summary();
  const facts = summary.introduced(fn, file, (f) => refreshFacts(ctx, f), (w, rename) => [
    `${rename(w.acquire.callee)}|${w.guard.condition.normalized}|${w.guard.negated}|${rename(w.release.callee)}`,
  ]);
  for (const w of facts) {
    const cond = w.guard.condition;
    if (!file.addedIn(cond.stmtLine, cond.endLine)) continue;
    ctx.report({
      at: { file: file.path, line: cond.stmtLine, endLine: cond.endLine, function: fn.name },
      messageId: 'refreshGuard',
      data: {
        fn: fn.name,
        callee: w.acquire.callee,
        when: whenOf(ctx, w.guard),
        file: file.path,
        line: w.acquire.line,
        otherCallee: w.release.callee,
        otherLine: w.release.line,
      },
      related: [{ file: file.path, line: w.release.line, function: fn.name, messageId: 'callsHere', data: { fn: fn.name, callee: w.release.callee } }],
      key: `refresh|${fn.name}|${w.acquire.callee}|${cond.normalized}`,
    });
  }
}

/** An acquire into a local the commit took out of the `if` its only releases are under. */
interface HoistedFact extends WithinFact {
  variable: string;
}

/**
 * In one function, an acquire into the function's own variable (`alias = g_strdup_printf(...)`) whose every release
 * is under an `if` (the same one) the acquire is not under, while nothing else takes the value over (no other call
 * handed it, no store, no return of it). Compared by the model with the old self (summary.introduced); the commit
 * must have taken the acquire out of that very `if` (the statement at the same place in the pre-image).
 */
function hoistedFacts(ctx: Ctx, fn: CFunction): HoistedFact[] {
  const out: HoistedFact[] = [];
  for (const acquire of fn.calls) {
    // the function's own variable: what the call returns into, or what it sets up through its address (`init(&list)`)
    const byAddress = /^&\s*(\w+)$/.exec((acquire.args[0] ?? '').trim())?.[1];
    const variable = acquire.resultLocal && acquire.result !== undefined && /^\w+$/.test(acquire.result.trim()) ? acquire.result.trim() : (byAddress ?? null);
    if (variable === null || acquire.autoReleased) continue;
    const m = ctx.pairs.primitive(acquire.callee);
    // a release that checks for itself counts too: the question is whether it runs at all
    if (!m || m.role !== 'acquire') continue;
    const named = (c: CCall) => c !== acquire && c.args.some((a) => new RegExp(`(^|[^A-Za-z0-9_>.])${variable}([^A-Za-z0-9_]|$)`).test(a));
    const releases = fn.calls.filter((c) => c.line > acquire.line && m.counterparts.includes(c.callee) && named(c));
    if (releases.length === 0) continue;
    const first = releases[0] as CCall;
    const guard = first.guards.find((g) => g.condition.kind === 'if' && !acquire.guards.some((a) => a.condition === g.condition));
    if (!guard || !releases.every((r) => r.guards.some((g) => g.condition === guard.condition && g.negated === guard.negated))) continue;
    // the condition asks about the value itself (`if (alias)`)
    if (guard.condition.names.includes(variable)) continue;
    // handed on, stored or returned outside that block: someone else may release it
    const inBlock = (line: number) => line > guard.condition.endLine && line <= guard.condition.stmtEndLine;
    // (reading a field of it, `trace(v.num)`, hands nothing over)
    const handed = (c: CCall) => c !== acquire && c.args.some((a) => new RegExp(`^(&\\s*)?(\\([^()]*\\)\\s*)?${variable}$|^[A-Z_][A-Z0-9_]*\\(\\s*${variable}\\s*\\)$`).test(a.trim()));
    if (fn.calls.some((c) => handed(c) && !inBlock(c.line) && c.line > acquire.line && !(byAddress !== undefined && (c.args[0] ?? '').trim() === `&${variable}`))) continue;
    if (fn.stores.some((st) => st.line > acquire.line && new RegExp(`(^|[^A-Za-z0-9_])${variable}([^A-Za-z0-9_]|$)`).test(st.value))) continue;
    if (fn.exits.some((e) => e.value !== undefined && new RegExp(`(^|[^A-Za-z0-9_])${variable}([^A-Za-z0-9_]|$)`).test(e.value))) continue;
    out.push({ acquire, variable, guard, release: first });
  }
  return out;
}

function checkHoisted(ctx: Ctx, file: ChangedFile, fn: CFunction): void {
  const summary = ctx.model.summary();
  const facts = summary.introduced(fn, file, (f) => hoistedFacts(ctx, f), (h, rename) => [`${rename(h.acquire.callee)}|${h.variable}|${rename(h.release.callee)}`]);
  for (const h of facts) {
    if (!file.added.has(h.acquire.line)) continue;
    // taken out of that very `if`: in the pre-image, the acquire stood under the `if` the release (a line the commit
    // kept) stood under
    const preRelease = file.postToPre(h.release.line);
    const old = summary.oldSelf(fn, file);
    if (preRelease === null || !old) continue;
    const oldRelease = old.calls.find((c) => c.line === preRelease && c.callee === summary.preName(h.release.callee));
    const oldIf = oldRelease?.guards.filter((g) => g.condition.kind === 'if').at(-1)?.condition;
    if (!oldIf) continue;
    const sameVariable = (c: CCall) => c.result?.trim() === h.variable || (c.args[0] ?? '').replace(/\s+/g, '') === `&${h.variable}`;
    const wasInside = old.calls.some((c) => c.callee === summary.preName(h.acquire.callee) && sameVariable(c) && c.guards.some((g) => g.condition === oldIf));
    if (!wasInside) continue;
    ctx.report({
      at: { file: file.path, line: h.acquire.line, endLine: h.acquire.endLine, function: fn.name },
      messageId: 'hoisted',
      data: {
        fn: fn.name,
        callee: h.acquire.callee,
        taking:
          (h.acquire.args[0] ?? '').replace(/\s+/g, '') === `&${h.variable}`
            ? `sets up \`${h.variable}\` with ${h.acquire.callee}()`
            : `calls ${h.acquire.callee}() into \`${h.variable}\``,
        condition: h.guard.negated ? `!(${h.guard.condition.text})` : h.guard.condition.text,
        otherCall: ctx.model.callSource(h.release.callee, h.release.args),
        file: file.path,
        otherLine: h.release.line,
      },
      related: [{ file: file.path, line: h.release.line, function: fn.name, messageId: 'callsHere', data: { fn: fn.name, callee: h.release.callee } }],
      key: `hoisted|${fn.name}|${h.acquire.callee}|${h.variable}`,
    });
  }
}

/**
 * Did the commit move the release into an `if` that was there already: a call of it on the same arguments, on a
 * line the commit removed, stood under the same tests but that last one (`fx_unlock()` after the block become
 * `fx_unlock()` inside `if (irq >= 0)`)?
 */
function movedIntoIf(file: ChangedFile, fn: CFunction, release: CCall): boolean {
  const pre = file.pre?.functionByName(fn.name);
  if (!pre) return false;
  const outer = release.guards.slice(0, -1).map((g) => `${g.negated}|${g.condition.normalized}`);
  return pre.calls.some(
    (c) =>
      c.callee === release.callee && file.removed.has(c.line) && c.args.join(',') === release.args.join(',') &&
      c.guards.length === outer.length && c.guards.every((g, i) => `${g.negated}|${g.condition.normalized}` === outer[i]),
  );
}

/**
 * The success path of a release the commit moved into a failure block: every statement outside that block naming
 * the function's own variable the acquire filled (returns, stores, calls handed it) is one the pre-image had. The pre-image dropped its reference although it handed the object
 * on the same way, so the handing takes no reference over: on success the moved release is simply gone.
 */
function keptSuccessPath(ctx: Ctx, file: ChangedFile, fn: CFunction, acquire: CCall, release: CCall, cond: CCall['guards'][number]['condition']): boolean {
  const variable = acquire.resultLocal && acquire.result !== undefined && /^\w+$/.test(acquire.result.trim()) ? acquire.result.trim() : null;
  if (variable === null || ctx.model.withoutCasts(release.args[0] ?? '') !== variable) return false;
  const pre = ctx.model.summary().oldSelf(fn, file);
  if (!pre) return false;
  const word = new RegExp(`(^|[^A-Za-z0-9_>.])${variable}([^A-Za-z0-9_]|$)`);
  const inBlock = (line: number) => line > cond.endLine && line <= cond.stmtEndLine;
  // what the function does with the object outside that block: every statement naming it, as C text
  const naming = (f: CFunction, skip: (line: number) => boolean) =>
    new Set(f.statements.filter((st) => !skip(st.line) && word.test(st.normalized)).map((st) => st.normalized));
  const now = naming(fn, (line) => inBlock(line) || line === acquire.line || line === release.line);
  const then = naming(pre, () => false);
  // the success path goes on: something after the block
  if (!fn.exits.some((e) => e.line > cond.stmtEndLine) && fn.endLine <= cond.stmtEndLine) return false;
  return [...now].every((h) => then.has(h));
}

/**
 * (g) within one function: the commit puts a release under a new `if`, or moves it into one that was there (it ran
 * whatever happened before: `fx_unlock()` after the block become `fx_unlock()` inside `if (irq >= 0)`) while its
 * acquire earlier in the function, on the same object, still runs whenever the path reaches that `if`: when the
 * condition does not hold, the function leaves holding it. Not when the test reads the object itself, nor when
 * another release of it runs in the other branch or after the `if`, nor for undo code of a failure (unless the
 * release ran on every path before and the success path does nothing new with the object: keptSuccessPath).
 */
function checkReleaseUnderNewIf(ctx: Ctx, file: ChangedFile, fn: CFunction): void {
  const summary = ctx.model.summary();
  for (const release of fn.calls) {
    if (!file.added.has(release.line)) continue;
    const m = tablePrimitive(ctx, release.callee, true);
    if (!m || m.role !== 'release') continue;
    const g = release.guards[release.guards.length - 1];
    if (!g || g.negated || g.condition.kind !== 'if') continue;
    let moved = false;
    if (file.addedIn(g.condition.line, g.condition.endLine)) {
      // the release ran before this commit under one `if` fewer
      const old = oldCallIn(summary, file, fn, release);
      if (!old || old.guards.length !== release.guards.length - 1) continue;
    } else if (!movedIntoIf(file, fn, release)) continue;
    else moved = true;
    const outer = release.guards.slice(0, -1);
    const acquire = fn.calls.find(
      (a) => a.line < g.condition.line && m.counterparts.includes(a.callee) && ctx.model.releasesSameObjectWithin(a, release) && ctx.model.guardsCover(a.guards, outer) && a.guards.length === outer.length,
    );
    if (!acquire) continue;
    // undo code of a failure (an unwind, a block that gives up) releases for that failure only, unless the release
    // ran on every path before the commit moved it there while the success path does with the object only what it
    // did then: the reference the success path dropped is now kept
    const onFailure = ctx.model.onErrorBranch(fn, release) || ctx.model.onErrorPath(fn, release.line);
    if (onFailure && !(moved && keptSuccessPath(ctx, file, fn, acquire, release, g.condition))) continue;
    // a test of the object itself (`if (s->timer)`, `if (fd >= 0)`) is its own state; a pair on no object at all
    // (`fx_transaction_begin(); ... fx_transaction_commit();`, global state) has none to test
    const object = (release.args[0] ?? '').replace(/\s+/g, '').replace(/^&/, '');
    if (object === '' ? release.args.length > 0 || acquire.args.length > 0 : onFailure ? ctx.model.testsValueItself(g.condition.text, object) : g.condition.normalized.replace(/\s+/g, '').includes(object)) continue;
    const others = fn.calls.filter((c) => c !== release && c.line > acquire.line && m.counterparts.length > 0 && c.callee === release.callee && ctx.model.releasesSameObjectWithin(acquire, c));
    if (others.some((c) => c.guards.some((h) => h.condition === g.condition && h.negated) || (c.line > g.condition.stmtEndLine && ctx.model.guardsCover(c.guards, outer)))) continue;
    ctx.report({
      at: { file: file.path, line: release.line, endLine: release.endLine, function: fn.name },
      messageId: onFailure ? 'releaseOnFailureOnly' : 'releaseUnderNewIf',
      data: { fn: fn.name, callee: release.callee, condition: g.condition.text, file: file.path, line: release.line, acquire: acquire.callee, acquireLine: acquire.line },
      related: [{ file: file.path, line: acquire.line, function: fn.name, messageId: 'callsHere', data: { fn: fn.name, callee: acquire.callee } }],
      key: `release-under-new-if|${fn.name}|${release.callee}|${g.condition.normalized}`,
      repair: { callees: [release.callee], functions: [fn.name] },
    });
  }
}

function checkWithin(ctx: Ctx, file: ChangedFile, fn: CFunction): void {
  const summary = ctx.model.summary();
  const facts = summary.introduced(fn, file, (f) => withinFacts(ctx, f), (w, rename) => [
    `${rename(w.acquire.callee)}|${w.guard.condition.normalized}|${w.guard.negated}|${rename(w.release.callee)}`,
  ]);
  const reported = new Set<string>();
  for (const w of facts) {
    const cond = w.guard.condition;
    if (reported.has(w.acquire.callee)) continue;
    // the commit moved the release out of the acquire's `if` (the acquire and its test as they were)
    if (!file.addedIn(Math.min(cond.stmtLine, w.acquire.line), w.acquire.line) && file.added.has(w.release.line)) {
      reported.add(w.acquire.callee);
      ctx.report({
        at: { file: file.path, line: w.release.line, endLine: w.release.endLine, function: fn.name },
        messageId: 'withinRelease',
        data: {
          fn: fn.name,
          callee: w.acquire.callee,
          when: whenOf(ctx, w.guard),
          condition: cond.text,
          file: file.path,
          line: w.acquire.line,
          otherCallee: w.release.callee,
          otherLine: w.release.line,
        },
        related: [{ file: file.path, line: w.acquire.line, function: fn.name, messageId: 'callsHere', data: { fn: fn.name, callee: w.acquire.callee } }],
        key: `within-release|${fn.name}|${w.release.callee}|${cond.normalized}`,
      });
      continue;
    }
    if (!file.addedIn(Math.min(cond.stmtLine, w.acquire.line), w.acquire.line)) continue;
    reported.add(w.acquire.callee);
    ctx.report({
      at: { file: file.path, line: w.acquire.line, endLine: w.acquire.endLine, function: fn.name },
      messageId: 'withinGuard',
      data: {
        fn: fn.name,
        callee: w.acquire.callee,
        when: whenOf(ctx, w.guard),
        file: file.path,
        line: w.acquire.line,
        otherCallee: w.release.callee,
        otherLine: w.release.line,
      },
      related: [
        { file: file.path, line: cond.line, function: fn.name, messageId: 'acquireCondition', data: {} },
        { file: file.path, line: w.release.line, function: fn.name, messageId: 'callsHere', data: { fn: fn.name, callee: w.release.callee } },
      ],
      key: `within|${fn.name}|${w.acquire.callee}|${cond.normalized}`,
    });
  }
}

export const conditionAsymmetry: Rule<NoOptions, keyof typeof MESSAGES> = {
  meta: {
    id: 'condition-asymmetry',
    messages: MESSAGES,
    category: 'pair',
    severity: 'warning',
    summary: 'The two sides of a pair run under different conditions: an unconditional release of a conditional (or removed) acquire, or the reverse',
    docs: {
      what:
        'A new acquire of an object the acquire side already takes elsewhere with a flag set beside it (`s->autoscan = ' +
        'true; QTAILQ_INSERT_TAIL(&devs, s, next);`, a list insert counting as the acquire and its removal as the release), ' +
        'where every release on the release side runs only under a test of that flag (`if (s->autoscan) { ' +
        'QTAILQ_REMOVE(&devs, s, next); }`), with nothing setting the flag beside the new acquire: it is never undone. ' +
        'The patch adds a release (a subregion removed, a DMA range unmapped, a reference dropped: `fx_del_subregion()`, `fx_dma_unmap()`, `fx_unref()`), ' +
        'or takes one out of an `if` it was under, so that it runs whatever happened before, while the acquire of the same object happens only under a condition ' +
        '(an `if` on the way from the acquire side\'s root: a hotplug flag, a capability, a device property; a case of a ' +
        'switch around the acquire itself, `case FX_EVT_PCI:` in a loop over the events a bitmap enables, but not a ' +
        'switch on the way, an event callback\'s `case OPENED:` dispatching to a helper that other ways reach too; also a NULL ' +
        'test of something the acquire does not take, `if (s->rom_path != NULL)` around the add of `&s->rom`; a NULL test ' +
        'of the acquire\'s own object only says it is there; not when the ' +
        'side also makes another acquire of the object under no test, `fx_packet_init(&s->p)` beside a guarded ' +
        '`fx_packet_setup(&s->p, ...)`; not for a pair only those two ' +
        'functions show, the commit\'s own code, when nothing else in the tree says whether the release checks for itself; not ' +
        'under a test that hands a call the very object the acquire takes, `if (!fx_supported(be, blocker))`, whose state follows the test); or it ' +
        'puts an acquire under a new condition while the release side still releases always (also a helper of the program ' +
        'whose own acquires, under no test of its own, name the caller\'s objects once its parameters are named as the ' +
        'call passes them: `fx_mmio_init(s, &d->mmio, d->mrs)` adding `&subs[0]` to `parent`; also an element put on a ' +
        'list, `QLIST_INSERT_HEAD(&l, s, next)`, against its removal with the same element and link, `QLIST_REMOVE(s, next)`; a ' +
        'release side test of a flag the acquire side sets whatever the new condition says, `s->watch_set = true;` ' +
        'outside the new `if`, mirrors nothing); or removes the acquire ' +
        '(not moved to another function, not replaced by another call on the same object) while the release side ' +
        'still releases it always; or puts a release under a new condition, or moves it into an `if` that was there, ' +
        'while the acquire still runs always (an error exit before the acquire does not count: a side that failed is ' +
        'never undone; not when the other branch of the test releases the same object another way, ' +
        '`force ? fx_force_stop(&s->dev) : fx_stop(&s->dev)`) ' +
        '(or a new `continue` before the release in the same pass of a loop, where the release ran on every pass before; ' +
        'a heap free of a field the acquire side allocates counts as the release of that allocation here) ' +
        '(not when the condition tests the object itself, a flag the acquire side sets, a flag the code sets where it makes ' +
        'the same release early (`g->allowed = true; fx_inhibit(false);`); a test the acquire side makes for other ' +
        'steps, not around the acquire nor as an early exit before it, decides nothing about it; an acquire made in each branch of one ' +
        '`if` is made always, and a flag each branch sets its own way (`st->output = true;` / `= false;`) records no ' +
        'acquire: the message then names the acquire of the branch the new test leaves out; when the acquire is ' +
        'itself tested on the same value with another predicate (`if (d->msi != ON_OFF_AUTO_OFF)` before the acquire, ' +
        '`if (d->msi == ON_OFF_AUTO_ON)` before the new release), a value that passes the acquire\'s test and not the ' +
        'release\'s is never released; ' +
        'a release that checks for itself counts here too: skipped, it leaks whatever it would have checked). ' +
        'Also inside one function: an acquire the commit puts under an `if` whose later release of the same object (the ' +
        'value it made, when it made one) runs whatever that condition was (`if (r->shared) { qemu_mutex_lock(&r->lock); } ' +
        '... qemu_mutex_unlock(&r->lock);`), or whose release the commit moves out of that `if`; not when the `if` block leaves after the acquire, nor for a release in unwind ' +
        'code or one that checks for itself; a release in an error block right under the acquire\'s outer tests that gives ' +
        'up (`if (!fx_enable(...)) { fx_remove(...); return false; }`) counts when its test reads nothing the acquire\'s ' +
        'test reads. Also the reverse in one function: a release the commit puts under a new `if`, or moves into an ' +
        '`if` that was there (it ran whatever happened) while its acquire earlier in the function on the same object still runs whenever the path reaches ' +
        'that `if` (`fx_transaction_begin(t); ... if (x) { fx_transaction_commit(t); }`, also a pair on no object, `fx_begin(); ... if (x) { fx_commit(); }`); not when the test ' +
        'reads the object itself, nor when another release of it runs in the other branch or after the `if`, nor for undo ' +
        'code of a failure (an unwind, a block that gives up). Not when the acquire fills a variable that other code fills too (another branch opens the same ' +
        '`fd` another way) or that starts out NULL (the release then gets NULL). And a function that refreshes an object (releases it, then takes it ' +
        'again: a subregion removed and added back at its new place) whose release the commit puts under an `if` the ' +
        'later acquire is not under: when the condition does not hold, what an earlier run took is taken again while still ' +
        'held; not when the condition tests the object itself or a field the function stores, nor when the block leaves. ' +
        'Also: the two sides tested the same thing (`if (P)` before the acquire and before the release) and the commit ' +
        'changes the test on one side only (not a test reworded only in its calls\' arguments, nor a new test inside the ' +
        'old one, which narrows the acquire: the old test still asks whether it was made; the other side may also be any ' +
        'function of the file that makes the counterpart on the same field right under the old test, such as a teardown ' +
        'helper an unplug request calls, which the pair\'s sides do not reach; for a pair of the file\'s own helpers, ' +
        '`fx_pba_setup()`/`fx_pba_teardown()`, the calls of the two in other functions, on the same arguments: a realize ' +
        'that now calls the setup under `if (msix && !local)` while a finalize calls the teardown under `if (msix)`; and ' +
        'a count the two sides raise and lower, `l->con->visible++` / `l->con->visible--`), or takes the acquire out ' +
        'of its test (the function\'s one call of it, before and after) while every release on the other side stays under ' +
        'it (or, where the other side reaches none, the release on the same field right under the old test in another ' +
        'function of the file; not a release that checks for itself, nor a test of the acquired object itself); and, in one function, an ' +
        'acquire into the function\'s own variable the commit takes out of the `if` that its only release stays under, ' +
        'with nothing else taking the value over. The same inside one function: a lock taken under `if (P)` and dropped ' +
        'under `if (P)` later on the same way, whose one test the commit changes (each call made once, before and after). ' +
        'And, in one function, an acquire (or a release, or a list insert or remove) the commit narrows, its `if (a)` ' +
        'become `if (a && b)` (or a new `if (b)` inside it, against a counterpart in another branch of the same dispatch: ' +
        '`if (old == NONE) { insert } else if (new == NONE) { remove }`), while the counterpart on the same object keeps ' +
        'its own test and tests nothing of `b`; not when the release checks for itself. ' +
        'A skip counts as mirrored only by a test on the path to the release: the release side testing the same thing ' +
        'for another step does not guard the release. A function and the continuation it hands on (a bottom half, a ' +
        'completion callback) are the two sides of a pair when the continuation gives back on the same field what the ' +
        'function took before handing it on (`fx_inc_in_flight()` before `aio_bh_schedule_oneshot(ctx, fx_bh, q)`, ' +
        '`fx_dec_in_flight()` in `fx_bh()`). And two sides that dispatch alike (the acquire side takes `Y` in one branch ' +
        'of an if/else and `X` in the other, the release side gives each back in its own branch): the acquire side now ' +
        'also takes `X` in `Y`\'s branch, which the release side still gives back only in the other. Also an acquire ' +
        'of a field the file made always before the commit, moved under an `if` (in this function or from another), ' +
        'while another function of the file still releases that field always, with a release that does not check for itself; ' +
        'or moved into `realize` out of the function that made it for every object (`instance_init`), while ' +
        '`instance_finalize`, which runs also when realize failed or never ran, still releases it always. ' +
        'A release put under a new test fires also when the acquire runs only under tests of other things (a `switch` on the widget type choosing which get a timer): it is made whatever the new test says; not when a test on the acquire\'s way (a `continue` of its loop included) or one its objects answer (`memory_region_is_mapped(&d->sub)` before removing `&d->sub`) shares a name with the new test. ' +
        'A narrowed acquire is matched to its old self when the function made it once then and makes it once now, whatever its arguments became (`reg & MASK` named `base`). ' +
        'A release the commit moves from every path into the block of a failure (`if (!qdev_realize(DEVICE(obj), ...)) { object_unref(obj); return NULL; }`) fires ' +
        'when every statement outside that block naming the object is one the pre-image had: it dropped the reference while handing the object on the same way, so on success the reference is now kept.',
      why:
        'When the condition does not hold, the release undoes what was never done: a subregion added only for a ' +
        'hotplugged device but deleted for every device is deleted for one whose realize failed early, where it ' +
        'was never added.',
      fix: 'Test the same condition on the release side, or the object\'s own state (memory_region_is_mapped()), before the release; when the acquire is gone, drop its release in the same patch.',
      bad: [
        'static void fx_register(FxDev *d)   { if (fx_hotplug) { fx_init_window(d); } }   /* adds the subregion */',
        'static void fx_unregister(FxDev *d)',
        '{',
        '+   memory_region_del_subregion(&d->container, &d->window);',
        '}',
      ].join('\n'),
      good: [
        'static void fx_unregister(FxDev *d)',
        '{',
        '+   if (memory_region_is_mapped(&d->window)) {',
        '+       memory_region_del_subregion(&d->container, &d->window);',
        '+   }',
        '}',
      ].join('\n'),
    },
  },
  create(context) {
    return {
      // the engine's loop over file.postSides (none without a post-image)
      pair(file, pair) {
        checkPair(context, file, pair);
        unrecordedAcquires(context, file, pair);
      },
      changedFunction(file, change) {
        if (file.post && change.post && !change.post.hasErrors) {
          checkWithin(context, file, change.post);
          checkRefresh(context, file, change.post);
          checkHoisted(context, file, change.post);
          checkDriftWithin(context, file, change.post);
          checkNarrowed(context, file, change.post);
          checkReleaseUnderNewIf(context, file, change.post);
          checkMovedUnderCondition(context, file, change.post);
          checkMovedIntoSlot(context, file, change.post);
        }
      },
    };
  },
};
