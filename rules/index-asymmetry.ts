/**
 * index-asymmetry: the two sides of a pair loop over the same objects by
 * index, each calling its half of a per-index pair (`*_notifier_init(dev, i)`
 * / `*_notifier_uninit(dev, i)`), but from different first indexes
 * (`dev->vq_index` against `0`): the release side tears down other objects
 * than the acquire side set up; or the acquire side, failing part way through
 * its loop, calls the release side, which undoes the whole range.
 */
import type { CCall, CCondition, CExit, CFunction } from '../src/cmodel/types.js';
import type { PairTable } from '../src/pairs/table.js';
import type { NoOptions, Rule, RuleContext } from '../src/rule/rule.js';
import type { SidePair } from '../src/pairs/sides.js';
import type { ChangedFile, CommitSummary, FunctionChange, SideRoots } from '../src/rule/model.js';

const MESSAGES = {
  ranges:
    '{{acquireFn}}() calls {{acquire}}() for {{acquireIndex}} from {{acquireStart}} (`{{acquireLoop}}`, {{file}}:{{acquireLine}}), but ' +
    '{{releaseFn}}() calls {{release}}() for {{releaseIndex}} from {{releaseStart}} (`{{releaseLoop}}`, {{file}}:{{releaseLine}}): ' +
    'the two sides loop over different indexes, so the release side tears down ' +
    'objects the acquire side never set up and leaves the ones it did. Loop over the same range on both sides ' +
    '(the same first index and count).',
  counts:
    '{{acquireFn}}() calls {{acquire}}() for {{acquireIndex}} below `{{acquireBound}}` (`{{acquireLoop}}`, {{file}}:{{acquireLine}}), ' +
    'but {{releaseFn}}() calls {{release}}() for {{releaseIndex}} below `{{releaseBound}}` (`{{releaseLoop}}`, ' +
    '{{file}}:{{releaseLine}}): whenever the two counts differ, the release side leaves some of what the acquire side ' +
    'set up, or tears down what it never set up. Loop up to the same count on both sides.',
  rangesSwapped:
    '{{acquireFn}}() calls {{acquire}}() for {{acquireIndex}} from {{acquireStart}} (`{{acquireLoop}}`, {{file}}:{{acquireLine}}), but ' +
    '{{releaseFn}}() calls {{release}}() for {{releaseIndex}} from {{releaseStart}} (`{{releaseLoop}}`, {{file}}:{{releaseLine}}): ' +
    'the two sides loop over different indexes, so {{releaseFn}}() undoes {{acquire}}() for objects {{acquireFn}}() never ' +
    'called it for, or leaves undone some it did. Loop over the same range on both sides (the same first index and count).',
  rollback:
    '{{acquireFn}}() calls {{release}}() when it fails part way through its loop over {{index}} (`{{acquireLoop}}`, ' +
    '{{file}}:{{acquireLine}}), but {{release}}() undoes every {{index}} from {{start}} to {{bound}} (`{{releaseLoop}}`, ' +
    '{{file}}:{{releaseLine}}): it also tears down the ones this loop never reached, the one that just failed ' +
    'included. Undo only the ones done, counting down from the failed {{index}} (`while (--{{index}} >= {{start}})`).',
  staleIndex:
    '{{fn}}() loops over `{{own}}` (`{{loop}}`, {{file}}:{{loopLine}}) but calls {{callee}}() on `{{arg}}`, ' +
    'indexed by `{{stale}}`, not by `{{own}}`: each pass {{verb}} the same element again, and the others {{others}}. ' +
    'Index the call with `{{own}}`.',
  unwindMissesFirst:
    '{{fn}}() gives up part way through its loop over `{{index}}` from {{start}} (`{{acquireLoop}}`, {{file}}:{{acquireLine}}), ' +
    'but its unwind (`{{releaseLoop}}`, {{file}}:{{releaseLine}}) calls {{release}}() on `{{object}}` for `{{releaseIndex}}` ' +
    'down to {{lowest}} only: element {{start}}, taken with {{acquire}}() ({{file}}:{{acquireCallLine}}) in the first pass, is ' +
    'never given back. Let the unwind reach element {{start}} (`while (--{{index}} >= {{start}})` undoes exactly the passes done).',
  unwindTakesCurrent:
    '{{fn}}() gives up part way through its loop over `{{index}}` (`{{acquireLoop}}`, {{file}}:{{acquireLine}}) {{how}}, ' +
    'but its unwind (`{{releaseLoop}}`, {{file}}:{{releaseLine}}) starts from that pass\'s element: {{release}}() on ' +
    '`{{object}}` gives back what {{acquire}}() ({{file}}:{{acquireCallLine}}) never took for it (a removal of what was ' +
    'never added, a teardown of what was never set up). Start the unwind from the element before ' +
    '(`while (--{{index}} >= {{start}})` undoes exactly the passes done).',
  unwindOverSkipped:
    '{{fn}}() now leaves some passes of its loop over `{{index}}` (`{{acquireLoop}}`, {{file}}:{{acquireLine}}) with ' +
    '`continue` ({{file}}:{{exitLine}}) before {{acquire}}() takes their element ({{file}}:{{acquireCallLine}}), but its ' +
    'unwind (`{{releaseLoop}}`, {{file}}:{{releaseLine}}) gives back every element below the failing one with ' +
    '{{release}}(){{via}}, also those the skipped passes never took (a removal of what was never added, a teardown of what ' +
    'was never set up). Skip the same elements in the unwind (test what a pass leaves when it took its element), or leave ' +
    'them out of the loop before it.',
  through: ' (through {{helper}}(), {{file}}:{{line}})',
  leavesBefore: 'before {{acquire}}() has run in the failing pass',
  leavesOnFailure: 'when {{acquire}}() itself fails',
  // what a stale index does ({{verb}} and {{others}} above), by the call's side of its pair
  releasesAgain: 'releases',
  acquiresAgain: 'acquires',
  neverReleased: 'are never released',
  neverAcquired: 'are never set up',
  // related locations
  staleLoop: '`{{stale}}` is the index of this loop',
  loopsFrom: '{{fn}}() loops from {{start}} here',
  loopsTo: '{{fn}}() loops below `{{bound}}` here',
  undoesAll: '{{fn}}() undoes the whole range here',
  takenFirst: '{{acquire}}() takes element {{start}} here in the first pass',
  passSkipped: 'a pass leaves here before {{acquire}}() takes its element',
  failedPassLeaves: 'the failing pass leaves here, its element not taken by {{acquire}}()',
};

type Ctx = RuleContext<NoOptions, keyof typeof MESSAGES>;

interface IndexLoop {
  cond: CCondition & { loop: { index: string; start: string } };
  /** a call in the loop body that takes the index as an argument */
  call: CCall;
  fn: CFunction;
}

/** Loops that count up from their first index (`i < n`, `i <= n`): a loop counting down covers its range from the other end. */
function countsUp(cond: CCondition & { loop: { index: string } }): boolean {
  const index = cond.loop.index;
  return new RegExp(`^${index}\\s*<=?\\s*[^=]`).test(cond.normalized);
}

/** `dev -> vq_index` and `dev->vq_index` are one first index. */
const startOf = (l: IndexLoop) => l.cond.loop.start.replace(/\s*(->|\.)\s*/g, '$1');

function indexLoops(fn: CFunction): IndexLoop[] {
  const out: IndexLoop[] = [];
  for (const cond of fn.conditions) {
    if (cond.kind !== 'for' || !cond.loop) continue;
    const loop = cond as IndexLoop['cond'];
    if (!countsUp(loop)) continue;
    const body = fn.calls.filter((call) => call.guards.some((g) => g.condition === cond && !g.negated));
    // the element of this pass: the index itself, an element it subscripts (`s->ctx[i]`), or a local a call of the
    // body made of it (`vq = fx_get_queue(vdev, i)`)
    const index = new RegExp(`\\[\\s*${loop.loop.index}\\s*\\]`);
    const made = new Set(body.filter((c) => c.result !== undefined && c.args.some((a) => a.trim() === loop.loop.index)).map((c) => (c.result as string).trim()));
    // (or a local given the element in the body, `timer = &s->timer[i];`, whose fields the calls fill or hand:
    // `timer->qemu_timer = timer_new_ns(...)`, `timer_free(timer->qemu_timer)`)
    const inBody = (line: number) => line > cond.line && line <= cond.stmtEndLine;
    const aliases = (fn.assignments ?? []).filter((a) => inBody(a.line) && /^\w+$/.test(a.target) && index.test(a.value)).map((a) => a.target);
    const throughAlias = (t: string) => aliases.some((v) => new RegExp(`^${v}\\s*(->|\\.)`).test(t.trim()));
    for (const call of body) {
      if (call.args.some((a) => a === loop.loop.index) || (call.result === undefined && call.args.some((a) => made.has(a.trim()) || index.test(a) || throughAlias(a)))) {
        out.push({ cond: loop, call, fn });
      } else if (call.result !== undefined && (index.test(call.result) || throughAlias(call.result)) && !call.args.some((a) => a.trim() === call.result?.trim())) {
        // an acquire whose value goes into the element (`s->t[i].timer = timer_new_ns(...)`)
        out.push({ cond: loop, call, fn });
      }
    }
  }
  return out;
}

interface Mismatch {
  acquire: IndexLoop;
  release: IndexLoop;
  /** the same first index, different counts (`i < HPET_MAX_TIMERS` against `i < s->num_timers`) */
  bounds?: { acquire: string; release: string };
}

/** Does a bound name a parameter of its function (`i < first + n`): a count its caller chooses, a partial unwind? */
const caller = (l: IndexLoop, bound: string) => (l.fn.params ?? []).some((p) => new RegExp(`(^|[^\\w>.])${p}(?![\\w])`).test(bound));

/** Does a function of the program give one count the other's value (`v->dev.nvqs = v->num_queues;`)? */
function madeEqual(program: ReturnType<CommitSummary['program']>, a: string, b: string): boolean {
  const bare = (t: string) => t.replace(/\s+/g, '').replace(/^\w+(?=->|\.)/, '');
  return program.all().some((p) => p.fn.stores.some((st) => {
    const t = bare(st.target);
    const v = bare(st.value);
    return (t === a && v === b) || (t === b && v === a);
  }));
}

/** The mismatched loops of a pair's roots (`names`, under the image's own names) in `image`. */
function mismatches(summary: CommitSummary, image: 'pre' | 'post', names: SideRoots): Mismatch[] {
  const program = summary.program(image);
  const a = program.lookup(names.acquire[0] as string)?.fn;
  const r = program.lookup(names.release[0] as string)?.fn;
  if (!a || !r) return [];
  const out: Mismatch[] = [];
  for (const al of indexLoops(a)) {
    // either way round: the acquire side may undo per index what the release side redoes (`fx_drained_begin` detaches
    // each queue's notifier, `fx_drained_end` attaches it again)
    const m = summary.primitive(al.call.callee);
    if (!m) continue;
    for (const rl of indexLoops(r)) {
      if (!m.counterparts.includes(rl.call.callee)) continue;
      if (startOf(al) !== startOf(rl)) out.push({ acquire: al, release: rl });
      else {
        const ab = boundOf(al.cond);
        const rb = boundOf(rl.cond);
        // (`<` against `<=` of one count is the unwind's business; only counts that are other names)
        if (ab !== null && rb !== null && ab !== rb && /[A-Za-z_]/.test(ab) && /[A-Za-z_]/.test(rb) && !caller(al, ab) && !caller(rl, rb) && !madeEqual(program, ab, rb)) {
          out.push({ acquire: al, release: rl, bounds: { acquire: ab, release: rb } });
        }
      }
    }
  }
  return out;
}

/** The bound a loop counts up to (`i < hdev->nvqs` → `->nvqs`), without the variable it starts from. */
function boundOf(cond: CCondition & { loop: { index: string } }): string | null {
  const m = new RegExp(`^${cond.loop.index}\\s*<=?\\s*(.+)$`).exec(cond.normalized);
  if (!m) return null;
  return (m[1] as string).replace(/\s+/g, '').replace(/^\w+(?=->|\.)/, '');
}

/** Does a call work on the loop's index (`set_notifier(bus, dev->vq_index + i, true)`)? */
const usesIndex = (call: CCall, index: string) => call.args.some((a) => new RegExp(`\\b${index}\\b`).test(a));

interface Rollback {
  loop: IndexLoop['cond'];
  fn: CFunction;
  /** the call to the release root on the failing exit */
  call: CCall;
  releaseLoop: IndexLoop['cond'];
  releaseFn: CFunction;
  bound: string;
}

/**
 * Exits inside the acquire root's loop over an index that call the release
 * root, where the release root loops over the same range from the same first
 * index: the failed iteration undoes the whole range, not the part done.
 */
function rollbacks(summary: CommitSummary, image: 'pre' | 'post', names: SideRoots): Rollback[] {
  const program = summary.program(image);
  const a = program.lookup(names.acquire[0] as string)?.fn;
  const r = program.lookup(names.release[0] as string)?.fn;
  if (!a || !r) return [];
  const loopsOf = (fn: CFunction) =>
    fn.conditions.filter((c): c is IndexLoop['cond'] => c.kind === 'for' && c.loop !== undefined && countsUp(c as IndexLoop['cond']));
  const out: Rollback[] = [];
  for (const loop of loopsOf(a)) {
    const bound = boundOf(loop);
    if (bound === null) continue;
    const inLoop = (guards: readonly { condition: CCondition; negated: boolean }[]) => guards.some((g) => g.condition === loop && !g.negated);
    if (!a.calls.some((c) => inLoop(c.guards) && usesIndex(c, loop.loop.index))) continue;
    for (const exit of a.exits) {
      if ((exit.kind !== 'return' && exit.kind !== 'goto') || !inLoop(exit.guards)) continue;
      const last = exit.guards[exit.guards.length - 1];
      const onExit = (c: CCall) =>
        (c.line < exit.line && c.line > loop.endLine && last !== undefined && c.guards[c.guards.length - 1]?.condition === last.condition) ||
        (exit.kind === 'goto' && exit.labelLine !== undefined && c.line > exit.labelLine);
      const call = a.calls.find((c) => c.callee === r.name && onExit(c));
      if (!call) continue;
      // the bound set to the count done before the undo runs (`hdev->nvqs = n_initialized;`): the range is the part done
      const boundField = bound.replace(/^.*(->|\.)/, '');
      if (a.stores.some((st) => st.field === boundField && st.line > loop.endLine && st.line < call.line)) continue;
      for (const rl of loopsOf(r)) {
        if (boundOf(rl) !== bound || rl.loop.start.replace(/\s+/g, '') !== loop.loop.start.replace(/\s+/g, '')) continue;
        if (!r.calls.some((c) => c.guards.some((g) => g.condition === rl && !g.negated) && usesIndex(c, rl.loop.index))) continue;
        out.push({ loop, fn: a, call, releaseLoop: rl, releaseFn: r, bound });
      }
    }
  }
  return out;
}

const key = (m: Mismatch, rename: (n: string) => string) =>
  `${rename(m.acquire.call.callee)}|${startOf(m.acquire)}|${startOf(m.release)}${m.bounds ? `|${m.bounds.acquire}|${m.bounds.release}` : ''}`;

function checkPair(ctx: Ctx, file: ChangedFile, pair: SidePair): void {
  const summary = ctx.model.summary();
  if (!file.touched(pair.acquire) && !file.touched(pair.release)) return;
  // "introduced" is decided by the model (summary.introducedAcross): a mismatch the pre-image's roots, under
  // their old names, already had is not new
  const roots = { acquire: [pair.acquire], release: [pair.release] };
  // (one finding a pair of loops: their other pairs of calls say the same)
  const loops = new Set<string>();
  for (const m of summary.introducedAcross(roots, (image, names) => mismatches(summary, image, names), (m, rename) => [key(m, rename)])) {
    const { acquire, release } = m;
    const both = `${acquire.fn.name}:${acquire.cond.line}|${release.fn.name}:${release.cond.line}`;
    if (loops.has(both)) continue;
    loops.add(both);
    const changed = [acquire, release].find((l) => file.addedIn(l.cond.stmtLine, l.cond.endLine));
    if (!changed) continue;
    const other = changed === acquire ? release : acquire;
    ctx.report({
      at: { file: file.path, line: changed.cond.line, endLine: changed.cond.endLine, function: changed.fn.name },
      messageId: m.bounds ? 'counts' : summary.primitive(acquire.call.callee)?.role === 'release' ? 'rangesSwapped' : 'ranges',
      data: {
        acquireBound: acquire.cond.normalized.replace(/^\w+\s*<=?\s*/, ''),
        releaseBound: release.cond.normalized.replace(/^\w+\s*<=?\s*/, ''),
        file: file.path,
        acquireFn: acquire.fn.name,
        acquire: acquire.call.callee,
        acquireIndex: acquire.cond.loop.index,
        acquireStart: startOf(acquire),
        acquireLoop: acquire.cond.text,
        acquireLine: acquire.cond.line,
        releaseFn: release.fn.name,
        release: release.call.callee,
        releaseIndex: release.cond.loop.index,
        releaseStart: startOf(release),
        releaseLoop: release.cond.text,
        releaseLine: release.cond.line,
      },
      related: [
        m.bounds
          ? { file: file.path, line: other.cond.line, function: other.fn.name, messageId: 'loopsTo', data: { fn: other.fn.name, bound: other.cond.normalized.replace(/^\w+\s*<=?\s*/, '') } }
          : { file: file.path, line: other.cond.line, function: other.fn.name, messageId: 'loopsFrom', data: { fn: other.fn.name, start: other.cond.loop.start } },
      ],
      key: `index|${pair.acquire}/${pair.release}|${acquire.call.callee}|${acquire.cond.loop.start}|${release.cond.loop.start}${m.bounds ? `|${m.bounds.acquire}|${m.bounds.release}` : ''}`,
      repair: { callees: [], functions: [acquire.fn.name, release.fn.name], names: [acquire.cond.loop.index] },
    });
  }
}

function checkRollbacks(ctx: Ctx, file: ChangedFile, pair: SidePair): void {
  const summary = ctx.model.summary();
  if (!file.touched(pair.acquire)) return;
  const roots = { acquire: [pair.acquire], release: [pair.release] };
  const rollbackKey = (b: Rollback, rename: (n: string) => string) => [`rollback|${rename(b.releaseFn.name)}|${b.bound}`];
  for (const b of summary.introducedAcross(roots, (image, names) => rollbacks(summary, image, names), rollbackKey)) {
    if (!file.addedIn(b.call.line, b.call.endLine)) continue;
    const start = b.loop.loop.start.replace(/\s*(->|\.)\s*/g, '$1');
    ctx.report({
      at: { file: file.path, line: b.call.line, endLine: b.call.endLine, function: b.fn.name },
      messageId: 'rollback',
      data: {
        acquireFn: b.fn.name,
        release: b.releaseFn.name,
        index: b.loop.loop.index,
        acquireLoop: b.loop.text,
        file: file.path,
        acquireLine: b.loop.line,
        start,
        bound: b.releaseLoop.normalized.replace(/^\w+\s*<=?\s*/, ''),
        releaseLoop: b.releaseLoop.text,
        releaseLine: b.releaseLoop.line,
      },
      related: [{ file: file.path, line: b.releaseLoop.line, function: b.releaseFn.name, messageId: 'undoesAll', data: { fn: b.releaseFn.name } }],
      key: `rollback|${pair.acquire}/${pair.release}|${b.bound}`,
      repair: { callees: [], functions: [b.fn.name], names: [b.loop.loop.index] },
    });
  }
}

/** A call of a pair inside a loop that indexes by another variable than the loop's own index, which the body never uses. */
interface StaleIndex {
  loop: CCondition;
  own: string;
  stale: string;
  call: CCall;
  arg: string;
  role: 'acquire' | 'release';
  /** the loop whose index `stale` is, when it is one */
  staleLoop: CCondition | undefined;
}

/** The index a loop counts with: a `for`'s, or the variable a `while (--i >= 0)` / `while (i--)` counts down. */
function ownIndex(cond: CCondition): string | null {
  if (cond.kind === 'for') return cond.loop?.index ?? null;
  if (cond.kind !== 'while') return null;
  const m = /^(?:--\s*(\w+)|(\w+)\s*--)(?:\s*(?:>=?|!=)\s*\w+)?$/.exec(cond.normalized.trim());
  return m ? ((m[1] ?? m[2]) as string) : null;
}

const mentions = (text: string, name: string) => new RegExp(`(^|[^A-Za-z0-9_])${name}([^A-Za-z0-9_]|$)`).test(text);

/**
 * Pair calls in a loop whose own index no call of its body uses, made on an element subscripted by
 * another variable (`for (j = 0; j < i; j++) { fx_cleanup(&q[i]); }`): another loop's index, or the
 * bound the loop counts to. The same element every pass.
 */
function staleIndexes(summary: CommitSummary, fn: CFunction): StaleIndex[] {
  const out: StaleIndex[] = [];
  for (const cond of fn.conditions) {
    const own = ownIndex(cond);
    if (own === null) continue;
    const body = fn.calls.filter((c) => c.guards.some((g) => g.condition === cond && !g.negated));
    if (body.length === 0 || body.some((c) => c.args.some((a) => mentions(a, own)))) continue;
    for (const call of body) {
      const m = summary.primitive(call.callee);
      if (!m) continue;
      for (const arg of call.args) {
        for (const sub of arg.matchAll(/\[\s*([a-z_]\w*)\s*\]/g)) {
          const stale = sub[1] as string;
          if (stale === own) continue;
          const staleLoop = fn.conditions.find((c) => c !== cond && c.kind === 'for' && c.loop?.index === stale);
          // another loop's index, or the bound this loop counts to (`j < i`)
          if (!staleLoop && !(cond.identifiers ?? cond.names).includes(stale)) continue;
          out.push({ loop: cond, own, stale, call, arg: arg.trim(), role: m.role, staleLoop });
        }
      }
    }
  }
  return out;
}

function checkStaleIndexes(ctx: Ctx, file: ChangedFile, change: FunctionChange): void {
  const fn = change.post;
  if (!fn || fn.hasErrors) return;
  const summary = ctx.model.summary();
  const found = summary.introduced(fn, file, (f) => staleIndexes(summary, f), (s, rename) => [`${rename(s.call.callee)}|${s.stale}|${s.own}`]);
  const reported = new Set<string>();
  for (const s of found) {
    const key = `stale|${fn.name}|${s.call.callee}|${s.stale}`;
    if (reported.has(key) || !file.addedIn(s.loop.stmtLine, s.loop.stmtEndLine)) continue;
    reported.add(key);
    const release = s.role === 'release';
    ctx.report({
      at: { file: file.path, line: s.call.line, function: fn.name },
      messageId: 'staleIndex',
      data: {
        fn: fn.name,
        own: s.own,
        loop: s.loop.text,
        file: file.path,
        loopLine: s.loop.line,
        callee: s.call.callee,
        arg: s.arg,
        stale: s.stale,
        verb: ctx.format(release ? 'releasesAgain' : 'acquiresAgain', {}),
        others: ctx.format(release ? 'neverReleased' : 'neverAcquired', {}),
      },
      related: s.staleLoop
        ? [{ file: file.path, line: s.staleLoop.line, function: fn.name, messageId: 'staleLoop', data: { stale: s.stale } }]
        : [],
      key,
    });
  }
}

/** A loop that gives back what a failed loop over an index took (its unwind), and the lowest element it reaches. */
interface UnwindLoop {
  cond: CCondition;
  /** the variable the unwind counts with */
  index: string;
  /** the lowest value of `index` its body sees, when its form tells (`while (--i >= 0)` → 0, `for (; i > 0; i--)` → 1) */
  lowest: number;
  /** does its body see the failed loop's index as it was left (`for (; i >= 0; i--)`, `j <= i`), not only the ones before? */
  reachesCurrent: boolean;
}

const DECREMENT = (v: string) => new RegExp(`^(?:${v}\\s*--|--\\s*${v}|${v}\\s*-=\\s*1|${v}\\s*=\\s*${v}\\s*-\\s*1)$`);
const INCREMENT = (v: string) => new RegExp(`^(?:${v}\\s*\\+\\+|\\+\\+\\s*${v}|${v}\\s*\\+=\\s*1|${v}\\s*=\\s*${v}\\s*\\+\\s*1)$`);

/**
 * The unwind forms whose range their text tells: a `while` that counts down in its test (`--i >= 0`, `i-- > 0`, `i--`,
 * `--i`), a `for` that counts down in its update (`for (; i > 0; i--)`), or one that counts up from a literal to a
 * bound naming `upTo` (`for (j = 0; j < i; j++)`). Which index it counts and the lowest value its body sees.
 */
function unwindLoop(cond: CCondition, upTo: string): UnwindLoop | null {
  const t = cond.normalized.trim();
  if (cond.kind === 'while') {
    let m = /^--\s*(\w+)\s*(>=|>|!=)\s*(\d+)$/.exec(t);
    if (m) return { cond, index: m[1] as string, lowest: Number(m[3]) + (m[2] === '>=' ? 0 : 1), reachesCurrent: false };
    m = /^(\w+)\s*--\s*(>=|>|!=)\s*(\d+)$/.exec(t);
    if (m) return { cond, index: m[1] as string, lowest: Number(m[3]) + (m[2] === '>=' ? -1 : 0), reachesCurrent: false };
    m = /^(\w+)\s*--$/.exec(t);
    if (m) return { cond, index: m[1] as string, lowest: 0, reachesCurrent: false };
    m = /^--\s*(\w+)$/.exec(t);
    if (m) return { cond, index: m[1] as string, lowest: 1, reachesCurrent: false };
    return null;
  }
  if (cond.kind !== 'for' || cond.step === undefined) return null;
  const down = /^(\w+)\s*(>=|>|!=)\s*(\d+)$/.exec(t) ?? (/^\w+$/.test(t) ? [t, t, '!=', '0'] : null);
  if (down && DECREMENT(down[1] as string).test(cond.step.trim())) {
    const index = down[1] as string;
    // from where the failed loop left its index (no first value of its own, or `j = i`)
    const reachesCurrent = cond.loop === undefined ? index === upTo : cond.loop.start.trim() === upTo;
    return { cond, index, lowest: Number(down[3]) + (down[2] === '>=' ? 0 : 1), reachesCurrent };
  }
  const up = cond.loop && /^\d+$/.test(cond.loop.start.trim()) ? new RegExp(`^${cond.loop.index}\\s*<=?\\s*(.+)$`).exec(t) : null;
  if (up && cond.loop && INCREMENT(cond.loop.index).test(cond.step.trim()) && mentions(up[1] as string, upTo)) {
    return { cond, index: cond.loop.index, lowest: Number(cond.loop.start.trim()), reachesCurrent: new RegExp(`^<=\\s*${upTo}$`).test(t.slice(cond.loop.index.length).trim()) };
  }
  return null;
}

/** An unwind of a failed loop over a range that misses the first element or starts from the one never taken. */
interface UnwindFault {
  loop: CCondition & { loop: { index: string; start: string } };
  acquire: CCall;
  unwind: UnwindLoop;
  release: CCall;
  /** the element the release names (`pci->name[i]`) */
  object: string;
  /** 'first': the unwind stops before the first element; 'current': it starts from the failed pass's element, which
   * that pass left before the acquire took it (`exit`) */
  kind: 'first' | 'current' | 'skipped';
  exit?: CExit;
  /** for 'skipped', when the unwind releases through a helper of the program: the helper's call */
  via?: { call: CCall; path: string };
}

/** The elements a loop body names by its index: call arguments and results naming it, or a local set from one (`s = p->state + i`). */
function elementsOf(fn: CFunction, cond: CCondition, index: string): (c: CCall) => string | null {
  const inBody = (guards: readonly { condition: CCondition; negated: boolean }[]) => guards.some((g) => g.condition === cond && !g.negated);
  const locals = new Map<string, string>();
  for (const a of fn.assignments ?? []) {
    if (inBody(a.guards) && /^\w+$/.test(a.target.trim()) && a.target.trim() !== index && mentions(a.value, index)) locals.set(a.target.trim(), a.value.trim());
  }
  return (c) => {
    for (const t of [...c.args, ...(c.result !== undefined ? [c.result] : [])]) {
      if (mentions(t, index)) return t.trim();
      for (const [local] of locals) if (mentions(t, local)) return t.trim();
    }
    return null;
  };
}

/** How far the elements a body names stand from its index (`q[i - 1]` → -1), or null when they disagree. */
function offsetOf(texts: readonly string[], index: string): number | null {
  const offsets = new Set<number>();
  for (const t of texts) {
    const m = new RegExp(`(?:^|[^\\w])${index}\\s*([-+])\\s*(\\d+)`).exec(t);
    offsets.add(m ? (m[1] === '-' ? -1 : 1) * Number(m[2]) : 0);
  }
  return offsets.size === 1 ? ([...offsets][0] as number) : null;
}

/**
 * An unwind of a loop over an index from a literal (`for (i = 0; i < n; i++)`), reached by a jump out of that loop or
 * run in its failing pass before it leaves, whose own loop stops before the first element (`for (; i > 0; i--)` over
 * `q[i]`): what the first pass took with an acquire of the loop's body is never given back by that acquire's counterpart.
 */
function unwindFaults(summary: CommitSummary, table: PairTable, fn: CFunction): UnwindFault[] {
  const out: UnwindFault[] = [];
  for (const cond of fn.conditions) {
    if (cond.kind !== 'for' || !cond.loop || !/^\d+$/.test(cond.loop.start.trim()) || !countsUp(cond as IndexLoop['cond'])) continue;
    const loop = cond as UnwindFault['loop'];
    const index = loop.loop.index;
    const start = Number(loop.loop.start.trim());
    const inLoop = (guards: readonly { condition: CCondition; negated: boolean }[]) => guards.some((g) => g.condition === cond && !g.negated);
    const exits = fn.exits.filter((e) => (e.kind === 'goto' || e.kind === 'return') && inLoop(e.guards));
    if (exits.length === 0) continue;
    const element = elementsOf(fn, cond, index);
    const acquires = fn.calls.filter((c) => inLoop(c.guards) && summary.primitive(c.callee)?.role === 'acquire' && element(c) !== null);
    if (acquires.length === 0) continue;
    for (const other of fn.conditions) {
      if (other === cond) continue;
      const unwind = unwindLoop(other, index);
      if (!unwind || (unwind.index !== index && unwind.cond.kind !== 'for')) continue;
      if (unwind.index !== index && !mentions(other.normalized, index)) continue;
      // reached from a failing pass: after a label a jump out of the loop takes, or inside the pass before its exit
      const afterLabel = exits.some((e) => e.kind === 'goto' && e.labelLine !== undefined && e.labelLine < other.stmtLine && e.labelLine > loop.stmtEndLine);
      const inPass = other.stmtLine > loop.line && other.stmtEndLine <= loop.stmtEndLine && exits.some((e) => e.line > other.stmtEndLine);
      if (!afterLabel && !inPass) continue;
      const inUnwind = (guards: readonly { condition: CCondition; negated: boolean }[]) => guards.some((g) => g.condition === other && !g.negated);
      const releaseElement = elementsOf(fn, other, unwind.index);
      const body = fn.calls.filter((c) => inUnwind(c.guards));
      const texts = [
        ...body.flatMap((c) => [...c.args, ...(c.result !== undefined ? [c.result] : [])]).filter((t) => mentions(t, unwind.index)),
        ...(fn.assignments ?? []).filter((a) => inUnwind(a.guards) && mentions(a.value, unwind.index)).map((a) => a.value),
      ];
      const offset = offsetOf(texts, unwind.index);
      if (offset === null) continue;
      const missesFirst = unwind.lowest + offset > start;
      // the jumps out of the loop this unwind serves (after their label)
      const served = exits.filter((e) => e.kind === 'goto' && e.labelLine !== undefined && e.labelLine < other.stmtLine && e.labelLine > loop.stmtEndLine);
      const overCurrent = afterLabel && unwind.reachesCurrent && offset === 0 && served.length > 0;
      // (an unwind over the whole range, when no other fault is found in it, may still give back skipped passes)
      const before = out.length;
      const trySkipped = () => {
        if (missesFirst || out.length > before || !afterLabel || served.length === 0) return;
        const skipped = overSkipped(summary, table, fn, loop, acquires, element, other, unwind, body, releaseElement);
        if (skipped) out.push(skipped);
      };
      if (!missesFirst && !overCurrent) {
        trySkipped();
        continue;
      }
      for (const release of body) {
        const object = releaseElement(release);
        if (object === null) continue;
        // the acquire of the same element, named alike with each loop's index (`s->q[i]` taken, `s->q[j]` given back),
        // before any other counterpart of the body (a name string the pass also made)
        const pairs = acquires.filter((a) => summary.primitive(a.callee)?.counterparts.includes(release.callee));
        const shape = (t: string | null, v: string) => (t ?? '').replace(/\s+/g, '').replace(/^&/, '').replace(new RegExp(`\\b${v}\\b`, 'g'), '#');
        const acquire = pairs.find((a) => shape(element(a), index) === shape(object, unwind.index)) ?? pairs[0];
        if (!acquire) continue;
        if (missesFirst) {
          // the first element given back on its own, outside the loop (`fx_put(&q[0])` after it)
          const first = new RegExp(`\\[\\s*${start}\\s*\\]`);
          if (fn.calls.some((c) => c.callee === release.callee && !inUnwind(c.guards) && c.line > loop.line && c.args.some((x) => first.test(x)))) continue;
          out.push({ loop, acquire, unwind, release, object, kind: 'first' });
          break;
        }
        // every jump it serves leaves its pass before the acquire, or on the acquire's own failure (its call in the
        // test): the failed element was never taken; a release that checks for itself finds nothing to do
        if (table.isSafeRelease(release.callee) || table.isHeapRelease(release.callee)) continue;
        // (or a test of the status it returned, `ret = fx_use_one(...); if (ret < 0) goto undo;`, with no other call
        // filling `ret` between)
        const status = acquire.result !== undefined && /^\w+$/.test(acquire.result.trim()) ? acquire.result.trim() : null;
        const testsStatus = (g: { condition: CCondition }) =>
          status !== null &&
          g.condition.line > acquire.line &&
          (g.condition.identifiers ?? g.condition.names).includes(status) &&
          !fn.calls.some((c) => c !== acquire && c.line > acquire.line && c.line <= g.condition.line && c.result?.trim() === status);
        const untaken = (e: CExit) => e.line < acquire.line || e.guards.some((g) => (acquire.line >= g.condition.line && acquire.line <= g.condition.endLine) || testsStatus(g));
        if (!served.every(untaken)) continue;
        out.push({ loop, acquire, unwind, release, object, kind: 'current', exit: served[0] as CExit });
        break;
      }
      trySkipped();
    }
  }
  return out;
}

/**
 * A `continue` of the acquire loop before its acquire (a pass that takes nothing for its element), while the unwind a
 * failing pass jumps to gives back every element from the failing one down to the first, unconditionally, with the
 * acquire's counterpart, itself or through a helper of the program (`fx_subregion_unmap(region, i)` deleting and
 * unmapping the element): the passes skipped took nothing it could give back.
 */
function overSkipped(
  summary: CommitSummary,
  table: PairTable,
  fn: CFunction,
  loop: UnwindFault['loop'],
  acquires: readonly CCall[],
  element: (c: CCall) => string | null,
  other: CCondition,
  unwind: UnwindLoop,
  body: readonly CCall[],
  releaseElement: (c: CCall) => string | null,
): UnwindFault | null {
  // the loop's own continues (not those of a loop inside it), each before an acquire of the pass
  const innermostLoop = (e: CExit) => e.guards.filter((g) => g.condition.kind === 'for' || g.condition.kind === 'while' || g.condition.kind === 'do').at(-1)?.condition;
  const skips = fn.exits.filter((e) => e.kind === 'continue' && innermostLoop(e) === loop && acquires.some((a) => a.line > e.line));
  if (skips.length === 0) return null;
  // given back unconditionally in the unwind's body: a test there may be of what the pass left, and so may a
  // `continue` or `break` of the unwind before the release (`if (vector >= max) { continue; }`, as the pass skipped)
  const passedBy = (c: CCall) => fn.exits.some((e) => (e.kind === 'continue' || e.kind === 'break') && e.line < c.line && e.guards.some((g) => g.condition === other));
  const direct = (c: CCall) => c.guards[c.guards.length - 1]?.condition === other && !passedBy(c);
  const unsafe = (callee: string) => !table.isSafeRelease(callee) && !table.isHeapRelease(callee);
  for (const call of body) {
    if (!direct(call)) continue;
    const object = releaseElement(call);
    if (object === null) continue;
    const releases: { release: CCall; via?: { call: CCall; path: string } }[] = [];
    if (summary.primitive(call.callee)?.role === 'release') releases.push({ release: call });
    else if (summary.post.has(call.callee) && call.callee !== fn.name) {
      const helper = summary.post.lookup(call.callee);
      for (const r of helper?.fn.calls ?? []) {
        if (r.guards.length === 0 && summary.primitive(r.callee)?.role === 'release') releases.push({ release: r, via: { call, path: helper!.path } });
      }
    }
    for (const { release, via } of releases) {
      if (!unsafe(release.callee)) continue;
      const acquire = acquires.find((a) => summary.primitive(a.callee)?.counterparts.includes(release.callee) && element(a) !== null);
      if (!acquire) continue;
      const exit = skips.find((e) => e.line < acquire.line);
      if (!exit) continue;
      return { loop, acquire, unwind, release, object, kind: 'skipped', exit, ...(via ? { via } : {}) };
    }
  }
  return null;
}

function checkUnwindRanges(ctx: Ctx, file: ChangedFile, change: FunctionChange): void {
  const fn = change.post;
  if (!fn || fn.hasErrors) return;
  const summary = ctx.model.summary();
  const found = summary.introduced(fn, file, (f) => unwindFaults(summary, ctx.pairs, f), (m, rename) => [`unwind-${m.kind}|${rename(m.release.callee)}|${m.unwind.cond.normalized}`]);
  for (const m of found) {
    // (an unwind over passes a `continue` skips: the commit adds that continue)
    if (m.kind === 'skipped' ? !(m.exit && file.added.has(m.exit.line)) : !file.addedIn(m.unwind.cond.stmtLine, m.unwind.cond.endLine) && !file.addedIn(m.release.line, m.release.endLine)) continue;
    const data = {
      fn: fn.name,
      index: m.loop.loop.index,
      start: m.loop.loop.start.trim(),
      acquireLoop: m.loop.text,
      file: file.path,
      acquireLine: m.loop.line,
      releaseLoop: m.unwind.cond.kind === 'for' ? `for (...; ${m.unwind.cond.normalized}; ${m.unwind.cond.step ?? ''})` : `while (${m.unwind.cond.normalized})`,
      releaseLine: m.unwind.cond.line,
      release: m.release.callee,
      object: m.object,
      releaseIndex: m.unwind.index,
      lowest: m.unwind.lowest,
      acquire: m.acquire.callee,
      acquireCallLine: m.acquire.line,
    };
    const exit = m.exit;
    ctx.report({
      at: { file: file.path, line: m.unwind.cond.line, endLine: m.unwind.cond.endLine, function: fn.name },
      ...(m.kind === 'skipped' && exit
        ? {
            messageId: 'unwindOverSkipped' as const,
            data: { ...data, exitLine: exit.line, via: m.via ? ctx.format('through', { helper: m.via.call.callee, file: m.via.path, line: m.release.line }) : '' },
          }
        : m.kind === 'current' && exit
        ? {
            messageId: 'unwindTakesCurrent' as const,
            data: { ...data, exitLine: exit.line, how: ctx.format(exit.line < m.acquire.line ? 'leavesBefore' : 'leavesOnFailure', { acquire: m.acquire.callee }) },
          }
        : { messageId: 'unwindMissesFirst' as const, data }),
      related:
        m.kind === 'skipped' && exit
          ? [{ file: file.path, line: exit.line, function: fn.name, messageId: 'passSkipped', data: { acquire: m.acquire.callee } }]
          : m.kind === 'current' && exit
          ? [{ file: file.path, line: exit.line, function: fn.name, messageId: 'failedPassLeaves', data: { acquire: m.acquire.callee } }]
          : [{ file: file.path, line: m.acquire.line, function: fn.name, messageId: 'takenFirst', data: { acquire: m.acquire.callee, start: m.loop.loop.start.trim() } }],
      key: `unwind-${m.kind}|${fn.name}|${m.release.callee}|${m.unwind.cond.normalized}`,
      repair: { callees: [], functions: [fn.name], names: [m.unwind.index] },
    });
  }
}

export const indexAsymmetry: Rule<NoOptions, keyof typeof MESSAGES> = {
  meta: {
    id: 'index-asymmetry',
    messages: MESSAGES,
    category: 'pair',
    severity: 'warning',
    summary: 'The two sides of a pair loop over different index ranges of the same objects, a failed loop undoes the whole range, stops before its first element or starts from the one it never took, or a loop indexes a pair call by another loop\'s index',
    docs: {
      what:
        'The acquire side and the release side of a pair each loop over objects by index, calling a per-index ' +
        'pair (`*_init(dev, i)` / `*_uninit(dev, i)`, or on the element of the pass: `s->ctx[i]`, `vq = fx_get_queue(vdev, i)`; ' +
        'either way round, `fx_drained_begin` detaching what `fx_drained_end` attaches again), and the loops start from different first indexes ' +
        '(`i = dev->vq_index` against `i = 0`). Or the acquire side, failing part way through such a loop, calls ' +
        'the release side, whose loop undoes the whole range (`vhost_fx_disable_notifiers()` from inside the ' +
        'enable loop) instead of the indexes done. Or a loop the commit adds or edits calls one half of a pair on ' +
        'an element subscripted by another variable (another loop\'s index, or the bound it counts to), while no call ' +
        'of its body uses its own index: `for (j = 0; j < i; j++) { fx_cleanup(&q[i]); }` undoes the same element ' +
        'every pass. Or the unwind of a loop over an index from a literal (after a label a failing pass jumps to, or ' +
        'in the failing pass before it leaves) counts over a range that stops before the first element ' +
        '(`for (; i > 0; i--) { fx_del(&q[i]); }` after `for (i = 0; i < n; i++) { fx_add(&q[i]); }`; `while (--i > 0)`): ' +
        'what the first pass took with an acquire of the loop body is never given back by its counterpart. An unwind ' +
        'over `q[i - 1]`, or one followed by a release of `q[0]` on its own, is silent. Or such an unwind, after the ' +
        'label the failing pass jumps to, starts from that pass\'s own element (`for (; i >= 0; i--)`, `j <= i`) while ' +
        'every jump to it leaves the pass before the acquire ran, or on the acquire\'s own failure (its call in the test, ' +
        'or the status it returned: `ret = fx_map_one(...); if (ret < 0) goto undo;`): its counterpart ' +
        'gives back what was never taken (not for a release that checks for itself, or a heap free). Or the commit adds a ' +
        '`continue` to such a loop before its acquire (a pass that takes nothing for its element), while the unwind gives ' +
        'back every element below the failing one with the acquire\'s counterpart, under no test of its own (nor passed by ' +
        'with a `continue` of the unwind), itself or ' +
        'through a helper of the program (`fx_window_teardown(b, i)` deleting the subregion): the skipped passes took ' +
        'nothing it could give back. ' +
        'Also two sides that loop from the same first index up to counts with other names (`i < FX_CMP_MAX` in realize, `i < s->num_cmp` in a new unrealize), the element reached directly or through a local given it in the body (`cmp = &s->cmp[i]; cmp->qtimer = timer_new_ns(...)`); not when a count names a parameter of its function (a partial unwind its caller sizes) or a function of the program gives one count the other\'s value (`v->dev.nvqs = v->num_queues;`).',
      why:
        'The release side then tears down objects the acquire side never set up, and leaves the ones it did: in a ' +
        'multiqueue vhost device the queues of one vhost_dev start at dev->vq_index, so an uninit loop from 0 ' +
        'unmaps another device\'s host notifiers. A whole-range undo after a partial failure tears down the index ' +
        'that failed and the ones never reached, which trips assertions in the per-index undo. A loop that indexes ' +
        'by a stale variable releases one element again and again (a double free) and leaks the rest. An unwind that ' +
        'stops before the first element (an off-by-one between `i > 0` and `i >= 0`) leaks what the first pass took on ' +
        'every failure after it; one that starts from the failed element removes what was never added, which asserts.',
      fix: 'Loop over the same range on both sides: the same first index and the same count; on a partial failure, undo only the indexes done (`while (--i >= 0)`).',
      bad: [
        'for (i = dev->vq_index; i < dev->vq_index + dev->nvqs; i++) {',
        '    vhost_fx_notifier_init(dev, i);',
        '}',
        '...',
        'for (i = 0; i < dev->nvqs; i++) {',
        '    vhost_fx_notifier_uninit(dev, i);',
        '}',
      ].join('\n'),
      good: [
        'for (i = dev->vq_index; i < dev->vq_index + dev->nvqs; i++) {',
        '    vhost_fx_notifier_uninit(dev, i);',
        '}',
      ].join('\n'),
    },
  },
  create(context) {
    return {
      // the engine's loop over file.postSides (none without a post-image)
      pair(file, pair) {
        checkPair(context, file, pair);
        checkRollbacks(context, file, pair);
      },
      changedFunction(file, change) {
        if (!file.post) return;
        checkStaleIndexes(context, file, change);
        checkUnwindRanges(context, file, change);
      },
    };
  },
};
