/**
 * check-asymmetry: a condition (or statement) that both sides of a pair carry
 * word for word in the pre-image is edited on one side only.
 */
import type { CCall, CCondition, CFileModel, CFunction } from '../src/cmodel/types.js';
import type { NoOptions, Rule, RuleContext } from '../src/rule/rule.js';
import type { SidePair } from '../src/pairs/sides.js';
import type { ChangedFile } from '../src/rule/model.js';

const MESSAGES = {
  edited:
    '{{fn}}() {{how}}, which {{other}}() (the other side of ' +
    '{{root}}/{{otherRoot}}) carries {{words}} ' +
    'at {{file}}:{{line}} and still has unchanged: the two sides of the pair now disagree on the cases they handle. ' +
    'Make the same edit in {{other}}(), or say in the commit message why only this side changes.',
  // the statement deleted whole here (model: removedWhole), still carried there
  deleted:
    '{{fn}}() {{how}}, which {{other}}() (the other side of ' +
    '{{root}}/{{otherRoot}}) carries {{words}} ' +
    'at {{file}}:{{line}} and still has unchanged: the two sides of the pair now disagree on the cases they handle. ' +
    'Delete it in {{other}}(), or say in the commit message why only this side changes.',
  // what the edit did ({{how}} above)
  changesBlock: 'changes what its check `{{raw}}` does (the conditions, exits or calls in its block)',
  edits: 'edits the {{what}} `{{raw}}`',
  deletes: 'deletes the {{what}} `{{raw}}`',
  // how the other side carries it ({{words}} above)
  wordForWord: 'word for word',
  ownWords: 'in the same words, but for its own side,',
  // related locations
  unchangedCopy: 'the unchanged copy of this {{what}} in {{fn}}()',
};

type Ctx = RuleContext<NoOptions, keyof typeof MESSAGES>;

interface Twin {
  /** the text with the side's own words made alike (see sideWords) */
  text: string;
  /** as written */
  raw: string;
  fn: string;
  line: number;
  endLine: number;
  kind: 'condition' | 'statement' | 'block';
}

/**
 * The two sides name their own side in their messages (`"region_add: ..."`
 * against `"region_del: ..."`): when the roots differ by one word, that word
 * is made alike inside string literals, so the copies still pair. Code is
 * left as it is: `vhost_dev_start()` against `vhost_dev_stop()` are the two
 * halves of a pair, not one statement in two copies.
 */
/** The side's words made alike: none for most pairs (their roots differ in more than one word). */
const SAME_WORDS = (t: string) => t;

function sideWords(acquireRoot: string, releaseRoot: string): (text: string) => string {
  const a = acquireRoot.split('_');
  const r = releaseRoot.split('_');
  const at = a.length === r.length ? a.findIndex((t, i) => t !== r[i]) : -1;
  if (at < 0 || a.some((t, i) => i !== at && t !== r[i])) return SAME_WORDS;
  const word = new RegExp(`(^|[^A-Za-z0-9])(${a[at]}|${r[at]})(?=[^A-Za-z0-9]|$)`, 'g');
  return (text) => text.replace(/"(?:[^"\\]|\\.)*"/g, (lit) => lit.replace(word, '$1@'));
}


/** Too small or too common to say the two sides are kept in step. */
function meaningful(text: string): boolean {
  if (text.length < 12) return false;
  if (/^(return|break|continue|goto)\b/.test(text)) return false;
  if (/^!?\w+$/.test(text)) return false;
  return true;
}

/** A function's candidate twins as written (`text` is the raw text until `collect` applies the side's words). */
type TwinCache = WeakMap<CFileModel, Map<string, readonly Twin[]>>;

function twinsOf(model: CFileModel, name: string, isNonResource: (name: string) => boolean, cache: TwinCache): readonly Twin[] {
  let byName = cache.get(model);
  if (!byName) cache.set(model, (byName = new Map()));
  const known = byName.get(name);
  if (known) return known;
  const out: Twin[] = [];
  const fn = model.functionByName(name);
  if (fn) {
    for (const c of fn.conditions) {
      if (meaningful(c.normalized)) out.push({ text: c.normalized, raw: c.normalized, fn: name, line: c.line, endLine: c.endLine, kind: 'condition' });
    }
    for (const block of guardBlocks(fn, isNonResource)) {
      out.push({ text: block.signature, raw: block.condition.normalized, fn: name, line: block.condition.stmtLine, endLine: block.condition.stmtEndLine, kind: 'block' });
    }
    for (const s of fn.statements) {
      if (!meaningful(s.normalized)) continue;
      // Declarations differ between sides for harmless reasons; assignments and calls are what drift.
      const assignment = /[^=!<>]=[^=]/.test(s.normalized) && !/^\w[\w\s*]*\s\**\w+\s*=/.test(s.normalized);
      // Call statements are left out: both sides repeat the same calls for harmless reasons (an
      // unwind repeats the release side's releases, error reports and timer_del() in both), and on
      // the real series and history every one-side edit of such a call read as intended.
      if (!assignment) continue;
      out.push({ text: s.normalized, raw: s.normalized, fn: name, line: s.line, endLine: s.endLine, kind: 'statement' });
    }
  }
  byName.set(name, out);
  return out;
}

/**
 * The twins of the side's functions, with the side's own words made alike.
 * A function belongs to many pairs of a file (the cache keeps its twins per
 * model for the run); only the side's words differ from pair to pair.
 */
function collect(model: CFileModel, names: Iterable<string>, side: (text: string) => string, isNonResource: (name: string) => boolean, cache: TwinCache): Twin[] {
  const out: Twin[] = [];
  for (const name of names) {
    const twins = twinsOf(model, name, isNonResource, cache);
    // most pairs make no words alike: the cached twins serve as they are
    if (side === SAME_WORDS) out.push(...twins);
    else for (const t of twins) out.push({ ...t, text: side(t.text) });
  }
  return out;
}

/**
 * Guard blocks: an `if` whose block leaves the function (return, goto). Their
 * signature is the condition and what the block decides, in order: the
 * conditions inside it, its exits, the functions it calls (not their
 * arguments: a reworded error message changes no case). Two sides that carry
 * the same guard block word for word handle the same cases; an edit of one
 * copy that changes its signature makes them disagree (an exemption added to
 * region_add's misaligned-section check, region_del still reporting it).
 */
function guardBlocks(fn: CFunction, isNonResource: (name: string) => boolean): { condition: CCondition; signature: string }[] {
  const out: { condition: CCondition; signature: string }[] = [];
  for (const c of fn.conditions) {
    if (c.kind !== 'if') continue;
    const inside = (line: number) => line > c.endLine && line <= c.stmtEndLine;
    const exits = fn.exits.filter((e) => (e.kind === 'return' || e.kind === 'goto') && inside(e.line));
    if (exits.length === 0) continue;
    const parts: [number, string][] = [
      ...fn.conditions.filter((x) => x !== c && inside(x.line)).map((x): [number, string] => [x.line, `if (${x.normalized})`]),
      // where it leaves, not the value it returns: `return;` → `return 0;` for a function that now returns int, or
      // one error code for another, changes no case the check handles
      ...exits.map((e): [number, string] => [e.line, e.kind === 'goto' ? `goto ${e.label ?? ''}`.trim() : e.kind]),
      ...blockCalls(fn, inside, isNonResource).map((x): [number, string] => [x.line, `${x.callee}()`]),
    ];
    parts.sort((a, b) => a[0] - b[0]);
    out.push({ condition: c, signature: `block if (${c.normalized}) { ${parts.map((p) => p[1]).join('; ')} }` });
  }
  return out;
}

/**
 * The calls a guard block makes as statements: not those nested in another
 * call's arguments (`memory_region_name()` inside an error report), nor
 * calls that hold no resource (reports, traces: rewording one changes no case).
 */
function blockCalls(fn: CFunction, inside: (line: number) => boolean, isNonResource: (name: string) => boolean): CCall[] {
  const calls = fn.calls.filter((x) => inside(x.line));
  return calls.filter(
    (x) => !isNonResource(x.callee) && !calls.some((y) => y !== x && y.line <= x.line && x.line <= y.endLine && y.args.some((a) => a.includes(`${x.callee}(`))),
  );
}

function byText(twins: Twin[]): Map<string, Twin[]> {
  const map = new Map<string, Twin[]>();
  for (const t of twins) map.set(t.text, [...(map.get(t.text) ?? []), t]);
  return map;
}

/**
 * Edits that change nothing about which cases a side handles: a condition the
 * other side uses to choose how (not whether) to do the work; an error path
 * condition that only picks which error to report; a NULL test put in front
 * of a condition (`vioc->release` → `vioc && vioc->release`) for a new error
 * path on which the object is not there yet; a statement moved into a helper
 * the commit adds (a new `fx_set_irq()` now sets `req->start` and makes
 * the ioctl both sides made).
 */
function harmlessEdit(ctx: Ctx, file: ChangedFile, edited: Twin, counterpart: Twin, newTexts: ReadonlySet<string>): boolean {
  const preFn = file.pre?.functionByName(edited.fn);
  if (newTexts.has(edited.text)) return true;
  // a guard block moved into a helper the commit adds
  if (edited.kind === 'block' && newTexts.has(edited.raw)) return true;
  if (edited.kind === 'condition' && decidesHowNotWhether(ctx, file, counterpart)) return true;
  if (edited.kind === 'condition' && preFn) {
    const cond = preFn.conditions.find((c) => c.line === edited.line && c.normalized === edited.text);
    if (cond && ctx.model.onErrorPath(preFn, cond.line)) {
      const guarded = preFn.calls.filter((c) => c.guards.some((g) => g.condition === cond));
      if (guarded.every((c) => ctx.pairs.isNonResource(c.callee))) return true;
    }
    const postFn = file.post?.functionByName(edited.fn);
    const escaped = edited.text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const guardedCopy = new RegExp(`^(\\w+|\\w+ != NULL) && \\(?${escaped}\\)?$`);
    if (postFn?.conditions.some((c) => file.addedIn(c.line, c.endLine) && guardedCopy.test(c.normalized))) return true;
  }
  // the whole statement deleted here and moved into a callee this function newly calls
  const postFnNow = file.post?.functionByName(edited.fn);
  const range = preFn ? statementRange(preFn, edited) : null;
  if (preFn && postFnNow && range) {
    const summary = ctx.model.summary();
    const textsOf = (name: string, args: readonly string[]) => {
      const reached = summary.reach('post', [name], [], file.path);
      if (reached.size === 0) return null;
      const texts = new Set<string>();
      for (const r of reached.values()) {
        // the callee's own texts also with its parameters bound to what the new call passes
        const params = r.fn.name === name ? (r.fn.params ?? []) : [];
        const forms = [...r.fn.conditions.map((c) => c.normalized), ...r.fn.statements.flatMap((t) => (t.assignment ? [t.normalized, t.assignment] : [t.normalized]))];
        for (const text of forms) {
          texts.add(text);
          if (params.length > 0) texts.add(ctx.model.withArguments(text, params, args));
        }
      }
      return texts;
    };
    if (ctx.model.extractedIntoCallee(file, preFn, postFnNow, range[0], range[1], edited.raw, textsOf, (n) => ctx.pairs.isNonResource(n), edited.kind !== 'statement')) return true;
  }
  if (preFn && postFnNow && rewrittenOnly(ctx, file, preFn, postFnNow, edited)) return true;
  if (postFnNow && conjunctNestedThere(ctx, file, postFnNow, edited, counterpart)) return true;
  if (edited.kind === 'statement' && preFn) {
    // the same field is now set by a new helper (`req->start = subindex;`)
    const store = preFn.stores.find((st) => st.line >= edited.line && st.line <= edited.endLine);
    if (store && newTexts.has(`store:${store.target}`)) return true;
    // or the call it makes is now made by a new helper (`ret = ioctl(fd, FX_SET_IRQS, req);`)
    const calls = preFn.calls.filter((c) => c.line >= edited.line && c.line <= edited.endLine);
    if (calls.length > 0 && calls.every((c) => newTexts.has(`call:${c.callee}`))) return true;
  }
  return false;
}

/**
 * The edit rewrote the code without changing what it does: the call an
 * assignment made is made again with the same arguments for another local or
 * in a declaration (`r = set(...)` becomes `e = set(...)` to keep the first
 * error), or a temporary is inlined into the test that read it (`a = get(q);
 * if (a == 0)` becomes `if (get(q) == 0)`, the guard block otherwise alike).
 */
function rewrittenOnly(ctx: Ctx, file: ChangedFile, preFn: CFunction, postFn: CFunction, edited: Twin): boolean {
  if (edited.kind === 'statement') return ctx.model.callsRemade(file, preFn, postFn, edited.line, edited.endLine) || ctx.model.clearRemade(file, preFn, postFn, edited.line, edited.endLine);
  const inlined = ctx.model.inlinedCondition(preFn, edited.line, edited.raw);
  if (inlined === null) return false;
  const now = ctx.model.addedConditionsWith(file, postFn, inlined);
  if (edited.kind === 'condition') return now.length > 0;
  const nonResource = (name: string) => ctx.pairs.isNonResource(name);
  const before = guardBlocks(preFn, nonResource).find((b) => b.condition.line === edited.line)?.signature;
  const blocks = guardBlocks(postFn, nonResource);
  return now.some((c) => {
    const after = blocks.find((b) => b.condition === c)?.signature;
    return after !== undefined && after.replace(`block if (${inlined})`, `block if (${edited.raw})`) === before;
  });
}

/**
 * The edit added a test to this side's condition (`has_iommu(d)` becoming
 * `has_iommu(d) && ops->set_cb`), and the same commit added the same test
 * inside the other side's copy (`if (has_iommu(d)) { if (ops->set_cb) {...} }`):
 * both sides now handle the same cases, one nested, one joined.
 */
function conjunctNestedThere(ctx: Ctx, file: ChangedFile, postFn: CFunction, edited: Twin, counterpart: Twin): boolean {
  if (edited.kind === 'statement') return false;
  const theirFn = file.post?.functionByName(counterpart.fn);
  const theirs = theirFn?.conditions.find((c) => c.line === counterpart.line && c.normalized === counterpart.raw);
  if (!theirFn || !theirs) return false;
  const nested = theirFn.conditions.filter((c) => c.line > theirs.endLine && c.line <= theirs.stmtEndLine && file.addedIn(c.line, c.endLine));
  if (nested.length === 0) return false;
  return postFn.conditions.some((c) => {
    if (!file.addedIn(c.line, c.endLine)) return false;
    const gained = ctx.model.addedConjuncts(edited.raw, c.normalized);
    return gained !== null && gained.every((p) => nested.some((n) => n.normalized === p));
  });
}

/**
 * A loop or `if` deleted whole that guarded work the other side's copy does
 * not mirror (a reset loop dropped from stop, while start's loop over the
 * same range sets a backend): the two checks only share their words, and
 * start loses no case. A deleted check that leaves the function (a skip) is
 * not this: it changes which cases the side handles whatever it guarded. Nor
 * is a check whose variables the function no longer has at all: the test
 * went with what it tested (an error variable dropped with the error).
 */
function deletedWithoutTwinWork(ctx: Ctx, file: ChangedFile, edited: Twin, counterpart: Twin): boolean {
  if (edited.kind === 'statement') return false;
  const preFn = file.pre?.functionByName(edited.fn);
  const postFn = file.post?.functionByName(counterpart.fn);
  const postMine = file.post?.functionByName(edited.fn);
  const cond = preFn?.conditions.find((c) => c.line === edited.line && c.normalized === edited.raw);
  if (!preFn || !postFn || !cond || !ctx.model.removedWhole(file, preFn, cond.stmtLine, cond.stmtEndLine)) return false;
  if (postMine && ctx.model.testsOnlyVanished(cond, postMine)) return true;
  if (edited.kind !== 'condition') return false;
  const theirs = postFn.conditions.find((c) => c.line === counterpart.line && c.normalized === counterpart.raw);
  if (!theirs) return false;
  const inside = (c: CCondition) => (line: number) => line > c.endLine && line <= c.stmtEndLine;
  if (preFn.exits.some((e) => (e.kind === 'return' || e.kind === 'goto') && inside(cond)(e.line))) return false;
  // the calls made as statements (blockCalls: not a getter nested in another call's arguments)
  const work = (fn: CFunction, c: CCondition) => blockCalls(fn, inside(c), (n) => ctx.pairs.isNonResource(n));
  const related = (a: string, b: string) => a === b || ctx.pairs.namesPair(a, b) || ctx.pairs.namesPair(b, a);
  const theirWork = work(postFn, theirs);
  return !work(preFn, cond).some((m) => theirWork.some((t) => related(m.callee, t.callee)));
}

/**
 * The callee whose result each variable a check tests last held before the
 * check (`bp = g_malloc(...); if (!bp)` → bp: g_malloc).
 */
function originsOf(fn: CFunction | null | undefined, line: number, names: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  if (!fn) return out;
  for (const c of fn.calls) {
    const r = c.result?.trim();
    if (r !== undefined && c.line < line && names.includes(r)) out.set(r, c.callee);
  }
  return out;
}

/**
 * The same words testing results of different calls (`!bp` after a
 * g_malloc() on one side, after a breakpoint lookup on the other): the
 * checks look alike but handle different things, so they are no twins. The
 * results of the two calls of a pair (map_rings, unmap_rings) still are.
 */
function testsOtherResults(ctx: Ctx, file: ChangedFile, edited: Twin, counterpart: Twin): boolean {
  if (edited.kind === 'statement') return false;
  const preFn = file.pre?.functionByName(edited.fn);
  const postFn = file.post?.functionByName(counterpart.fn);
  const cond = preFn?.conditions.find((c) => c.line === edited.line);
  if (!cond) return false;
  const names = (cond.identifiers ?? []).filter((n) => !cond.callees.includes(n));
  const mine = originsOf(preFn, edited.line, names);
  const theirs = originsOf(postFn, counterpart.line, names);
  // results of the two sides of a pair (`ok` of map_rings here, of unmap_rings there) are twins
  const related = (a: string, b: string) => a === b || ctx.pairs.namesPair(a, b) || ctx.pairs.namesPair(b, a);
  return [...mine].some(([name, callee]) => theirs.has(name) && !related(callee, theirs.get(name) as string));
}

/**
 * The release side deleted, whole, a check that gave up when a call it had
 * just made failed (`ok = unmap_ring(...); if (!ok) { return false; }`):
 * teardown now goes on past a failure to undo the rest, which the acquire
 * side, which must stop at its first failure, rightly does not copy.
 */
function bestEffortTeardown(ctx: Ctx, file: ChangedFile, edited: Twin): boolean {
  if (edited.kind === 'statement') return false;
  const preFn = file.pre?.functionByName(edited.fn);
  const cond = preFn?.conditions.find((c) => c.line === edited.line && c.kind === 'if');
  if (!preFn || !cond) return false;
  const results = new Set(preFn.calls.filter((c) => c.line < cond.line && c.result !== undefined).map((c) => (c.result as string).trim()));
  const tested = (cond.identifiers ?? []).filter((n) => !cond.callees.includes(n));
  if (tested.length === 0 || !tested.every((n) => results.has(n))) return false;
  const leaves = preFn.exits.some((e) => (e.kind === 'return' || e.kind === 'goto') && e.line > cond.endLine && e.line <= cond.stmtEndLine);
  const range = statementRange(preFn, edited);
  return leaves && range !== null && ctx.model.removedWhole(file, preFn, range[0], range[1]);
}

/** The pre-image lines of the whole statement a twin belongs to (a condition: its if/for/while). */
function statementRange(preFn: CFunction, twin: Twin): [number, number] | null {
  if (twin.kind === 'condition') {
    const cond = preFn.conditions.find((c) => c.line === twin.line && c.normalized === twin.raw);
    return cond ? [cond.stmtLine, cond.stmtEndLine] : null;
  }
  return [twin.line, twin.endLine];
}

/**
 * The other side's copy of the condition picks between two ways of doing the
 * work (`if (vdev->nr_vectors) { enable the vectors } else { enable MSI-X
 * with none }`): it decides how, not whether, so this side may stop testing it.
 */
function decidesHowNotWhether(ctx: Ctx, file: ChangedFile, twin: Twin): boolean {
  const fn = file.post?.functionByName(twin.fn);
  const cond = fn?.conditions.find((c) => c.line === twin.line && c.normalized === twin.text);
  if (!fn || !cond || cond.kind !== 'if') return false;
  const works = (negated: boolean) =>
    fn.calls.some((c) => !ctx.pairs.isNonResource(c.callee) && c.guards.some((g) => g.condition === cond && g.negated === negated));
  return works(false) && works(true);
}

/** Condition and statement texts of the functions the commit adds (after renames): where moved code lands. */
function newFunctionTexts(ctx: Ctx): Set<string> {
  const summary = ctx.model.summary();
  const texts = new Set<string>();
  for (const { fn, path } of summary.post.all()) {
    // a function with an old self (under its old name, in any touched file) is not new
    if (summary.oldSelf(fn, { path }) !== null) continue;
    for (const c of fn.conditions) texts.add(c.normalized);
    for (const st of fn.statements) texts.add(st.normalized);
    for (const st of fn.stores) texts.add(`store:${st.target}`);
    for (const c of fn.calls) texts.add(`call:${c.callee}`);
  }
  return texts;
}

/**
 * Are `mine` and `theirs` the two sides of the pair: its roots, or functions
 * whose names carry the pair's verbs, one each (`*_region_add` and
 * `*_region_del`, `*_start` and `*_stop`)?
 */
function correspondingSides(ctx: Ctx, side: { root: string; otherRoot: string }, mine: string, theirs: string): boolean {
  if (mine === side.root && theirs === side.otherRoot) return true;
  return ctx.pairs.verbsPair(mine, theirs) || ctx.pairs.verbsPair(theirs, mine);
}

function checkPair(ctx: Ctx, file: ChangedFile, prePair: SidePair, postPair: SidePair, reportedLines: Set<number>, newTexts: ReadonlySet<string>, cache: TwinCache): void {
  const pre = file.pre!;
  const post = file.post!;
  const sides = [
    { pre: prePair.acquireSide, post: postPair.acquireSide, root: postPair.acquire, otherRoot: postPair.release },
    { pre: prePair.releaseSide, post: postPair.releaseSide, root: postPair.release, otherRoot: postPair.acquire },
  ] as const;
  // a finding needs a copy the commit edited: lines removed in a function of either side (most commits have none)
  const edits = (names: Iterable<string>) =>
    [...names].some((n) => {
      const f = pre.functionByName(n);
      return f !== null && f !== undefined && file.removedIn(f.startLine, f.endLine);
    });
  if (!edits(sides[0].pre) && !edits(sides[1].pre)) return;
  const nonResource = (name: string) => ctx.pairs.isNonResource(name);
  // ...and a twin among those lines (a removed call statement or declaration is none): before reading every function
  const editedTwin = [...sides[0].pre, ...sides[1].pre].some(
    (n) => edits([n]) && twinsOf(pre, n, nonResource, cache).some((t) => file.removedIn(t.line, t.endLine)),
  );
  if (!editedTwin) return;
  const side = sideWords(postPair.acquire, postPair.release);
  const preA = byText(collect(pre, sides[0].pre, side, nonResource, cache));
  const preR = byText(collect(pre, sides[1].pre, side, nonResource, cache));
  const postA = byText(collect(post, sides[0].post, side, nonResource, cache));
  const postR = byText(collect(post, sides[1].post, side, nonResource, cache));
  const views = [
    { mine: preA, theirs: preR, minePost: postA, theirsPost: postR, side: sides[0] },
    { mine: preR, theirs: preA, minePost: postR, theirsPost: postA, side: sides[1] },
  ];
  for (const view of views) {
    for (const [text, mineTwins] of view.mine) {
      const theirTwins = view.theirs.get(text);
      if (!theirTwins) continue;
      // Edited here: one of my copies lost lines, and my side has fewer copies now.
      const edited = mineTwins.find((t) => file.removedIn(t.line, t.endLine));
      if (!edited) continue;
      // a copy in a function the commit deletes whole went with its function: its callers lost
      // a call (call-asymmetry's business), and no post-image function made the edit
      if (!ctx.model.summary().survives(edited.fn)) continue;
      if ((view.minePost.get(text)?.length ?? 0) >= mineTwins.length) continue;
      // Not edited there: the other side still has every copy, untouched.
      const theirsNow = view.theirsPost.get(text) ?? [];
      if (theirsNow.length < theirTwins.length) continue;
      if (theirTwins.some((t) => file.removedIn(t.line, t.endLine))) continue;
      // twins in the two sides themselves (the roots, or helpers whose names pair), not in any two
      // functions the sides happen to reach (two lookups that share a line are no pair)
      const counterpart = theirsNow.find((t) => correspondingSides(ctx, view.side, edited.fn, t.fn));
      if (!counterpart) continue;
      if (harmlessEdit(ctx, file, edited, counterpart, newTexts)) continue;
      if (view.side === sides[1] && bestEffortTeardown(ctx, file, edited)) continue;
      if (testsOtherResults(ctx, file, edited, counterpart)) continue;
      if (deletedWithoutTwinWork(ctx, file, edited, counterpart)) continue;
      const line = file.preToPost(edited.line);
      // Several twins edited on one line (a condition and the statement around it) make one finding.
      if (reportedLines.has(line)) continue;
      reportedLines.add(line);
      const fnName = post.functionAt(line)?.name ?? edited.fn;
      const what = edited.kind === 'block' ? 'check' : edited.kind;
      const preFnOfEdit = pre.functionByName(edited.fn);
      const range = preFnOfEdit ? statementRange(preFnOfEdit, edited) : null;
      // what the model saw: the statement deleted whole, or changed in place
      const deleted = range !== null && preFnOfEdit !== null && ctx.model.removedWhole(file, preFnOfEdit, range[0], range[1]);
      const how = deleted
        ? ctx.format('deletes', { what: edited.kind === 'statement' ? 'statement' : edited.kind === 'block' ? 'check' : 'statement testing', raw: edited.raw })
        : edited.kind === 'block'
          ? ctx.format('changesBlock', { raw: edited.raw })
          : ctx.format('edits', { what, raw: edited.raw });
      ctx.report({
        at: { file: file.path, line, function: fnName },
        messageId: deleted ? 'deleted' : 'edited',
        data: {
          fn: fnName,
          how,
          other: counterpart.fn,
          root: view.side.root,
          otherRoot: view.side.otherRoot,
          words: ctx.format(counterpart.raw === edited.raw ? 'wordForWord' : 'ownWords'),
          file: file.path,
          line: counterpart.line,
        },
        related: [
          {
            file: file.path,
            line: counterpart.line,
            function: counterpart.fn,
            messageId: 'unchangedCopy',
            data: { what, fn: counterpart.fn },
          },
        ],
        key: `${postPair.acquire}/${postPair.release}|${what}|${text}`,
      });
    }
  }
}

export const checkAsymmetry: Rule<NoOptions, keyof typeof MESSAGES> = {
  meta: {
    id: 'check-asymmetry',
    messages: MESSAGES,
    category: 'pair',
    severity: 'warning',
    summary: 'A condition both sides of a pair share is edited on one side only',
    docs: {
      what:
        'Both sides of a pair (region_add and region_del, map and unmap) carry the same condition or ' +
        'assignment in the pre-image, and the patch edits it on one side only. Not for edits that change no ' +
        'case: an error-path condition that only picks the error to report, a NULL test put in front, code ' +
        'moved into a helper the commit adds, a condition the other side uses to choose how (both of its ' +
        'branches do the work) rather than whether, a guard block whose exit only returns another value, or a check ' +
        'the release side deletes whole that gave up when the undo it had just called failed (teardown that goes on ' +
        'past a failure). Nor are checks twins whose words test the results of different calls (`!bp` after a ' +
        'g_malloc() on one side, after a lookup on the other), unless the calls are the two sides of a pair. A copy ' +
        'in a helper the commit deletes whole went with the helper (its callers lost a call), and code moved into a ' +
        'helper the function newly calls counts as moved also when the helper takes what it tests as a parameter, or ' +
        'declares the variable the assignment set (`s = p->state + i;` becoming `FxPort *s = p->state + i;`). ' +
        'Rewrites that keep what the code does are no edit: the call an assignment made, made again with the same ' +
        'arguments for another local or in a declaration (`r = set(...)` becoming `e = set(...)`), a pointer set to NULL ' +
        'now cleared by a call the commit adds that is handed its address (`g_clear_pointer(&s->buf, g_free)`), or a temporary inlined ' +
        'into its test (`a = get(q); if (a == 0)` becoming `if (get(q) == 0)`). Nor is a loop or `if` deleted whole ' +
        'whose calls the other side\'s copy does not mirror (the two only shared words), nor a check of a variable the ' +
        'function no longer has at all (it went with what it tested). A deleted check that leaves the function is still ' +
        'reported: it changes which cases the side handles. A test joined to this side\'s condition that the same ' +
        'commit nests inside the other side\'s copy handles the same cases.',
      why:
        'Twin checks keep the sides in step: they decide which sections are mapped and which are unmapped. ' +
        'Changing one copy (an exemption added to region_add\'s unaligned-section check, a 128-bit size ' +
        'computation fixed in add only) makes the sides disagree, and del then handles sections add never ' +
        'took, or asserts on them.',
      fix: 'Make the same edit on the other side, or move the shared check into one helper both sides call.',
      bad: [
        'static void fx_listener_region_add(...)',
        '{',
        '    ...',
        '-    if ((iova & pgmask) || (int128_get64(llsize) & pgmask)) {',
        '+    if (((iova & pgmask) || (int128_get64(llsize) & pgmask)) && !exempt(section)) {',
        '...',
        'static void fx_listener_region_del(...)',
        '{',
        '    ...',
        '    if ((iova & pgmask) || (int128_get64(llsize) & pgmask)) {   /* unchanged */',
      ].join('\n'),
      good: [
        'static void fx_listener_region_add(...)',
        '{',
        '    ...',
        '-    if ((iova & pgmask) || (int128_get64(llsize) & pgmask)) {',
        '+    if (((iova & pgmask) || (int128_get64(llsize) & pgmask)) && !exempt(section)) {',
        '...',
        'static void fx_listener_region_del(...)',
        '{',
        '    ...',
        '-    if ((iova & pgmask) || (int128_get64(llsize) & pgmask)) {',
        '+    if (((iova & pgmask) || (int128_get64(llsize) & pgmask)) && !exempt(section)) {',
      ].join('\n'),
    },
  },
  create(context) {
    // the texts of the commit's new functions: once per commit, not per file
    let newTexts: Set<string> | null = null;
    // Several twins edited on one line, or one line in several pairs, make one finding: per file.
    let reportedLines = new Set<number>();
    const twins: TwinCache = new WeakMap();
    return {
      changedFile() {
        reportedLines = new Set<number>();
      },
      // the engine's loop over file.postSides, after changedFile of the same file
      pair(file, postPair) {
        if (!file.pre || !file.post) return;
        if (!file.touched(postPair.acquire) && ![...postPair.acquireSide, ...postPair.releaseSide].some((n) => file.touched(n))) return;
        const prePair = file.preSides.find((p) => p.acquire === postPair.acquire && p.release === postPair.release);
        newTexts ??= newFunctionTexts(context);
        if (prePair) checkPair(context, file, prePair, postPair, reportedLines, newTexts, twins);
      },
    };
  },
};
