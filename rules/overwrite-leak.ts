/**
 * overwrite-leak: a function keeps a heap buffer in one of its own variables
 * and frees it later, and the commit makes it fill the same variable again
 * before that free: the first buffer is lost.
 */
import type { CCall, CCondition, CExit, CFunction, CGuard, CStore } from '../src/cmodel/types.js';
import type { NoOptions, Rule, RuleContext } from '../src/rule/rule.js';
import type { PairTable } from '../src/pairs/table.js';
import type { ChangedFile, FunctionChange, ModelService } from '../src/rule/model.js';

const MESSAGES = {
  overwritten:
    '{{fn}}() fills `{{variable}}` again with {{second}}() while it still holds the heap buffer {{first}}() ' +
    'put there ({{file}}:{{firstLine}}), and nothing frees it in between: the first buffer leaks, since ' +
    '{{release}}() ({{file}}:{{releaseLine}}) frees only the last one. Free `{{variable}}` before it is filled ' +
    'again, or keep the second buffer in another variable.',
  fieldOverwritten:
    '{{fn}}() now sets `{{field}}` to `{{value}}` without releasing what it holds, while its other store to `{{field}}` ' +
    '({{file}}:{{otherLine}}) first releases the old one with {{release}}(): on this path what `{{field}}` held is lost, ' +
    'and nothing can release it any more. Call {{release}}({{arg}}) before this store too.',
  heldOverwritten:
    '{{fn}}() stores a new {{callee}}() result in `{{field}}`{{via}} in the branch where `{{field}}` was tested to ' +
    'hold one ({{file}}:{{testLine}}), without releasing the old one: what it held is lost, and nothing can release ' +
    'it any more ({{releaser}}() releases only the last one, at {{file}}:{{releaseLine}}). Call {{release}}({{arg}}) ' +
    'before the store, or keep the old one.',
  heldMayOverwrite:
    '{{fn}}() stores a new {{callee}}() result in `{{field}}` in a branch that also runs when `{{field}}` holds one ' +
    '(`{{condition}}` at {{file}}:{{testLine}}: only `{{empty}}` says it is empty), without releasing the old one: then ' +
    'what it held is lost, and nothing can release it any more ({{releaser}}() releases only the last one, at ' +
    '{{file}}:{{releaseLine}}). Call {{release}}({{arg}}) before the store when `{{field}}` holds one.',
  emptyTestDropped:
    '{{fn}}() now stores a new {{callee}}() result in `{{field}}` when `{{condition}}` ({{file}}:{{testLine}}), where ' +
    'before this commit it did so only when `{{oldCondition}}`: when `{{field}}` already holds one, what it held is lost, ' +
    'and nothing can release it any more ({{releaser}}() releases only the last one, at {{file}}:{{releaseLine}}). Call ' +
    '{{release}}({{arg}}) before the store when `{{field}}` holds one, or keep the test.',
  releaseDeleted:
    '{{fn}}() still stores a new value in `{{field}}` here (`{{value}}`), but this commit deleted the ' +
    '{{release}}({{arg}}) that released the old one right before it ({{oldFile}}:{{preLine}} before this commit), and ' +
    'nothing on the way releases it now: when `{{field}}` already holds one, what it held is lost, and nothing can ' +
    'release it any more. Keep the {{release}}() before the store.',
  fillPastGuard:
    '{{fn}}() now fills `{{field}}` here (`{{fill}}`) also when it already holds one: before this commit it left ' +
    'first when `{{condition}}` ({{oldFile}}:{{preLine}}), and nothing on the way releases what it holds now. What it ' +
    'held is lost, and nothing can release it any more ({{releaser}}() releases it with {{release}}() only at ' +
    '{{file}}:{{releaseLine}}). Release it before filling it again, or leave when it holds one as before.',
  fillPastEmptyTest:
    '{{fn}}() now fills `{{field}}` here (`{{fill}}`) whether or not it already holds one: before this commit it did ' +
    'so only when `{{condition}}` ({{oldFile}}:{{preLine}}), and nothing on the way gives back with {{release}}() what ' +
    'an earlier {{acquire}}() left there: when it already holds one, what it held is lost. Release it before filling ' +
    'it again, or keep the test.',
  releaseOffPath:
    '{{fn}}() now stores a new value in `{{field}}` here (`{{value}}`) on a way that no longer releases the old one: ' +
    'before this commit {{release}}({{arg}}) ({{oldFile}}:{{preLine}}) released it on the way to every store into ' +
    '`{{field}}`, and now no release of it reaches this one{{moved}}. When `{{field}}` already holds one, what it held ' +
    'is lost, and nothing can release it any more. Release it on the way to this store too.',
  // where the release went ({{moved}} above)
  movedAway: ' ({{release}}() at {{file}}:{{line}} runs only on a way that leaves before it)',
  rebuilt:
    '{{fn}}() fills `{{variable}}` again with {{second}}(), which copies the buffer `{{variable}}` holds ({{first}}() ' +
    'put it there, {{file}}:{{firstLine}}) into a new one and keeps nothing of it: the old buffer leaks, since ' +
    '{{release}}() ({{file}}:{{releaseLine}}) frees only the last one. Keep the old buffer in another variable and free ' +
    'it once the new one is made.',
  fieldRebuilt:
    '{{fn}}() now stores in `{{field}}` a new buffer that {{callee}}() builds from the one `{{field}}` holds, and ' +
    'frees nothing: {{callee}}() copies what it reads and keeps nothing of it, so the old buffer is lost, and nothing ' +
    'can free it any more ({{releaser}}() frees only the last one, at {{file}}:{{releaseLine}}). Keep the old value in ' +
    'a local and free it after the store.',
  ownedDropped:
    '{{fn}}() now sets `{{field}}` to `{{value}}` without freeing the heap buffer it may hold: {{allocator}}() fills ' +
    'that field from the heap ({{file}}:{{allocLine}}, in {{allocFn}}()) and nothing on this way frees it, keeps a copy ' +
    'or hands it on, so whenever `{{field}}` holds one here, that buffer is lost and nothing can free it any more. ' +
    'Free it first (`g_free({{field}});`, or g_clear_pointer()), or say in the commit message why it is empty here.',
  emptyAssertDropped:
    '{{fn}}() still stores a new {{callee}}() result in `{{field}}`{{via}}, but this commit deleted the `{{assertion}}` that ' +
    'stood before the store ({{oldFile}}:{{assertLine}} before this commit) and nothing on the way releases or tests ' +
    '`{{field}}` now: when it already holds one, what it held is lost, and nothing can release it any more ' +
    '({{releaser}}() releases only the last one, at {{file}}:{{releaseLine}}). Call {{release}}({{arg}}) before the ' +
    'store when `{{field}}` holds one, or keep the assertion.',
  loopOverwritten:
    '{{fn}}() fills `{{variable}}` with {{callee}}() on every pass of the loop (`{{loop}}`, {{file}}:{{loopLine}}) but ' +
    'frees it only after the loop ({{release}}(), {{file}}:{{releaseLine}}): each pass drops the buffer the pass before ' +
    'made, and only the last one is freed. Free `{{variable}}` at the end of each pass.',
  throughHelper: ' (through {{helper}}(), which stores it at {{file}}:{{line}})',
  // related locations
  allocatedThere: '{{allocFn}}() fills `{{field}}` from the heap here',
  releasesLast: '{{releaser}}() frees `{{field}}` with {{release}}() here',
  testedHeld: '`{{field}}` is tested to hold one here',
  testedMayHold: 'this test lets the branch run while `{{field}}` holds one',
  replacesEmptyTest: 'this test replaces `{{oldCondition}}`, and lets the branch run while `{{field}}` holds one',
  releasedElsewhere: '{{releaser}}() releases `{{field}}` with {{release}}() here',
  releasedAway: '{{release}}() releases it here, on a way that does not reach the store',
  releasesBeforeStore: '{{fn}}() releases the old `{{field}}` with {{release}}() here, before storing the new one',
  firstFill: '{{callee}}() puts the first buffer in `{{variable}}` here',
  freesLast: '{{release}}() frees only the last buffer here',
};

type Ctx = RuleContext<NoOptions, keyof typeof MESSAGES>;

/** A call that puts a heap buffer in one of the function's own variables, which the function frees later. */
interface Fill {
  call: CCall;
  variable: string;
  /** the heap releases of the variable after the call */
  frees: CCall[];
}

interface Overwrite {
  first: Fill;
  second: Fill;
}

/**
 * The heap buffers the function keeps in its own variables: a heap allocator's value
 * (`buf = g_malloc0(n)`) or a buffer filled in through a variable's address
 * (`get_info(dev, &info)`), when the function frees that variable later itself.
 */
function fillsOf(model: ModelService, table: PairTable, fn: CFunction): Fill[] {
  const out: Fill[] = [];
  for (const call of fn.calls) {
    if (call.autoReleased) continue;
    if (call.resultLocal && call.result !== undefined && table.isHeapAllocation(call.callee)) {
      const variable = call.result.trim();
      const frees = fn.calls.filter((c) => c.line > call.line && model.isHeapRelease(c.callee) && c.args[0]?.trim() === variable);
      if (frees.length > 0) out.push({ call, variable, frees });
      continue;
    }
    const filled = model.filledHeapVariable(fn, call);
    if (filled) out.push({ call, variable: filled.variable, frees: filled.frees });
  }
  return out;
}

/** A heap allocator that copies what it reads (`g_strdup_printf`), not one that takes the buffer it is handed (`g_realloc`). */
const copiesArgument = (table: PairTable, call: CCall) => table.isHeapAllocation(call.callee) && !table.resizesHeap(call.callee);

/** A point on the function's path where `second` runs, to ask what is still held there. */
const pointOf = (call: CCall): CExit => ({ kind: 'return', line: call.line, guards: call.guards, inLoop: call.inLoop });

/**
 * Fills of a variable that still holds the buffer of the fill before it: nothing on the way frees
 * it, hands it over or stores something else in it, and both run on one path.
 */
function overwrites(model: ModelService, table: PairTable, fn: CFunction): Overwrite[] {
  const fills = fillsOf(model, table, fn);
  const out: Overwrite[] = [];
  for (const second of fills) {
    // the fill before it of the same variable
    const first = fills.filter((f) => f.variable === second.variable && f.call.line < second.call.line).pop();
    if (!first) continue;
    // `info = g_realloc(info, size)`: the second call is handed the first buffer, and keeps or frees it (an allocator
    // that copies what it reads, `name = g_strdup_printf("%s.%d", name, n)`, keeps nothing of it)
    if (second.call.args.some((a) => a.trim() === second.variable) && !copiesArgument(table, second.call)) continue;
    const at = pointOf(second.call);
    // on one path: not when the first fill's block leaves before the second (`if (x) { v = alloc(); ...; return; }`),
    // nor when the two are in different branches of one condition
    if (!model.mayHoldAt(fn, first.call, at)) continue;
    const between = (line: number) => line > first.call.line && line < second.call.line;
    // a free on the way (a free in a block that leaves, on the first fill's error path, is on another way)
    if (fn.calls.some((c) => between(c.line) && model.isHeapRelease(c.callee) && c.args[0]?.trim() === first.variable && model.mayHoldAt(fn, c, at))) continue;
    // `g_clear_pointer(&v, g_free)`, `v = NULL`, a hand-over (onto a list, into a field)
    if (fn.calls.some((c) => between(c.line) && c.args.some((a) => a.replace(/\s+/g, '') === `&${first.variable}`) && c !== second.call)) continue;
    if (fn.statements.some((st) => between(st.line) && new RegExp(`^${first.variable}\\s*=[^=]`).test(st.normalized))) continue;
    if (model.handedOverBefore(fn, first.call, second.call.line, first.variable)) continue;
    // kept under another name on the way (`char *prev = str; str = g_strdup_printf("%s %d", prev, n); g_free(prev);`)
    const copy = new RegExp(`^(\\w+)\\s*=\\s*${first.variable}\\s*;$`);
    if (fn.statements.some((st) => between(st.line) && copy.exec((st.assignment ?? st.normalized).trim())?.[1] !== undefined)) continue;
    out.push({ first, second });
  }
  return out;
}

/** A fill in a loop whose variable is freed only after the loop: each pass drops the buffer of the pass before. */
interface LoopOverwrite {
  fill: Fill;
  loop: CCondition;
}

/**
 * Fills of a variable on every pass of a `for`/`while` loop (under no test of its own in the pass), whose frees
 * all come after the loop (`for (...) { name = g_strdup_printf(...); use(name); } g_free(name);`): nothing in the
 * body after the fill frees it, hands it over (onto a list, into a field, returned), passes its address, gives the
 * variable another value or keeps it under another name, so the next pass's fill drops it.
 */
function loopOverwrites(model: ModelService, table: PairTable, fn: CFunction): LoopOverwrite[] {
  const out: LoopOverwrite[] = [];
  for (const fill of fillsOf(model, table, fn)) {
    if (!fill.call.inLoop || fill.call.result === undefined) continue;
    // a fill handed its own last value (`str = g_strdup_printf("%s %d", str, i)`): the rebuilt form's
    if (fill.call.args.some((a) => squeeze(a) === fill.variable)) continue;
    const last = fill.call.guards[fill.call.guards.length - 1];
    if (!last || last.negated || (last.condition.kind !== 'for' && last.condition.kind !== 'while')) continue;
    const loop = last.condition;
    const v = fill.variable;
    const inBody = (line: number) => line > loop.endLine && line <= loop.stmtEndLine;
    if (!fill.frees.every((c) => c.line > loop.stmtEndLine)) continue;
    // nothing in the body frees it, takes its address or gives it another value (before or after the fill: the
    // pass may start with `g_free(name)`), and it leaves the pass only by going round
    if (fn.calls.some((c) => inBody(c.line) && c !== fill.call && (model.isHeapRelease(c.callee) || isReleaseCall(table, c)) && c.args.some((a) => a.trim() === v))) continue;
    if (fn.calls.some((c) => inBody(c.line) && c.args.some((a) => a.replace(/\s+/g, '') === `&${v}`))) continue;
    if (fn.statements.some((st) => inBody(st.line) && st.line !== fill.call.line && new RegExp(`^${v}\\s*=[^=]`).test(st.normalized))) continue;
    if (fn.calls.some((c) => inBody(c.line) && c !== fill.call && c.result?.trim() === v)) continue;
    // handed over anywhere in the body: before the fill too, where the next pass hands over what this one made
    // (`while (pop(vq, &cmd->elem)) { QTAILQ_INSERT_TAIL(&q, cmd, next); cmd = g_new(...); }`)
    if (model.handedOverBefore(fn, { ...fill.call, line: loop.line }, loop.stmtEndLine + 1, v)) continue;
    const copy = new RegExp(`=\\s*${v}\\s*;$`);
    if (fn.statements.some((st) => inBody(st.line) && copy.test((st.assignment ?? st.normalized).trim()))) continue;
    if (fn.stores.some((st) => inBody(st.line) && st.value.trim() === v)) continue;
    if (fn.exits.some((e) => inBody(e.line) && e.kind !== 'continue' && e.line > fill.call.line)) continue;
    out.push({ fill, loop });
  }
  return out;
}

function checkLoops(ctx: Ctx, file: ChangedFile, fn: CFunction): void {
  const summary = ctx.model.summary();
  const found = summary.introduced(fn, file, (f) => loopOverwrites(ctx.model, ctx.pairs, f), (o, rename) => [`loop|${o.fill.variable}|${rename(o.fill.call.callee)}`]);
  for (const { fill, loop } of found) {
    if (!file.addedIn(loop.stmtLine, loop.stmtEndLine)) continue;
    const release = fill.frees[0] as CCall;
    ctx.report({
      at: { file: file.path, line: fill.call.line, endLine: fill.call.endLine, function: fn.name },
      messageId: 'loopOverwritten',
      data: {
        fn: fn.name,
        variable: fill.variable,
        callee: fill.call.callee,
        loop: loop.normalized,
        file: file.path,
        loopLine: loop.line,
        release: release.callee,
        releaseLine: release.line,
      },
      related: [{ file: file.path, line: release.line, function: fn.name, messageId: 'freesLast', data: { release: release.callee } }],
      key: `overwrite-loop|${fn.name}|${fill.variable}|${fill.call.callee}`,
      repair: { callees: [release.callee], functions: [fn.name] },
    });
  }
}

/** A store into a field that drops what the field held, where the function's other store releases it first. */
interface FieldOverwrite {
  store: CStore;
  other: CStore;
  release: CCall;
}

const squeeze = (t: string) => t.replace(/\s+/g, '');

/**
 * Stores into a field of the function (`s->ds = NULL;`) with no release of what the field holds before them on their
 * way, where the function's other store into the same field comes right after a release of it in the same block
 * (`qemu_free_displaysurface(s->ds); s->ds = surface;`): the function's own code says the field owns what it holds.
 * Not when the store keeps the old value somewhere first (`old = s->ds;`), hands it to the new value
 * (`s->buf = g_realloc(s->buf, n)`), or stands under a test that the field is empty.
 */
/** A release of what a field holds: a heap free, a pair's release, or a call named for releasing. */
const isReleaseCall = (table: PairTable, c: CCall) => table.freesHeapValue(c.callee) || table.anyPrimitive(c.callee)?.role === 'release' || table.hasReleaseVerb(c.callee);

function fieldOverwrites(model: ModelService, table: PairTable, fn: CFunction): FieldOverwrite[] {
  const out: FieldOverwrite[] = [];
  const releases = (c: CCall, target: string) => isReleaseCall(table, c) && c.args.some((a) => squeeze(a) === target);
  for (const other of fn.stores) {
    // a replacement: a new value stored on the normal path (a release then `= NULL`, `= -1`, is a clearing, and
    // on an error path an unwind of what the function itself just set)
    if (model.fieldChain(other.target) === null || /^(NULL|-\s*1|0|false)$/.test(other.value.trim()) || model.onErrorPath(fn, other.line)) continue;
    const target = squeeze(other.target);
    // the release right before it, in its own block
    const release = fn.calls.filter((c) => c.line < other.line && c.line >= other.line - 3 && c.guards.length === other.guards.length && model.guardsCover(c.guards, other.guards) && releases(c, target)).at(-1);
    if (!release) continue;
    for (const store of fn.stores) {
      if (store === other || squeeze(store.target) !== target || usesOldValue(store.value, store.target)) continue;
      // released on its way (under tests that hold whenever the store runs), or read into another place first
      if (fn.calls.some((c) => c.line < store.line && releases(c, target) && model.guardsCover(c.guards, store.guards))) continue;
      const t = target.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      const kept = new RegExp(`=\\s*${t}\\s*;`);
      if (fn.statements.some((st) => st.line < store.line && kept.test(squeeze(st.normalized)))) continue;
      if (store.guards.some((g) => !g.negated && new RegExp(`^(!\\s*${t}|${t}==NULL)$`).test(squeeze(g.condition.normalized)))) continue;
      out.push({ store, other, release });
    }
  }
  return out;
}

/** A field given a new heap buffer built from its own (`s->label = g_strdup_printf("%s:%d", s->label, port)`). */
interface FieldRebuilt {
  call: CCall;
  field: string;
  /** where the file frees what the field holds, which says the field owns a heap buffer */
  release: CCall;
  releaser: CFunction;
}

/**
 * Heap allocations that copy (not g_realloc) stored into a field and handed that field's own value
 * (`s->label = g_strdup_printf("%s:%d", s->label, port)`), where a function of the file frees that field with a
 * heap free (it owns a heap buffer), and the function keeps no copy of the old value first (`old = s->label;`).
 */
function rebuiltFields(model: ModelService, table: PairTable, fn: CFunction, others: readonly CFunction[]): FieldRebuilt[] {
  const out: FieldRebuilt[] = [];
  for (const call of fn.calls) {
    if (call.result === undefined || !copiesArgument(table, call)) continue;
    const chain = model.fieldChain(call.result.trim())?.join('.');
    if (chain === undefined) continue;
    const field = squeeze(call.result);
    if (!call.args.some((a) => squeeze(model.withoutCasts(a)) === field)) continue;
    const t = field.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    if (fn.statements.some((st) => st.line < call.line && new RegExp(`=${t};`).test(squeeze(st.normalized)))) continue;
    const namesField = (a: string) => model.fieldChain(a.replace(/^\s*&/, '').trim())?.join('.') === chain;
    let found: { release: CCall; releaser: CFunction } | null = null;
    for (const other of [fn, ...others]) {
      const release = other.calls.find((c) => c !== call && table.freesHeapValue(c.callee) && c.args.some(namesField));
      if (release) {
        found = { release, releaser: other };
        break;
      }
    }
    if (found) out.push({ call, field, ...found });
  }
  return out;
}

function checkRebuiltFields(ctx: Ctx, file: ChangedFile, fn: CFunction): void {
  const others = (file.post?.functions ?? []).filter((f) => f.name !== fn.name);
  const found = ctx.model.summary().introduced(
    fn,
    file,
    (f) => rebuiltFields(ctx.model, ctx.pairs, f, others),
    (o, rename) => [`rebuilt|${o.field}|${rename(o.call.callee)}`],
  );
  for (const { call, field, release, releaser } of found) {
    if (!file.added.has(call.line)) continue;
    ctx.report({
      at: { file: file.path, line: call.line, endLine: call.endLine, function: fn.name },
      messageId: 'fieldRebuilt',
      data: { fn: fn.name, field: call.result?.trim() ?? field, callee: call.callee, releaser: releaser.name, file: file.path, releaseLine: release.line },
      related: [{ file: file.path, line: release.line, function: releaser.name, messageId: 'releasesLast', data: { releaser: releaser.name, field: call.result?.trim() ?? field, release: release.callee } }],
      key: `field-rebuilt|${fn.name}|${field}`,
      repair: { callees: [release.callee], functions: [fn.name] },
    });
  }
}

/** A function named for setting up a new object (an init, an instance init, a realize, a probe). */
const CONSTRUCTOR = /(^|_)(init|initfn|instance_init|new|create|alloc|setup|realize|realizefn|probe)(_|$)/;

/** A store into a field that owns a heap buffer, which drops what it holds. */
interface OwnedDropped {
  store: CStore;
  alloc: CCall;
  allocFn: CFunction;
}

/**
 * Stores into a field that owns a heap buffer (`s->buf = NULL;`, `s->name = g_strndup(v, 8);`) with nothing on the
 * function's way before them that frees the field, keeps a copy of it, hands it to a call or tests it: another
 * function of the file fills the field from the heap under no test (an instance init, a realize), or, for a store
 * of NULL, under any test where the file also frees it somewhere (the field owns what it holds). Not in the function that fills it, nor in one
 * the file frees it in.
 */
function droppedOwnedFields(model: ModelService, table: PairTable, fn: CFunction, others: readonly CFunction[]): OwnedDropped[] {
  const out: OwnedDropped[] = [];
  // a constructor sets up a fresh object: what its fields held before is nothing
  if (CONSTRUCTOR.test(fn.name)) return out;
  const chainOf = (t: string) => model.fieldChain(t.replace(/^\s*&/, '').trim())?.join('.');
  for (const store of fn.stores) {
    const chain = chainOf(store.target);
    if (chain === undefined || !store.target.includes('->')) continue;
    // (nor an object the function made or found itself: `quirk = fx_quirk_alloc(...); quirk->mem = g_new0(...)`)
    const base = /^(\w+)\s*->/.exec(store.target.trim())?.[1];
    // (a cast of what the function was handed, `FxNic *s = FX_NIC(d);`, `container_of(...)`, is no new object)
    const made = (v: string) => /^\(?\s*[a-z_]\w*\s*\(/.test(v.trim()) && !/^\(?\s*container_of\b/.test(v.trim());
    if (base === undefined || fn.assignments?.some((a) => a.target === base && a.line <= store.line && made(a.value))) continue;
    const value = store.value.trim();
    const clears = /^(NULL|0)$/.test(value);
    // (a new buffer made of the old one is the rebuilt mode's, or a resize's that takes it: `g_realloc(s->buf, n)`)
    const refills = fn.calls.find(
      (c) => c.line === store.line && c.result !== undefined && chainOf(c.result) === chain && table.isHeapAllocation(c.callee) && !c.args.some((a) => chainOf(a) === chain),
    );
    if (!clears && !refills) continue;
    // the function fills, frees or hands on the field itself elsewhere: its own code decides what it holds
    const names = (c: CCall) => c.args.some((a) => chainOf(a) === chain || a.includes(store.target.trim()));
    if (fn.calls.some((c) => c !== refills && ((c.result !== undefined && chainOf(c.result) === chain) || (c.line <= store.line && names(c))))) continue;
    const t = squeeze(store.target).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    if (fn.statements.some((st) => st.line < store.line && new RegExp(`=${t};`).test(squeeze(st.normalized)))) continue;
    if (store.guards.some((g) => new RegExp(`(^|[^\\w>.])${t}($|[^\\w])`).test(squeeze(g.condition.normalized)))) continue;
    if (fn.stores.some((st) => st !== store && st.line < store.line && chainOf(st.target) === chain)) continue;
    // (a new buffer replaces one a function made under no test; NULL drops one made under any test, where the file
    // also frees the field)
    let alloc: { call: CCall; fn: CFunction } | null = null;
    for (const other of others) {
      // (a new buffer replaces only what a constructor of the object made: two modes may each fill the field anew)
      if (!clears && !CONSTRUCTOR.test(other.name)) continue;
      const c = other.calls.find((x) => (clears || x.guards.length === 0) && x.result !== undefined && chainOf(x.result) === chain && table.isHeapAllocation(x.callee));
      if (c) {
        alloc = { call: c, fn: other };
        break;
      }
    }
    if (!alloc) continue;
    if (clears && !others.some((o) => o.calls.some((c) => table.freesHeapValue(c.callee) && c.args.some((a) => chainOf(a) === chain)))) continue;
    out.push({ store, alloc: alloc.call, allocFn: alloc.fn });
  }
  return out;
}

function checkOwnedDropped(ctx: Ctx, file: ChangedFile, fn: CFunction): void {
  const others = (file.post?.functions ?? []).filter((f) => f.name !== fn.name);
  const found = ctx.model.summary().introduced(
    fn,
    file,
    (f) => droppedOwnedFields(ctx.model, ctx.pairs, f, others),
    // (the same kind of store into the same field in the pre-image is not new, whatever its arguments now)
    (o, rename) => [`owned|${squeeze(o.store.target)}|${/^(NULL|0)$/.test(o.store.value.trim()) ? 'NULL' : rename(o.store.value.trim().split('(')[0] ?? '')}`],
  );
  for (const { store, alloc, allocFn } of found) {
    if (!file.added.has(store.line)) continue;
    ctx.report({
      at: { file: file.path, line: store.line, function: fn.name },
      messageId: 'ownedDropped',
      data: { fn: fn.name, field: store.target.trim(), value: store.value.trim(), allocator: alloc.callee, file: file.path, allocLine: alloc.line, allocFn: allocFn.name },
      related: [{ file: file.path, line: alloc.line, function: allocFn.name, messageId: 'allocatedThere', data: { allocFn: allocFn.name, field: store.target.trim() } }],
      key: `owned-dropped|${fn.name}|${squeeze(store.target)}`,
      repair: { callees: ['g_free'], functions: [fn.name] },
    });
  }
}

/** A pair's acquire stored into a field in the branch of a test that the field holds one, with nothing released first. */
interface HeldOverwrite {
  call: CCall;
  field: string;
  test: CCondition;
  /** the helper of the file that makes the store, for a store read at the helper's call */
  via?: { helper: string; line: number };
  /** the pair's release the file applies to that field in another function */
  release: CCall;
  releaser: CFunction;
  /** the test's disjunct that says the field is empty, when another disjunct lets the branch run while it holds one */
  empty?: string;
}

/**
 * Acquires whose value a function stores into a field (`n->opts = fx_opts_clone(...)`) in the branch of a test
 * that the field holds something (`if (n->opts) {`, the else of `if (!n->opts)`), with no release of it, no store
 * into it and no copy of it (`old = n->opts;`) between the test and the store; where another function of the file
 * releases that field with the pair's release (the field owns what it holds).
 */
function heldOverwrites(model: ModelService, table: PairTable, fn: CFunction, others: readonly CFunction[], known: ReadonlySet<string>, stores: readonly HelperStore[] = []): HeldOverwrite[] {
  const out: HeldOverwrite[] = [];
  // (also a store a helper of the file makes into a field of what it is handed, read at its call: `fx_load_rom(s)`)
  for (const { call, via } of [...fn.calls.map((call) => ({ call, via: undefined as HelperStore['via'] | undefined })), ...stores]) {
    if (call.result === undefined || model.fieldChain(call.result) === null) continue;
    const field = squeeze(call.result);
    // (a heap allocation too: the field owns what it holds when another function frees it)
    const m = model.matchPrimitive(call, fn, table, known, true) ?? (table.isHeapAllocation(call.callee) ? table.anyPrimitive(call.callee) : null);
    if (m?.role !== 'acquire') continue;
    // (handed the old value, `s->buf = g_realloc(s->buf, n)`: it takes it over)
    if (call.args.some((a) => squeeze(a) === field)) continue;
    const t = field.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const holds = new RegExp(`^(${t}|${t}!=NULL)$`);
    const empty = new RegExp(`^(!${t}|${t}==NULL)$`);
    // or a test that the field is empty widened with another case (`!s->ctx || s->algo != algo`): the branch runs
    // also when the field holds one
    const widened = (g: CGuard) => {
      if (g.negated) return undefined;
      const parts = model.disjuncts(g.condition.normalized);
      return parts.length > 1 ? parts.find((d) => empty.test(squeeze(d))) : undefined;
    };
    const guard = call.guards.find((g) => (!g.negated && holds.test(squeeze(g.condition.normalized))) || (g.negated && empty.test(squeeze(g.condition.normalized))) || widened(g) !== undefined);
    if (!guard || guard.condition.kind !== 'if') continue;
    const emptyPart = widened(guard);
    const test = guard.condition;
    const between = (line: number) => line > test.endLine && line < call.line;
    // released, or handed to something named for taking or releasing it, on the way (a read of it is neither)
    const takesIt = (c: CCall) => table.freesHeapValue(c.callee) || table.anyPrimitive(c.callee)?.role === 'release' || table.hasReleaseVerb(c.callee) || /(add|insert|push|append|set|take|steal|move)/.test(c.callee);
    if (fn.calls.some((c) => c !== call && between(c.line) && takesIt(c) && c.args.some((a) => squeeze(a).replace(/^&/, '') === field || squeeze(a).endsWith(`(${field})`)))) continue;
    if (fn.stores.some((st) => between(st.line) && squeeze(st.target) === field)) continue;
    // ...or handed, by its holder, to a function of the file that releases it (`audio_del(vs)` giving back
    // `vs->audio_cap` before `audio_add(vs)` makes a new one)
    const holder = /^(\w+)->/.exec(field)?.[1];
    const last = field.split(/->|\./).at(-1) as string;
    const releasesField = (f: CFunction) => f.calls.some((x) => (m.counterparts.includes(x.callee) || table.freesHeapValue(x.callee)) && x.args.some((a) => new RegExp(`(->|\\.)${last}$`).test(squeeze(a))));
    if (holder !== undefined && fn.calls.some((c) => between(c.line) && c.args.some((a) => squeeze(a) === holder) && others.some((f) => f.name === c.callee && releasesField(f)))) continue;
    const kept = new RegExp(`=${t};`);
    if (fn.statements.some((st) => between(st.line) && kept.test(squeeze(st.normalized)))) continue;
    // the field owns what it holds: another function of the file releases it with the pair's release
    let found: { release: CCall; releaser: CFunction } | null = null;
    for (const other of others) {
      if (other.name === fn.name) continue;
      const release = other.calls.find((c) => m.counterparts.includes(c.callee) && c.args.some((a) => model.fieldChain(a.replace(/^&/, '').trim())?.join('.') === model.fieldChain(field)?.join('.')));
      if (release) {
        found = { release, releaser: other };
        break;
      }
    }
    if (found) out.push({ call, field, test, ...found, ...(emptyPart !== undefined ? { empty: emptyPart } : {}), ...(via ? { via } : {}) });
  }
  return out;
}

/** Does the branch of `g` run only when the field `field` (squeezed) is empty (`!f`, `f == NULL`, the else of `f`)? */
function runsOnlyEmpty(model: ModelService, g: CGuard, field: string): boolean {
  const t = field.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const holds = new RegExp(`^(${t}|${t}!=NULL)$`);
  const empty = new RegExp(`^(!${t}|${t}==NULL)$`);
  const cond = squeeze(g.condition.normalized);
  if (g.negated) return holds.test(cond) || model.disjuncts(g.condition.normalized).some((d) => holds.test(squeeze(d)));
  return empty.test(cond) || model.conjuncts(g.condition.normalized).some((c) => empty.test(squeeze(c)));
}

/**
 * A pair's acquire stored into a field (`s->t = timer_new_ns(...)`) right after an assertion that the field is empty
 * (`assert(!s->t);`), which the commit deleted while keeping the store: nothing on the way releases, tests, hands over
 * or stores the field now, and another function of the file releases it with the pair's release.
 */
function checkEmptyAssertDropped(ctx: Ctx, file: ChangedFile, fn: CFunction): void {
  const m = ctx.model;
  const summary = m.summary();
  const old = summary.oldSelf(fn, file);
  if (!old) return;
  for (const { call, via } of [...fn.calls.map((call) => ({ call, via: undefined })), ...helperStores(m, file, fn)]) {
    if (call.result === undefined || m.fieldChain(call.result) === null) continue;
    const field = squeeze(call.result);
    if (call.guards.some((g) => runsOnlyEmpty(m, g, field))) continue;
    const before = old.calls.find((c) => c.callee === summary.preName(call.callee) && c.result !== undefined && squeeze(c.result) === field);
    if (!before) continue;
    // the assertion the pre-image made right before it, in its block, that the commit deleted
    const empty = (arg: string) => runsOnlyEmpty(m, { negated: false, condition: { kind: 'if', text: arg, normalized: arg, names: [], callees: [], line: 0, endLine: 0, stmtLine: 0, stmtEndLine: 0 } }, field);
    const assertion = old.calls.find(
      (c) => /^(g_)?assert$/.test(c.callee) && c.line < before.line && c.line >= before.line - 3 && file.removed.has(c.line) && c.args.length === 1 && empty(c.args[0] as string),
    );
    if (!assertion) continue;
    const match = m.matchPrimitive(call, fn, ctx.pairs, summary.knownNames, true);
    if (match?.role !== 'acquire') continue;
    const named = (a: string) => squeeze(a).replace(/^&/, '') === field || squeeze(a).endsWith(`(${field})`);
    if (fn.calls.some((c) => c !== call && c.line < call.line && c.args.some(named))) continue;
    // (or releases it through a helper of the program called first: `fx_timer_cleanup(s)` freeing `s->t`)
    const namesField = (a: string) => m.fieldChain(a.replace(/^\s*&/, '').trim())?.join('.') === m.fieldChain(field)?.join('.');
    const viaHelper = fn.calls.some(
      (c) => c.line < call.line && summary.post.has(c.callee) && [...summary.reach('post', [c.callee], [], file.path).values()].some((r) => r.fn.calls.some((d) => isReleaseCall(ctx.pairs, d) && d.args.some(namesField))),
    );
    if (viaHelper) continue;
    // (not the store of this very call, which may stand on the line above it: `s->t =\n timer_new_ns(...)`)
    if (fn.stores.some((st) => st.line < call.line && squeeze(st.target) === field && !st.value.includes(call.callee))) continue;
    const chain = m.fieldChain(field)?.join('.');
    const owner = (file.post?.functions ?? [])
      .filter((o) => o.name !== fn.name)
      .flatMap((o) => o.calls.filter((c) => match.counterparts.includes(c.callee) && c.args.some((a) => m.fieldChain(a.replace(/^&/, '').trim())?.join('.') === chain)).map((release) => ({ release, releaser: o })))
      .at(0);
    if (!owner) continue;
    ctx.report({
      at: { file: file.path, line: call.line, endLine: call.endLine, function: fn.name },
      messageId: 'emptyAssertDropped',
      data: {
        fn: fn.name,
        callee: call.callee,
        field,
        via: via ? ctx.format('throughHelper', { helper: via.helper, file: file.path, line: via.line }) : '',
        assertion: `${assertion.callee}(${assertion.args.join(', ')})`,
        oldFile: file.oldPath ?? file.path,
        assertLine: assertion.line,
        file: file.path,
        releaser: owner.releaser.name,
        releaseLine: owner.release.line,
        release: owner.release.callee,
        arg: field,
      },
      related: [{ file: file.path, line: owner.release.line, function: owner.releaser.name, messageId: 'releasedElsewhere', data: { releaser: owner.releaser.name, field, release: owner.release.callee } }],
      key: `empty-assert-dropped|${fn.name}|${field}`,
      repair: { callees: [owner.release.callee], functions: [fn.name] },
    });
  }
}

/** A store a helper of the file makes into a field of what it is handed, read at the call of the helper. */
interface HelperStore {
  /** the helper's call as if it made the store itself: its callee, with the result named from the caller's argument */
  call: CCall;
  via: { helper: string; line: number };
}

/**
 * The stores of a value a call makes that helpers of the file make, under no test, into a field of one of their
 * parameters (`fx_timer_setup(s)` doing `s->t = timer_new_ns(...)`), each read at the helper's call in `fn` as a store
 * into the field of the argument it hands there (`vvc->t`), with the call's guards.
 */
function helperStores(m: ModelService, file: ChangedFile, fn: CFunction, image: 'pre' | 'post' = 'post'): HelperStore[] {
  const out: HelperStore[] = [];
  for (const c of fn.calls) {
    const helper = c.callee === fn.name ? null : file[image]?.functionByName(c.callee);
    const params = helper?.params ?? [];
    if (!helper || params.length === 0) continue;
    for (const inner of helper.calls) {
      if (inner.guards.length > 0 || inner.result === undefined) continue;
      const mm = /^(\w+)\s*->\s*(.+)$/.exec(inner.result.trim());
      const k = mm ? params.indexOf(mm[1] as string) : -1;
      const arg = k >= 0 ? c.args[k]?.trim() : undefined;
      if (arg === undefined || !/^\w+$/.test(arg)) continue;
      out.push({ call: { ...inner, result: `${arg}->${(mm as RegExpExecArray)[2]}`, line: c.line, endLine: c.endLine, guards: c.guards }, via: { helper: helper.name, line: inner.line } });
    }
  }
  return out;
}

/**
 * A pair's acquire stored into a field (`s->t = timer_new_ms(...)`) that the pre-image made only in the branch of a
 * test that the field is empty (`if (!s->t)`), and the post-image under a test the commit wrote that asks something
 * else (`if (addr != s->addr)`): the branch may now run while the field holds one. Nothing on the way from the test
 * releases, hands over or copies the field, and another function of the file releases it with the pair's release.
 */
function checkEmptyTestDropped(ctx: Ctx, file: ChangedFile, fn: CFunction): void {
  const m = ctx.model;
  const summary = m.summary();
  const old = summary.oldSelf(fn, file);
  if (!old) return;
  const reported = new Set<string>();
  for (const call of fn.calls) {
    if (call.result === undefined || m.fieldChain(call.result) === null) continue;
    const field = squeeze(call.result);
    const guard = call.guards.filter((g) => g.condition.kind === 'if').at(-1);
    if (!guard || !file.added.has(guard.condition.line) || reported.has(field)) continue;
    if (call.guards.some((g) => runsOnlyEmpty(m, g, field))) continue;
    // (a test that still asks whether it is empty, among other cases, is the widened form: heldOverwrites)
    const asksEmpty = (g: CGuard) => m.disjuncts(g.condition.normalized).some((d) => runsOnlyEmpty(m, { ...g, negated: false, condition: { ...g.condition, normalized: d } }, field));
    if (call.guards.some((g) => !g.negated && asksEmpty(g))) continue;
    const match = m.matchPrimitive(call, fn, ctx.pairs, summary.knownNames, true);
    if (match?.role !== 'acquire') continue;
    const before = old.calls.find((c) => c.callee === summary.preName(call.callee) && c.result !== undefined && squeeze(c.result) === field);
    const oldTest = before?.guards.find((g) => runsOnlyEmpty(m, g, field));
    if (!oldTest) continue;
    const test = guard.condition;
    const between = (line: number) => line > test.endLine && line < call.line;
    const named = (a: string) => squeeze(a).replace(/^&/, '') === field || squeeze(a).endsWith(`(${field})`);
    if (fn.calls.some((c) => c !== call && between(c.line) && c.args.some(named))) continue;
    if (fn.stores.some((st) => between(st.line) && squeeze(st.target) === field)) continue;
    const chain = m.fieldChain(field)?.join('.');
    let owner: { release: CCall; releaser: CFunction } | null = null;
    for (const other of file.post?.functions ?? []) {
      if (other.name === fn.name) continue;
      const release = other.calls.find((c) => match.counterparts.includes(c.callee) && c.args.some((a) => m.fieldChain(a.replace(/^&/, '').trim())?.join('.') === chain));
      if (release) {
        owner = { release, releaser: other };
        break;
      }
    }
    if (!owner) continue;
    reported.add(field);
    ctx.report({
      at: { file: file.path, line: call.line, endLine: call.endLine, function: fn.name },
      messageId: 'emptyTestDropped',
      data: {
        fn: fn.name,
        callee: call.callee,
        field,
        file: file.path,
        testLine: test.line,
        condition: test.normalized,
        oldCondition: `${oldTest.negated ? '!' : ''}${oldTest.condition.normalized}`,
        releaser: owner.releaser.name,
        releaseLine: owner.release.line,
        release: owner.release.callee,
        arg: field,
      },
      related: [
        { file: file.path, line: test.line, function: fn.name, messageId: 'replacesEmptyTest', data: { field, oldCondition: `${oldTest.negated ? '!' : ''}${oldTest.condition.normalized}` } },
        { file: file.path, line: owner.release.line, function: owner.releaser.name, messageId: 'releasedElsewhere', data: { releaser: owner.releaser.name, field, release: owner.release.callee } },
      ],
      key: `empty-test-dropped|${fn.name}|${field}`,
      repair: { callees: [owner.release.callee], functions: [fn.name] },
    });
  }
}

function checkHeld(ctx: Ctx, file: ChangedFile, fn: CFunction, reportedLines: ReadonlySet<number> = new Set()): void {
  const summary = ctx.model.summary();
  const others = file.post?.functions ?? [];
  const found = summary.introduced(
    fn,
    file,
    (f) => heldOverwrites(ctx.model, ctx.pairs, f, others, summary.knownNames, helperStores(ctx.model, file, f, f === fn ? 'post' : 'pre')),
    (o, rename) => [`held|${o.field}|${rename(o.call.callee)}`],
  );
  for (const o of found) {
    // the store, or the test it is under (a test widened to a case where the field holds one)
    if (!file.added.has(o.call.line) && !file.added.has(o.test.line)) continue;
    // (a store whose release the commit deleted is the release-deleted form's, one finding per store)
    if (reportedLines.has(o.call.line)) continue;
    ctx.report({
      at: { file: file.path, line: o.call.line, endLine: o.call.endLine, function: fn.name },
      messageId: o.empty !== undefined ? 'heldMayOverwrite' : 'heldOverwritten',
      data: {
        fn: fn.name,
        callee: o.call.callee,
        field: o.field,
        file: file.path,
        testLine: o.test.line,
        releaser: o.releaser.name,
        releaseLine: o.release.line,
        release: o.release.callee,
        arg: o.field,
        condition: o.test.normalized,
        empty: o.empty ?? '',
        via: o.via ? ctx.format('throughHelper', { helper: o.via.helper, file: file.path, line: o.via.line }) : '',
      },
      related: [
        { file: file.path, line: o.test.line, function: fn.name, messageId: o.empty !== undefined ? 'testedMayHold' : 'testedHeld', data: { field: o.field } },
        { file: file.path, line: o.release.line, function: o.releaser.name, messageId: 'releasedElsewhere', data: { releaser: o.releaser.name, field: o.field, release: o.release.callee } },
      ],
      key: `held-overwritten|${fn.name}|${o.field}`,
      repair: { callees: [o.release.callee], functions: [fn.name] },
    });
  }
}

function checkFields(ctx: Ctx, file: ChangedFile, fn: CFunction): void {
  const summary = ctx.model.summary();
  const found = summary.introduced(
    fn,
    file,
    (f) => fieldOverwrites(ctx.model, ctx.pairs, f),
    (o, rename) => [`field|${squeeze(o.store.target)}|${squeeze(o.store.value)}|${rename(o.release.callee)}`],
  );
  const reported = new Set<string>();
  for (const { store, other, release } of found) {
    if (!file.added.has(store.line) || reported.has(store.target)) continue;
    reported.add(store.target);
    ctx.report({
      at: { file: file.path, line: store.line, function: fn.name },
      messageId: 'fieldOverwritten',
      data: { fn: fn.name, field: store.target.trim(), value: store.value.trim(), file: file.path, otherLine: other.line, release: release.callee, arg: release.args.join(', ') },
      related: [{ file: file.path, line: release.line, function: fn.name, messageId: 'releasesBeforeStore', data: { fn: fn.name, field: store.target.trim(), release: release.callee } }],
      key: `field-overwritten|${fn.name}|${squeeze(store.target)}`,
      repair: { callees: [release.callee], functions: [fn.name] },
    });
  }
}

/**
 * A store of a new value into a field (`s->name = g_strdup(v);`) that the pre-image made right after a release of
 * that field in the same block (`g_free(s->name);`), where the commit deleted the release and nothing on the store's
 * way releases the field now, keeps the old value (`old = s->name;`), hands it to the new one (`g_realloc(s->buf,
 * ...)`) or tests that the field is empty: what the field held is lost.
 */
function checkReleaseDeleted(ctx: Ctx, file: ChangedFile, change: FunctionChange): Set<number> {
  const reportedLines = new Set<number>();
  const { pre, post } = change;
  if (!pre || !post || pre.hasErrors || post.hasErrors) return reportedLines;
  const m = ctx.model;
  const isRelease = (c: CCall) => isReleaseCall(ctx.pairs, c);
  const releases = (c: CCall, target: string) => isRelease(c) && c.args.some((a) => squeeze(a) === target || squeeze(a) === `&${target}`);
  for (const store of post.stores) {
    if (m.fieldChain(store.target) === null || /^(NULL|-\s*1|0|false)$/.test(store.value.trim()) || usesOldValue(store.value, store.target)) continue;
    const target = squeeze(store.target);
    // the same store in the pre-image, right after a release of the field in its own block, which the commit deleted
    // (a value made by the same call, whatever its arguments now: `g_malloc0(s->size)` become `g_malloc0(size)`)
    const maker = (v: string) => /^(\w+)\s*\(/.exec(v.trim())?.[1];
    const sameValue = (v: string) => squeeze(v) === squeeze(store.value) || (maker(v) !== undefined && maker(v) === maker(store.value));
    const old = pre.stores.find((st) => squeeze(st.target) === target && sameValue(st.value));
    if (!old) continue;
    const release = pre.calls.filter((c) => c.line < old.line && c.line >= old.line - 3 && c.guards.length === old.guards.length && m.guardsCover(c.guards, old.guards) && releases(c, target)).at(-1);
    if (!release || !file.removed.has(release.line)) continue;
    // released, kept or tested on the way now (also through a helper of the program the release moved into:
    // `fx_free_groups(s)` freeing `s->groups`)
    if (post.calls.some((c) => c.line < store.line && releases(c, target))) continue;
    const chain = m.fieldChain(store.target)?.join('.');
    const namesField = (a: string) => m.fieldChain(a.replace(/^\s*&/, ''))?.join('.') === chain;
    const summary = m.summary();
    const viaHelper = post.calls.some(
      (c) => c.line < store.line && summary.post.has(c.callee) && [...summary.reach('post', [c.callee], [], file.path).values()].some((r) => r.fn.calls.some((d) => isRelease(d) && d.args.some(namesField))),
    );
    if (viaHelper) continue;
    // or rewritten as another release the commit adds on the way, handed the field's object (`g_free(dev->log)` become
    // `fx_log_put(dev, true)`)
    const base = /^(\w+)/.exec(store.target.trim())?.[1];
    // (a call handed a literal too is modelled as a switch, `fx_log_put__true_1_2`: its function's name says what it does)
    const releaseNamed = (c: CCall) => isRelease(c) || ctx.pairs.hasReleaseVerb(m.calleeBase(c.callee));
    if (post.calls.some((c) => c.line < store.line && file.added.has(c.line) && releaseNamed(c) && c.args.some((a) => m.withoutCasts(a).replace(/^&\s*/, '') === base || namesField(a)))) continue;
    const t = target.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    if (post.statements.some((st) => st.line < store.line && new RegExp(`=\\s*${t}\\s*;`).test(squeeze(st.normalized)))) continue;
    if (store.guards.some((g) => !g.negated && new RegExp(`^(!\\s*${t}|${t}==NULL)$`).test(squeeze(g.condition.normalized)))) continue;
    // where the field is released for good (finalize): it releases only the last value
    // (the same field chain from any base: `s->cfg.name` in one function is `vs->cfg.name` in another)
    const last = (file.post?.functions ?? [])
      .filter((f) => f.name !== post.name)
      .flatMap((f) => f.calls.filter((c) => isRelease(c) && c.args.some(namesField)).map((c) => ({ f, c })))
      .at(0);
    reportedLines.add(store.line);
    ctx.report({
      at: { file: file.path, line: store.line, function: post.name },
      related: last ? [{ file: file.path, line: last.c.line, function: last.f.name, messageId: 'releasedElsewhere', data: { releaser: last.f.name, field: store.target.trim(), release: last.c.callee } }] : [],
      messageId: 'releaseDeleted',
      data: { fn: post.name, field: store.target.trim(), value: store.value.trim(), release: release.callee, arg: release.args.join(', '), oldFile: file.oldPath ?? file.path, preLine: release.line },
      key: `release-deleted|${post.name}|${target}`,
      repair: { callees: [release.callee], functions: [post.name] },
    });
  }
  return reportedLines;
}

/**
 * The path form of a deleted release: every store into a field in the pre-image came after a release of it on
 * its way (`if (s->vof) { fx_vof_free(s->vof); s->vof = NULL; } s->vof = g_malloc0(...)`, or `fx_free_addr(o->addr);`
 * before the field is filled through its address), and a store of the post-image has none on its way: the release
 * went into a branch that leaves first, or went away while the store now takes its value from a local.
 */
/** Does a stored value read the field's old value (`g_realloc(s->buf, n)`), not only its type (`sizeof(*s->buf)`)? */
const usesOldValue = (value: string, target: string) => value.replace(/\bsizeof\s*\([^()]*\)/g, '').includes(target.trim());

function checkReleaseOffPath(ctx: Ctx, file: ChangedFile, change: FunctionChange, reported: ReadonlySet<number>): void {
  const { pre, post } = change;
  if (!pre || !post || pre.hasErrors || post.hasErrors) return;
  const m = ctx.model;
  const releases = (c: CCall, target: string) => isReleaseCall(ctx.pairs, c) && c.args.some((a) => squeeze(a) === target || squeeze(a) === `&${target}`);
  const at = (line: number, guards: readonly CGuard[], inLoop: boolean): CExit => ({ kind: 'return', line, guards: [...guards], inLoop });
  for (const store of post.stores) {
    if (reported.has(store.line)) continue;
    if (m.fieldChain(store.target) === null || /^(NULL|-\s*1|0|false)$/.test(store.value.trim()) || usesOldValue(store.value, store.target)) continue;
    const target = squeeze(store.target);
    // the pre-image's fills of the field: stores, and calls handed its address that are no release
    const preFills = [
      ...pre.stores.filter((st) => squeeze(st.target) === target && !/^(NULL|-\s*1|0|false)$/.test(st.value.trim())).map((st) => ({ line: st.line, guards: st.guards, inLoop: false })),
      ...pre.calls.filter((c) => !isReleaseCall(ctx.pairs, c) && c.args.some((a) => squeeze(a) === `&${target}`)).map((c) => ({ line: c.line, guards: c.guards, inLoop: c.inLoop })),
    ];
    if (preFills.length === 0) continue;
    const reaching = (fn: CFunction, fill: { line: number; guards: readonly CGuard[]; inLoop: boolean }) =>
      fn.calls.filter((c) => c.line < fill.line && releases(c, target) && m.mayHoldAt(fn, c, at(fill.line, fill.guards, fill.inLoop)));
    const preReleases = preFills.map((f) => reaching(pre, f));
    if (preReleases.some((r) => r.length === 0)) continue;
    const oldRelease = preReleases[0]?.at(-1) as CCall;
    if (reaching(post, { line: store.line, guards: store.guards, inLoop: false }).length > 0) continue;
    // released through a helper of the program, or by a call the commit adds that is named for it, on the way
    const chain = m.fieldChain(store.target)?.join('.');
    const namesField = (a: string) => m.fieldChain(a.replace(/^\s*&/, ''))?.join('.') === chain;
    const summary = m.summary();
    const base = /^(\w+)/.exec(store.target.trim())?.[1];
    const storeAt = at(store.line, store.guards, false);
    if (post.calls.some((c) => c.line < store.line && m.mayHoldAt(post, c, storeAt) && (
      // (or hands it on and clears it there: `n->stale = n->addr; n->addr = NULL; call_rcu(n, ...)`)
      (summary.post.has(c.callee) && [...summary.reach('post', [c.callee], [], file.path).values()].some((r) =>
        r.fn.calls.some((d) => isReleaseCall(ctx.pairs, d) && d.args.some(namesField)) || r.fn.stores.some((st) => namesField(st.target)))) ||
      (ctx.pairs.hasReleaseVerb(m.calleeBase(c.callee)) && c.args.some((a) => namesField(a) || m.withoutCasts(a).replace(/^&\s*/, '') === base))))) continue;
    // kept (`old = s->f;`), or known empty: tested so on the store's way, or left when it holds one
    const t = target.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    if (post.statements.some((st) => st.line < store.line && new RegExp(`=\\s*${t}\\s*;`).test(squeeze(st.normalized)))) continue;
    if (store.guards.some((g) => !g.negated && new RegExp(`^(!${t}|${t}==NULL)$`).test(squeeze(g.condition.normalized)))) continue;
    if (post.exits.some((e) => e.line < store.line && e.guards.some((g) => !g.negated && new RegExp(`^(${t}|${t}!=NULL)$`).test(squeeze(g.condition.normalized))))) continue;
    const gone = post.calls.filter((c) => c.line < store.line && releases(c, target));
    const away = gone.find((c) => c.callee === oldRelease.callee) ?? gone[0];
    ctx.report({
      at: { file: file.path, line: store.line, function: post.name },
      messageId: 'releaseOffPath',
      data: {
        fn: post.name,
        field: store.target.trim(),
        value: store.value.trim(),
        release: oldRelease.callee,
        arg: oldRelease.args.join(', '),
        oldFile: file.oldPath ?? file.path,
        preLine: oldRelease.line,
        moved: away ? ctx.format('movedAway', { release: away.callee, file: file.path, line: away.line }) : '',
      },
      related: away ? [{ file: file.path, line: away.line, function: post.name, messageId: 'releasedAway', data: { release: away.callee } }] : [],
      key: `release-off-path|${post.name}|${target}`,
      repair: { callees: [oldRelease.callee], functions: [post.name] },
    });
  }
}

/**
 * A fill of a field (a store, or a call handed its address that is no release) that the pre-image made only past an
 * exit under a test that the field holds one (`if (res->iov) { error; return; }`), where the commit took that exit
 * away (or turned it into a report that goes on) and nothing on the fill's way releases what the field holds, while a
 * function of the file releases the field: the old value is lost whenever the field held one. Also a store of what
 * an acquire just made, which the pre-image made only under a test that the field is empty (a lazy allocation), now
 * made whatever the field holds (then no releasing function of the file is asked for: the acquire's pair says it is one).
 */
/** A store of what an acquire of a known pair just made (`s->cur = fx_alloc(64, 64)`): the acquire and its release. */
function freshResource(ctx: Ctx, fn: CFunction, fill: { line: number; callee: string | undefined }): { callee: string; release: string } | null {
  if (fill.callee !== undefined) return null;
  const call = fn.calls.find((c) => c.line === fill.line && c.result !== undefined);
  const match = call ? ctx.pairs.anyPrimitive(call.callee) : null;
  const release = match?.role === 'acquire' && !match.pair.onlyWithList ? match.counterparts[0] : undefined;
  return call && release !== undefined ? { callee: call.callee, release } : null;
}

function checkFillPastGuard(ctx: Ctx, file: ChangedFile, change: FunctionChange, reported: ReadonlySet<number>): void {
  const { pre, post } = change;
  if (!pre || !post || pre.hasErrors || post.hasErrors) return;
  const m = ctx.model;
  const at = (line: number, guards: readonly CGuard[], inLoop: boolean): CExit => ({ kind: 'return', line, guards: [...guards], inLoop });
  const fills = (fn: CFunction) => [
    ...fn.stores.filter((st) => m.fieldChain(st.target) !== null && !/^(NULL|-\s*1|0|false)$/.test(st.value.trim()) && !usesOldValue(st.value, st.target))
      .map((st) => ({ target: squeeze(st.target), line: st.line, guards: st.guards, inLoop: false, text: `${st.target.trim()} = ${st.value.trim()}`, callee: undefined as string | undefined })),
    ...fn.calls.filter((c) => !isReleaseCall(ctx.pairs, c)).flatMap((c) =>
      c.args.filter((a) => /^&/.test(squeeze(a)) && m.fieldChain(squeeze(a).slice(1)) !== null)
        .map((a) => ({ target: squeeze(a).slice(1), line: c.line, guards: c.guards, inLoop: c.inLoop, text: `${c.callee}(${c.args.join(', ')})`, callee: c.callee as string | undefined }))),
  ];
  const holds = (t: string) => {
    const e = t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    return new RegExp(`^(${e}|${e}!=NULL)$`);
  };
  // an exit before the fill, on its way, that leaves when the field holds one
  const leavesWhenHeld = (fn: CFunction, fill: { target: string; line: number; guards: readonly CGuard[]; inLoop: boolean }) =>
    fn.exits.find((e) => (e.kind === 'return' || e.kind === 'goto') && e.line < fill.line && e.guards.some((g) => !g.negated && holds(fill.target).test(squeeze(g.condition.normalized))));
  const released = (fn: CFunction, fill: { target: string; line: number; guards: readonly CGuard[]; inLoop: boolean }) =>
    fn.calls.some((c) => c.line < fill.line && isReleaseCall(ctx.pairs, c) && c.args.some((a) => squeeze(a).replace(/^&/, '') === fill.target) && m.mayHoldAt(fn, c, at(fill.line, fill.guards, fill.inLoop)));
  // ...or the fill itself only under a test that the field is empty (`if (!s->cur) { s->cur = fx_alloc(...); }`)
  const emptyTest = (fill: { target: string; guards: readonly CGuard[] }) => {
    const e = fill.target.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    return fill.guards.find((g) => (!g.negated && new RegExp(`^(!${e}|${e}==NULL)$`).test(squeeze(g.condition.normalized))) || (g.negated && holds(fill.target).test(squeeze(g.condition.normalized))));
  };
  const preFills = fills(pre);
  const done = new Set<string>();
  for (const fill of fills(post)) {
    if (reported.has(fill.line) || done.has(fill.target)) continue;
    const was = preFills.filter((f) => f.target === fill.target && f.callee === fill.callee);
    if (was.length === 0) continue;
    const oldExit = was.map((f) => leavesWhenHeld(pre, f)).find((e) => e !== undefined);
    const oldEmpty = oldExit ? undefined : was.map((f) => emptyTest(f)).find((g) => g !== undefined);
    if (oldEmpty) {
      if (was.some((f) => !emptyTest(f) && !released(pre, f)) || !freshResource(ctx, post, fill)) continue;
      // (a test that still reads the field, widened or narrowed, `!s->cur || force`: the held mode's business)
      const reads = new RegExp(`(^|[^\\w>.])${fill.target.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\w]|->|\\.)`);
      if (fill.guards.some((g) => reads.test(squeeze(g.condition.normalized)))) continue;
      // (the test taken away, not replaced by another: that is the held mode's business too)
      if (was.some((f) => fill.guards.length >= f.guards.length)) continue;
    } else if (!oldExit || was.some((f) => !leavesWhenHeld(pre, f) && !released(pre, f))) continue;
    if (leavesWhenHeld(post, fill) || released(post, fill)) continue;
    // (an exit the commit writes on the fill's way under another test stands for the old one: `if (xchg(&b->busy,
    // true)) return NULL;` in place of `if (b->buffer) return NULL;`)
    if (post.exits.some((x) => (x.kind === 'return' || x.kind === 'goto') && x.line < fill.line && x.guards.some((g) => file.addedIn(g.condition.line, g.condition.endLine)))) continue;
    // (a field of what the function itself just allocated is empty: `res = g_new0(...); ... &res->iov`)
    const base = /^(\w+)/.exec(fill.target)?.[1];
    if ((post.assignments ?? []).some((a) => a.target === base && a.line < fill.line && ctx.pairs.isHeapAllocation(/^\(?\s*(\w+)\s*\(/.exec(a.value.trim())?.[1] ?? ''))) continue;
    const e = fill.target.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    if (fill.guards.some((g) => (!g.negated && new RegExp(`^(!${e}|${e}==NULL)$`).test(squeeze(g.condition.normalized))) || (g.negated && holds(fill.target).test(squeeze(g.condition.normalized))))) continue;
    // the field owns what it holds: a function of the file releases it (any base)
    const chain = m.fieldChain(fill.target)?.join('.');
    const namesField = (a: string) => m.fieldChain(a.replace(/^\s*&/, ''))?.join('.') === chain;
    const owner = (file.post?.functions ?? []).flatMap((f) => f.calls.filter((c) => (isReleaseCall(ctx.pairs, c) || ctx.pairs.hasReleaseVerb(m.calleeBase(c.callee))) && c.args.some(namesField)).map((c) => ({ f, c }))).at(0);
    if (oldEmpty) {
      // (the fill made lazily before: what the field holds is what an acquire made, which nothing else takes over)
      done.add(fill.target);
      const made = freshResource(ctx, post, fill) as { callee: string; release: string };
      ctx.report({
        at: { file: file.path, line: fill.line, function: post.name },
        messageId: 'fillPastEmptyTest',
        data: { fn: post.name, field: fill.target, fill: fill.text, condition: oldEmpty.condition.normalized, oldFile: file.oldPath ?? file.path, preLine: was[0]?.line ?? fill.line, acquire: made.callee, release: made.release },
        related: owner ? [{ file: file.path, line: owner.c.line, function: owner.f.name, messageId: 'releasedElsewhere', data: { releaser: owner.f.name, field: fill.target, release: owner.c.callee } }] : [],
        key: `fill-past-empty-test|${post.name}|${fill.target}`,
        repair: { callees: [made.release], functions: [post.name] },
      });
      continue;
    }
    if (!owner || !oldExit) continue;
    done.add(fill.target);
    const guard = oldExit.guards.find((g) => !g.negated && holds(fill.target).test(squeeze(g.condition.normalized))) as CGuard;
    ctx.report({
      at: { file: file.path, line: fill.line, function: post.name },
      messageId: 'fillPastGuard',
      data: {
        fn: post.name,
        field: fill.target,
        fill: fill.text,
        condition: guard.condition.normalized,
        oldFile: file.oldPath ?? file.path,
        preLine: oldExit.line,
        releaser: owner.f.name,
        release: owner.c.callee,
        file: file.path,
        releaseLine: owner.c.line,
      },
      related: [{ file: file.path, line: owner.c.line, function: owner.f.name, messageId: 'releasedElsewhere', data: { releaser: owner.f.name, field: fill.target, release: owner.c.callee } }],
      key: `fill-past-guard|${post.name}|${fill.target}`,
      repair: { callees: [owner.c.callee], functions: [post.name] },
    });
  }
}

function checkFunction(ctx: Ctx, file: ChangedFile, change: FunctionChange): void {
  const fn = change.post;
  if (!fn || fn.hasErrors) return;
  const summary = ctx.model.summary();
  // "introduced" is decided by the model (summary.introduced): the same variable filled again by the same
  // call, names mapped through renames, in the pre-image is not new
  const found = summary.introduced(
    fn,
    file,
    (f) => overwrites(ctx.model, ctx.pairs, f),
    (o, rename) => [`${o.second.variable}|${rename(o.first.call.callee)}|${rename(o.second.call.callee)}`],
  );
  for (const { first, second } of found) {
    // where this commit changed it: the second fill, or the way between the two
    if (!file.addedIn(first.call.line, second.call.endLine)) continue;
    const release = second.frees[0] as CCall;
    ctx.report({
      at: { file: file.path, line: second.call.line, endLine: second.call.endLine, function: fn.name },
      messageId: second.call.args.some((a) => a.trim() === second.variable) ? 'rebuilt' : 'overwritten',
      data: {
        fn: fn.name,
        variable: second.variable,
        second: second.call.callee,
        first: first.call.callee,
        file: file.path,
        firstLine: first.call.line,
        release: release.callee,
        releaseLine: release.line,
      },
      related: [
        { file: file.path, line: first.call.line, function: fn.name, messageId: 'firstFill', data: { callee: first.call.callee, variable: first.variable } },
        { file: file.path, line: release.line, function: fn.name, messageId: 'freesLast', data: { release: release.callee } },
      ],
      key: `overwrite|${fn.name}|${second.variable}|${second.call.callee}`,
      repair: { callees: [release.callee], functions: [fn.name] },
    });
  }
}

export const overwriteLeak: Rule<NoOptions, keyof typeof MESSAGES> = {
  meta: {
    id: 'overwrite-leak',
    messages: MESSAGES,
    category: 'pair',
    severity: 'warning',
    summary: 'A heap buffer the function keeps in its own variable is overwritten by a new one before the function frees it',
    docs: {
      what:
        'A function keeps a heap buffer in one of its own variables and frees it later itself: the value of a heap ' +
        'allocator (`buf = g_malloc0(n)`), or a buffer a call fills in through the variable\'s address ' +
        '(`fx_query_region(dev, idx, &info)`). The commit makes the function fill the same variable again, on the ' +
        'same path, before anything frees, hands over or clears the first buffer. Not when the first fill\'s block ' +
        'leaves before the second, nor when the two are in different branches of one condition, nor when the second ' +
        'call is handed the first buffer and takes it (`info = g_realloc(info, size)`); an allocator that copies what it ' +
        'reads (`str = g_strdup_printf("%s %d", str, n)`) keeps nothing of the first buffer, so that one leaks, unless the ' +
        'function kept it under another name on the way (`char *prev = str;`). A call whose name says it takes things over ' +
        '(an add, an insert) hands the buffer over, unless the function itself hands it another of its buffers and frees ' +
        'that one afterwards (`fx_fdt_add_subnode(fdt, name); ...; g_free(name);`): it adds a copy. ' +
        'Also the loop form: a loop the commit adds or edits fills the variable on every pass (under no test of its own ' +
        'in the pass) while every free of it comes after the loop, and nothing in the body frees it, hands it over, takes ' +
        'its address, gives it another value or leaves the loop after the fill (`for (...) { name = g_strdup_printf(...); ' +
        'use(name); } g_free(name);`): each pass drops the buffer of the pass before. ' +
        'Also a field: the commit adds a store into a field of the function (`s->ds = NULL;`) with no release of what the ' +
        'field holds before it on its way, where the function\'s other store into that field (a new value, on its normal ' +
        'path: a release then `= NULL` is a clearing) comes right after a release of it in the same block (`qemu_free_displaysurface(s->ds); s->ds = surface;`); not when the old value is kept ' +
        'somewhere first (`old = s->ds;`), handed to the new one (`s->buf = g_realloc(s->buf, n)`), or the store stands ' +
        'under a test that the field is empty. ' +
        'Also a pair\'s acquire stored into a field in the branch of a test that the field holds one (`if (n->opts) { ... ' +
        'n->opts = fx_opts_clone(o); }`), with no release (also by a function of the file handed the holder, `fx_drop(n)`), ' +
        'hand-over or copy of the old value between the test and the ' +
        'store, where another function of the file releases that field with the pair\'s release (a heap allocation too, ' +
        'freed elsewhere; the store may be made by a helper of the file handed the holder, `if (vdev->rom) { ' +
        'fx_load_rom(vdev); }` with `vdev->rom = g_malloc(size)` in the helper; not one handed the old value, ' +
        '`g_realloc(s->buf, n)`); or in the branch of a ' +
        'test that the field is empty which the commit widens with another case (`if (!s->ctx || s->algo != algo)`), so ' +
        'the branch now runs also while the field holds one; or a store the pre-image made only in the branch of a test ' +
        'that the field is empty (`if (!s->t) { s->t = timer_new_ms(...); }`) and the commit puts under a test of its own ' +
        'that asks something else (`if (addr != s->addr)`), with no release, hand-over or store of the field on the way. ' +
        'Also a store of a new value into a field that the pre-image made right after releasing the field in the same ' +
        'block (`g_free(s->model); s->model = g_strdup(value);` in a property setter), made by the same call (its ' +
        'arguments may change: `g_malloc0(s->size)` become `g_malloc0(size)`), where the commit deleted the release and ' +
        'nothing on the way releases or keeps the field now, nor does the store run only where the field is empty ' +
        '(`if (!s->model)`; `if (!s->mask || size != s->size)` runs also while it holds one). ' +
        'Also a new store into a field of a heap buffer that an allocator which copies builds from the field\'s own value ' +
        '(`s->label = g_strdup_printf("%s:%d", s->label, port);`), where a function of the file frees that field (it owns ' +
        'a heap buffer) and the function kept no copy of the old value first (`old = s->label;`). ' +
        'Also a new store into a field that owns a heap buffer, with nothing on the function\'s way before it that frees ' +
        'the field, keeps a copy of it, hands it to a call or tests it, in a function that neither fills nor frees that ' +
        'field elsewhere, is no constructor (an init, a realize, a probe: its object is new) and did not make or find the ' +
        'object itself (`quirk = fx_quirk_alloc(...)`): a new heap buffer where a constructor of the file fills the field ' +
        'from the heap under no test (a setter, `s->oem_table_id = g_strndup(value, 8);`, over what the instance init ' +
        'made), or NULL where another function fills it from the heap and the file frees it somewhere (a reset dropping a ' +
        'buffer, `s->txbuf = NULL;`). Also a pair\'s acquire stored into a field right after an assertion that the ' +
        'field is empty (`assert(!s->t); s->t = timer_new_ns(...)`), where the commit deletes the assertion and keeps the ' +
        'store, nothing on the way (itself or through a helper it calls) releases, tests or stores the field, and another ' +
        'function of the file releases it with the pair\'s release; the store may also have moved into a helper of the ' +
        'file that makes it, under no test, into a field of what it is handed (`fx_timer_setup(s)` doing `s->t = ' +
        'timer_new_ns(...)`), read at the helper\'s call. ' +
        'Also the path form of a deleted release: every store into a field in the pre-image came after a release of it on its way, and a store of the post-image has none on its way (the release moved into a branch that returns first, or went away while the store now takes a checked local); not when a helper or a call named for releasing it runs on the way, the old value is kept, or the store runs only when the field is empty. ' +
        'And a fill of a field (a store, or a call handed its address) that the pre-image made only past an exit under a test that the field holds one (`if (res->iov) { ...; return; }`), where the commit took that exit away (a report that goes on) and nothing on the way releases what the field holds, while a function of the file releases the field; not a field of what the function itself just allocated, nor where the commit writes another exit on the fill\'s way (a `busy` flag in place of the field\'s test). ' +
        'So too a store of what an acquire of a known pair makes (`s->cur = fx_cursor_alloc(64, 64)`) that the pre-image made only under a test that the field is empty (`if (!s->cur)`) and the commit makes whatever it holds, with nothing on the way giving the old one back.',
      why:
        'The free at the end releases only the last buffer: each earlier one leaks, on every call of the function. ' +
        'Copying a "get info, use it" block within a function is the usual way this happens: the free that ends the ' +
        'first block is left out because the one at the end of the function looks like it covers both.',
      fix: 'Free the variable before filling it again (`g_free(info); info = NULL;`), or keep the second buffer in a variable of its own.',
      bad: [
        'static void fx_dev_probe_regions(FxDevice *fdev, Error **errp)',
        '{',
        '    struct fx_region_desc *info;',
        '',
        '    if (fx_query_region(fdev, FX_CFG_REGION, &info)) {',
        '        return;',
        '    }',
        '    fdev->cfg_region_size = info->size;',
        '+   if (!fx_query_dev_region(fdev, FX_EXTRA_REGION, &info)) {',
        '+       fdev->extra_region_size = info->size;',
        '+   }',
        '    g_free(info);',
        '}',
      ].join('\n'),
      good: [
        '    fdev->cfg_region_size = info->size;',
        '+   g_free(info);',
        '+   if (!fx_query_dev_region(fdev, FX_EXTRA_REGION, &info)) {',
        '+       fdev->extra_region_size = info->size;',
        '+   }',
        '    g_free(info);',
      ].join('\n'),
    },
  },
  create(context) {
    return {
      changedFunction(file, change) {
        if (!file.post) return;
        checkFunction(context, file, change);
        if (change.post && !change.post.hasErrors) {
          checkFields(context, file, change.post);
          const deleted = checkReleaseDeleted(context, file, change);
          checkHeld(context, file, change.post, deleted);
          checkReleaseOffPath(context, file, change, deleted);
          checkFillPastGuard(context, file, change, deleted);
          checkEmptyTestDropped(context, file, change.post);
          checkEmptyAssertDropped(context, file, change.post);
          checkRebuiltFields(context, file, change.post);
          checkOwnedDropped(context, file, change.post);
          checkLoops(context, file, change.post);
        }
      },
    };
  },
};
