/**
 * mismatched-release: a release the commit adds under a test of one object
 * (`if (s->b) { ... }`) releases another object of the same instance (`s->a`),
 * which the function releases already: the block was copied from another
 * one and only its test was edited. What the test names is never
 * released, and the other object is released twice. Also a call rewritten to
 * name the object of a twin function (a line copied from it, left unedited),
 * an acquire whose release on the same way names another object, and a pair
 * whose two calls put an object into one container and take it out of another, and an acquire handed new
 * arguments while the other side of its pair still releases what the old call took; and libc's free() of what a
 * GLib allocator returned.
 */
import type { CCall, CFunction, CGuard } from '../src/cmodel/types.js';
import type { NoOptions, Rule, RuleContext } from '../src/rule/rule.js';
import type { ChangedFile, FunctionChange } from '../src/rule/model.js';
import type { SidePair } from '../src/pairs/sides.js';
import type { PairTable } from '../src/pairs/table.js';

const MESSAGES = {
  releasedInstead:
    '{{fn}}() now releases `{{now}}` here, through {{callee}}(), where before this commit it released `{{was}}` ' +
    '({{release}}() at {{oldFile}}:{{preLine}}), and it releases `{{was}}` no more; {{twin}}() releases `{{now}}` ' +
    'already ({{file}}:{{twinLine}}) and {{user}}() still works on `{{was}}` ({{file}}:{{userLine}}): copied from ' +
    '{{twin}}() with its object left, this leaves `{{was}}` held, and both functions release `{{now}}`. Name `{{was}}` here.',
  wrongPlace:
    '{{fn}}() gives back `{{given}}` with {{release}}(), but every {{acquire}}() of the file takes `{{taken}}` in that ' +
    'place ({{file}}:{{acquireLine}}, where `{{given}}` comes only in another place), and {{otherFn}}() gives back ' +
    '`{{taken}}` with the same call ({{file}}:{{otherLine}}): nothing took `{{given}}` so, and what {{acquire}}() took ' +
    'stays. Name `{{taken}}` here.',
  takenThere: '{{acquire}}() takes `{{taken}}` here',
  givenBackElsewhere: '{{otherFn}}() gives back `{{taken}}` here',
  wrongContainer:
    '{{fn}}() gives `{{element}}` back with {{release}}() to `{{given}}`, but {{acquire}}() took it from `{{taken}}` ' +
    '({{file}}:{{acquireLine}}), and its other way out gives it back there ({{other}}() at {{file}}:{{otherLine}}): the ' +
    'element goes to a container it never came from, and `{{taken}}` never gets it back. Give it back to `{{taken}}`.',
  takenFrom: '{{acquire}}() takes `{{element}}` from `{{taken}}` here',
  givenBackThere: '{{other}}() gives it back to `{{taken}}` here',
  argsDrift:
    '{{fn}}() now calls {{callee}}({{now}}) where it called {{oldCallee}}({{was}}) before this commit, but {{otherFn}}() ' +
    'still calls {{release}}({{releaseArgs}}) at {{otherPath}}:{{otherLine}}: that undoes the old call, not the new one, so ' +
    'what {{callee}}({{now}}) sets up is never released, and {{release}}() looks for what is no longer there. ' +
    'Hand {{release}}() what the new call takes.',
  argsAdded:
    '{{fn}}() now also calls {{callee}}({{now}}) beside its {{oldCallee}}({{was}}), but {{otherFn}}() only calls ' +
    '{{release}}({{releaseArgs}}) at {{otherPath}}:{{otherLine}}: that undoes the old call, not the new one, so what ' +
    '{{callee}}({{now}}) sets up is never released. Release it on the other side too, with what the new call takes.',
  mismatch:
    '{{fn}}() now calls {{release}}() on `{{object}}` when `{{tested}}` is set ({{file}}:{{line}}), but the test is of ' +
    '`{{tested}}`, {{made}}, and `{{object}}` is released already at {{file}}:{{otherLine}}: a block copied from the ' +
    'other one, with its test edited and its release not. `{{tested}}` is never released, and `{{object}}` is ' +
    'released twice. Release `{{tested}}` here.',
  step:
    '{{fn}}() now calls {{step}}() on `{{stepObject}}` and then {{release}}() on `{{object}}` ({{file}}:{{line}}), but ' +
    'the code base calls {{step}}() on an object just before {{release}}() gives that same object back, and on this ' +
    'path `{{stepObject}}` gets no {{release}}() and `{{object}}` no {{step}}(): one of the two calls names the wrong ' +
    'object. Name the same object in both.',
  swapped:
    '{{fn}}() now calls {{callee}}() on `{{now}}` where it called it on `{{was}}` before this commit, but the rest of ' +
    '{{fn}}() still works on `{{was}}` ({{other}}() at {{file}}:{{otherLine}}) and it never named `{{now}}` before; ' +
    '`{{now}}` is what {{twin}}() works on ({{file}}:{{twinLine}}): the line looks copied from {{twin}}() with its ' +
    'object left unedited, so `{{was}}` loses this step and `{{now}}` gets it from the wrong function. Name `{{was}}` here.',
  swappedStatic:
    '{{fn}}() now calls {{callee}}() on `{{now}}` where it called it on `{{was}}` before this commit, and `{{now}}` is ' +
    'what {{twin}}() gives back with it ({{file}}:{{twinLine}}): the line looks copied from {{twin}}() with its object ' +
    'left unedited. {{acquirer}}() still takes `{{was}}` with {{acquire}}() ({{file}}:{{acquireLine}}), and nothing ' +
    'gives it back any more. Name `{{was}}` here.',
  copiedBlock:
    '{{fn}}() now calls {{callee}}() on `{{object}}` in the block for `{{tested}}` ({{file}}:{{line}}), as the block ' +
    'for `{{object}}` does ({{file}}:{{otherLine}}): a block copied from that one with its test edited and this ' +
    'argument not. `{{tested}}` never gets this {{callee}}(), and `{{object}}` gets it a second time when both are ' +
    'set. Name `{{tested}}` here.',
  crossed:
    '{{fn}}() now calls {{acquire}}() on `{{taken}}` ({{file}}:{{acquireLine}}) and then {{release}}() on `{{object}}` ' +
    '({{file}}:{{line}}) on the same way, but {{release}}() gives back what {{acquire}}() took on the same object: here ' +
    '`{{taken}}` is never given back and `{{object}}` is given back without being taken. One of the two calls names ' +
    'the wrong object; name the same object in both.',
  container:
    '{{fn}}() now {{changed}}, but {{otherFn}}() {{other}}: the two calls of the pair name `{{object}}` in two ' +
    'different containers, so `{{object}}` stays in `{{into}}` and the release works on a container it was never ' +
    'added to. Name the same container on both sides.',
  // the two sides of a container mismatch ({{changed}}, {{other}} above)
  putsInto: 'puts `{{object}}` into `{{container}}` with {{callee}}() ({{file}}:{{line}})',
  takesOutOf: 'takes `{{object}}` out of `{{container}}` with {{callee}}() ({{file}}:{{line}})',
  stillPutsInto: 'still puts it into `{{container}}` with {{callee}}() ({{file}}:{{line}})',
  stillTakesOutOf: 'still takes it out of `{{container}}` with {{callee}}() ({{file}}:{{line}})',
  // what the tested object is ({{made}} above)
  madeBy: 'which {{acquire}}() makes at {{path}}:{{acquireLine}}',
  releasedBefore: 'which this function released with {{release}}() before this commit',
  releasedElsewhere: 'which {{otherFn}}() releases with {{release}}() at {{path}}:{{otherLine}}',
  wrongFamily:
    '{{fn}}() frees `{{object}}` with libc\'s free(), but {{alloc}}() ({{allocPath}}:{{allocLine}}) allocated it: GLib ' +
    'says memory from its allocators goes back with g_free(), and free() need not match the allocator GLib was ' +
    'built with. Call g_free() here.',
  // related locations
  allocatedHere: '{{alloc}}() allocates `{{object}}` here',
  releasesOld: '{{otherFn}}() still releases the old one here',
  firstRelease: '{{release}}() releases `{{object}}` here already',
  stepHere: '{{step}}() is called on `{{stepObject}}` here',
  takenHere: '{{acquire}}() takes `{{taken}}` here',
  sourceBlock: 'the block for `{{object}}` calls {{callee}}() on it here',
  otherSideHere: '{{fn}}() names `{{container}}` here',
  madeHere: '{{acquire}}() makes `{{tested}}` here',
  stillWas: '{{fn}}() still works on `{{was}}` here',
  twinHere: '{{twin}}() calls {{callee}}() on `{{now}}` here',
  stillTakes: '{{acquirer}}() still takes `{{was}}` here',
  stillUses: '{{user}}() still works on `{{was}}` here',
};

type Ctx = RuleContext<NoOptions, keyof typeof MESSAGES>;

const squeeze = (t: string) => t.replace(/\s+/g, '');

/** An argument as the object it names: casts and `&` dropped (`OBJECT(vd->listener)` → `vd->listener`). */
function objectOf(arg: string): string {
  let t = squeeze(arg).replace(/^&/, '');
  for (let m = /^[A-Z_][A-Z0-9_]*\((.*)\)$/.exec(t); m; m = /^[A-Z_][A-Z0-9_]*\((.*)\)$/.exec(t)) t = (m[1] as string).replace(/^&/, '');
  return t;
}

/**
 * The object a bare test of being there names when it holds: a pointer (`s->b`, `s->b != NULL`) or a file
 * descriptor (`s->fd >= 0`, `s->fd != -1`); null for any other test.
 */
function testedObject(guard: CGuard): string | null {
  if (guard.negated || guard.condition.kind !== 'if') return null;
  const t = squeeze(guard.condition.normalized);
  const m = /^([\w>.-]+?)(?:!=NULL|>=0|!=-1)?$/.exec(t) ?? /^(?:NULL|-1)!=([\w>.-]+)$/.exec(t);
  return m ? (m[1] as string) : null;
}

/** The base and field words of a chain (`cpu->perf_timer` → `cpu`, `perf_timer`), null for anything else. */
function split(text: string): { base: string; fields: string } | null {
  const m = /^(\w+)((?:->|\.)\w+(?:(?:->|\.)\w+)*)$/.exec(squeeze(text).replace(/^&/, ''));
  return m ? { base: m[1] as string, fields: (m[2] as string).replace(/^(->|\.)/, '') } : null;
}

interface Mismatch {
  call: CCall;
  object: string;
  tested: string;
  /** the release of the same object earlier in the function */
  first: CCall;
  made: { acquire: CCall; path: string; fn: string } | { releasedBefore: true } | { releasedElsewhere: CCall; fn: string };
}

function mismatches(ctx: Ctx, file: ChangedFile, fn: CFunction, pre: CFunction | null): Mismatch[] {
  const out: Mismatch[] = [];
  for (const call of fn.calls) {
    if (!file.added.has(call.line) || call.args.length === 0) continue;
    const match = ctx.pairs.anyPrimitive(call.callee);
    if (match?.role !== 'release' && !ctx.pairs.hasReleaseVerb(call.callee)) continue;
    const guard = call.guards[call.guards.length - 1];
    const tested = guard ? testedObject(guard) : null;
    if (tested === null) continue;
    const t = split(tested);
    if (!t) continue;
    // the released object: the one argument that is another field of the tested object's instance (`s->a` tested,
    // `s->b` released; `fx_unmap(dev, s->txs, &s->rx_ref, 1)` under `if (s->rxs)` releases `s->txs`), at a place
    // where the same call elsewhere in the function names the object it releases
    const same = (c: CCall) => c.args.length === call.args.length;
    const fieldAt = (i: number) => {
      const a = call.args[i] as string;
      // (beside other arguments, one handed by address is a detail of the call, `&s->rx_ref`, not what it releases)
      const o = ctx.model.fieldChain(a) !== null && (call.args.length === 1 || !squeeze(a).startsWith('&')) ? objectOf(a) : null;
      const so = o !== null ? split(o) : null;
      return o !== null && so !== null && so.base === t.base && so.fields !== t.fields ? o : null;
    };
    const at = call.args.length === 1 ? (fieldAt(0) !== null ? 0 : -1) : call.args.findIndex((_, i) => fieldAt(i) !== null);
    if (at < 0) continue;
    const object = fieldAt(at) as string;
    if (call.args.length > 1 && call.args.some((_, i) => i !== at && fieldAt(i) !== null)) continue;
    const argAt = (c: CCall) => objectOf(c.args[at] as string);
    // the released object is released already, by the same call, outside this block
    const first = fn.calls.find((c) => c !== call && c.callee === call.callee && same(c) && argAt(c) === object && !c.guards.some((g) => g.condition === guard?.condition));
    if (!first) continue;
    // the tested object is released nowhere in the function: its block was meant to
    if (fn.calls.some((c) => c.args.some((a) => split(a)?.fields === t.fields && split(a)?.base === t.base) && (ctx.pairs.anyPrimitive(c.callee)?.role === 'release' || ctx.pairs.hasReleaseVerb(c.callee)))) continue;
    // ...and it is the kind of object the call releases: made by one of its acquires, or released so before
    const acquires = new Set(match?.role === 'release' ? match.counterparts : []);
    let made: Mismatch['made'] | null = null;
    for (const f of file.post?.functions ?? []) {
      const a = f.calls.find((c) => acquires.has(c.callee) && c.result !== undefined && split(c.result)?.fields === t.fields);
      if (a) {
        made = { acquire: a, path: file.path, fn: f.name };
        break;
      }
    }
    if (!made && pre?.calls.some((c) => c.callee === call.callee && same(c) && split(argAt(c))?.fields === t.fields)) made = { releasedBefore: true };
    // ...or another function of the file releases it so (the teardown the block was copied for)
    if (!made) {
      for (const f of file.post?.functions ?? []) {
        const other = f !== fn ? f.calls.find((c) => c.callee === call.callee && same(c) && split(argAt(c))?.fields === t.fields) : undefined;
        if (other) {
          made = { releasedElsewhere: other, fn: f.name };
          break;
        }
      }
    }
    if (!made) continue;
    out.push({ call, object, tested, first, made });
  }
  return out;
}

interface Swap {
  call: CCall;
  now: string;
  was: string;
  /** a call of the function, outside the commit's lines, that still names the old object */
  other: CCall;
  /** the function of the file that calls the same callee on the new object */
  twin: CFunction;
  twinCall: CCall;
}

/** Does any call argument, store or test of `fn` name the chain (`vdev->req` in `&vdev->req`, `vdev->req.fd`)? */
function namesChain(fn: CFunction, chain: string, skip?: (line: number) => boolean): CCall | true | null {
  const re = new RegExp(`(^|[^\\w>.])${chain.replace(/[^\w]/g, '\\$&')}(?![\\w])`);
  const call = fn.calls.find((c) => !skip?.(c.line) && c.args.some((a) => re.test(squeeze(a))));
  if (call) return call;
  if (fn.stores.some((st) => !skip?.(st.line) && (re.test(squeeze(st.target)) || re.test(squeeze(st.value))))) return true;
  if (fn.conditions.some((c) => !skip?.(c.line) && re.test(squeeze(c.normalized)))) return true;
  return null;
}

/**
 * A call the commit rewrites to name a sibling field of the same base (`get_fd(&vdev->err)` → `get_fd(&vdev->req)`,
 * the other arguments unchanged) while the rest of the function still works on the old field, the function never
 * named the new one before, and another function of the file calls the same callee on the new field at the same
 * argument: the line copied from that twin with its object left unedited.
 */
function swaps(file: ChangedFile, fn: CFunction, pre: CFunction | null): Swap[] {
  if (!pre || pre.hasErrors) return [];
  const out: Swap[] = [];
  for (const call of fn.calls) {
    if (!file.added.has(call.line)) continue;
    for (let i = 0; i < call.args.length; i++) {
      const now = split(objectOf(call.args[i] as string));
      if (!now) continue;
      const norm = (t: string) => t.replace(/\./g, '->');
      const nowText = norm(`${now.base}->${now.fields}`);
      const old = pre.calls.find((c) => {
        if (c.callee !== call.callee || !file.removed.has(c.line) || c.args.length !== call.args.length) return false;
        const was = split(objectOf(c.args[i] as string));
        return was !== null && was.base === now.base && was.fields !== now.fields && c.args.every((a, k) => k === i || squeeze(a) === squeeze(call.args[k] as string));
      });
      if (!old) continue;
      const was = split(objectOf(old.args[i] as string)) as { base: string; fields: string };
      const wasText = norm(`${was.base}->${was.fields}`);
      // a fix, not a slip: the old call repeated another of the function word for word (`out = read(&c->in)` after
      // `in = read(&c->in)`), or what the new call fills is named for the new field (`out = read(&c->out)`)
      if (pre.calls.some((c) => c !== old && c.callee === old.callee && c.args.length === old.args.length && c.args.every((a, k) => squeeze(a) === squeeze(old.args[k] as string)))) continue;
      const lastWord = (t: string) => t.split('->').at(-1) as string;
      if (call.result !== undefined && squeeze(call.result).split(/->|\./).at(-1) === lastWord(nowText)) continue;
      if (namesChain({ ...pre, calls: pre.calls.map((c) => ({ ...c, args: c.args.map(norm) })), stores: pre.stores.map((st) => ({ ...st, target: norm(st.target), value: norm(st.value) })), conditions: pre.conditions.map((c) => ({ ...c, normalized: norm(c.normalized) })) }, nowText) !== null) continue;
      const other = fn.calls.find((c) => c !== call && !file.added.has(c.line) && c.args.some((a) => norm(objectOf(a)) === wasText));
      if (!other) continue;
      // the twin whose name shares the most words with this function's (`fx_unregister_req` for `fx_unregister_err`)
      const words = new Set(fn.name.split('_'));
      const shared = (name: string) => name.split('_').filter((w) => words.has(w)).length;
      let twin: { fn: CFunction; call: CCall } | null = null;
      for (const g of file.post?.functions ?? []) {
        if (g === fn || g.name === fn.name || (twin && shared(g.name) <= shared(twin.fn.name))) continue;
        const tc = g.calls.find((c) => c.callee === call.callee && c.args[i] !== undefined && (split(objectOf(c.args[i] as string))?.fields ?? '') === now.fields);
        if (tc) twin = { fn: g, call: tc };
      }
      if (!twin) continue;
      out.push({ call, now: nowText, was: wasText, other, twin: twin.fn, twinCall: twin.call });
    }
  }
  return out;
}

/** A function that releases one object before the commit and, rewritten, a sibling of it instead. */
interface Instead {
  call: CCall;
  now: string;
  was: string;
  old: CCall;
  twin: CFunction;
  twinCall: CCall;
  user: CFunction;
  userLine: number;
}

/**
 * The objects (field chains, `ad->lst`) a function releases, each with the call that does: a release of the table,
 * or a call of a function of the program whose body releases the parameter it hands there (`fx_unmap_page(as,
 * &ad->lst, n)` with `fx_dma_unmap(as, *ptr, ...)` in its body).
 */
function releasedObjects(ctx: Ctx, file: ChangedFile, fn: CFunction, image: 'pre' | 'post'): Map<string, CCall> {
  const out = new Map<string, CCall>();
  const program = ctx.model.summary()[image];
  const isRelease = (c: CCall) => ctx.pairs.anyPrimitive(c.callee)?.role === 'release' || ctx.pairs.hasReleaseVerb(c.callee);
  for (const call of fn.calls) {
    const helper = isRelease(call) ? null : program.lookup(call.callee, file.path)?.fn;
    call.args.forEach((a, k) => {
      const chain = split(objectOf(a));
      if (!chain) return;
      const param = helper?.params?.[k];
      const viaHelper = param !== undefined && helper !== undefined && helper !== null && helper.calls.some((d) => isRelease(d) && d.args.some((x) => squeeze(x).replace(/^[*&]/, '') === param));
      if (isRelease(call) || viaHelper) out.set(`${chain.base}->${chain.fields.replace(/\./g, '->')}`, call);
    });
  }
  return out;
}

/**
 * A function rewritten (a release put into a helper, say) to release another field of the same instance than the
 * one it released before, and that one no more (`unmap_page(as, &ad->res_fis, 1024)` where it unmapped `ad->lst`),
 * while another function of the file, the twin, releases the new one already and a function of the file still
 * uses the old one: the line was copied from the twin with its object left.
 */
function releasedInstead(ctx: Ctx, file: ChangedFile, fn: CFunction, pre: CFunction | null): Instead[] {
  if (!pre || pre.hasErrors) return [];
  const before = releasedObjects(ctx, file, pre, 'pre');
  const after = releasedObjects(ctx, file, fn, 'post');
  const lost = [...before.keys()].filter((k) => !after.has(k));
  const gained = [...after.keys()].filter((k) => !before.has(k));
  if (lost.length !== 1 || gained.length !== 1) return [];
  const was = lost[0] as string;
  const now = gained[0] as string;
  const w = split(was);
  const n = split(now);
  if (!w || !n || w.base !== n.base || w.fields.split('->').length !== n.fields.split('->').length) return [];
  const call = after.get(now) as CCall;
  const old = before.get(was) as CCall;
  if (!file.added.has(call.line)) return [];
  const names = (text: string, chain: string) => split(objectOf(text)) !== null && `${split(objectOf(text))?.base}->${split(objectOf(text))?.fields.replace(/\./g, '->')}` === chain;
  // (the twin whose name shares the most words with this function's: `fx_unmap_fis_address` for `fx_unmap_clb_address`)
  const words = new Set(fn.name.split('_'));
  const shared = (name: string) => name.split('_').filter((x) => words.has(x)).length;
  let twin: { fn: CFunction; call: CCall } | null = null;
  let user: { fn: CFunction; line: number } | null = null;
  for (const g of file.post?.functions ?? []) {
    if (g === fn || g.name === fn.name) continue;
    const tc: CCall | undefined = twin && shared(g.name) <= shared(twin.fn.name) ? undefined : releasedObjects(ctx, file, g, 'post').get(now);
    if (tc) twin = { fn: g, call: tc };
    const uses = g.calls.find((c) => c.args.some((a) => names(a, was))) ?? g.stores.find((st) => names(st.target, was) || names(st.value, was));
    if (!user && uses) user = { fn: g, line: uses.line };
  }
  if (!twin || !user || twin.fn === user.fn) return [];
  return [{ call, now, was, old, twin: twin.fn, twinCall: twin.call, user: user.fn, userLine: user.line }];
}

/** A release rewritten to name another object of the file's own (a `static` table, a state description). */
interface StaticSwap {
  call: CCall;
  now: string;
  was: string;
  twin: CFunction;
  twinCall: CCall;
  acquirer: CFunction;
  acquire: CCall;
}

/**
 * A release the commit rewrites (or moves) to hand another object of the file's own (`&fx_vmsd` where it handed
 * `&fx_vmsd_ext`, the other arguments unchanged), which another function of the file, the twin, releases with the same
 * call at the same argument, while a function of the file still takes the old object with a counterpart of the
 * release and the function names it no more: the line copied from the twin with its object left unedited.
 */
function staticSwaps(file: ChangedFile, table: PairTable, fn: CFunction, pre: CFunction | null): StaticSwap[] {
  if (!pre || pre.hasErrors) return [];
  const out: StaticSwap[] = [];
  const plain = (a: string) => /^&?\s*[A-Za-z_]\w*$/.test(a.trim()) ? squeeze(a).replace(/^&/, '') : null;
  const functions = file.post?.functions ?? [];
  for (const call of fn.calls) {
    if (!file.added.has(call.line) || table.anyPrimitive(call.callee)?.role !== 'release') continue;
    for (let i = 0; i < call.args.length; i++) {
      const now = plain(call.args[i] as string);
      // (only a name the file does not take as a variable of the function: a parameter or a local is no object of the file)
      if (now === null || (fn.params ?? []).includes(now) || fn.calls.some((c) => c.result?.trim() === now)) continue;
      const old = pre.calls.find(
        (c) => c.callee === call.callee && file.removed.has(c.line) && c.args.length === call.args.length &&
          c.args.every((a, k) => k === i || squeeze(a) === squeeze(call.args[k] as string)) && plain(c.args[i] as string) !== null && plain(c.args[i] as string) !== now,
      );
      if (!old) continue;
      const was = plain(old.args[i] as string) as string;
      const names = (t: string, w: string) => new RegExp(`(^|[^\\w])${w}($|[^\\w])`).test(t);
      if (fn.calls.some((c) => c.args.some((a) => names(a, was))) || fn.stores.some((st) => names(st.value, was))) continue;
      const twin = functions.map((g) => ({ fn: g, call: g.name === fn.name ? undefined : g.calls.find((c) => c.callee === call.callee && plain(c.args[i] ?? '') === now) })).find((t) => t.call !== undefined);
      if (!twin?.call) continue;
      const counterparts = table.anyPrimitive(call.callee)?.counterparts ?? [];
      let taken: { fn: CFunction; call: CCall } | null = null;
      for (const g of functions) {
        const c = g.calls.find((x) => counterparts.includes(x.callee) && x.args.some((a) => plain(a) === was));
        if (c) {
          taken = { fn: g, call: c };
          break;
        }
      }
      if (!taken) continue;
      out.push({ call, now: squeeze(call.args[i] as string), was: squeeze(old.args[i] as string), twin: twin.fn, twinCall: twin.call, acquirer: taken.fn, acquire: taken.call });
    }
  }
  return out;
}

/** GLib's allocators: what they return goes back with g_free() (GLib's documentation), not with libc's free(). */
const GLIB_ALLOCATOR = /^g_(try_)?(malloc0?(_n)?|new0?|realloc(_n)?|renew|strdup(_printf|_vprintf)?|strndup|memdup2?|strconcat|strjoinv?|build_filename|build_path)$/;

/** A free() of what a GLib allocator returned. */
interface WrongFamily {
  free: CCall;
  object: string;
  alloc: CCall;
  allocPath: string;
  allocFn: string;
}

/**
 * The function's free() calls of a value a GLib allocator returned: into the same variable earlier in the function
 * (the last such call before the free), or into the same field chain (`s->pbp`, `->pbp` on any base) anywhere in the
 * file.
 */
function wrongFamilies(ctx: Ctx, file: ChangedFile, fn: CFunction, image: 'pre' | 'post'): WrongFamily[] {
  const out: WrongFamily[] = [];
  const frees = fn.calls.filter((c) => c.callee === 'free' && c.args.length === 1);
  if (frees.length === 0) return out;
  const path = image === 'post' ? file.path : (file.oldPath ?? file.path);
  const program = ctx.model.summary()[image];
  for (const free of frees) {
    const object = objectOf(free.args[0] as string);
    const made = (c: CCall) => GLIB_ALLOCATOR.test(c.callee) && c.result !== undefined && squeeze(c.result) === object;
    const own = fn.calls.filter((c) => c.line < free.line && made(c)).at(-1);
    if (own) {
      out.push({ free, object, alloc: own, allocPath: path, allocFn: fn.name });
      continue;
    }
    const chain = ctx.model.fieldChain(object)?.join('.');
    if (chain === undefined) continue;
    const sameField = (c: CCall) => GLIB_ALLOCATOR.test(c.callee) && c.result !== undefined && ctx.model.fieldChain(squeeze(c.result))?.join('.') === chain;
    for (const p of program.all()) {
      if (p.path !== path) continue;
      const alloc = p.fn.calls.find(sameField);
      if (alloc) {
        out.push({ free, object, alloc, allocPath: path, allocFn: p.fn.name });
        break;
      }
    }
  }
  return out;
}

interface WrongPlace {
  release: CCall;
  given: string;
  taken: string;
  acquire: { call: CCall; fn: CFunction };
  other: { call: CCall; fn: CFunction };
}

/**
 * A release that differs from another call of it in the file in one argument only, a field of the same base
 * (`fx_irqfd_remove(kvm, &d->resample, d->virq)` beside `fx_irqfd_remove(kvm, &d->intr, d->virq)`), where every
 * acquire of its pair in the file hands the other call's object in that place and none hands this one there
 * (`fx_irqfd_add(kvm, &d->intr, &d->resample, d->virq)`): the release names a neighbour of what was taken.
 */
function wrongPlaces(ctx: Ctx, file: ChangedFile, fn: CFunction): WrongPlace[] {
  const out: WrongPlace[] = [];
  const all = file.post?.functions ?? [];
  for (const release of fn.calls) {
    const match = ctx.pairs.anyPrimitive(release.callee);
    if (match?.role !== 'release' || release.args.length < 2) continue;
    const acquires = all.flatMap((f) => f.calls.filter((c) => match.counterparts.includes(c.callee)).map((call) => ({ call, fn: f })));
    if (acquires.length === 0) continue;
    for (const f of all) {
      for (const other of f.calls) {
        if (other === release || other.callee !== release.callee || other.args.length !== release.args.length) continue;
        const differ = release.args.map((a, i) => (squeeze(a) !== squeeze(other.args[i] as string) ? i : -1)).filter((i) => i >= 0);
        if (differ.length !== 1) continue;
        const at = differ[0] as number;
        const given = objectOf(release.args[at] as string);
        const taken = objectOf(other.args[at] as string);
        const g = split(given);
        const t = split(taken);
        if (!g || !t || g.base !== t.base || g.fields === t.fields) continue;
        const inPlace = (c: CCall, o: string) => c.args[at] !== undefined && objectOf(c.args[at] as string) === o;
        if (!acquires.every((a) => inPlace(a.call, taken)) || acquires.some((a) => inPlace(a.call, given))) continue;
        // (the given object is one the acquires hand elsewhere: a neighbour of what was taken, not another resource)
        if (!acquires.some((a) => a.call.args.some((x) => objectOf(x) === given))) continue;
        out.push({ release, given, taken, acquire: acquires[0] as WrongPlace['acquire'], other: { call: other, fn: f } });
        break;
      }
      if (out.at(-1)?.release === release) break;
    }
  }
  return out;
}

function check(ctx: Ctx, file: ChangedFile, change: FunctionChange): void {
  const fn = change.post;
  if (!fn || fn.hasErrors) return;
  const summary = ctx.model.summary();
  for (const m of summary.introduced(fn, file, (f) => wrongFamilies(ctx, file, f, f === fn ? 'post' : 'pre'), (m) => [`family|${m.object}`])) {
    if (!file.added.has(m.free.line)) continue;
    ctx.report({
      at: { file: file.path, line: m.free.line, function: fn.name },
      messageId: 'wrongFamily',
      data: { fn: fn.name, object: m.object, alloc: m.alloc.callee, allocPath: m.allocPath, allocLine: m.alloc.line },
      related: [{ file: m.allocPath, line: m.alloc.line, function: m.allocFn, messageId: 'allocatedHere', data: { alloc: m.alloc.callee, object: m.object } }],
      key: `wrong-family|${fn.name}|${m.object}`,
      repair: { callees: ['g_free'], functions: [fn.name] },
    });
  }
  for (const m of summary.introduced(fn, file, (f) => wrongPlaces(ctx, file, f), (m) => [`place|${m.release.callee}|${m.given}`])) {
    if (!file.added.has(m.release.line)) continue;
    ctx.report({
      at: { file: file.path, line: m.release.line, endLine: m.release.endLine, function: fn.name },
      messageId: 'wrongPlace',
      data: {
        fn: fn.name,
        given: m.given,
        taken: m.taken,
        release: m.release.callee,
        acquire: m.acquire.call.callee,
        file: file.path,
        acquireLine: m.acquire.call.line,
        otherFn: m.other.fn.name,
        otherLine: m.other.call.line,
      },
      related: [
        { file: file.path, line: m.acquire.call.line, function: m.acquire.fn.name, messageId: 'takenThere', data: { acquire: m.acquire.call.callee, taken: m.taken } },
        { file: file.path, line: m.other.call.line, function: m.other.fn.name, messageId: 'givenBackElsewhere', data: { otherFn: m.other.fn.name, taken: m.taken } },
      ],
      key: `wrong-place|${fn.name}|${m.release.callee}|${m.given}`,
      repair: { callees: [m.release.callee], functions: [fn.name] },
    });
  }
  const stepKey = (m: StepMismatch) => `${m.step.callee}|${m.stepObject}|${m.release.callee}|${m.object}`;
  for (const m of summary.introduced(fn, file, (f) => stepMismatches(ctx, f), (m) => [stepKey(m)])) {
    if (!file.added.has(m.release.line)) continue;
    ctx.report({
      at: { file: file.path, line: m.release.line, endLine: m.release.endLine, function: fn.name },
      messageId: 'step',
      data: { fn: fn.name, step: m.step.callee, stepObject: m.stepObject, release: m.release.callee, object: m.object, file: file.path, line: m.release.line },
      related: [{ file: file.path, line: m.step.line, function: fn.name, messageId: 'stepHere', data: { step: m.step.callee, stepObject: m.stepObject } }],
      key: `step|${fn.name}|${stepKey(m)}`,
      repair: { callees: [m.release.callee], functions: [fn.name] },
    });
  }
  for (const m of copiedBlocks(ctx, file, fn)) {
    ctx.report({
      at: { file: file.path, line: m.call.line, endLine: m.call.endLine, function: fn.name },
      messageId: 'copiedBlock',
      data: { fn: fn.name, callee: m.call.callee, object: m.object, tested: m.tested, file: file.path, line: m.call.line, otherLine: m.source.line },
      related: [{ file: file.path, line: m.source.line, function: fn.name, messageId: 'sourceBlock', data: { object: m.object, callee: m.call.callee } }],
      key: `copied-block|${fn.name}|${m.call.callee}|${m.tested}`,
      repair: { callees: [m.call.callee], functions: [fn.name] },
    });
  }
  const crossedKey = (m: Crossed) => `${m.acquire.callee}|${m.taken}|${m.release.callee}|${m.object}`;
  for (const m of summary.introduced(fn, file, (f) => crossedPairs(ctx, f), (m) => [crossedKey(m)])) {
    if (!file.added.has(m.release.line) && !file.added.has(m.acquire.line)) continue;
    const at = file.added.has(m.release.line) ? m.release : m.acquire;
    ctx.report({
      at: { file: file.path, line: at.line, endLine: at.endLine, function: fn.name },
      messageId: 'crossed',
      data: { fn: fn.name, acquire: m.acquire.callee, taken: m.taken, release: m.release.callee, object: m.object, file: file.path, acquireLine: m.acquire.line, line: m.release.line },
      related: [{ file: file.path, line: m.acquire.line, function: fn.name, messageId: 'takenHere', data: { acquire: m.acquire.callee, taken: m.taken } }],
      key: `crossed|${fn.name}|${crossedKey(m)}`,
      repair: { callees: [m.release.callee], functions: [fn.name] },
    });
  }
  for (const m of containerMismatches(ctx, file, fn)) {
    const side = (p: Placed, still: boolean) =>
      ctx.format(p.role === 'acquire' ? (still ? 'stillPutsInto' : 'putsInto') : still ? 'stillTakesOutOf' : 'takesOutOf', {
        object: p.object,
        container: squeeze(p.call.args[0] as string),
        callee: p.call.callee,
        file: file.path,
        line: p.call.line,
      });
    const into = m.changed.role === 'acquire' ? m.changed : m.other;
    ctx.report({
      at: { file: file.path, line: m.changed.call.line, endLine: m.changed.call.endLine, function: fn.name },
      messageId: 'container',
      data: { fn: fn.name, changed: side(m.changed, false), otherFn: m.other.fn.name, other: side(m.other, true), object: m.changed.object, into: squeeze(into.call.args[0] as string) },
      related: [{ file: file.path, line: m.other.call.line, function: m.other.fn.name, messageId: 'otherSideHere', data: { fn: m.other.fn.name, container: squeeze(m.other.call.args[0] as string) } }],
      key: `container|${fn.name}|${m.changed.call.callee}|${m.changed.object}`,
      repair: { callees: [m.changed.call.callee], functions: [fn.name] },
    });
  }
  for (const w of swaps(file, fn, change.pre)) {
    ctx.report({
      at: { file: file.path, line: w.call.line, endLine: w.call.endLine, function: fn.name },
      messageId: 'swapped',
      data: { fn: fn.name, callee: w.call.callee, now: w.now, was: w.was, other: w.other.callee, file: file.path, otherLine: w.other.line, twin: w.twin.name, twinLine: w.twinCall.line },
      related: [
        { file: file.path, line: w.other.line, function: fn.name, messageId: 'stillWas', data: { fn: fn.name, was: w.was } },
        { file: file.path, line: w.twinCall.line, function: w.twin.name, messageId: 'twinHere', data: { twin: w.twin.name, callee: w.call.callee, now: w.now } },
      ],
      key: `swapped|${fn.name}|${w.call.callee}|${w.now}`,
      repair: { callees: [w.call.callee], functions: [fn.name] },
    });
  }
  for (const w of releasedInstead(ctx, file, fn, change.pre)) {
    ctx.report({
      at: { file: file.path, line: w.call.line, endLine: w.call.endLine, function: fn.name },
      messageId: 'releasedInstead',
      data: {
        fn: fn.name,
        callee: w.call.callee,
        now: w.now,
        was: w.was,
        file: file.path,
        release: w.old.callee,
        oldFile: file.oldPath ?? file.path,
        preLine: w.old.line,
        twin: w.twin.name,
        twinLine: w.twinCall.line,
        user: w.user.name,
        userLine: w.userLine,
      },
      related: [
        { file: file.path, line: w.twinCall.line, function: w.twin.name, messageId: 'twinHere', data: { twin: w.twin.name, callee: w.twinCall.callee, now: w.now } },
        { file: file.path, line: w.userLine, function: w.user.name, messageId: 'stillUses', data: { user: w.user.name, was: w.was } },
      ],
      key: `released-instead|${fn.name}|${w.now}|${w.was}`,
      repair: { callees: [w.call.callee], functions: [fn.name] },
    });
  }
  for (const w of staticSwaps(file, ctx.pairs, fn, change.pre)) {
    ctx.report({
      at: { file: file.path, line: w.call.line, endLine: w.call.endLine, function: fn.name },
      messageId: 'swappedStatic',
      data: { fn: fn.name, callee: w.call.callee, now: w.now, was: w.was, file: file.path, twin: w.twin.name, twinLine: w.twinCall.line, acquirer: w.acquirer.name, acquire: w.acquire.callee, acquireLine: w.acquire.line },
      related: [
        { file: file.path, line: w.twinCall.line, function: w.twin.name, messageId: 'twinHere', data: { twin: w.twin.name, callee: w.call.callee, now: w.now } },
        { file: file.path, line: w.acquire.line, function: w.acquirer.name, messageId: 'stillTakes', data: { acquirer: w.acquirer.name, was: w.was } },
      ],
      key: `swapped-static|${fn.name}|${w.call.callee}|${w.now}`,
      repair: { callees: [w.call.callee], functions: [fn.name] },
    });
  }
  for (const m of mismatches(ctx, file, fn, change.pre)) {
    const made =
      'acquire' in m.made
        ? ctx.format('madeBy', { acquire: m.made.acquire.callee, path: m.made.path, acquireLine: m.made.acquire.line })
        : 'releasedElsewhere' in m.made
          ? ctx.format('releasedElsewhere', { otherFn: m.made.fn, release: m.call.callee, path: file.path, otherLine: m.made.releasedElsewhere.line })
          : ctx.format('releasedBefore', { release: m.call.callee });
    ctx.report({
      at: { file: file.path, line: m.call.line, endLine: m.call.endLine, function: fn.name },
      messageId: 'mismatch',
      data: { fn: fn.name, release: m.call.callee, object: m.object, tested: m.tested, made, file: file.path, line: m.call.line, otherLine: m.first.line },
      related: [
        { file: file.path, line: m.first.line, function: fn.name, messageId: 'firstRelease', data: { release: m.first.callee, object: m.object } },
        ...('acquire' in m.made
          ? [{ file: m.made.path, line: m.made.acquire.line, function: m.made.fn, messageId: 'madeHere' as const, data: { acquire: m.made.acquire.callee, tested: m.tested } }]
          : []),
      ],
      key: `mismatch|${fn.name}|${m.call.callee}|${m.tested}`,
      repair: { callees: [m.call.callee], functions: [fn.name] },
    });
  }
}

/** Is one local set from the other itself, not from a field of it (`b = container_of(a, T, f)`, `b = FX(a)`)? */
function aliases(fn: CFunction, x: string, y: string): boolean {
  const whole = (v: string) => new RegExp(`\\b${v}\\b(?!\\s*(->|\\.))`);
  return fn.statements.some((st) => {
    const m = /^(?:[\w\s*]*?\b)?(\w+)\s*=\s*(.+);$/.exec((st.assignment ?? st.normalized).trim());
    if (!m) return false;
    const [, target, value] = m as unknown as [string, string, string];
    return (target === x && whole(y).test(value)) || (target === y && whole(x).test(value));
  });
}

interface StepMismatch {
  step: CCall;
  release: CCall;
  stepObject: string;
  object: string;
}

/**
 * A release (the commit adds it, or changes its object) right after a call the code base makes on an object just
 * before that release gives it back (`fx_client_cleanup(x); fx_client_free(x);`, learned as a step),
 * under the same tests, on another object: `cleanup(peer); free(nc);`. Not when the function also gives back the
 * step's object, or makes the step on the released one.
 */
function stepMismatches(ctx: Ctx, fn: CFunction): StepMismatch[] {
  const out: StepMismatch[] = [];
  const calls = [...fn.calls].sort((a, b) => a.line - b.line);
  for (let i = 1; i < calls.length; i++) {
    const release = calls[i] as CCall;
    if (release.args.length === 0) continue;
    // the call just before it, on the same way
    const step = calls[i - 1] as CCall;
    if (step.args.length === 0 || step.endLine >= release.line || !sameTests(step, release) || !ctx.pairs.stepBefore(step.callee, release.callee)) continue;
    // (a plain free gives back any memory: what it frees says nothing of what the step was on)
    if (ctx.pairs.isSafeRelease(release.callee) && ctx.pairs.isHeapRelease(release.callee)) continue;
    const stepObject = objectOf(step.args[0] as string);
    const object = objectOf(release.args[0] as string);
    if (stepObject === object || !/^[\w>.-]+$/.test(stepObject) || !/^[\w>.-]+$/.test(object)) continue;
    // two objects of one kind: two locals, or two fields of one base (`vd->listener`, `vd->wslistener`); not a field
    // of another base, which may be the other object under another name (`migration->region`, `s->migration`)
    const base = (o: string) => /^\w+/.exec(o)?.[0] ?? '';
    const depth = (o: string) => o.split(/->|\./).length;
    if (depth(stepObject) !== depth(object) || (depth(object) > 1 && base(stepObject) !== base(object))) continue;
    // one local made of the other by a cast (`sc = container_of(c, FxSpaprContainer, c)`): the same object
    if (depth(object) === 1 && aliases(fn, stepObject, object)) continue;
    const on = (c: CCall, o: string) => c.args[0] !== undefined && objectOf(c.args[0]) === o;
    // (on the same way: another loop's `nc` is another object of the same name)
    if (fn.calls.some((c) => c !== release && c.callee === release.callee && on(c, stepObject) && sameTests(c, release))) continue;
    if (fn.calls.some((c) => c !== step && c.callee === step.callee && on(c, object) && sameTests(c, release))) continue;
    out.push({ step, release, stepObject, object });
  }
  return out;
}

interface CopiedBlock {
  call: CCall;
  object: string;
  tested: string;
  /** the same call in the block for the object it names, the block this one was copied from */
  source: CCall;
}

/**
 * A call the commit adds in a block under `if (s->b)` that names `s->a` (a sibling field of the same base) where
 * another block of the function, under `if (s->a)`, makes the same call on `s->a` with the other arguments the
 * same, and nothing in the function makes that call on `s->b`: the block was copied and its argument left. (A
 * one-argument release is mismatches()' business, which says more.)
 */
function copiedBlocks(ctx: Ctx, file: ChangedFile, fn: CFunction): CopiedBlock[] {
  const out: CopiedBlock[] = [];
  for (const call of fn.calls) {
    // (a cast macro, `OBJECT(s->a)`, is no call of its own: the call it sits in speaks)
    if (!file.added.has(call.line) || /^[A-Z_][A-Z0-9_]*$/.test(call.callee)) continue;
    const guard = call.guards[call.guards.length - 1];
    const tested = guard ? testedObject(guard) : null;
    if (tested === null) continue;
    const t = split(tested);
    if (!t) {
      const local = copiedLocalBlock(file, fn, call, tested);
      if (local) out.push(local);
      continue;
    }
    for (let i = 0; i < call.args.length; i++) {
      const object = objectOf(call.args[i] as string);
      const o = split(object);
      if (!o || o.base !== t.base || o.fields === t.fields) continue;
      // (a switch's literal counts: `fx_set_mapped(s->a, false)` is handed two arguments, not one object)
      if ((ctx.model.toggleOf(call.callee)?.arity ?? call.args.length) === 1 && (ctx.pairs.anyPrimitive(call.callee)?.role === 'release' || ctx.pairs.hasReleaseVerb(call.callee))) continue;
      const same = (c: CCall, k: number) => c.args.length === call.args.length && c.args.every((a, j) => j === k || squeeze(a) === squeeze(call.args[j] as string));
      const source = fn.calls.find((c) => {
        if (c === call || c.callee !== call.callee || !same(c, i) || objectOf(c.args[i] as string) !== object) return false;
        const g = c.guards[c.guards.length - 1];
        return g !== undefined && testedObject(g) === object;
      });
      if (!source) continue;
      // the tested object gets the call nowhere in the function
      if (fn.calls.some((c) => c.callee === call.callee && c.args[i] !== undefined && objectOf(c.args[i] as string) === tested)) continue;
      out.push({ call, object, tested, source });
    }
  }
  return out;
}

/**
 * The same for two locals of the function (`if (cert) { ...; g_free(session); }` copied from `if (session) { ...;
 * g_free(session); }`): a call on one plain variable in the block for another, as the block for the first makes it,
 * while the tested variable gets the call nowhere in the function, though it got it before the commit or holds what a
 * call of the function made. A release of one argument counts here (the field form leaves it to `mismatch`).
 */
function copiedLocalBlock(file: ChangedFile, fn: CFunction, call: CCall, tested: string): CopiedBlock | null {
  if (!/^\w+$/.test(tested) || call.args.length !== 1) return null;
  const object = squeeze(call.args[0] as string);
  if (!/^\w+$/.test(object) || object === tested) return null;
  const source = fn.calls.find((c) => {
    if (c === call || c.callee !== call.callee || c.args.length !== 1 || squeeze(c.args[0] as string) !== object) return false;
    const g = c.guards[c.guards.length - 1];
    return g !== undefined && testedObject(g) === object;
  });
  if (!source) return null;
  if (fn.calls.some((c) => c.callee === call.callee && c.args.length === 1 && squeeze(c.args[0] as string) === tested)) return null;
  // the block then puts the tested value in its place (`close(read_fd); read_fd = reply_fd;`): a switch-over, not a copy
  const block = call.guards[call.guards.length - 1];
  const refill = new RegExp(`^${object}\\s*=[^=]`);
  if (block && fn.statements.some((st) => st.line > call.line && st.line <= block.condition.stmtEndLine && refill.test(st.normalized))) return null;
  const before = file.pre?.functionByName(fn.name);
  const gotItBefore = before?.calls.some((c) => c.callee === call.callee && c.args.length === 1 && squeeze(c.args[0] as string) === tested) ?? false;
  const made = fn.calls.some((c) => c.result?.trim() === tested || (c.outLocals ?? []).includes(tested));
  if (!gotItBefore && !made) return null;
  return { call, object, tested, source };
}

interface Crossed {
  acquire: CCall;
  release: CCall;
  taken: string;
  object: string;
}

/** Is a local of the function declared with an integer type (`int r;`, `bool ok = ...`): a status, not an object? */
function declaredIntegral(fn: CFunction, v: string): boolean {
  const decl = new RegExp(`^(const\\s+)?(int|bool|long|unsigned|ssize_t|size_t|u?int\\d+_t)\\b[^;()]*(^|[\\s,])${v}\\s*(=|,|;|$)`);
  return fn.statements.some((st) => decl.test(st.normalized.trim()));
}

/** Same tests, in the same order and sense: the two calls run on the same way. */
const sameTests = (a: CCall, b: CCall) => a.guards.length === b.guards.length && a.guards.every((g, i) => g.condition === b.guards[i]?.condition && g.negated === b.guards[i]?.negated);

/**
 * An acquire and, after it on the same way, the first release of its pair (the table's or one learned from the
 * code), each handed one object and nothing else (`begin(s->a); ...; commit(s->b);`, `lock(&s->a); ...;
 * unlock(&s->b);`), on two objects of one kind, while on that way the function neither gives the first object
 * back nor takes the second: the pair's calls work on one object, so one of the two names the wrong one. An
 * acquire whose value is kept (`p = g_malloc(n)`) names its object by that value, not by its argument: left out.
 */
function crossedPairs(ctx: Ctx, fn: CFunction): Crossed[] {
  const out: Crossed[] = [];
  const calls = [...fn.calls].sort((a, b) => a.line - b.line);
  // the one argument that names an object, beside literals and constants (`fx_notifier_init(&vq->n, 0)`)
  // (with other arguments, only a field or an address names it: `g_new0(FxRegion, 1)` names a type)
  const single = (c: CCall) => {
    if (c.args.length === 1) return c.args[0] as string;
    const objects = c.args.filter((a) => !/^(-?\d\w*|[A-Z_][A-Z0-9_]*|true|false|NULL)$/.test(a.trim()));
    const only = objects.length === 1 ? (objects[0] as string).trim() : null;
    return only !== null && /^&\s*\w|->|\./.test(only) && !/\s/.test(only.replace(/\s*(->|\.)\s*/g, '$1')) ? only : null;
  };
  const on = (c: CCall, o: string) => single(c) !== null && objectOf(single(c) as string) === o;
  for (const [i, acquire] of calls.entries()) {
    // (a value kept names its object; a status kept in a plain local, `r = fx_init(&s->n, 0)`, does not)
    // (a heap allocation's value is its object; a status is only tested)
    const kept = acquire.result?.trim() ?? '';
    const status = acquire.resultLocal === true && /^\w+$/.test(kept) && declaredIntegral(fn, kept);
    if (single(acquire) === null || (acquire.result !== undefined && !status)) continue;
    const match = ctx.pairs.anyPrimitive(acquire.callee);
    if (match?.role !== 'acquire') continue;
    const releases = new Set(match.counterparts);
    // on the same way, or on an error branch that gives up after it (`if (r) { fx_cleanup(&s->m); return r; }`)
    const release = calls
      .slice(i + 1)
      .find((c) => releases.has(c.callee) && (sameTests(c, acquire) || (ctx.model.guardsCover(acquire.guards, c.guards) && c.guards.length > acquire.guards.length && ctx.model.onErrorBranch(fn, c))));
    if (!release || single(release) === null) continue;
    // (not past a way out the acquire's own way takes first: unwind code after `return g_steal_pointer(&s);`)
    if (fn.exits.some((e) => (e.kind === 'return' || e.kind === 'goto') && e.line > acquire.line && e.line < release.line && ctx.model.guardsCover(e.guards, acquire.guards))) continue;
    const taken = objectOf(single(acquire) as string);
    const object = objectOf(single(release) as string);
    // (an element by a plain index names its object too: `s->timer[index].ptimer` and `s->timer[i].ptimer` are two)
    const plain = /^\w+((->|\.)\w+|\[\w+\])*$/;
    if (taken === object || !plain.test(taken) || !plain.test(object)) continue;
    // two objects of one kind: two fields of one base (`s->ptimer`, `s->ptimer_hz`), or two locals not cast
    // one from the other
    const base = (o: string) => /^\w+/.exec(o)?.[0] ?? '';
    const depth = (o: string) => o.split(/->|\./).length;
    if (depth(taken) !== depth(object) || (depth(object) > 1 && base(taken) !== base(object))) continue;
    if (depth(object) === 1 && aliases(fn, taken, object)) continue;
    // the function gives the taken object back on that way, or takes the released one: two pairs, interleaved
    if (calls.some((c) => releases.has(c.callee) && on(c, taken) && sameTests(c, acquire))) continue;
    // (one taken earlier and given back before the release, `begin(s->b); ...; commit(s->b);` in another case of the
    // switch, is no take of it on this way)
    const givenBackBy = (c: CCall) => calls.some((d) => releases.has(d.callee) && on(d, object) && d.line > c.line && d.line < release.line);
    if (calls.some((c) => c.callee === acquire.callee && on(c, object) && (sameTests(c, release) || (c.line < release.line && !givenBackBy(c))))) continue;
    // the taken object is stored somewhere (`*slot = target` after `ref(target); unref(old)`): a
    // reference handed over in place of the one given back, not one left behind
    // (the object itself, not a call handed it: `file.fd = fx_notifier_get_fd(&vq->n)` stores a descriptor)
    const named = new RegExp(`^(&|\\([\\w\\s*]+\\))?${taken.replace(/[^\w]/g, '\\$&')}$`);
    if (fn.stores.some((st) => named.test(st.value.replace(/\s+/g, '')))) continue;
    // (also through a pointer or into a local: `*slot = target;`)
    const assigned = new RegExp(`[^=!<>]=(\\([\\w\\s*]+\\))?${taken.replace(/[^\w]/g, '\\$&')};$`);
    if (fn.statements.some((st) => assigned.test(squeeze(st.normalized)))) continue;
    out.push({ acquire, release, taken, object });
  }
  return out;
}

/** One call of a pair that names its object last and the container it goes into first (`add(c, off, &s->m)`, `del(c, &s->m)`). */
interface Placed {
  call: CCall;
  fn: CFunction;
  role: 'acquire' | 'release';
  object: string;
  /** the container as the function names it, a local followed to the value it was given */
  container: string;
  /** for an object the function was handed as a parameter (`io` of `fx_register_io(dev, io, start)`): its place */
  param?: number;
}

/** A local given one value in the function (`FxRegion *space = fx_system_space();`) as that value. */
function resolved(fn: CFunction, text: string): string {
  const t = squeeze(text);
  if (!/^\w+$/.test(t)) return t;
  const values = fn.statements.flatMap((st) => {
    const m = /^(\w+)=(.+);$/.exec(squeeze(st.assignment ?? st.normalized).replace(/^[\w\s*]*?\b(?=\w+=)/, ''));
    return m && m[1] === t ? [m[2] as string] : [];
  });
  return values.length === 1 ? (values[0] as string) : t;
}

/**
 * What a container names, for comparing two of them: a call of a function (`fx_system_space()`,
 * `fx_bus_space(&d->dev)`) by that function's name, a field chain (`&bus->io_space`) by its fields
 * without the base (two functions name one instance differently). Null for anything else (a parameter, a local
 * not followed): two such may be one container under two names.
 */
function containerKey(text: string): { kind: 'call' | 'chain'; key: string; base: string } | null {
  const t = squeeze(text).replace(/^&/, '');
  const call = /^(\w+)\(.*\)$/.exec(t);
  if (call && !/^[A-Z_][A-Z0-9_]*$/.test(call[1] as string)) return { kind: 'call', key: call[1] as string, base: '' };
  const chain = split(objectOf(t));
  return chain ? { kind: 'chain', key: chain.fields.replace(/->/g, '.'), base: chain.base } : null;
}

/**
 * Two containers that are plainly not one: two functions called, or two field chains of one base in one function
 * (`&s->mr`, `&s->bus.mr`), or, across functions (where one instance has two names), two chains neither of which
 * ends the other; or two parameters of different names that both functions take.
 */
function differentContainers(a: Placed, b: Placed): boolean {
  // two parameters of different names, each function of the pair taking both (`fx_init(dev, ctl_bar, pend_bar)`
  // and `fx_uninit(dev, ctl_bar, pend_bar)`): two roles of one API, not one container under two names
  const pa = squeeze(a.container);
  const pb = squeeze(b.container);
  if (/^\w+$/.test(pa) && /^\w+$/.test(pb) && pa !== pb && [a.fn, b.fn].every((f) => (f.params ?? []).includes(pa) && (f.params ?? []).includes(pb))) return true;
  const x = containerKey(a.container);
  const y = containerKey(b.container);
  if (!x || !y || x.kind !== y.kind) return false;
  if (x.kind === 'call') return x.key !== y.key;
  if (a.fn === b.fn && x.base === y.base) return x.key !== y.key;
  return x.key !== y.key && !x.key.endsWith(`.${y.key}`) && !y.key.endsWith(`.${x.key}`);
}

/** The calls of the file's pairs that name an object of an instance by its address last and a container first (two arguments or more). */
function placedCalls(ctx: Ctx, functions: readonly CFunction[]): Placed[] {
  const out: Placed[] = [];
  for (const fn of functions) {
    for (const call of fn.calls) {
      if (call.args.length < 2) continue;
      const match = ctx.pairs.anyPrimitive(call.callee);
      if (match?.role !== 'acquire' && match?.role !== 'release') continue;
      // a release names its object last (`del(c, &s->m)`); an acquire anywhere after the container
      // (`add_overlap(c, off, &s->m, prio)`)
      const candidates = match.role === 'release' ? [call.args[call.args.length - 1] as string] : call.args.slice(1);
      for (const arg of candidates) {
        // (or one the function was handed to put in or take out, `fx_register_io(dev, io, start)` adding `io`: the
        // parameter of that name and place, compared only between the two functions of a pair)
        const param = (fn.params ?? []).indexOf(squeeze(arg));
        if (param >= 0) {
          out.push({ call, fn, role: match.role, object: squeeze(arg), container: resolved(fn, call.args[0] as string), param });
          continue;
        }
        // an object named by its address is the thing itself; a value (`block->length`, a key `iter->id`) may sit
        // in two containers at once
        if (!/^&/.test(squeeze(arg))) continue;
        const object = objectOf(arg);
        if (split(object)) out.push({ call, fn, role: match.role, object, container: resolved(fn, call.args[0] as string) });
      }
    }
  }
  return out;
}

interface ContainerMismatch {
  changed: Placed;
  other: Placed;
}

/**
 * A call of a pair that names an object last and its container first, on a line the commit changed, whose
 * counterparts on the same object in the file all name one other container, plainly another (two functions called,
 * two fields), where before the commit the file's calls on that object agreed on their container.
 */
/** One object: the same text in one function; across functions (one instance, two names) the same fields. */
function sameObject(a: Placed, b: Placed): boolean {
  if (a.param !== undefined || b.param !== undefined) return a.param === b.param && a.object === b.object;
  return a.fn === b.fn ? a.object === b.object : a.object.replace(/^\w+/, '') === b.object.replace(/^\w+/, '');
}

/** Are two functions the two sides of one of the file's pairs (a parameter names one object only between those)? */
function paired(file: ChangedFile, a: CFunction, b: CFunction): boolean {
  const side = (p: SidePair, f: CFunction, which: 'acquire' | 'release') => p[which] === f.name || p[`${which}Side`].has(f.name);
  return file.postSides.some((p) => (side(p, a, 'acquire') && side(p, b, 'release')) || (side(p, a, 'release') && side(p, b, 'acquire')));
}

function containerMismatches(ctx: Ctx, file: ChangedFile, fn: CFunction): ContainerMismatch[] {
  const post = file.post;
  if (!post) return [];
  const mine = placedCalls(ctx, [fn]).filter((p) => file.added.has(p.call.line));
  if (mine.length === 0) return [];
  const all = placedCalls(ctx, post.functions);
  const out: ContainerMismatch[] = [];
  for (const p of mine) {
    const counterparts = new Set(ctx.pairs.anyPrimitive(p.call.callee)?.counterparts ?? []);
    const others = all.filter((o) => o.role !== p.role && counterparts.has(o.call.callee) && sameObject(o, p) && (p.param === undefined || paired(file, o.fn, p.fn)));
    const same = all.filter((o) => o.role === p.role && o.call.callee === p.call.callee && sameObject(o, p));
    if (others.length === 0 || !others.every((o) => differentContainers(o, p))) continue;
    // every call of this side agrees on its container, and so does the other side: one container each
    if (!same.every((o) => containerKey(o.container)?.key === containerKey(p.container)?.key)) continue;
    const other = others[0] as Placed;
    if (!others.every((o) => containerKey(o.container)?.key === containerKey(other.container)?.key)) continue;
    // before the commit the file's calls on the object agreed (or the pair was not there)
    const before = placedCalls(ctx, file.pre?.functions ?? []).filter((o) =>
      p.param !== undefined
        ? sameObject(o, p) && (o.fn.name === fn.name || others.some((x) => x.fn.name === o.fn.name))
        : o.object.replace(/^\w+/, '') === p.object.replace(/^\w+/, '') && (o.fn.name !== fn.name || o.object === p.object),
    );
    const keys = new Set(before.filter((o) => counterparts.has(o.call.callee) || o.call.callee === p.call.callee).map((o) => containerKey(o.container)?.key ?? o.container));
    if (keys.size > 1) continue;
    out.push({ changed: p, other });
  }
  return out;
}

/**
 * Argument drift across the sides of a pair: the commit changes what one acquire is handed (the function's only call
 * of it, before and after: `fx_register_reset(fx_reset, s)` → `fx_register_reset(fx_reset, s->cpu[i])`), while a
 * release on the other side, unchanged, names what the old call was handed and not the new one
 * (`fx_unregister_reset(fx_reset, s)`). Not a rename: every old argument the new call dropped is still named in the
 * function.
 */
function driftedArguments(ctx: Ctx, file: ChangedFile, pair: SidePair): void {
  const summary = ctx.model.summary();
  const sides = ctx.model.sideRootsOf(file.postSides, pair);
  for (const name of pair.acquireSide) {
    if (!file.touched(name)) continue;
    const fn = file.post?.functionByName(name);
    const old = file.pre?.functionByName(name);
    if (!fn || !old) continue;
    for (const call of fn.calls) {
      if (!file.added.has(call.line) || call.args.length < 2 || call.result !== undefined) continue;
      const m = ctx.pairs.anyPrimitive(call.callee);
      if (!m || m.role !== 'acquire') continue;
      // the old call it replaces: the function's one call of it before, or the one of several that differs from it
      // in one argument only (`fx_register_reset(fx_reset, s)` kept in one branch, `(fx_cpu_reset, s)` new in the other)
      const now = call.args.map(squeeze);
      // (or of a variant of it, one undone by the same release: `fx_register_reset_nosnapshotload(...)` beside
      // `fx_register_reset(...)`, both undone by `fx_unregister_reset(...)`)
      const kin = (callee: string) => {
        if (callee === call.callee) return true;
        const k = ctx.pairs.anyPrimitive(callee);
        return k?.role === 'acquire' && k.counterparts.some((r) => m.counterparts.includes(r));
      };
      const before = old.calls.filter((c) => kin(c.callee));
      if (before.some((b) => b.args.map(squeeze).join(',') === now.join(','))) continue;
      const differsInOne = (b: CCall) => b.args.length === now.length && b.args.filter((a, i) => squeeze(a) !== now[i]).length === 1;
      const replaced = before.length === 1 && fn.calls.filter((c) => kin(c.callee)).length === 1 ? before[0] : before.find(differsInOne);
      if (!replaced) continue;
      const was = replaced.args.map(squeeze);
      // the dropped arguments are still in use in the function (a rename would leave none of them)
      const dropped = was.filter((a) => !now.includes(a));
      const used = (a: string) => fn.calls.some((c) => c !== call && c.args.some((x) => squeeze(x) === a || new RegExp(`(?<![\\w>.])${a.replace(/[^\w]/g, '\\$&')}(?![\\w])`).test(squeeze(x))));
      if (dropped.length === 0 || !dropped.every((a) => /^&?[A-Za-z_][\w>.-]*$/.test(a) && used(a))) continue;
      const releaseSide = [...summary.reach('post', sides.release, sides.acquire, file.path).values()];
      // a release on that side already naming the new arguments
      if (releaseSide.some((x) => x.fn.calls.some((c) => m.counterparts.includes(c.callee) && c.args.length > 0 && c.args.map(squeeze).every((a) => now.includes(a))))) continue;
      for (const r of releaseSide) {
        const release = r.fn.calls.find((c) => {
          if (!m.counterparts.includes(c.callee) || c.args.length === 0) return false;
          if (r.path === file.path && file.added.has(c.line)) return false;
          const args = c.args.map(squeeze);
          return args.every((a) => was.includes(a)) && !args.every((a) => now.includes(a));
        });
        if (!release) continue;
        ctx.report({
          at: { file: file.path, line: call.line, endLine: call.endLine, function: fn.name },
          // (the old call still made: the new one is an addition, not a replacement)
          messageId: fn.calls.some((c) => c !== call && kin(c.callee) && c.args.map(squeeze).join(',') === was.join(',')) ? 'argsAdded' : 'argsDrift',
          data: {
            fn: fn.name,
            callee: call.callee,
            now: call.args.map((a) => a.trim()).join(', '),
            was: replaced.args.map((a) => a.trim()).join(', '),
            oldCallee: replaced.callee,
            otherFn: r.fn.name,
            release: release.callee,
            releaseArgs: release.args.map((a) => a.trim()).join(', '),
            otherPath: r.path,
            otherLine: release.line,
          },
          related: [{ file: r.path, line: release.line, function: r.fn.name, messageId: 'releasesOld', data: { otherFn: r.fn.name } }],
          key: `args-drift|${fn.name}|${call.callee}|${release.callee}`,
        });
        break;
      }
    }
  }
}

/** An element a call took out of one container and a release gives to another. */
interface WrongContainer {
  acquire: CCall;
  release: CCall;
  other: CCall;
  element: string;
  taken: string;
  given: string;
}

/**
 * `vq = s->c_ivq; elem = fx_queue_pop(vq, ...); ... fx_queue_detach(s->c_ovq, elem, 0);`: an acquire that takes a
 * local element out of the container its first argument names (through a local set once from a field chain), a
 * release of that element (a counterpart, or named for giving back what the acquire takes) handed another field
 * chain of the same base as its container, while another release of the element in the function hands it the
 * acquire's own container.
 */
function wrongContainers(table: PairTable, fn: CFunction): WrongContainer[] {
  const out: WrongContainer[] = [];
  const sq = (t: string) => t.replace(/\s+/g, '');
  const resolve = (arg: string | undefined, before: number): string | null => {
    const a = sq(arg ?? '').replace(/^&/, '');
    if (/^\w+$/.test(a)) {
      const sets = (fn.assignments ?? []).filter((x) => x.target === a && x.line < before);
      const v = sets.length === 1 ? sq((sets[0] as { value: string }).value).replace(/^&/, '') : null;
      return v !== null && /^\w+(->|\.)[\w>.-]+$/.test(v) ? v.replace(/\./g, '->') : null;
    }
    return /^\w+(->|\.)[\w>.-]+$/.test(a) ? a.replace(/\./g, '->') : null;
  };
  const baseOf = (chain: string) => chain.replace(/->\w+$/, '');
  for (const acquire of fn.calls) {
    if (acquire.resultLocal !== true || acquire.result === undefined || !/^\w+$/.test(acquire.result.trim())) continue;
    const m = table.anyPrimitive(acquire.callee);
    if (m?.role !== 'acquire') continue;
    const element = acquire.result.trim();
    const taken = resolve(acquire.args[0], acquire.line);
    if (taken === null) continue;
    const gives = (c: CCall) => c.line > acquire.line && c.args.slice(1).some((a) => sq(a) === element) && (m.counterparts.includes(c.callee) || table.stemRelease(acquire.callee, c.callee));
    const releases = fn.calls.filter(gives);
    const other = releases.find((c) => resolve(c.args[0], c.line) === taken);
    if (!other) continue;
    for (const release of releases) {
      const given = resolve(release.args[0], release.line);
      if (given === null || given === taken || baseOf(given) !== baseOf(taken)) continue;
      out.push({ acquire, release, other, element, taken, given });
    }
  }
  return out;
}

function checkContainers(ctx: Ctx, file: ChangedFile, fn: CFunction): void {
  const summary = ctx.model.summary();
  const found = summary.introduced(fn, file, (f) => wrongContainers(ctx.pairs, f), (w, rename) => [`container|${rename(w.acquire.callee)}|${rename(w.release.callee)}|${w.given}`]);
  for (const w of found) {
    if (!file.added.has(w.release.line)) continue;
    ctx.report({
      at: { file: file.path, line: w.release.line, endLine: w.release.endLine, function: fn.name },
      messageId: 'wrongContainer',
      data: { fn: fn.name, element: w.element, release: w.release.callee, given: w.given, acquire: w.acquire.callee, taken: w.taken, file: file.path, acquireLine: w.acquire.line, other: w.other.callee, otherLine: w.other.line },
      related: [
        { file: file.path, line: w.acquire.line, function: fn.name, messageId: 'takenFrom', data: { acquire: w.acquire.callee, element: w.element, taken: w.taken } },
        { file: file.path, line: w.other.line, function: fn.name, messageId: 'givenBackThere', data: { other: w.other.callee, taken: w.taken } },
      ],
      key: `wrong-container|${fn.name}|${w.release.callee}|${w.given}`,
      repair: { callees: [w.release.callee], functions: [fn.name] },
    });
  }
}

export const mismatchedRelease: Rule<NoOptions, keyof typeof MESSAGES> = {
  meta: {
    id: 'mismatched-release',
    messages: MESSAGES,
    category: 'pair',
    severity: 'warning',
    summary:
      'A new release under a test of one field of an instance releases another field the function releases already, a release right after a step the code base makes on the same object names another object, a call rewritten to name the object of a twin function (a field, or an object of the file handed by address), an acquire and the release after it name two objects, the two calls of a pair name one object in two containers, a call copied into the block for another field keeps the first field, an acquire handed new arguments while the other side still releases the old ones, or libc free() of a GLib allocation',
    docs: {
      what:
        'The commit adds a release (a call of the pair table or of the code base\'s learned pairs, or one named for ' +
        'releasing) of one field of an instance (`s->a`) inside an `if` that tests another field of the same instance ' +
        'for being set (`if (s->b)`, `if (s->b != NULL)`, a descriptor\'s `if (s->b >= 0)`), while the function releases `s->a` already with the same ' +
        'call outside that block and releases `s->b` nowhere; and `s->b` is the kind of object the call releases ' +
        '(an acquire of its pair stores it in the commit\'s file, the function released it with that call before ' +
        'the commit, or another function of the file releases it with that call). ' +
        'Also: an element a call took out of the container its first argument names (`vq = s->c_ivq; elem = ' +
        'virtqueue_pop(vq, ...)`), given back by a release the commit adds (a counterpart, or named for giving back ' +
        'what the acquire takes) to another field of the same base (`virtqueue_detach_element(s->c_ovq, elem, 0)`), ' +
        'while another release of the element in the function gives it back to the acquire\'s own container. ' +
        'Also: a release on the same way right after a call the code base makes on an object just before that release ' +
        'gives the same object back (`fx_client_cleanup(nc); fx_client_free(nc);`, learned from the code as a ' +
        'step), when the two name different objects of one kind (two locals, or two fields of one base: `cleanup(peer); ' +
        'free(nc);`) and, on that way, neither object gets the other call; not when one local is cast from the other ' +
        '(`sc = container_of(c, ...)`), nor when the release is a plain free (`g_free`), which any memory meets. ' +
        'And a call the commit rewrites to name a sibling field of the same base (`get_fd(&s->rx_notifier)` → ' +
        '`get_fd(&s->tx_notifier)`, its other arguments unchanged) while the rest of the function still works on the ' +
        'old field, the function never named the new one before, and another function of the file (the twin, ' +
        '`fx_unregister_tx_notifier()`) calls the same callee on the new field: a line copied from the twin with its ' +
        'object left unedited. A commit that fixes such a line is not reported: the function already named its own object, ' +
        'the old call repeated another of the function word for word, or what the new call fills is named for the new field. ' +
        'So too a release rewritten (or moved) to hand another object of the file\'s own by address (`&vmstate_fx_conn` where it ' +
        'handed `&vmstate_fx_conn_physical`, the other arguments unchanged) that a twin function releases with the same call, ' +
        'while a function of the file still takes the old object with a counterpart and the function names it no more. ' +
        'And an acquire followed on the same way (under the same tests, or on an error branch that gives up after it: ' +
        '`r = fx_notifier_init(&vq->err, 0); ...; if (r) { fx_notifier_cleanup(&vq->masked); return r; }`) by the first ' +
        'release of its pair, each handed one object beside literals and constants, a status kept aside ' +
        '(`fx_counter_begin(s->tick); ...; fx_counter_commit(s->hz);`, ' +
        '`lock(&s->rx_lock); ...; unlock(&s->tx_lock);`, or one element by two indexes, `begin(s->t[index].tick); ...; ' +
        'commit(s->t[i].tick);`), on two objects of one kind, while on that way the function ' +
        'neither gives the first object back nor takes the second (anywhere before the release), nor stores the first anywhere (a new reference put ' +
        'in place of the old one it drops); reported when the commit made it so. ' +
        'And a call of a pair that names its object, by its address, after the container it goes into (`fx_region_add(c, ' +
        'off, &s->regs)`, `fx_region_del(c, &s->regs)`), on a line the commit changed, whose ' +
        'counterparts on the same object in the file all name one other container, plainly another (two functions ' +
        'called, such as `fx_system_space()` and `fx_bus_space(...)`, or two field chains: `&s->mr` and ' +
        '`&s->bus.mr` in one function), a local given one value followed to that value, while before the commit ' +
        'the file\'s calls on that object agreed on their container. A container named by a parameter or a local ' +
        'not followed is not compared. ' +
        'And, for any call (not only a release), one the commit adds in a block under `if (s->b)` naming `s->a`, a ' +
        'sibling field of the same base, where another block of the function under `if (s->a)` makes the same call on ' +
        '`s->a` with its other arguments the same, and nothing in the function makes it on `s->b`: the block was ' +
        'copied and that argument left as it was; the same for two locals of the function, a release of one argument ' +
        'included (`if (cert) { ...; g_free(session); }` after `if (session) { ...; g_free(session); }`), when the tested ' +
        'local got that call before the commit or holds what a call of the function made, and the block does not put the ' +
        'tested value in the released one\'s place (`close(read_fd); read_fd = reply_fd;` switches over). ' +
        'And an acquire of a pair the commit hands other arguments (the function\'s one call of it, before and after: ' +
        '`fx_register_reset(fx_reset, s)` → `fx_register_reset(fx_reset, s->cpu[j])`) while an unchanged release on the other ' +
        'side still names only what the old call took (`fx_unregister_reset(fx_reset, s)`) and no release there names the ' +
        'new ones; not a rename (each dropped argument is still named in the function). So, too, a call the commit adds ' +
        'beside the old one that differs from it in one argument (`fx_register_reset(fx_cpu_reset, dev)` in one branch, ' +
        'the old `fx_register_reset(fx_reset, dev)` in the other), or a variant of it the same release undoes ' +
        '(`fx_register_reset_nosnapshotload(fx_data_reset, dev)` beside `fx_register_reset(fx_reset, dev)`), when the ' +
        'other side releases only the old one. Two containers are plainly two when they are two functions called, two ' +
        'field chains, or two parameters of different names that both functions take (`ctl_bar` and `pend_bar` of ' +
        '`fx_msix_init(dev, ctl_bar, ..., pend_bar, ...)` and `fx_msix_uninit(dev, ctl_bar, pend_bar)`). The object is ' +
        'named by its address (`&s->m`), or is a parameter of the same name and place in the two functions of a pair of ' +
        'the file (`io` of `fx_register_io(dev, io, start)` and `fx_unregister_io(dev, io)`). And a free() the commit adds of what a GLib allocator returned ' +
        '(g_malloc0(), g_new(), g_strdup_printf(), ...): into the same variable earlier in the function, or into the ' +
        'same field (`s->pbp`, on any base) in any function of the file. ' +
        'An acquire and the first release of its pair after it on the same way that name two fields of one base (`fx_counter_begin(s->tick); ...; fx_counter_commit(s->hz);`); an earlier bracket of the other field, given back before (another case of the switch), is no take of it on this way. ' +
        'A release that differs from another call of it in the file in one argument, a field of the same base, where every acquire of its pair hands the other call\'s object in that place and this one only elsewhere (`fx_irqfd_remove(kvm, &d->resample, gsi)` beside the add\'s `(kvm, &d->intr, &d->resample, gsi)`). ' +
        'A function rewritten (its release put into a helper, say) to release another field of the same instance than before and the old one no more (`fx_unmap_page(as, &ad->res_fis, 1024)` where it unmapped `ad->lst`), while the twin function (the one whose name shares the most words) releases the new one already and another function still works on the old one.',
      why:
        'Teardown code is written by copying the block before it and editing the test: the release left unedited ' +
        'frees the first object a second time (a use after free, or a NULL dereference when the first block cleared ' +
        'it) and never frees the object the block was written for. Reviewers read the test and the new field name, ' +
        'and miss the argument. GLib documents that memory from its allocators must be freed with g_free(); libc\'s ' +
        'free() works only as long as GLib was built on the same allocator.',
      fix: 'Free what a GLib allocator returned with g_free(); release the object the block tests; after a step, give back the object the step was made on (or make the step on the object given back); give back the object the acquire took; take an object out of the container it was put into; hand the release what the changed acquire now takes.',
      bad: [
        'static void fx_dev_unrealize(DeviceState *dev)',
        '{',
        '    FxDev *s = FX_DEV(dev);',
        '',
        '    if (s->rx_timer) {',
        '        timer_free(s->rx_timer);',
        '    }',
        '+   if (s->tx_timer) {',
        '+       timer_free(s->rx_timer);',
        '+   }',
        '}',
      ].join('\n'),
      good: ['+   if (s->tx_timer) {', '+       timer_free(s->tx_timer);', '+   }'].join('\n'),
    },
  },
  create(context) {
    return {
      changedFunction(file, change) {
        if (!file.post) return;
        check(context, file, change);
        if (change.post && !change.post.hasErrors) checkContainers(context, file, change.post);
      },
      // the engine's loop over file.postSides (none without a post-image)
      pair(file, pair) {
        driftedArguments(context, file, pair);
      },
    };
  },
};
