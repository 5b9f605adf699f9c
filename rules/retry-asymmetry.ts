/**
 * retry-asymmetry: a function that jumps back to a label (`goto retry;`)
 * with the two sides of a pair on different sides of that label: the begin
 * before the label and its commit after it, so a retry commits twice; or an
 * acquire after the label that the retry takes again without releasing it.
 */
import type { CCall, CExit, CFunction, CLabel } from '../src/cmodel/types.js';
import type { NoOptions, Rule, RuleContext } from '../src/rule/rule.js';
import type { ChangedFile, FunctionChange, ModelService } from '../src/rule/model.js';

const MESSAGES = {
  commitTwice:
    '{{fn}}() calls {{acquire}}() ({{file}}:{{acquireLine}}) before the {{label}} label ({{file}}:{{labelLine}}) and ' +
    '{{release}}() after it ({{file}}:{{releaseLine}}), but jumps back to {{label}} at ' +
    '{{file}}:{{jumpLine}}: on a retry {{release}}() runs a second time with no ' +
    '{{acquire}}() before it. Move {{acquire}}() after the label, or {{release}}() after the last jump back.',
  acquireTwice:
    '{{fn}}() calls {{acquire}}() after the {{label}} label ({{file}}:{{labelLine}}) and jumps ' +
    'back to it at {{file}}:{{jumpLine}} without a {{counterparts}}() ' +
    'on the way: each retry takes it again and the earlier one leaks. Release it before the jump, or take it before the label.',
  // related locations
  definedHere: '{{fn}}() is defined here',
  jumpBack: 'the jump back to {{label}}',
  afterLabel: '{{callee}}() after the label',
  beforeLabel: '{{callee}}() before the label',
};

type Ctx = RuleContext<NoOptions, keyof typeof MESSAGES>;

interface Retry {
  label: CLabel;
  jump: CExit;
}

/** Gotos to a label above them: the code between label and goto can run again. */
function retries(model: ModelService, fn: CFunction): Retry[] {
  const out: Retry[] = [];
  for (const exit of fn.exits) {
    if (exit.kind !== 'goto' || exit.labelLine === undefined || exit.labelLine >= exit.line) continue;
    // a shared exit's tail jumping back to it (`err: ...; goto done;` after the return) runs `done:` once
    if (!model.jumpCanLoop(fn, exit)) continue;
    const label = fn.labels.find((l) => l.name === exit.label && l.line === exit.labelLine);
    if (label) out.push({ label, jump: exit });
  }
  return out;
}

/**
 * Does the function record in a flag of its own that it took `acquire` (`release_lock = true;` beside a lock taken
 * only under a test) and release it later only where that flag says so? Then it tracks what it holds across the
 * retry by design: whether a retry can take it again depends on what the test sees then, which only the protocol
 * behind it knows.
 */
function heldByFlag(fn: CFunction, acquire: CCall, releases: readonly CCall[]): boolean {
  if (acquire.guards.length === 0) return false;
  const inner = acquire.guards[acquire.guards.length - 1];
  return fn.gates.some(
    (g) =>
      g.assignments.some((a) => /^(true|1)$/.test(a.value.trim()) && a.guards[a.guards.length - 1]?.condition === inner?.condition && a.guards[a.guards.length - 1]?.negated === inner?.negated) &&
      releases.some((r) => g.gatedCalls.includes(r)),
  );
}

interface Shape {
  kind: 'commit-twice' | 'acquire-twice';
  acquire: CCall;
  release: CCall | null;
  retry: Retry;
}

function shapes(ctx: Ctx, fn: CFunction): Shape[] {
  const known = ctx.model.summary().knownNames;
  const out: Shape[] = [];
  for (const retry of retries(ctx.model, fn)) {
    const labelLine = retry.label.line;
    const jumpLine = retry.jump.line;
    for (const call of fn.calls) {
      const m = ctx.model.matchPrimitive(call, fn, ctx.pairs, known, true);
      if (!m || m.role !== 'acquire') continue;
      // releases of the same object (a release of another one does not undo this acquire)
      const releases = fn.calls.filter((c) => m.counterparts.includes(c.callee) && ctx.model.sameObject(c, call));
      if (call.line < labelLine) {
        // begin above the label, its commit between label and goto: the retry commits again
        const release = releases.find((r) => r.line > labelLine && r.line < jumpLine);
        if (release) out.push({ kind: 'commit-twice', acquire: call, release, retry });
      } else if (call.line < jumpLine && !call.inLoop) {
        // acquired between label and goto, not released before the jump: the retry acquires again
        // a release counts only when it runs whenever the jump does (its conditions are the jump's too)
        const onTheWay = (r: CCall) =>
          r.line > call.line && r.line <= jumpLine &&
          r.guards.every((g) => retry.jump.guards.some((j) => j.condition === g.condition && j.negated === g.negated));
        if (!releases.some(onTheWay) && !heldByFlag(fn, call, releases)) out.push({ kind: 'acquire-twice', acquire: call, release: null, retry });
      }
    }
  }
  return out;
}

const shapeKey = (s: Shape, rename: (n: string) => string) => `${s.kind}|${s.retry.label.name}|${rename(s.acquire.callee)}`;

function checkFunction(ctx: Ctx, file: ChangedFile, change: FunctionChange): void {
  const summary = ctx.model.summary();
  const fn = change.post;
  if (!fn || fn.labels.length === 0) return;
  // "introduced" is decided by the model (summary.introduced): a shape the old self had, under its old names, is not new
  for (const shape of summary.introduced(fn, file, (f) => shapes(ctx, f), (s, rename) => [shapeKey(s, rename)])) {
    // only a shape this commit made: one of its calls or the jump is new
    const lines = [shape.acquire.line, shape.release?.line ?? shape.acquire.line, shape.retry.jump.line, shape.retry.label.line];
    if (!lines.some((l) => file.added.has(l))) continue;
    const { acquire, release, retry } = shape;
    const label = `${retry.label.name}:`;
    const primary = release && file.added.has(release.line) ? release : acquire;
    const where = { fn: fn.name, acquire: acquire.callee, file: file.path, label, labelLine: retry.label.line, jumpLine: retry.jump.line };
    const message =
      shape.kind === 'commit-twice' && release
        ? { messageId: 'commitTwice' as const, data: { ...where, acquireLine: acquire.line, release: release.callee, releaseLine: release.line } }
        : {
            messageId: 'acquireTwice' as const,
            // String(): as the template literal before; shapes() kept only acquires that match a pair, so never `undefined`
            data: { ...where, counterparts: String(ctx.model.matchPrimitive(acquire, fn, ctx.pairs, summary.knownNames, true)?.counterparts.join('() or ')) },
          };
    // the two sides themselves, where the program defines them
    const definitions = [acquire.callee, ...(release ? [release.callee] : [])].flatMap((name) => {
      const def = summary.post.lookup(name, file.path);
      return def ? [{ file: def.path, line: def.fn.startLine, function: name, messageId: 'definedHere' as const, data: { fn: name } }] : [];
    });
    ctx.report({
      at: { file: file.path, line: primary.line, endLine: primary.endLine, function: fn.name },
      ...message,
      related: [
        { file: file.path, line: retry.jump.line, function: fn.name, messageId: 'jumpBack', data: { label } },
        ...(release && primary !== release
          ? [{ file: file.path, line: release.line, function: fn.name, messageId: 'afterLabel' as const, data: { callee: release.callee } }]
          : primary !== acquire
            ? [{ file: file.path, line: acquire.line, function: fn.name, messageId: 'beforeLabel' as const, data: { callee: acquire.callee } }]
            : []),
        ...definitions,
      ],
      key: `${shape.kind}|${fn.name}|${retry.label.name}|${acquire.callee}`,
      repair: { callees: [acquire.callee, ...(release ? [release.callee] : [])], functions: [fn.name] },
    });
  }
}

export const retryAsymmetry: Rule<NoOptions, keyof typeof MESSAGES> = {
  meta: {
    id: 'retry-asymmetry',
    messages: MESSAGES,
    category: 'pair',
    severity: 'error',
    summary: 'A jump back to a retry label splits a pair: the retry commits twice, or takes an acquire again',
    docs: {
      what:
        'A function jumps back to a label above it (`goto retry;`), and the commit places the two sides of a pair ' +
        '(a begin and its commit, prepare and commit, an acquire and its release) so that the retry runs one side ' +
        'twice: the begin before the label and the commit after it, or an acquire after the label that is not ' +
        'released before the jump back; not an acquire the function records in a flag (`locked = true;`) and releases ' +
        'only where that flag says so.',
      why:
        'A second commit without a begin trips the begin\'s assertion or commits a batch that is not there ' +
        '(a batch of interrupt routes prepared before `retry:` and committed after it: retrying with fewer vectors ' +
        'commits a batch that was never prepared again, and its assertion fires); an acquire taken again on each ' +
        'retry leaks the earlier one.',
      fix: 'Keep both sides on the same side of the label: move the begin after it, or the commit after the last jump back; release before jumping back.',
      bad: [
        '    fx_prepare_route_batch(vdev);',
        'retry:',
        '    ...',
        '    fx_commit_route_batch(vdev);',
        '    ret = fx_enable_vectors(vdev, false);',
        '    if (ret > 0) {',
        '        vdev->nr_vectors = ret;',
        '        goto retry;',
        '    }',
      ].join('\n'),
      good: [
        'retry:',
        '    fx_prepare_route_batch(vdev);',
        '    ...',
        '    fx_commit_route_batch(vdev);',
        '    ret = fx_enable_vectors(vdev, false);',
        '    if (ret > 0) {',
        '        vdev->nr_vectors = ret;',
        '        goto retry;',
        '    }',
      ].join('\n'),
    },
  },
  create(context) {
    return {
      changedFunction(file, change) {
        if (file.post) checkFunction(context, file, change);
      },
    };
  },
};
