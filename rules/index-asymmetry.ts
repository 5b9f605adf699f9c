/**
 * index-asymmetry: the two sides of a pair loop over the same objects by
 * index, each calling its half of a per-index pair (`*_notifier_init(dev, i)`
 * / `*_notifier_uninit(dev, i)`), but from different first indexes
 * (`dev->vq_index` against `0`): the release side tears down other objects
 * than the acquire side set up.
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
  // related locations
  loopsFrom: '{{fn}}() loops from {{start}} here',
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

export const indexAsymmetry: Rule<NoOptions, keyof typeof MESSAGES> = {
  meta: {
    id: 'index-asymmetry',
    messages: MESSAGES,
    category: 'pair',
    severity: 'warning',
    summary: 'The two sides of a pair loop over different index ranges of the same objects',
    docs: {
      what:
        'The acquire side and the release side of a pair each loop over objects by index, calling a per-index ' +
        'pair (`*_init(dev, i)` / `*_uninit(dev, i)`), and the loops start from different first indexes ' +
        '(`i = dev->vq_index` against `i = 0`).',
      why:
        'The release side then tears down objects the acquire side never set up, and leaves the ones it did: in a ' +
        'multiqueue vhost device the queues of one vhost_dev start at dev->vq_index, so an uninit loop from 0 ' +
        'unmaps another device\'s host notifiers.',
      fix: 'Loop over the same range on both sides: the same first index and the same count.',
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
      },
    };
  },
};
