/**
 * index-asymmetry: the two sides of a pair loop over the same objects by
 * index, each calling its half of a per-index pair (`*_notifier_init(dev, i)`
 * / `*_notifier_uninit(dev, i)`), but from different first indexes
 * (`dev->vq_index` against `0`): the release side tears down other objects
 * than the acquire side set up; or the acquire side, failing part way through
 * its loop, calls the release side, which undoes the whole range.
 */
import type { CCall, CCondition, CFunction } from '../src/cmodel/types.js';
import type { NoOptions, Rule, RuleContext } from '../src/rule/rule.js';
import type { SidePair } from '../src/pairs/sides.js';
import type { ChangedFile, CommitSummary, SideRoots } from '../src/rule/model.js';

const MESSAGES = {
  ranges:
    '{{acquireFn}}() calls {{acquire}}() for {{acquireIndex}} from {{acquireStart}} (`{{acquireLoop}}`, {{file}}:{{acquireLine}}), but ' +
    '{{releaseFn}}() calls {{release}}() for {{releaseIndex}} from {{releaseStart}} (`{{releaseLoop}}`, {{file}}:{{releaseLine}}): ' +
    'the two sides loop over different indexes, so the release side tears down ' +
    'objects the acquire side never set up and leaves the ones it did. Loop over the same range on both sides ' +
    '(the same first index and count).',
  rollback:
    '{{acquireFn}}() calls {{release}}() when it fails part way through its loop over {{index}} (`{{acquireLoop}}`, ' +
    '{{file}}:{{acquireLine}}), but {{release}}() undoes every {{index}} from {{start}} to {{bound}} (`{{releaseLoop}}`, ' +
    '{{file}}:{{releaseLine}}): it also tears down the ones this loop never reached, the one that just failed ' +
    'included. Undo only the ones done, counting down from the failed {{index}} (`while (--{{index}} >= {{start}})`).',
  // related locations
  loopsFrom: '{{fn}}() loops from {{start}} here',
  undoesAll: '{{fn}}() undoes the whole range here',
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
    for (const call of fn.calls) {
      if (!call.guards.some((g) => g.condition === cond && !g.negated)) continue;
      if (call.args.some((a) => a === loop.loop.index)) out.push({ cond: loop, call, fn });
    }
  }
  return out;
}

interface Mismatch {
  acquire: IndexLoop;
  release: IndexLoop;
}

/** The mismatched loops of a pair's roots (`names`, under the image's own names) in `image`. */
function mismatches(summary: CommitSummary, image: 'pre' | 'post', names: SideRoots): Mismatch[] {
  const program = summary.program(image);
  const a = program.lookup(names.acquire[0] as string)?.fn;
  const r = program.lookup(names.release[0] as string)?.fn;
  if (!a || !r) return [];
  const out: Mismatch[] = [];
  for (const al of indexLoops(a)) {
    const m = summary.primitive(al.call.callee);
    if (!m || m.role !== 'acquire') continue;
    for (const rl of indexLoops(r)) {
      if (!m.counterparts.includes(rl.call.callee)) continue;
      if (startOf(al) !== startOf(rl)) out.push({ acquire: al, release: rl });
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

const key = (m: Mismatch, rename: (n: string) => string) => `${rename(m.acquire.call.callee)}|${startOf(m.acquire)}|${startOf(m.release)}`;

function checkPair(ctx: Ctx, file: ChangedFile, pair: SidePair): void {
  const summary = ctx.model.summary();
  if (!file.touched(pair.acquire) && !file.touched(pair.release)) return;
  // "introduced" is decided by the model (summary.introducedAcross): a mismatch the pre-image's roots, under
  // their old names, already had is not new
  const roots = { acquire: [pair.acquire], release: [pair.release] };
  for (const m of summary.introducedAcross(roots, (image, names) => mismatches(summary, image, names), (m, rename) => [key(m, rename)])) {
    const { acquire, release } = m;
    const changed = [acquire, release].find((l) => file.addedIn(l.cond.stmtLine, l.cond.endLine));
    if (!changed) continue;
    const other = changed === acquire ? release : acquire;
    ctx.report({
      at: { file: file.path, line: changed.cond.line, endLine: changed.cond.endLine, function: changed.fn.name },
      messageId: 'ranges',
      data: {
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
        { file: file.path, line: other.cond.line, function: other.fn.name, messageId: 'loopsFrom', data: { fn: other.fn.name, start: other.cond.loop.start } },
      ],
      key: `index|${pair.acquire}/${pair.release}|${acquire.call.callee}|${acquire.cond.loop.start}|${release.cond.loop.start}`,
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

export const indexAsymmetry: Rule<NoOptions, keyof typeof MESSAGES> = {
  meta: {
    id: 'index-asymmetry',
    messages: MESSAGES,
    category: 'pair',
    severity: 'warning',
    summary: 'The two sides of a pair loop over different index ranges of the same objects, or a failed loop undoes the whole range',
    docs: {
      what:
        'The acquire side and the release side of a pair each loop over objects by index, calling a per-index ' +
        'pair (`*_init(dev, i)` / `*_uninit(dev, i)`), and the loops start from different first indexes ' +
        '(`i = dev->vq_index` against `i = 0`). Or the acquire side, failing part way through such a loop, calls ' +
        'the release side, whose loop undoes the whole range (`vhost_fx_disable_notifiers()` from inside the ' +
        'enable loop) instead of the indexes done.',
      why:
        'The release side then tears down objects the acquire side never set up, and leaves the ones it did: in a ' +
        'multiqueue vhost device the queues of one vhost_dev start at dev->vq_index, so an uninit loop from 0 ' +
        'unmaps another device\'s host notifiers. A whole-range undo after a partial failure tears down the index ' +
        'that failed and the ones never reached, which trips assertions in the per-index undo.',
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
    };
  },
};
