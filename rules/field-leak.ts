/**
 * field-leak: the acquire side of a pair (realize, init, add) now keeps a new
 * heap allocation in a field of its instance, and nothing frees that field:
 * not the release side (unrealize, exit, del), which frees other fields of the
 * same instance, nor any other function of the commit's files (finalize, a
 * helper). Also the reverse: the release side stops freeing a field the
 * acquire side still allocates. Heap memory kept in a field is what the
 * pair tables leave out (g_malloc pairs with g_free only around lists in
 * call-asymmetry); the other resources a field holds (timers, notifiers,
 * mutexes, bottom halves) are call-asymmetry's, through the learned pairs.
 */
import type { CCall, CFunction } from '../src/cmodel/types.js';
import type { NoOptions, Rule, RuleContext } from '../src/rule/rule.js';
import type { ChangedFile, CommitSummary, ModelService } from '../src/rule/model.js';
import type { SidePair } from '../src/pairs/sides.js';

const MESSAGES = {
  added:
    '{{fn}}() now keeps a {{callee}}() allocation in `{{stored}}`, but nothing frees `{{field}}`: ' +
    '{{other}}() (the release side of {{pair}}) releases `{{otherField}}` of the same instance ' +
    '({{otherPath}}), not this one, and no other function of this commit\'s files does. Each {{acquire}}()/{{release}}() ' +
    'cycle leaks it. Free it in {{release}}() (g_free() or g_clear_pointer()), or keep it in a g_autofree local if only {{fn}}() needs it.',
  addedBesideUndo:
    '{{fn}}() now keeps a {{callee}}() allocation in `{{stored}}`, but nothing frees `{{field}}`: {{other}}() (the ' +
    'release side of {{pair}}) undoes {{undoneAcquire}}() with {{undoneRelease}}() ({{otherPath}}:{{otherLine}}) but does ' +
    'not free this field, and no other function of this commit\'s files does. Each {{acquire}}()/{{release}}() cycle ' +
    'leaks it. Free it in {{release}}() (g_free(), or g_clear_pointer() with its free function), or keep it in a g_autofree local if only {{fn}}() needs it.',
  removed:
    '{{fn}}() no longer calls {{callee}}() on `{{field}}`, and no function of this commit\'s files frees it now, ' +
    'but {{allocFn}}() still allocates it with {{alloc}}() at {{allocPath}}:{{allocLine}}: each ' +
    '{{acquire}}()/{{release}}() cycle leaks it. Keep the {{callee}}(), or free the field where it is freed now and say where in the commit message.',
  addedForTeardown:
    '{{fn}}() now keeps a {{callee}}() allocation in `{{stored}}`, but nothing frees `{{field}}`: {{teardown}}(), which ' +
    'releases `{{otherField}}` of the same instance ({{otherPath}}:{{otherLine}}), does not, and no other function of this ' +
    'commit\'s files does. The memory leaks each time the instance goes away. Free it in {{teardown}}() (g_free() or ' +
    'g_clear_pointer()), or keep it in a g_autofree local if only {{fn}}() needs it.',
  refKept:
    '{{fn}}() now takes a reference with {{callee}}() on what it keeps in `{{field}}`, but no function of this ' +
    'commit\'s files drops a reference on `{{field}}` ({{release}}()): the object can never be finalized. Drop the ' +
    'reference where the field is cleared or its owner goes away (its finalize or unrealize), or do not take it.',
  resourceKept:
    '{{fn}}() now keeps what {{callee}}() sets up in `{{field}}`, but no function of this commit\'s files calls ' +
    '{{release}}() on `{{field}}`, while {{teardown}}() releases other fields of the instance ({{file}}:{{teardownLine}}): ' +
    'it outlives its owner. Call {{release}}() on it in {{teardown}}(), or say in the commit message what releases it.',
  releaseRemoved:
    '{{fn}}() no longer calls {{callee}}() on `{{field}}`, and no function of this commit\'s files does now, but ' +
    '{{acquireFn}}() still calls {{acquire}}() on it ({{acquirePath}}:{{acquireLine}}): what it sets up is never released. ' +
    'Keep the {{callee}}(), or say in the commit message what releases it now.',
  releaseDemoted:
    '{{fn}}() now calls {{step}}() on `{{field}}` where it called {{callee}}() before this commit, but the code base ' +
    'undoes {{acquires}}() with {{callee}}() (learned support {{support}}, against {{stepSupport}} for {{step}}()), and no function of ' +
    'this commit\'s files calls {{callee}}() on `{{field}}` now: {{step}}() stops what the field holds, it does not give ' +
    'it back. Call {{callee}}() after {{step}}(), or say in the commit message what releases it now.',
  partialTeardown:
    '{{fn}}() frees `{{variable}}` with {{free}}() after releasing {{released}}, but {{refFn}}() ({{refPath}}:{{refLine}}), ' +
    'which frees `{{refVariable}}` the same way, first releases `{{refVariable}}->{{field}}` with {{release}}(): here ' +
    '`{{variable}}->{{field}}` is never released, and what it holds outlives the memory that held it. Call ' +
    '{{release}}({{arg}}) before the {{free}}(), or call {{refFn}}() instead.',
  // related locations
  refReleases: '{{fn}}() releases `{{refVariable}}->{{field}}` with {{release}}() here, before freeing `{{refVariable}}`',
  acquiredHere: '{{fn}}() still calls {{acquire}}() on `{{field}}` here',
  releasesOtherFields: '{{fn}}() releases other fields here, not `{{field}}`',
  freesOtherFields: '{{fn}}() releases other fields, not `{{field}}`',
  undoesHere: '{{fn}}() undoes the setup here with {{release}}(), and frees no `{{field}}`',
  allocatesHere: '{{fn}}() allocates `{{field}}` here',
  keptHere: '{{fn}}() keeps it in `{{field}}` here',
  releasesSiblingHere: '{{fn}}() releases `{{otherField}}` of the instance here, and frees no `{{field}}`',
};

type Ctx = RuleContext<NoOptions, keyof typeof MESSAGES>;

const text = (chain: readonly string[]) => chain.join('.');

/** Does a condition test that the field `chain` is not set (`!s->name`, `s->name == NULL`)? */
function isNullTestOf(model: ModelService, condition: string, chain: readonly string[]): boolean {
  // any conjunct (`s->name == NULL && klass->name != NULL`)
  return condition.split('&&').some((part) => {
    const t = part.trim().replace(/^\((.*)\)$/, '$1').trim();
    const m = /^!\s*(.+)$/.exec(t) ?? /^(.+?)\s*==\s*NULL$/.exec(t) ?? /^NULL\s*==\s*(.+)$/.exec(t);
    const tested = m ? model.fieldChain(m[1]) : null;
    return tested !== null && text(tested) === text(chain);
  });
}

function addedAllocations(ctx: Ctx, file: ChangedFile, pair: SidePair, reported: Set<string>): void {
  const m = ctx.model;
  const post = file.post!;
  // only a heap allocation kept in a field on a line the commit adds can be new: look for one first
  // (most commits have none, and the reaches below are the cost of this rule)
  const candidates = [...pair.acquireSide].some((name) => {
    if (!file.touched(name)) return false;
    const fn = post.functionByName(name);
    return fn?.calls.some((c) => file.added.has(c.line) && m.heapFieldStore(c) !== null) ?? false;
  });
  if (!candidates) return;
  const summary = m.summary();
  const sides = m.sideRootsOf(file.postSides, pair);
  const releaseReach = [...summary.reach('post', sides.release, sides.acquire, file.path).values()];
  // the release side must be where the acquire side's fields are given back: it releases at least one the acquire
  // side allocates or sets up with an acquire of a pair (`s->tick = fx_timer_new(...)` against `fx_timer_free(s->tick)`)
  const acquireReach = [...summary.reach('post', sides.acquire, sides.release, file.path).values()];
  // (or hands by address to an acquire of a pair: `fx_fifo_create(&s->rx_fifo, n)` against `fx_fifo_destroy(&s->rx_fifo)`)
  const keptField = (c: CCall): string[] | null =>
    m.heapFieldStore(c) ??
    (ctx.pairs.primitive(c.callee)?.role !== 'acquire' ? null : c.result !== undefined ? m.fieldChain(c.result) : /^&/.test((c.args[0] ?? '').trim()) ? m.fieldChain(c.args[0]) : null);
  const allocated = new Set(acquireReach.flatMap((r) => r.fn.calls.map(keptField).filter((c): c is string[] => c !== null && c.length > 0).map(text)));
  const freedThere = releaseReach.flatMap((r) => m.freedFields(r.fn).filter((chain) => allocated.has(text(chain))).map((chain) => ({ chain, r })));
  // ...or it undoes, with the release of a pair, what the acquire side set up with its acquire (`fx_msi_uninit(d)`
  // against `fx_msi_init(d, ...)`): the teardown of the same instance, fields or none
  const acquired = new Set(acquireReach.flatMap((r) => r.fn.calls.map((c) => c.callee)));
  const undo =
    freedThere.length > 0
      ? undefined
      : releaseReach.flatMap((r) => r.fn.calls.flatMap((c) => {
          const match = ctx.pairs.primitive(c.callee);
          const counterpart = match?.role === 'release' ? match.counterparts.find((a) => acquired.has(a)) : undefined;
          return counterpart !== undefined ? [{ r, call: c, acquire: counterpart }] : [];
        }))[0];
  if (freedThere.length === 0 && !undo) return;
  for (const name of pair.acquireSide) {
    if (!file.touched(name)) continue;
    const fn = post.functionByName(name);
    if (!fn) continue;
    for (const call of fn.calls) {
      if (!file.added.has(call.line)) continue;
      const chain = m.heapFieldStore(call);
      if (!chain || reported.has(text(chain))) continue;
      // the same field allocated before the commit, anywhere (a moved or reworded allocation): not new; "introduced"
      // is decided by the model (summary.introducedAnywhere), keyed by the field
      // (a field the pre-image filled with another call, an allocator renamed, `qemu_realloc` → `g_realloc`, is not new)
      const heapStores = (f: CFunction) => f.calls.map((c) => m.heapFieldStore(c)).filter((r): r is string[] => r !== null);
      if (summary.introducedAnywhere([chain], heapStores, (ch) => [text(ch)]).length === 0) continue;
      if (summary.alreadySo(fn, file, (old) => old.calls.some((c) => { const r = m.fieldChain(c.result); return r !== null && text(r) === text(chain); }))) continue;
      // a field of the instance the side works on (a parameter, or a local cast from one), or of a global the
      // release side releases fields of too (`stat->peak` beside `stat->rates`), not of another global
      const base = /^\s*(\w+)/.exec(call.result ?? '')?.[1];
      const instance = new Set([...(fn.params ?? []), ...(fn.paramAliases ?? []).map((a) => a.name)]);
      const onBase = new RegExp(`^&?\\s*${base ?? '\\b'}\\s*(->|\\.)`);
      const sharedGlobal = base !== undefined &&
        freedThere.some((x) => x.r.fn.calls.some((c) => c.args.some((a) => onBase.test(a.trim()))));
      if (base === undefined || (!instance.has(base) && !sharedGlobal)) continue;
      // a default filled in only when the field is unset (`if (!s->name) s->name = g_strdup(...)`): the field is an
      // input (a property) whose owner frees it
      if (call.guards.some((g) => !g.negated && isNullTestOf(m, g.condition.normalized, chain))) continue;
      // freed anywhere in the program: the release side, finalize, the acquire side itself, a helper
      if (m.fieldRelease(summary.post.all(), chain)) continue;
      // a field the release side clears or hands over (`d->regs = NULL` after a free elsewhere, a move): not ours to judge
      if (releaseReach.some((r) => m.storesField(r.fn, chain))) continue;
      reported.add(text(chain));
      const other = freedThere[0];
      const release = post.functionByName(pair.release) as CFunction | null;
      const shared = {
        fn: fn.name,
        callee: call.callee,
        stored: call.result ?? '',
        field: text(chain),
        pair: pair.label,
        acquire: pair.acquire,
        release: pair.release,
      };
      const key = `field|${pair.acquire}/${pair.release}|${text(chain)}`;
      const repair = { callees: ['g_free', 'g_clear_pointer'], functions: sides.release };
      // (an allocator with a release of its own, `g_hash_table_new_full()` and its unref, is call-asymmetry's to judge
      // against such a teardown; plain heap memory is this rule's)
      const own = ctx.pairs.primitive(call.callee);
      if (!other && undo && own !== null && own.role === 'acquire' && !own.pair.onlyWithList) continue;
      if (!other && undo) {
        ctx.report({
          at: { file: file.path, line: call.line, endLine: call.endLine, function: fn.name },
          messageId: 'addedBesideUndo',
          data: { ...shared, other: undo.r.fn.name, undoneAcquire: undo.acquire, undoneRelease: undo.call.callee, otherPath: undo.r.path, otherLine: undo.call.line },
          related: [{ file: undo.r.path, line: undo.call.line, function: undo.r.fn.name, messageId: 'undoesHere', data: { fn: undo.r.fn.name, release: undo.call.callee, field: text(chain) } }],
          key,
          repair,
        });
        continue;
      }
      if (!other) continue;
      ctx.report({
        at: { file: file.path, line: call.line, endLine: call.endLine, function: fn.name },
        messageId: 'added',
        data: { ...shared, other: other.r.fn.name, otherField: text(other.chain), otherPath: other.r.path },
        related: [
          ...(release ? [{ file: file.path, line: release.startLine, function: release.name, messageId: 'freesOtherFields' as const, data: { fn: release.name, field: text(chain) } }] : []),
        ],
        key,
        repair,
      });
    }
  }
}

/**
 * A heap allocation a helper outside every acquire side now keeps in a field of its instance (an options handler,
 * a setter, a create function that fills a fresh object): its owner is the teardown of the instance, the release
 * side of a pair of the file that releases a field this helper fills on the same instance (it keeps `s->fd`, the
 * finalize closes `s->fd`). Nothing of the commit's files frees the new field: it leaks with every instance.
 */
function addedOutsideSides(ctx: Ctx, file: ChangedFile, reported: Set<string>): void {
  const m = ctx.model;
  const post = file.post!;
  const onSide = new Set(file.postSides.flatMap((p) => [...p.acquireSide, ...p.releaseSide, ...p.shared]));
  const changed = file.functionChanges().map((c) => c.post).filter((fn): fn is CFunction => fn !== null && fn !== undefined && !onSide.has(fn.name));
  // only a heap allocation kept in a field on a line the commit adds can be new: look for one first
  const stores = changed.flatMap((fn) => fn.calls.filter((c) => file.added.has(c.line) && m.heapFieldStore(c) !== null).map((call) => ({ fn, call })));
  if (stores.length === 0) return;
  const summary = m.summary();
  for (const { fn, call } of stores) {
    const chain = m.heapFieldStore(call) as string[];
    if (chain.length === 0 || reported.has(text(chain))) continue;
    // a field of the instance the function works on (a parameter, or a local cast from one)
    const base = /^\s*(\w+)\s*(->|\.)/.exec(call.result ?? '')?.[1];
    const instance = new Set([...(fn.params ?? []), ...(fn.paramAliases ?? []).map((a) => a.name)]);
    if (base === undefined || !instance.has(base)) continue;
    // the other fields the function fills on that instance (stores, and what calls return into them)
    const onBase = new RegExp(`^\\s*${base}\\s*(->|\\.)`);
    const filled = [
      ...fn.stores.filter((s) => onBase.test(s.target)).map((s) => m.fieldChain(s.target)),
      ...fn.calls.filter((c) => c !== call && onBase.test(c.result ?? '')).map((c) => m.fieldChain(c.result)),
    ].filter((c): c is string[] => c !== null && c.length > 0 && text(c) !== text(chain));
    if (filled.length === 0) continue;
    // the teardown: a release side of the file's pairs that releases one of those fields
    let teardown: { fn: CFunction; call: CCall; field: string[] } | null = null;
    for (const pair of file.postSides) {
      for (const name of pair.releaseSide) {
        const t = post.functionByName(name);
        const call = t?.calls.find((c) => filled.some((f) => m.releasesField(c, f)));
        if (t && call) {
          teardown = { fn: t, call, field: filled.find((f) => m.releasesField(call, f)) as string[] };
          break;
        }
      }
      if (teardown) break;
    }
    if (!teardown) continue;
    const heapStores = (f: CFunction) => f.calls.map((c) => m.heapFieldStore(c)).filter((r): r is string[] => r !== null);
    if (summary.introducedAnywhere([chain], heapStores, (ch) => [text(ch)]).length === 0) continue;
    if (summary.alreadySo(fn, file, (old) => old.calls.some((c) => { const r = m.fieldChain(c.result); return r !== null && text(r) === text(chain); }))) continue;
    // a default filled in only when the field is unset: the field is an input (a property) whose owner frees it
    if (call.guards.some((g) => !g.negated && isNullTestOf(m, g.condition.normalized, chain))) continue;
    // freed anywhere in the program, or cleared or handed over by the teardown
    if (m.fieldRelease(summary.post.all(), chain)) continue;
    if (m.storesField(teardown.fn, chain)) continue;
    reported.add(text(chain));
    const data = {
      fn: fn.name,
      callee: call.callee,
      stored: call.result ?? '',
      field: text(chain),
      teardown: teardown.fn.name,
      otherField: text(teardown.field),
      otherPath: file.path,
      otherLine: teardown.call.line,
    };
    ctx.report({
      at: { file: file.path, line: call.line, endLine: call.endLine, function: fn.name },
      messageId: 'addedForTeardown',
      data,
      related: [{ file: file.path, line: teardown.call.line, function: teardown.fn.name, messageId: 'releasesSiblingHere', data: { ...data, fn: teardown.fn.name } }],
      key: `field|${teardown.fn.name}|${text(chain)}`,
      repair: { callees: ['g_free', 'g_clear_pointer'], functions: [teardown.fn.name] },
    });
  }
}

function removedFrees(ctx: Ctx, file: ChangedFile, pair: SidePair, reported: Set<string>): void {
  const m = ctx.model;
  const pre = file.pre;
  const post = file.post!;
  if (!pre || ![...pair.releaseSide].some((name) => file.touched(name))) return;
  const summary = m.summary();
  const sides = m.sideRootsOf(file.postSides, pair);
  for (const name of pair.releaseSide) {
    const preFn = pre.functionByName(summary.preName(name));
    const postFn = post.functionByName(name);
    if (!preFn || !postFn || !file.touched(name)) continue;
    for (const call of preFn.calls) {
      if (!file.removed.has(call.line)) continue;
      const chain = call.args.map((a) => m.fieldChain(a)).find((c): c is string[] => c !== null);
      if (!chain || !m.releasesField(call, chain) || reported.has(text(chain))) continue;
      // still allocated on the acquire side (a heap allocation kept in that field)
      const acquireReach = [...summary.reach('post', sides.acquire, sides.release, file.path).values()];
      const alloc = acquireReach.flatMap((r) => r.fn.calls.filter((c: CCall) => { const s = m.heapFieldStore(c); return s !== null && text(s) === text(chain); }).map((c) => ({ c, r })))[0];
      if (!alloc) continue;
      // freed anywhere else now (moved to a helper, to finalize), or the acquire side frees it itself
      if (m.fieldRelease(summary.post.all(), chain)) continue;
      reported.add(text(chain));
      const line = file.preToPost(call.line);
      ctx.report({
        at: { file: file.path, line, function: postFn.name },
        messageId: 'removed',
        data: {
          fn: postFn.name,
          callee: call.callee,
          field: text(chain),
          allocFn: alloc.r.fn.name,
          alloc: alloc.c.callee,
          allocPath: alloc.r.path,
          allocLine: alloc.c.line,
          acquire: pair.acquire,
          release: pair.release,
        },
        related: [{ file: alloc.r.path, line: alloc.c.line, function: alloc.r.fn.name, messageId: 'allocatesHere', data: { fn: alloc.r.fn.name, field: text(chain) } }],
        key: `field-removed|${pair.acquire}/${pair.release}|${text(chain)}`,
        repair: { callees: [call.callee], functions: sides.release },
      });
    }
  }
}

/**
 * The commit deletes a release of a pair (the table's, or one learned from the code) made on a field, and no function
 * of the commit's files releases that field with any release of the pair any more, while one of them still makes
 * the acquire on it: the field's resource outlives its owner. Not a heap free (removedFrees), and not when the
 * removed call was a step another release of the pair still follows (`timer_del` before a `timer_free` kept).
 */
/**
 * Does the commit retire `callee` from its files altogether (gone from every function that called it, more than one
 * before: an API dropped or renamed)? A change of API, whose reasons lie outside the pair.
 */
function retiredFromFiles(summary: CommitSummary, callee: string): boolean {
  const calling = (fns: readonly { fn: CFunction }[]) => fns.filter((p) => p.fn.calls.some((c) => c.callee === callee)).length;
  return calling(summary.post.all()) === 0 && calling(summary.pre.all()) > 1;
}

function removedResourceReleases(ctx: Ctx, file: ChangedFile, reported: Set<string>): void {
  const m = ctx.model;
  if (!file.pre) return;
  const summary = m.summary();
  const all = summary.post.all();
  for (const change of file.functionChanges()) {
    const { pre: preFn, post: postFn } = change;
    if (!preFn || !postFn) continue;
    for (const call of preFn.calls) {
      if (!file.removed.has(call.line)) continue;
      const match = ctx.pairs.primitive(call.callee);
      if (!match || match.role !== 'release' || ctx.pairs.isHeapRelease(call.callee)) continue;
      // the object itself, handed by address (`&a->peer`): a field passed by value is as often a context the call
      // works in (`fx_unmap_dma(container->be, iova, size)`) as the object it releases
      // (or the one argument of a release handed nothing else, `object_unref(OBJECT(s->worker))`: that is the object)
      const names = (c: CCall) => (c.args.length === 1 ? c.args : c.args.filter((a) => a.trim().startsWith('&')));
      const chain = names(call).map((a) => m.fieldChain(a)).find((c): c is string[] => c !== null);
      if (!chain || reported.has(text(chain))) continue;
      // a release the commit retires from its files altogether (an API dropped, `fx_region_destroy()` gone from every
      // caller) is a change of API, whose reasons lie outside the pair
      if (retiredFromFiles(summary, call.callee)) continue;
      // replaced by a call that disposes of the whole object (`object_unref(OBJECT(&s->iomem))` for a destroy)
      if (postFn.calls.some((c) => file.added.has(c.line) && ctx.pairs.disposesWhole(c.callee) && m.takesField(c, chain))) continue;
      // the acquire of the pair still made on the field by address, in the same file
      let acquire: { call: CCall; fn: CFunction; path: string } | null = null;
      for (const f of file.post?.functions ?? []) {
        const c = f.calls.find((x) => {
          const am = ctx.pairs.primitive(x.callee);
          return am?.role === 'acquire' && am.counterparts.includes(call.callee) && names(x).some((a) => text(m.fieldChain(a) ?? []) === text(chain));
        });
        if (c) {
          acquire = { call: c, fn: f, path: file.path };
          break;
        }
      }
      if (!acquire) continue;
      // a subregion of a container the instance owns goes with the container (ownership.ts)
      if (m.addedToOwnedContainer(acquire.call, file.post?.functions ?? [], all.map((p) => p.fn))) continue;
      const counterparts = ctx.pairs.primitive(acquire.call.callee)?.counterparts ?? [];
      if (all.some((p) => p.fn.calls.some((c) => counterparts.includes(c.callee) && m.takesField(c, chain)))) continue;
      // ...or a helper of the program handed the field releases it (`fx_del_bar(s, &s->bar)` around the release)
      const releasesInside = (name: string) => summary.post.lookup(name, file.path)?.fn.calls.some((c) => counterparts.includes(c.callee)) ?? false;
      if (all.some((p) => p.fn.calls.some((c) => m.takesField(c, chain) && releasesInside(c.callee)))) continue;
      const line = file.preToPost(call.line);
      if (ctx.findings.some((f) => f.category === 'pair' && f.file === file.path && Math.abs(f.line - line) <= 1)) continue;
      reported.add(text(chain));
      // the object, not the cast around it (`OBJECT(s->worker)` names `s->worker`)
      const field = m.withoutCasts((names(call).find((a) => m.fieldChain(a) !== null) as string).trim().replace(/^&\s*/, ''));
      ctx.report({
        at: { file: file.path, line, function: postFn.name },
        messageId: 'releaseRemoved',
        data: { fn: postFn.name, callee: call.callee, field, acquireFn: acquire.fn.name, acquire: acquire.call.callee, acquirePath: acquire.path, acquireLine: acquire.call.line },
        related: [{ file: acquire.path, line: acquire.call.line, function: acquire.fn.name, messageId: 'acquiredHere', data: { fn: acquire.fn.name, acquire: acquire.call.callee, field } }],
        key: `release-removed|${postFn.name}|${text(chain)}`,
        repair: { callees: [call.callee], functions: [postFn.name] },
      });
    }
  }
}

/** The fields of the plain variable `v` a call names (`&v->n`, `v->req`, `V_CAST(v->bh)`), by their first name after `v`. */
function fieldsOf(call: CCall, v: string): string[] {
  const re = new RegExp(`^&?\\s*(?:[A-Z_][A-Z0-9_]*\\()?\\s*${v}\\s*->\\s*(\\w+)`);
  return call.args.map((a) => re.exec(a.trim())?.[1]).filter((f): f is string => f !== undefined);
}

/** The type a function declares a variable with (`UfsSq *old = ...;`, `FxSq *sq;`), or null when it does not show it. */
function declaredType(fn: CFunction, v: string): string | null {
  const re = new RegExp(`^(?:const\\s+)?(?:struct\\s+)?(\\w+)\\s*\\*+\\s*${v}\\s*(?:=|;)`);
  for (const st of fn.statements) {
    const m = re.exec(st.normalized.trim());
    if (m) return m[1] as string;
  }
  return null;
}

/** A free of a whole plain variable (`g_free(sq)`), its callee and the variable. */
function freedVariable(ctx: Ctx, call: CCall): string | null {
  if (call.args.length !== 1 || !ctx.pairs.freesHeapValue(call.callee)) return null;
  return /^\w+$/.test((call.args[0] as string).trim()) ? (call.args[0] as string).trim() : null;
}

/**
 * The fields a function releases on `v` before freeing it at `free`: a release of the table or the learned pairs, a
 * heap free, or a call named for releasing, handed a field of `v`.
 */
function releasedFields(ctx: Ctx, fn: CFunction, v: string, free: CCall): Map<string, CCall> {
  const out = new Map<string, CCall>();
  for (const c of fn.calls) {
    if (c.line >= free.line) continue;
    const releases = ctx.pairs.anyPrimitive(c.callee)?.role === 'release' || ctx.pairs.freesHeapValue(c.callee) || ctx.pairs.hasReleaseVerb(c.callee);
    if (!releases) continue;
    for (const f of fieldsOf(c, v)) if (!out.has(f)) out.set(f, c);
  }
  return out;
}

/**
 * An object the commit frees by hand (`g_free(old->req); g_free(old);`) where another function of the file frees
 * the same kind of object (it releases the same fields and more, then frees the variable with the same call) and
 * first releases a field this code leaves alone with a release of a pair (`qemu_bh_delete(sq->bh)`): the copy of a
 * teardown that lost a step. Not when the function hands the variable to any other call (a helper may release the
 * rest), nor when it releases that field some other way.
 */
function partialTeardowns(ctx: Ctx, file: ChangedFile, reported: Set<string>): void {
  const fns = file.post?.functions ?? [];
  for (const change of file.functionChanges()) {
    const fn = change.post;
    if (!fn) continue;
    for (const free of fn.calls) {
      if (!file.added.has(free.line)) continue;
      const v = freedVariable(ctx, free);
      if (!v) continue;
      const mine = releasedFields(ctx, fn, v, free);
      if (mine.size === 0) continue;
      // handed whole to a call that is not a release of a field of it: a helper may do the rest
      const bare = new RegExp(`^(?:[A-Z_][A-Z0-9_]*\\()?\\s*${v}\\s*\\)?$`);
      if (fn.calls.some((c) => c !== free && c.line < free.line && c.args.some((a) => bare.test(a.trim())))) continue;
      // any mention of another field of it on the way counts as handling it
      const handled = new Set(fn.calls.filter((c) => c.line < free.line).flatMap((c) => fieldsOf(c, v)));
      for (const ref of fns) {
        if (ref === fn) continue;
        // the reference teardown: the same free of a variable, after releasing more of its fields than this code
        let found: { refFree: CCall; y: string; theirs: Map<string, CCall> } | null = null;
        for (const c of ref.calls) {
          const w = c.callee === free.callee ? freedVariable(ctx, c) : null;
          const fields = w !== null ? releasedFields(ctx, ref, w, c) : null;
          if (w !== null && fields !== null && fields.size > mine.size) {
            found = { refFree: c, y: w, theirs: fields };
            break;
          }
        }
        if (!found) continue;
        const { refFree, y, theirs } = found;
        if (![...mine.keys()].every((f) => theirs.has(f))) continue;
        // the same kind of object: the same declared type, or, where a declaration does not show, two fields in common
        const [tv, ty] = [declaredType(fn, v), declaredType(ref, y)];
        if (tv !== null && ty !== null ? tv !== ty : mine.size < 2) continue;
        const missing = [...theirs].find(([f, c]) => !handled.has(f) && ctx.pairs.anyPrimitive(c.callee)?.role === 'release' && !ctx.pairs.freesHeapValue(c.callee));
        if (!missing) continue;
        const [field, release] = missing;
        const key = `${fn.name}|${v}|${field}`;
        if (reported.has(key)) continue;
        reported.add(key);
        const arg = (release.args.find((a) => fieldsOf({ ...release, args: [a] }, y).length > 0) ?? `${y}->${field}`).replace(new RegExp(`\\b${y}\\b`), v);
        ctx.report({
          at: { file: file.path, line: free.line, endLine: free.endLine, function: fn.name },
          messageId: 'partialTeardown',
          data: {
            fn: fn.name,
            variable: v,
            free: free.callee,
            released: [...mine.keys()].map((f) => `\`${v}->${f}\``).join(', '),
            refFn: ref.name,
            refPath: file.path,
            refLine: refFree.line,
            refVariable: y,
            field,
            release: release.callee,
            arg: arg.trim(),
          },
          related: [{ file: file.path, line: release.line, function: ref.name, messageId: 'refReleases', data: { fn: ref.name, refVariable: y, field, release: release.callee } }],
          key: `partial-teardown|${fn.name}|${v}|${field}`,
          repair: { callees: [release.callee], functions: [fn.name] },
        });
        break;
      }
    }
  }
}

/**
 * A release of a field the commit replaces, in the same function, by another call named for releasing on the same
 * object that releases none of the removed call's acquires (`fx_timer_free(s->t)` → `fx_timer_del(s->t)`: fx_timer_new's
 * undo is fx_timer_free), while nothing in the commit's files releases the field now. Wherever the field is filled (another
 * file, a common init), what it holds is only stopped, never given back.
 */
function demotedReleases(ctx: Ctx, file: ChangedFile, reported: Set<string>): void {
  const m = ctx.model;
  if (!file.pre) return;
  const all = m.summary().post.all();
  const squeeze = (a: string) => a.replace(/\s+/g, '');
  for (const change of file.functionChanges()) {
    const { pre: preFn, post: postFn } = change;
    if (!preFn || !postFn) continue;
    for (const call of preFn.calls) {
      if (!file.removed.has(call.line) || call.args.length === 0) continue;
      const match = ctx.pairs.primitive(call.callee);
      if (!match || match.role !== 'release') continue;
      const chain = m.fieldChain(call.args[0] as string);
      if (!chain || reported.has(text(chain))) continue;
      const object = squeeze(call.args[0] as string);
      // what the removed call released: the acquires of its pairs; the new call releases none of them (a stop, a
      // cancel), or far more rarely in the code base (`fx_timer_del()` after a `fx_timer_new_ms()` at 4 sites, `fx_timer_free()`
      // at 30: a stop some teardowns make instead of the free, not its undo)
      const acquires = match.counterparts;
      const support = (release: string) => acquires.reduce((n, a) => n + ctx.pairs.learnedSupport(a, release), 0);
      const releasesThem = (callee: string) => {
        const theirs = support(callee);
        // (a pair only the built-in table knows has no support: then the table's counterparts decide)
        if (theirs === 0) return (ctx.pairs.primitive(callee)?.counterparts ?? []).some((a) => acquires.includes(a)) && ctx.pairs.primitive(callee)?.role === 'release';
        return theirs * 4 >= support(call.callee);
      };
      const step = postFn.calls.find(
        (c) =>
          file.added.has(c.line) && c.callee !== call.callee && c.args.length > 0 && squeeze(c.args[0] as string) === object &&
          ctx.pairs.hasReleaseVerb(c.callee) && !releasesThem(c.callee) && !ctx.pairs.disposesWhole(c.callee) && !ctx.pairs.isHeapRelease(c.callee),
      );
      if (!step) continue;
      // an API the commit retires from its files altogether (`fx_free_timer()` gone from every caller, a rename)
      if (retiredFromFiles(m.summary(), call.callee)) continue;
      // the new call is a release the code base knows (a stop of some pair, not a name it has never seen), and not
      // the undo of what the commit now makes on the field (`fx_rec_lock(&s->m)` swapped in with `fx_rec_unlock(&s->m)`)
      const stepMatch = ctx.pairs.primitive(step.callee);
      if (!stepMatch || stepMatch.role !== 'release') continue;
      const fills = (c: CCall) => m.takesField(c, chain) || (c.result !== undefined && text(m.fieldChain(c.result) ?? []) === text(chain));
      // (the field's value made by a call the code base undoes with the new call and never with the removed one,
      // `s->buf = fx_memalign(...)` for `fx_vfree(s->buf)` in place of `g_free(s->buf)`: the commit fixes the release;
      // a counterpart that only works on the field, `fx_timer_mod(s->t, ...)`, counts where the commit adds it: one
      // the code always made is what the stop undoes, not what the free did)
      const made = (c: CCall) => c.result !== undefined && text(m.fieldChain(c.result) ?? []) === text(chain);
      const ownRelease = (maker: string) => ctx.pairs.learnedSupport(maker, step.callee) > 0 && ctx.pairs.learnedSupport(maker, call.callee) === 0;
      if (all.some((p) => p.fn.calls.some((c) => made(c) && ownRelease(c.callee)))) continue;
      if (all.some((p) => p.path === file.path && p.fn.calls.some((c) => file.added.has(c.line) && stepMatch.counterparts.includes(c.callee) && fills(c)))) continue;
      // released still, here or anywhere in the commit's files
      if (all.some((p) => p.fn.calls.some((c) => c.callee === call.callee && m.takesField(c, chain)))) continue;
      if (ctx.findings.some((f) => f.category === 'pair' && f.file === file.path && Math.abs(f.line - step.line) <= 1)) continue;
      reported.add(text(chain));
      ctx.report({
        at: { file: file.path, line: step.line, endLine: step.endLine, function: postFn.name },
        messageId: 'releaseDemoted',
        data: {
          fn: postFn.name,
          step: step.callee,
          callee: call.callee,
          acquires: match.counterparts.join('() or '),
          support: support(call.callee),
          stepSupport: support(step.callee) === 0 ? 'none' : support(step.callee),
          field: (call.args[0] as string).trim().replace(/^&\s*/, ''),
        },
        related: [],
        key: `release-demoted|${postFn.name}|${text(chain)}`,
        repair: { callees: [call.callee], functions: [postFn.name] },
      });
    }
  }
}

/**
 * Does a call of the program take the field's address (`object_property_add_link(..., (Object **)&cpu->memory, ...)`)?
 * What holds it there (a link property that unrefs on release) may drop the reference.
 */
function heldByAddress(fns: readonly { fn: CFunction }[], chain: readonly string[], except?: CCall): boolean {
  const byAddress = new RegExp(`&\\s*[\\w>.-]*(->|\\.)${chain[chain.length - 1] as string}\\b`);
  // (not the acquire itself, when it is handed the field by address: that is how it keeps it, not another holder)
  return fns.some((p) => p.fn.calls.some((c) => c !== except && c.callee !== except?.callee && c.args.some((a) => byAddress.test(a))));
}

/** A reference count: a take named `..._ref` whose release is named `..._unref`. */
const isRefTake = (callee: string, counterparts: readonly string[]) => /(^|_)ref$/.test(callee) && counterparts.some((c) => /(^|_)unref$/.test(c));

/**
 * A reference the commit takes on what a function keeps in a field (`object_ref(OBJECT(s->dev))`, or `object_ref(x)`
 * with `o->dev = x` in the same function) while no function of the commit's files drops a reference on that field:
 * the field holds it for good. Not in a function that returns the value (its caller owns the reference), nor when the
 * field held a reference before the commit already (introduced is decided by the model).
 */
function keptReferences(ctx: Ctx, file: ChangedFile, reported: Set<string>): void {
  const m = ctx.model;
  const post = file.post!;
  const summary = m.summary();
  for (const fn of post.functions) {
    if (!file.touched(fn.name)) continue;
    for (const call of fn.calls) {
      if (!file.added.has(call.line)) continue;
      const match = ctx.pairs.primitive(call.callee);
      if (!match || match.role !== 'acquire' || !isRefTake(call.callee, match.counterparts)) continue;
      const arg = call.args[0] ?? '';
      let chain = m.fieldChain(arg);
      let keptAt = call.line;
      let kept = (/^[A-Z_][A-Z0-9_]*\s*\(\s*(.*?)\s*\)$/.exec(arg.trim())?.[1] ?? arg).trim();
      if (!chain) {
        // a local or parameter the function stores into a field (`o->dev = dev;`)
        const name = /^\s*(?:[A-Z_][A-Z0-9_]*\s*\(\s*)?(\w+)\s*\)?\s*$/.exec(arg)?.[1];
        // (or the reference itself stored, through a cast macro: `o->tctx = FX_TCTX(object_ref(obj));`)
        const store =
          (name ? fn.stores.find((st) => st.value.trim() === name || new RegExp(`^[A-Z_][A-Z0-9_]*\\(\\s*${name}\\s*\\)$`).test(st.value.trim())) : undefined) ??
          fn.stores.find((st) => st.line === call.line && new RegExp(`^(?:[A-Z_][A-Z0-9_]*\\(\\s*)?${call.callee}\\s*\\(`).test(st.value.trim()));
        chain = store ? m.fieldChain(store.target) : null;
        if (store) {
          keptAt = store.line;
          kept = store.target.trim();
        }
      }
      if (!chain || chain.length === 0 || reported.has(text(chain))) continue;
      // handed back to the caller: a getter's reference is the caller's to drop
      if (fn.exits.some((e) => e.value !== undefined && (e.value.includes(call.callee) || chain.some((f) => new RegExp(`(->|\\.)${f}\\b`).test(e.value as string))))) continue;
      const refs = (f: CFunction) => f.calls.filter((c) => c.callee === call.callee).map((c) => m.fieldChain(c.args[0] ?? '')).filter((c): c is string[] => c !== null);
      if (m.fieldChain(arg) && summary.introducedAnywhere([chain], refs, (ch) => [text(ch)]).length === 0) continue;
      // a reference is dropped only by a call named for dropping one (its `..._unref`, a `..._put`), or a helper of
      // the files that makes one: a destroy or an unparent of the field (`fx_tctx_destroy(o->tctx)`) leaves the count
      // as it was
      const all = summary.post.all();
      const counterpart = (callee: string) => /(^|_)(unref|put)(_|$)/.test(callee);
      const drops = (c: CCall) => counterpart(c.callee) || all.some((p) => p.fn.name === c.callee && p.fn.calls.some((d) => counterpart(d.callee)));
      if (all.some((p) => p.fn.calls.some((c) => drops(c) && m.takesField(c, chain as string[])))) continue;
      if (heldByAddress(all, chain)) continue;
      if (ctx.findings.some((f) => f.category === 'pair' && f.file === file.path && f.line === call.line)) continue;
      reported.add(text(chain));
      ctx.report({
        at: { file: file.path, line: call.line, endLine: call.endLine, function: fn.name },
        messageId: 'refKept',
        data: { fn: fn.name, callee: call.callee, field: kept, release: match.counterparts.filter((c) => /(^|_)unref$/.test(c)).join('() or ') },
        related: [{ file: file.path, line: keptAt, function: fn.name, messageId: 'keptHere', data: { fn: fn.name, field: kept } }],
        key: `ref-kept|${fn.name}|${text(chain)}`,
        repair: { callees: match.counterparts, functions: [fn.name] },
      });
    }
  }
}

/**
 * A new store of what an acquire of the pair table or of the learned pairs sets up (`s->vmstate =
 * fx_add_change_handler(...)`, `s->bh = qemu_bh_new(...)`) into a field of an instance whose teardown is in the
 * commit's files (another function releases fields of the same instance there), while no function of those files
 * releases that field with a counterpart of the acquire: the teardown was not told. Not a heap allocation
 * (addedAllocations), a reference (keptReferences), a value the function hands back, nor a field held by address.
 */
function keptResources(ctx: Ctx, file: ChangedFile, reported: Set<string>): void {
  const m = ctx.model;
  const post = file.post!;
  // (a file the commit adds is new code on both sides: what its teardown does is its own design, not an omission)
  if (!file.pre) return;
  const summary = m.summary();
  for (const fn of post.functions) {
    if (!file.touched(fn.name)) continue;
    for (const call of fn.calls) {
      // what the acquire keeps in a field: its value stored there, or the field handed by address as its one object
      // (`fx_add_notifier(&s->notifier)`)
      const byAddress = call.result === undefined && call.args.length === 1 && /^&/.test((call.args[0] as string).trim()) ? (call.args[0] as string) : undefined;
      const kept = call.result ?? byAddress;
      if (!file.added.has(call.line) || kept === undefined) continue;
      const match = ctx.pairs.primitive(call.callee);
      if (!match || match.role !== 'acquire' || match.pair.onlyWithList || ctx.pairs.isHeapAllocation(call.callee) || isRefTake(call.callee, match.counterparts)) continue;
      const chain = m.fieldChain(kept);
      if (!chain || chain.length === 0 || reported.has(text(chain))) continue;
      if (fn.exits.some((e) => e.value !== undefined && chain.some((f) => new RegExp(`(->|\\.)${f}\\b`).test(e.value as string)))) continue;
      // (the field kept anything before, by any call: `qemu_bh_new` become `qemu_bh_new_guarded` keeps the same bh)
      const fields = (f: CFunction) =>
        f.calls.flatMap((c) => (c.result !== undefined ? [c.result] : c.callee === call.callee ? c.args : [])).map((a) => m.fieldChain(a)).filter((c): c is string[] => c !== null);
      if (summary.introducedAnywhere([chain], fields, (ch) => [text(ch)]).length === 0) continue;
      // (a step the code base makes before the release, `timer_del` before `timer_free`, stops it and frees nothing;
      // where the pair has a release named for disposing of the whole value, only such a release ends it)
      const step = (c: CCall) => match.counterparts.some((r) => r !== c.callee && ctx.pairs.stepBefore(c.callee, r));
      const disposers = match.counterparts.filter((r) => ctx.pairs.disposesWhole(r));
      const ends = (c: CCall) => disposers.length === 0 || ctx.pairs.disposesWhole(c.callee) || ctx.pairs.isHeapRelease(c.callee);
      const releases = (c: CCall) => ((match.counterparts.includes(c.callee) && m.takesField(c, chain)) || m.releasesField(c, chain)) && !step(c) && ends(c);
      if (summary.post.all().some((p) => p.fn.calls.some(releases))) continue;
      if (heldByAddress(summary.post.all(), chain, byAddress !== undefined ? call : undefined)) continue;
      // the instance's teardown: the release side of a pair the function is on the acquire side of, or the file's
      // instance finalize, releasing fields (a table release, or a call named for releasing, on a field chain)
      const teardowns = new Set([
        ...file.postSides.filter((p) => p.acquireSide.has(fn.name)).flatMap((p) => [...p.releaseSide]),
        // (or what the class installs as its `unparent`: QOM runs it when the object leaves the composition tree)
        ...post.initializers.flatMap((init) => init.fields.filter((f) => f.field === 'instance_finalize' || f.field === 'unparent').map((f) => f.value.trim())),
      ]);
      const teardown = post.functions
        .filter((f) => f !== fn && teardowns.has(f.name))
        .map((f) => ({ f, call: f.calls.find((c) => (ctx.pairs.primitive(c.callee)?.role === 'release' || ctx.pairs.hasReleaseVerb(c.callee)) && c.args.some((a) => m.fieldChain(a) !== null)) }))
        .find((t) => t.call !== undefined);
      if (!teardown || !teardown.call) continue;
      if (ctx.findings.some((f) => f.category === 'pair' && f.file === file.path && f.line === call.line)) continue;
      reported.add(text(chain));
      const field = kept.trim().replace(/^&\s*/, "");
      ctx.report({
        at: { file: file.path, line: call.line, endLine: call.endLine, function: fn.name },
        messageId: 'resourceKept',
        data: { fn: fn.name, callee: call.callee, field, release: (disposers.length > 0 ? disposers : match.counterparts).join('() or '), teardown: teardown.f.name, file: file.path, teardownLine: teardown.call.line },
        related: [{ file: file.path, line: teardown.call.line, function: teardown.f.name, messageId: 'releasesOtherFields', data: { fn: teardown.f.name, field } }],
        key: `resource-kept|${fn.name}|${text(chain)}`,
        repair: { callees: disposers.length > 0 ? disposers : match.counterparts, functions: [fn.name, teardown.f.name] },
      });
    }
  }
}

export const fieldLeak: Rule<NoOptions, keyof typeof MESSAGES> = {
  meta: {
    id: 'field-leak',
    messages: MESSAGES,
    category: 'pair',
    severity: 'warning',
    summary: 'A heap allocation or a reference kept in a field that nothing frees or drops',
    // after the other rules: a new reference another pair rule already reports (the release side lacks the unref) is theirs
    after: true,
    docs: {
      what:
        'The acquire side of a pair (realize, init, an add callback) now stores a new heap allocation (g_malloc0, g_new0, ' +
        'g_strdup, bitmap_new, ..., or a function of the code base that returns what one made) in a field of its instance, ' +
        'and no function of the commit\'s files frees that field, ' +
        'while the release side (unrealize, exit, del) releases other fields of the same instance (or undoes with the release ' +
        'of a pair what the acquire side set up with its acquire, `fx_msi_uninit(dev)` against `fx_msi_init(dev, ...)`: the ' +
        'same instance\'s teardown; a release handed one element\'s address, `fx_abort(&s->frames[i])`, frees no field); or the release side stops ' +
        'freeing a field the acquire side still allocates. Fields are matched by their chain without the base variable ' +
        '(`s->regs` in realize, `d->regs` in unrealize). A field freed anywhere else (finalize, a helper, or through a local ' +
        'that took it, `uint8_t *buf = s->buf; ... g_free(buf);`), cleared or ' +
        'handed over on the release side, allocated before the commit already, or filled in only when unset (a default for ' +
        'a property, which its owner frees), a field of another object than the side\'s instance (a parameter, a local cast ' +
        'from one, or a global the release side releases other fields of), or one the pre-image filled with another call ' +
        '(an allocator renamed), is not reported; the release side must release another field the acquire side ' +
        'allocates or sets up with an acquire of a pair (`fx_timer_free(s->tick)` for `s->tick = fx_timer_new(...)`, ' +
        '`fx_fifo_destroy(&s->rx_fifo)` for `fx_fifo_create(&s->rx_fifo, n)`). ' +
        'Also: a helper on no side of a pair (an options handler, a setter, a create function that fills a fresh object) ' +
        'now keeps a heap allocation in a field of its instance, when the release side of a pair of the file releases ' +
        'another field the helper fills on that instance (it opens `s->fd`, the finalize closes `s->fd`: the teardown of ' +
        'the instance) and nothing of the commit\'s files frees the new field, under the same exceptions. ' +
        'Also: an object the commit frees by hand after releasing some of its fields (`g_free(old->req); g_free(old);`) ' +
        'where another function of the file frees the same kind of object with the same call after releasing those fields ' +
        'and more, among them one with a release of a pair (`qemu_bh_delete(sq->bh)`) that this code leaves alone: a copied ' +
        'teardown that lost a step; not when the function hands the variable to another call (a helper may do the rest) or ' +
        'names that field at all on the way, nor when the two variables are declared with different types (where a declaration ' +
        'does not show, two fields in common stand for the type). ' +
        'Also: a reference the commit takes (`object_ref()`, any `..._ref` whose release is an `..._unref`) on what a function ' +
        'keeps in a field (`object_ref(OBJECT(s->dev))`, or `object_ref(OBJECT(dev))` with `o->dev = dev`, or the reference ' +
        'stored through a cast, `o->tctx = FX_TCTX(object_ref(obj))`), when no function ' +
        'of the commit\'s files drops a reference on that field (an unref or a put, or a helper of the files that makes one: ' +
        'a destroy or an unparent of the field leaves the count as it was); not in a function that returns it (the caller owns a getter\'s reference). ' +
        'And what another acquire of the pair table or the learned pairs sets up, kept in a field the commit stores it in ' +
        '(`s->vmstate = qemu_add_vm_change_state_handler(...)`, or a field handed by address as its one object, `fx_add_notifier(&s->notifier)`), when no function of the commit\'s files calls a counterpart ' +
        'on that field while its teardown (the release side of a pair the function is on, or the file\'s instance finalize or QOM `unparent`) ' +
        'releases other fields; not in a file the commit adds. And the commit deleting the last release of a pair on a ' +
        'field (`fx_peer_unregister(&a->peer)` dropped from a disconnect; by address, or as the one argument of a release ' +
        'handed nothing else, `object_unref(OBJECT(s->worker))` against `object_ref(OBJECT(s->worker))`) while a function of the commit\'s files still ' +
        'makes the acquire on it; not when another release of the pair still gives that field back. And the commit ' +
        'replacing a release of a field (`fx_timer_free(s->t)`) by another call named for releasing on the same object in the ' +
        'same function (`fx_timer_del(s->t)`) that the code base uses as the undo of the released acquires at under a quarter ' +
        'of the sites the removed one shows, when nothing in the commit\'s files releases the field with the removed call ' +
        'any more: wherever the field is filled, even in a file the commit does not touch, it is only stopped now. Not for ' +
        'an API the commit retires from its files, a call the learned pairs know as no release, or the undo of what the ' +
        'commit now puts in the field (`s->ring = fx_map_shared(...)` with `fx_unmap_shared(s->ring, ...)`), nor the release ' +
        'the code base uses, and never the removed call, for the call that fills the field (`fx_vfree(s->buf)` for ' +
        '`s->buf = fx_memalign(...)`): the commit fixes the release.',
      why:
        'A device that is realized and unrealized again (hotplug, a failed realize retried) leaks the memory every time, and ' +
        'a later realize overwrites the pointer. The release side that frees the other fields is where it belongs.',
      fix: 'Free the field on the release side (g_free(), g_clear_pointer()), or keep the memory in a g_autofree local when only the acquiring function needs it.',
      bad: [
        'static void fx_realize(DeviceState *dev, Error **errp)',
        '{',
        '    s->buf = g_malloc0(s->size);',
        '+   s->regs = g_new0(uint32_t, s->nregs);',
        '}',
        'static void fx_unrealize(DeviceState *dev)',
        '{',
        '    g_free(s->buf);',
        '}',
      ].join('\n'),
      good: [
        'static void fx_unrealize(DeviceState *dev)',
        '{',
        '+   g_free(s->regs);',
        '    g_free(s->buf);',
        '}',
      ].join('\n'),
    },
  },
  create(ctx) {
    return {
      changedFile(file) {
        if (!file.post) return;
        const reported = new Set<string>();
        for (const pair of file.postSides) {
          addedAllocations(ctx, file, pair, reported);
          removedFrees(ctx, file, pair, reported);
        }
        addedOutsideSides(ctx, file, reported);
        keptReferences(ctx, file, reported);
        keptResources(ctx, file, reported);
        removedResourceReleases(ctx, file, reported);
        demotedReleases(ctx, file, reported);
        partialTeardowns(ctx, file, reported);
      },
    };
  },
};
