/**
 * crossed-release: a teardown written as a row of like blocks, one per object
 * (`release(s->a); s->a = NULL;` then `release(s->b); s->b = NULL;`), where a
 * block the commit writes by copying its neighbour keeps one of the
 * neighbour's names: it releases `s->b` and clears `s->a`, so `s->b` keeps
 * pointing at what was released and `s->a` is cleared twice; or it tests
 * `s->b` and releases `s->a`, which the neighbour already released, and
 * never `s->b`. Read off one function's calls, stores and tests; only what
 * the commit adds.
 */
import type { CCall, CFunction, CGuard, CStore } from '../src/cmodel/types.js';
import type { NoOptions, Rule, RuleContext } from '../src/rule/rule.js';
import type { ChangedFile, FunctionChange, ModelService } from '../src/rule/model.js';

const MESSAGES = {
  clearedOther:
    '{{fn}}() clears `{{cleared}}` right after releasing `{{released}}` with {{release}}(), while the block at ' +
    '{{file}}:{{twinLine}} already released and cleared `{{cleared}}`: copied from that block, this one leaves ' +
    '`{{released}}` pointing at what {{release}}() gave back (a later release or use reaches it again) and clears ' +
    '`{{cleared}}` twice. Clear `{{released}}` here.',
  testedOther:
    '{{fn}}() releases `{{released}}` with {{release}}() under a test of `{{tested}}`, while the block at ' +
    '{{file}}:{{twinLine}} already releases `{{released}}` under a test of `{{released}}` itself: copied from that ' +
    'block, this one releases `{{released}}` a second time and never `{{tested}}`, which stays held. Release ' +
    '`{{tested}}` here.',
  releasedOther:
    '{{fn}}() releases `{{released}}` with {{release}}() and then clears `{{cleared}}`, while the block at ' +
    '{{file}}:{{twinLine}} releases and clears `{{released}}` itself: copied from that block, this one releases ' +
    '`{{released}}` where it meant `{{cleared}}`, so `{{released}}` is released twice when both blocks run, and ' +
    '`{{cleared}}` is released by nothing in {{fn}}() while its pointer is cleared here. Release `{{cleared}}` here.',
  otherInBlock:
    '{{fn}}() releases `{{released}}` with {{release}}() in a block that runs when `{{tested}}` holds one ' +
    '({{file}}:{{testLine}}) and clears `{{tested}}` right after ({{file}}:{{clearLine}}): the block is about ' +
    '`{{tested}}`, which it drops without releasing (what it held leaks), while `{{released}}` is given back behind ' +
    'the back of whatever still uses it. Release `{{tested}}` here.',
  argumentCrossed:
    '{{fn}}() now hands {{release}}() `{{newArg}}` with `{{object}}`, where before this commit it handed `{{oldArg}}` ' +
    '({{file}}:{{preLine}} of the pre-image): `{{newArg}}` is what its call for `{{neighbour}}` hands ' +
    '({{file}}:{{neighbourLine}}), while its call for `{{other}}` still hands `{{oldArg}}` ({{file}}:{{otherLine}}), and ' +
    'nothing else the commit adds names `{{object}}`: the line looks copied from the neighbour\'s, and {{release}}() ' +
    'of `{{object}}` now goes to `{{newArg}}`, where nothing moved it, so it stays where it was. Hand `{{oldArg}}` here again.',
  // related locations
  neighbourHere: 'the call for `{{neighbour}}` hands `{{newArg}}` here',
  clearedHere: '`{{tested}}` is cleared here without being released',
  twinBlock: 'the block this one was copied from releases `{{released}}` here',
};

type Ctx = RuleContext<NoOptions, keyof typeof MESSAGES>;

const text = (chain: readonly string[]) => chain.join('.');
const squeeze = (t: string) => t.replace(/\s+/g, '');

/** Two field chains of one object that differ in their last name only (`gfx.ectx` and `gfx.esurface`). */
function siblings(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.length > 0 && a.slice(0, -1).every((x, i) => x === b[i]) && a.at(-1) !== b.at(-1);
}

/** The base variable of an lvalue or argument (`vc` of `&vc->gfx.ectx`). */
const baseOf = (t: string): string | null => /^&?\s*\(?\s*(\w+)\s*(->|\.)/.exec(t.trim())?.[1] ?? null;

/** The field chains a call is handed, with the base each is read from. */
function fieldArgs(m: ModelService, call: CCall): { chain: string[]; base: string | null }[] {
  return call.args.flatMap((a) => {
    const chain = m.fieldChain(m.withoutCasts(a.trim()));
    return chain && chain.length > 0 ? [{ chain, base: baseOf(m.withoutCasts(a.trim())) }] : [];
  });
}

const sameBlock = (a: readonly CGuard[], b: readonly CGuard[]) =>
  a.length === b.length && a.every((g, i) => g.condition === b[i]?.condition && g.negated === b[i]?.negated);

/** Is the call a release: of the pair table or the learned pairs, a heap free, or named for releasing? */
function isRelease(ctx: Ctx, call: CCall): boolean {
  // (a library's camelCase name is read by its words: `eglDestroyContext`)
  return ctx.pairs.anyPrimitive(call.callee)?.role === 'release' || ctx.pairs.freesHeapValue(call.callee) || ctx.pairs.hasReleaseVerb(call.callee);
}

/** The last call before `store` in its block, when nothing else of the block stands between them. */
function releaseBefore(ctx: Ctx, fn: CFunction, store: CStore): CCall | null {
  const before = fn.calls.filter((c) => c.endLine <= store.line && c.line >= (store.guards.at(-1)?.condition.endLine ?? fn.bodyStartLine));
  const last = before.filter((c) => sameBlock(c.guards, store.guards)).at(-1);
  if (!last || !isRelease(ctx, last)) return null;
  // (a store between, another clear of the block, makes it a block of another shape)
  if (fn.stores.some((s) => s !== store && s.line > last.endLine && s.line < store.line)) return null;
  return last;
}

interface ClearedOther {
  release: CCall;
  store: CStore;
  released: string;
  cleared: string;
  /** the neighbour's release of the cleared field, or (`copiedRelease`) of the released field, which it clears */
  twin: CCall;
  /** the block copied its release line (not its clear) from the neighbour */
  copiedRelease?: boolean;
}

/**
 * `release(.., s->b, ..); s->a = NULL;` where `s->a` and `s->b` are fields of one object, the function elsewhere
 * releases `s->a` and clears it right after, and clears `s->b` nowhere after this release.
 */
function clearedOthers(ctx: Ctx, fn: CFunction): ClearedOther[] {
  const m = ctx.model;
  const out: ClearedOther[] = [];
  const clears = fn.stores.filter((s) => s.value.trim() === 'NULL' && m.fieldChain(s.target) !== null);
  for (const store of clears) {
    const cleared = m.fieldChain(store.target) as string[];
    const base = baseOf(store.target);
    const release = releaseBefore(ctx, fn, store);
    if (!release || base === null) continue;
    const args = fieldArgs(m, release).filter((a) => a.base === base);
    if (args.some((a) => text(a.chain) === text(cleared))) continue;
    const released = args.find((a) => siblings(a.chain, cleared));
    if (!released) continue;
    // the neighbour: a release of the cleared field, cleared right after it
    const twin = clears
      .filter((s) => s !== store && squeeze(s.target) === squeeze(store.target))
      .map((s) => ({ s, r: releaseBefore(ctx, fn, s) }))
      .find((x) => x.r !== null && fieldArgs(m, x.r).some((a) => a.base === base && text(a.chain) === text(cleared)))?.r;
    const releasedText = squeeze(store.target).replace(/(->|\.)\w+$/, (last) => last.replace(/\w+$/, released.chain.at(-1) as string));
    if (!twin) {
      // or the other way: the neighbour releases and clears the released field (the block copied its release line),
      // and nothing in the function releases the cleared one
      const copied = clears
        .filter((s) => s !== store && squeeze(s.target) === releasedText)
        .map((s) => ({ s, r: releaseBefore(ctx, fn, s) }))
        .find((x) => x.r !== null && x.r !== release && fieldArgs(m, x.r).some((a) => a.base === base && text(a.chain) === text(released.chain)))?.r;
      if (!copied) continue;
      if (fn.calls.some((c) => isRelease(ctx, c) && fieldArgs(m, c).some((a) => a.base === base && text(a.chain) === text(cleared)))) continue;
      out.push({ release, store, released: releasedText, cleared: squeeze(store.target), twin: copied, copiedRelease: true });
      continue;
    }
    // the released field cleared after all (a later `s->b = NULL;`): nothing dangles
    if (fn.stores.some((s) => s.line > release.line && baseOf(s.target) === base && text(m.fieldChain(s.target) ?? []) === text(released.chain))) continue;
    out.push({ release, store, released: releasedText, cleared: squeeze(store.target), twin });
  }
  return out;
}

interface TestedOther {
  release: CCall;
  guard: CGuard;
  released: string;
  tested: string;
  twin: CCall;
}

/** Field chains a condition reads, with their bases (`ct3d->ld0_cci.initialized`). */
function testedChains(m: ModelService, condition: string): { chain: string[]; base: string | null; text: string }[] {
  return [...condition.matchAll(/\w+(?:\s*(?:->|\.)\s*\w+)+/g)].flatMap((x) => {
    const chain = m.fieldChain(x[0]);
    return chain && chain.length > 0 ? [{ chain, base: baseOf(x[0]), text: squeeze(x[0]) }] : [];
  });
}

const startsWith = (chain: readonly string[], prefix: readonly string[]) => prefix.length <= chain.length && prefix.every((x, i) => chain[i] === x);

/**
 * `if (s->b.ready) { release(&s->a); }` where another block of the function releases `&s->a` with the same call
 * under a test of `s->a` itself, and nothing in the function releases `s->b` with that call.
 */
function testedOthers(ctx: Ctx, fn: CFunction): TestedOther[] {
  const m = ctx.model;
  const out: TestedOther[] = [];
  for (const release of fn.calls) {
    const guard = release.guards.at(-1);
    if (!guard || guard.negated || guard.condition.kind !== 'if' || !isRelease(ctx, release)) continue;
    const objects = fieldArgs(m, release);
    const object = objects.length === 1 ? objects[0] : undefined;
    if (!object || object.base === null) continue;
    const tests = testedChains(m, guard.condition.normalized).filter((t) => t.base === object.base);
    if (tests.length === 0 || tests.some((t) => startsWith(t.chain, object.chain))) continue;
    const tested = tests.find((t) => t.chain.length >= object.chain.length && siblings(t.chain.slice(0, object.chain.length), object.chain));
    if (!tested) continue;
    const testedObject = tested.chain.slice(0, object.chain.length);
    // the neighbour: the same release of the same object under a test of that object
    const twin = fn.calls.find((c) => {
      const g = c.guards.at(-1);
      if (c === release || c.callee !== release.callee || !g || g.negated) return false;
      const own = fieldArgs(m, c);
      return own.length === 1 && own[0]?.base === object.base && text(own[0].chain) === text(object.chain) &&
        testedChains(m, g.condition.normalized).some((t) => t.base === object.base && startsWith(t.chain, object.chain));
    });
    if (!twin) continue;
    // the tested object released somewhere in the function after all
    if (fn.calls.some((c) => c.callee === release.callee && fieldArgs(m, c).some((a) => a.base === object.base && text(a.chain) === text(testedObject)))) continue;
    const arg = release.args.find((a) => m.fieldChain(m.withoutCasts(a.trim())) !== null) as string;
    const releasedText = squeeze(m.withoutCasts(arg.trim())).replace(/^&/, '');
    const testedText = releasedText.replace(/(->|\.)\w+$/, (last) => last.replace(/\w+$/, testedObject.at(-1) as string));
    out.push({ release, guard, released: releasedText, tested: testedText, twin });
  }
  return out;
}

interface OtherInBlock {
  release: CCall;
  store: CStore;
  guard: CGuard;
  released: string;
  tested: string;
}

/**
 * `if (s->b >= 0) { close(s->a); s->b = -1; }`: a block that runs when a field holds something (`s->b`, `s->b !=
 * NULL`, `s->b >= 0`, `s->b != -1`) and clears that field at its end, right after a release of a sibling field of the
 * same base, with no release of the tested field in the block: its test and its clear say which field the block is
 * about, its release names another.
 */
function otherInBlocks(ctx: Ctx, fn: CFunction, fileFunctions: readonly CFunction[]): OtherInBlock[] {
  const m = ctx.model;
  const out: OtherInBlock[] = [];
  for (const store of fn.stores) {
    if (!/^(NULL|-\s*1|0)$/.test(store.value.trim())) continue;
    const guard = store.guards.at(-1);
    if (!guard || guard.negated || guard.condition.kind !== 'if') continue;
    const cleared = m.fieldChain(store.target);
    const base = baseOf(store.target);
    if (!cleared || base === null) continue;
    // the test asks whether the cleared field holds something, and nothing else
    const t = squeeze(store.target).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    if (!new RegExp(`^(${t}|${t}!=NULL|${t}>=0|${t}!=-1|${t}>0)$`).test(squeeze(guard.condition.normalized))) continue;
    const release = releaseBefore(ctx, fn, store);
    if (!release) continue;
    const args = fieldArgs(m, release).filter((a) => a.base === base);
    const released = args.find((a) => siblings(a.chain, cleared));
    if (!released || args.some((a) => text(a.chain) === text(cleared))) continue;
    // nothing of the block releases the tested field
    if (fn.calls.some((c) => c !== release && sameBlock(c.guards, store.guards) && isRelease(ctx, c) && fieldArgs(m, c).some((a) => a.base === base && text(a.chain) === text(cleared)))) continue;
    // and the file gives the tested field back with the same call elsewhere: it holds what that call releases (not a
    // count, a size or a handler the block resets)
    if (!fileFunctions.some((f) => f.calls.some((c) => c !== release && c.callee === release.callee && fieldArgs(m, c).some((a) => text(a.chain) === text(cleared))))) continue;
    const releasedText = squeeze(store.target).replace(/(->|\.)\w+$/, (last) => last.replace(/\w+$/, released.chain.at(-1) as string));
    out.push({ release, store, guard, released: releasedText, tested: squeeze(store.target) });
  }
  return out;
}

/** The text of every line the commit adds, in all its C files. */
const addedLines = (ctx: Ctx): string[] => ctx.files.flatMap((f) => f.diff.hunks.flatMap((h) => h.lines.filter((l) => l.kind === '+').map((l) => l.text)));

interface ArgumentCrossed {
  release: CCall;
  pre: CCall;
  neighbour: CCall;
  other: CCall;
  object: string;
  oldArg: string;
  newArg: string;
}

/**
 * The function's locals given one value once (`MemoryRegion *io = parent->space_io;`), as a map from the
 * name to the value, so that `io` and `parent->space_io` read as one argument.
 */
function singleValues(fn: CFunction): Map<string, string> {
  const seen = new Map<string, string[]>();
  for (const a of fn.assignments ?? []) {
    const target = a.target.trim();
    if (!/^\w+$/.test(target)) continue;
    seen.set(target, [...(seen.get(target) ?? []), squeeze(a.value)]);
  }
  const out = new Map<string, string>();
  for (const [name, values] of seen) if (values.length === 1 && /^[\w>.&-]+$/.test(values[0] as string)) out.set(name, values[0] as string);
  return out;
}

/**
 * A row of calls of one release (`del(parent_io, &w->io); del(parent_mem, &w->mem); del(parent_mem, &w->pref);`),
 * one per object, where the commit rewrote the call of one object to hand another argument (its container, its
 * space) than before, the one its neighbour's call hands, while another call of the row still hands the old one, and
 * nothing else the commit adds names the object: copied from the neighbour's line, the call kept the object's own
 * name and took the neighbour's container.
 */
function argumentsCrossed(ctx: Ctx, file: ChangedFile, fn: CFunction, pre: CFunction | null, added: readonly string[]): ArgumentCrossed[] {
  if (!pre) return [];
  const out: ArgumentCrossed[] = [];
  const postValues = singleValues(fn);
  const preValues = singleValues(pre);
  const resolve = (values: Map<string, string>, a: string) => values.get(squeeze(a)) ?? squeeze(a);
  for (const release of fn.calls) {
    if (!file.added.has(release.line) || release.args.length < 2 || !isRelease(ctx, release)) continue;
    const row = fn.calls.filter((c) => c.callee === release.callee && c.args.length === release.args.length);
    const preRow = pre.calls.filter((c) => c.callee === release.callee && c.args.length === release.args.length);
    if (row.length < 3) continue;
    // the object: an argument naming a field, the same in no other call of the row
    const k = release.args.findIndex((a) => /(->|\.)/.test(a) && row.filter((c) => squeeze(c.args[release.args.indexOf(a)] ?? '') === squeeze(a)).length === 1);
    if (k < 0) continue;
    const object = squeeze(release.args[k] as string);
    const before = preRow.filter((c) => squeeze(c.args[k] ?? '') === object);
    if (before.length !== 1) continue;
    const old = before[0] as CCall;
    for (let j = 0; j < release.args.length; j++) {
      if (j === k) continue;
      const newArg = resolve(postValues, release.args[j] as string);
      const oldArg = resolve(preValues, old.args[j] as string);
      if (newArg === oldArg) continue;
      const others = row.filter((c) => c !== release);
      const neighbour = others.find((c) => resolve(postValues, c.args[j] as string) === newArg);
      const other = others.find((c) => resolve(postValues, c.args[j] as string) === oldArg);
      if (!neighbour || !other) continue;
      // the neighbour and the other call hand what they handed before (the row was not rearranged)
      const unchanged = (c: CCall) => preRow.some((p) => squeeze(p.args[k] ?? '') === squeeze(c.args[k] ?? '') && resolve(preValues, p.args[j] as string) === resolve(postValues, c.args[j] as string));
      if (!unchanged(neighbour) || !unchanged(other)) continue;
      // nothing else the commit adds names the object (it did not move)
      const field = /(\w+)\)?$/.exec(object)?.[1] as string;
      const names = new RegExp(`(^|[^\\w])${field}($|[^\\w])`);
      if (added.filter((l) => names.test(l)).length > 1) continue;
      out.push({ release, pre: old, neighbour, other, object, oldArg, newArg });
      break;
    }
  }
  return out;
}

function checkFunction(ctx: Ctx, file: ChangedFile, change: FunctionChange): void {
  const fn = change.post;
  if (!fn || fn.hasErrors) return;
  const summary = ctx.model.summary();
  const cleared = summary.introduced(fn, file, (f) => clearedOthers(ctx, f), (o, rename) => [`cleared|${rename(o.release.callee)}|${o.released}|${o.cleared}`]);
  const reportedAt = (line: number) => ctx.findings.some((f) => f.category === 'pair' && f.file === file.path && f.line === line);
  for (const o of cleared) {
    if (!file.added.has(o.store.line) && !file.added.has(o.release.line)) continue;
    if (reportedAt(o.store.line) || reportedAt(o.release.line)) continue;
    ctx.report({
      at: { file: file.path, line: o.copiedRelease ? o.release.line : o.store.line, function: fn.name },
      messageId: o.copiedRelease ? 'releasedOther' : 'clearedOther',
      data: { fn: fn.name, cleared: o.cleared, released: o.released, release: o.release.callee, file: file.path, twinLine: o.twin.line },
      related: [{ file: file.path, line: o.twin.line, function: fn.name, messageId: 'twinBlock', data: { released: o.copiedRelease ? o.released : o.cleared } }],
      key: `cleared-other|${fn.name}|${o.released}|${o.cleared}`,
    });
  }
  const inBlock = summary.introduced(fn, file, (f) => otherInBlocks(ctx, f, f === fn ? (file.post?.functions ?? []) : (file.pre?.functions ?? [])), (o, rename) => [`in-block|${rename(o.release.callee)}|${o.released}|${o.tested}`]);
  for (const o of inBlock) {
    if (!file.added.has(o.release.line)) continue;
    if (reportedAt(o.release.line) || reportedAt(o.store.line)) continue;
    ctx.report({
      at: { file: file.path, line: o.release.line, function: fn.name },
      messageId: 'otherInBlock',
      data: { fn: fn.name, released: o.released, tested: o.tested, release: o.release.callee, file: file.path, testLine: o.guard.condition.line, clearLine: o.store.line },
      related: [{ file: file.path, line: o.store.line, function: fn.name, messageId: 'clearedHere', data: { tested: o.tested } }],
      key: `other-in-block|${fn.name}|${o.released}|${o.tested}`,
    });
  }
  for (const o of argumentsCrossed(ctx, file, fn, change.pre, addedLines(ctx))) {
    if (reportedAt(o.release.line)) continue;
    ctx.report({
      at: { file: file.path, line: o.release.line, endLine: o.release.endLine, function: fn.name },
      messageId: 'argumentCrossed',
      data: {
        fn: fn.name,
        release: o.release.callee,
        newArg: o.newArg,
        oldArg: o.oldArg,
        object: o.object,
        file: file.path,
        preLine: o.pre.line,
        neighbour: squeeze(o.neighbour.args[o.release.args.findIndex((a) => squeeze(a) === o.object)] ?? ''),
        neighbourLine: o.neighbour.line,
        other: squeeze(o.other.args[o.release.args.findIndex((a) => squeeze(a) === o.object)] ?? ''),
        otherLine: o.other.line,
      },
      related: [{ file: file.path, line: o.neighbour.line, function: fn.name, messageId: 'neighbourHere', data: { neighbour: squeeze(o.neighbour.args[o.release.args.findIndex((a) => squeeze(a) === o.object)] ?? ''), newArg: o.newArg } }],
      key: `argument-crossed|${fn.name}|${o.release.callee}|${o.object}`,
    });
  }
  const tested = summary.introduced(fn, file, (f) => testedOthers(ctx, f), (o, rename) => [`tested|${rename(o.release.callee)}|${o.released}|${o.tested}`]);
  for (const o of tested) {
    if (!file.added.has(o.release.line) && !file.added.has(o.guard.condition.line)) continue;
    if (reportedAt(o.release.line)) continue;
    ctx.report({
      at: { file: file.path, line: o.release.line, function: fn.name },
      messageId: 'testedOther',
      data: { fn: fn.name, released: o.released, tested: o.tested, release: o.release.callee, file: file.path, twinLine: o.twin.line },
      related: [{ file: file.path, line: o.twin.line, function: fn.name, messageId: 'twinBlock', data: { released: o.released } }],
      key: `tested-other|${fn.name}|${o.released}|${o.tested}`,
    });
  }
}

export const crossedRelease: Rule<NoOptions, keyof typeof MESSAGES> = {
  meta: {
    id: 'crossed-release',
    messages: MESSAGES,
    category: 'pair',
    severity: 'warning',
    summary: 'A release block copied from its neighbour still names the neighbour\'s object',
    // after the other rules: a copied block mismatched-release or released-twice already reports on that line is theirs
    after: true,
    docs: {
      what:
        'A teardown written as a row of like blocks, one per field of an object (`fx_destroy(s->a); s->a = NULL;`, then ' +
        'the same for `s->b`), where a block the commit adds keeps a name of the block it was copied from: it releases ' +
        '`s->b` and then clears `s->a` (two fields of one object that differ in their last name), while the block that ' +
        'releases `s->a` clears it too and nothing clears `s->b` after its release; or, the other way, it releases `s->a` ' +
        'and then clears `s->b`, while another block releases and clears `s->a` and nothing in the function releases ' +
        '`s->b` (an unwind ladder whose new rung copied the release line of the rung below); or it releases `&s->a` under a test of ' +
        '`s->b` (`if (s->b.ready)`), while another block releases `&s->a` with the same call under a test of `s->a` ' +
        'itself and nothing in the function releases `s->b` with that call; or, with no neighbour, a block that runs when ' +
        '`s->b` holds one (`if (s->b >= 0)`) and clears `s->b` at its end, right after releasing its sibling `s->a` ' +
        '(`close(s->a); s->b = -1;`), with no release of `s->b` in the block, where the file gives `s->b` back with the ' +
        'same call elsewhere (so it holds what that call releases, not a count or a handler); or a row of three or more ' +
        'calls of one release, one per object (`del(parent_io, &w->io); del(parent_mem, &w->mem); del(parent_mem, ' +
        '&w->pref);`), where the commit rewrites the call of one object to hand another argument than before (a local ' +
        'given one value once reads as that value: `parent_io` as `parent->space_io`), the one a neighbour\'s call hands, ' +
        'while another call of the row still hands the old one, both as before the commit, and no other line the commit ' +
        'adds names the object (it did not move). A release is a call of the pair table or ' +
        'the learned pairs, a heap free, or a call named for releasing; the clear is a store of NULL right after it in ' +
        'the same block. Only blocks the commit writes, and not a pairing the pre-image already had; a line ' +
        'mismatched-release or released-twice already reports (a bare test of a pointer, `if (s->b)`) is theirs.',
      why:
        'Copying the block above and renaming is how such rows are written, and a missed rename is invisible in review: ' +
        'every line looks like its neighbour. The field that is not cleared keeps pointing at what was given back, so ' +
        'the next teardown (a reset, then unrealize) releases it again; the object tested but not released stays held, ' +
        'and the other one is released twice.',
      fix: 'Use the block\'s own field everywhere in it: clear the field it releases, release the object it tests.',
      bad: [
        'static void fx_release_surfaces(FxConsole *vc)',
        '{',
        '+   if (vc->gfx.esurface) {',
        '+       fx_destroy_surface(fx_display, vc->gfx.esurface);',
        '+       vc->gfx.esurface = NULL;',
        '+   }',
        '+   if (vc->gfx.ectx) {',
        '+       fx_destroy_context(fx_display, vc->gfx.ectx);',
        '+       vc->gfx.esurface = NULL;',
        '+   }',
        '}',
      ].join('\n'),
      good: [
        'static void fx_release_surfaces(FxConsole *vc)',
        '{',
        '+   if (vc->gfx.esurface) {',
        '+       fx_destroy_surface(fx_display, vc->gfx.esurface);',
        '+       vc->gfx.esurface = NULL;',
        '+   }',
        '+   if (vc->gfx.ectx) {',
        '+       fx_destroy_context(fx_display, vc->gfx.ectx);',
        '+       vc->gfx.ectx = NULL;',
        '+   }',
        '}',
      ].join('\n'),
    },
  },
  create(context) {
    return {
      changedFunction(file, change) {
        if (!file.post) return;
        checkFunction(context, file, change);
      },
    };
  },
};
