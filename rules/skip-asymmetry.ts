/**
 * skip-asymmetry: one side of a pair learns to skip its primitive (an early
 * return, a goto, or a flag cleared under a condition), the other side does
 * not test the same thing before the matching primitive.
 */
import type { CCall, CCondition, CExit, CFunction } from '../src/cmodel/types.js';
import type { NoOptions, ReportDescriptor, Rule, RuleContext } from '../src/rule/rule.js';
import type { SidePair } from '../src/pairs/sides.js';
import type { PrimitiveMatch, Role } from '../src/pairs/table.js';
import type { CallSite, ChangedFile, CommitSummary, FunctionChange, ModelService, NewSkip, PredicateKey, ReachedFunction } from '../src/rule/model.js';

const RULE_ID = 'skip-asymmetry';

/** The moved acquire, skipped `when` or `unless` the exit's condition holds. */
const moved = (word: 'when' | 'unless') =>
  '{{callee}}() moved from {{source}}() into {{fn}}(), after the point where {{fn}}() {{how}}' +
  ` ${word} \`{{predicate}}\` ({{file}}:{{line}}): it is now skipped in those cases, ` +
  'but {{releaseFn}}() still calls {{release}}() at {{releasePath}}:{{releaseLine}} without that test, ' +
  'so for those cases it undoes a {{callee}}() that never happened. Call {{callee}}() before the early exit, ' +
  'or skip {{release}}() in the same cases.';

const MESSAGES = {
  // {{how}}: the skip as the model says it (`returns when`, `clears try_unmap unless`)
  skip:
    '{{fn}}() now {{how}} `{{predicate}}`, skipping {{skipped}}() ' +
    '({{role}} side of {{pair}}), but {{otherRoot}}() still calls {{undo}}() at ' +
    '{{path}}:{{line}}, and nothing on the way to that call skips it when `{{predicate}}` holds: {{consequence}}. ' +
    'Fix: {{mirror}}, or move the skip into a predicate both sides call.',
  // VFIO's own advice, in VFIO code only (facts.isVfioCode)
  skipVfio:
    '{{fn}}() now {{how}} `{{predicate}}`, skipping {{skipped}}() ' +
    '({{role}} side of {{pair}}), but {{otherRoot}}() still calls {{undo}}() at ' +
    '{{path}}:{{line}}, and nothing on the way to that call skips it when `{{predicate}}` holds: {{consequence}}. ' +
    'Fix: {{mirror}}, or move the skip into a predicate both sides call (such as vfio_listener_valid_section()), ' +
    'as upstream did for RAM_PROTECTED.',
  cloneSkip:
    '{{fn}}() now {{how}} `{{predicate}}` ({{file}}:{{line}}), but {{other}}(), its counterpart in {{pair}}, which did ' +
    'what {{fn}}() does statement for statement before this commit, has no such test: for those cases {{other}}() ' +
    'still does its side of the pair while {{fn}}() no longer does its own. Mirror the test in {{other}}(), or move ' +
    'it into a predicate both sides call.',
  stepSkip:
    '{{fn}}() now {{how}} `{{predicate}}` ({{file}}:{{line}}), but {{other}}(), its counterpart in {{pair}}, whose ' +
    'early exits it kept in step with before this commit (both left on `{{shared}}`), has no such test: for those cases ' +
    '{{other}}() still does its side of the pair while {{fn}}() no longer does its own. Mirror the test in {{other}}(), ' +
    'or move it into a predicate both sides call.',
  failedTeardown:
    '{{fn}}() now {{how}} `{{predicate}}`, a failure, before {{skipped}}() ({{role}} side of {{pair}}), which it made on ' +
    'that path before this commit; {{otherRoot}}() took what it gives back with {{undo}}() ({{path}}:{{line}}), so when ' +
    'this fails nothing releases it any more. A teardown that meets a failure reports it and goes on: keep ' +
    '{{skipped}}() on this path (run it before leaving, or leave after it).',
  moved: moved('when'),
  movedUnless: moved('unless'),
  // what goes wrong ({{consequence}} above), unless the pair table says it for the pair
  acquireSkipped: 'for those cases {{undo}}() undoes a {{skipped}}() that never happened',
  releaseSkipped: 'for those cases what {{undo}}() set up is never undone and leaks',
  // the fix ({{mirror}} above); with a boolean gate, how to set it
  mirror: 'mirror the test in {{fn}}() before {{undo}}()',
  mirrorGate: 'mirror the test in {{fn}}() before {{undo}}() (for example `if ({{predicate}}) { {{flag}} = false; }`)',
  // related locations
  stillCallsWhen: '{{fn}}() still calls {{callee}}() here, also when {{predicate}}',
  nowSkipped: 'the {{callee}}() call that is now skipped',
  alsoUndoes: '{{fn}}() also still calls {{callee}}() here, undoing the {{skipped}}() the same skip now skips',
  alsoLeaks: '{{fn}}() also still calls {{callee}}() here, and the same skip now skips {{skipped}}(), which undoes it',
  stillCalls: '{{fn}}() still calls {{callee}}() here',
  twinHere: '{{other}}(), which mirrored {{fn}}() before this commit, has no such test',
  exitNowSkips: 'the early exit that now skips {{callee}}()',
  takenBy: '{{fn}}() takes it here with {{callee}}()',
};

type MessageId = keyof typeof MESSAGES;
type Ctx = RuleContext<NoOptions, MessageId>;

function sideFunctions(pair: SidePair, role: Role): Set<string> {
  return role === 'acquire' ? pair.acquireSide : pair.releaseSide;
}

/** Primitive calls of `role` that `fn` makes directly, or through a same-side helper it calls. */
function primitiveSites(ctx: Ctx, file: ChangedFile, fn: CFunction, sideFns: ReadonlySet<string>, role: Role) {
  const model = file.post!;
  const known = ctx.model.summary().knownNames;
  const out: { call: CCall; primitive: CCall; match: PrimitiveMatch }[] = [];
  for (const call of fn.calls) {
    const direct = ctx.model.matchPrimitive(call, fn, ctx.pairs, known, true);
    if (direct && direct.role === role) {
      out.push({ call, primitive: call, match: direct });
      continue;
    }
    if (!sideFns.has(call.callee) || call.callee === fn.name) continue;
    const helper = model.functionByName(call.callee);
    for (const inner of helper?.calls ?? []) {
      const m = ctx.model.matchPrimitive(inner, helper as CFunction, ctx.pairs, known, true);
      if (m && m.role === role) out.push({ call, primitive: inner, match: m });
    }
  }
  return out;
}

function describe(ctx: Ctx, role: Role, match: PrimitiveMatch, skipped: string, counterpart: string): string {
  if (role === 'acquire') return match.pair.ifAcquireSkipped ?? ctx.format('acquireSkipped', { undo: counterpart, skipped });
  return match.pair.ifReleaseSkipped ?? ctx.format('releaseSkipped', { undo: counterpart });
}

/**
 * Did the pre-image (under the old names, in any touched file) already skip
 * one of the same calls under the same predicate in the same function? Then
 * the skip was moved, renamed or reshaped (`return devfd;` → `return false;`),
 * not added. An exit under a condition that only shares a name with the new
 * one (an error path after the call, testing the same kind of region) is
 * another skip.
 */
function skipExisted(model: ModelService, summary: CommitSummary, file: ChangedFile, fn: CFunction, names: readonly string[], callees: ReadonlySet<string>): boolean {
  // "already so" is decided by the model (summary.alreadySo): the old self, names mapped back through renames
  return summary.alreadySo(fn, file, (preFn, rename) => {
    const wanted = names.map(rename);
    const preCallees = new Set([...callees].map(rename));
    const calls = preFn.calls.filter((c) => preCallees.has(c.callee));
    const same = (cond: CCondition) => {
      const tested = new Set([...cond.names, ...cond.callees]);
      return wanted.every((n) => tested.has(n));
    };
    for (const { exit, guard } of model.conditionalExits(preFn)) {
      if (same(guard.condition) && calls.some((c) => model.exitSkipsCall(exit, c))) return true;
    }
    for (const clear of model.gateClears(preFn)) {
      if (same(clear.guard.condition) && clear.gated.some((g) => calls.some((c) => c.line === g.line))) return true;
    }
    return false;
  });
}

/**
 * Does `fn`, after the exit at `exitLine` and before the first of `acquireLines`, set
 * to a true value the very lvalue the skip's `condition` tests alone (`if (s->connected)`
 * then `s->connected = true`)? Then the skip guards a second run.
 */
function marksItselfDone(fn: CFunction, exitLine: number, acquireLines: readonly number[], condition: string): boolean {
  const first = Math.min(...acquireLines);
  const tested = condition.replace(/\s+/g, '').replace(/^\((.*)\)$/, '$1');
  return fn.stores.some((st) => st.line > exitLine && st.line < first && st.target.replace(/\s+/g, '') === tested && /^(true|1)$/.test(st.value.trim()));
}

/** Is each step of the reached chain a call of the next function by name (not a function handed as an argument)? */
function calledDirectly(summary: CommitSummary, r: ReachedFunction): boolean {
  for (let i = 0; i + 1 < r.via.length; i++) {
    const caller = summary.post.lookup(r.via[i] as string, r.path);
    if (!caller?.fn.calls.some((c) => c.callee === r.via[i + 1])) return false;
  }
  return true;
}

/**
 * Does `skip` in `fn` also skip a call that reaches a counterpart of
 * `primitive` on the same object (directly, or through the helpers it calls)?
 */
function skipsCounterpartHere(
  model: ModelService,
  summary: CommitSummary,
  file: ChangedFile,
  fn: CFunction,
  skip: NewSkip,
  primitive: CCall,
  counterparts: readonly string[],
): boolean {
  for (const call of fn.calls) {
    if (!model.skipsCall(skip, call)) continue;
    // (the undo of a failed attempt after the primitive, `if (!fx_start(...)) { ...; fx_cleanup(x); }`, is no other
    // side: a failure branch undoes what the function itself took)
    if (call.line > primitive.line && model.onErrorBranch(fn, call)) continue;
    if (counterparts.includes(call.callee) && model.sameObject(primitive, call)) return true;
    if (call.callee === fn.name) continue;
    for (const r of summary.reach('post', [call.callee], [fn.name], file.path).values()) {
      // what the function does itself: a callback it hands to a registration (`fx_listener_init(l, fx_notify_discard)`) runs later, not now
      if (!calledDirectly(summary, r)) continue;
      if (r.fn.calls.some((c) => counterparts.includes(c.callee) && model.sameObject(primitive, c))) return true;
    }
  }
  return false;
}

/**
 * Does the exit's own block make one of these calls before it leaves? Then it
 * skips nothing of them (`if (!s->announce) { fx_set_present(s); return; } ...
 * fx_set_present(s);`).
 */
function callsOnTheWayOut(fn: CFunction, condition: CCondition, exit: CExit, callees: readonly string[]): boolean {
  return fn.calls.some(
    (c) => callees.includes(c.callee) && c.line > condition.endLine && c.line < exit.line && c.guards.some((g) => g.condition === condition),
  );
}

/**
 * Are a handler's install and a clear in another function tied to one thing: each names it by its first argument,
 * a field chain, and one chain ends the other (`&s->notifier`, `&d->notifier`)? A local of each (`fd` from two
 * notifiers) names two. Any other pair: as sameObject() says.
 */
function handlerTied(ctx: Ctx, a: CCall, b: CCall): boolean {
  if (ctx.model.toggleOf(a.callee)?.kind !== 'handler') return true;
  const x = ctx.model.fieldChain(a.args[0] ?? '');
  const y = ctx.model.fieldChain(b.args[0] ?? '');
  if (!x || !y || x.length === 0 || y.length === 0) return false;
  // one chain ends the other (`&s->n` and `&d->n`), read from the end: the first argument is what it acts on
  const [short, long] = x.length <= y.length ? [x, y] : [y, x];
  return short.every((f, i) => f === long[long.length - short.length + i]);
}

function checkFile(ctx: Ctx, file: ChangedFile): void {
  const model = file.post;
  if (!model) return;
  const summary = ctx.model.summary();
  const best = new Map<string, { rank: number; report: ReportDescriptor<MessageId> }>();
  for (const pair of file.postSides) {
    const { acquire: acquireRoots, release: releaseRoots } = ctx.model.sideRootsOf(file.postSides, pair);
    for (const role of ['acquire', 'release'] as const) {
      const mine = sideFunctions(pair, role);
      const otherRoots = role === 'acquire' ? releaseRoots : acquireRoots;
      const myRoots = role === 'acquire' ? acquireRoots : releaseRoots;
      for (const name of mine) {
        if (!file.touched(name)) continue;
        const fn = model.functionByName(name);
        if (!fn) continue;
        const localFlags = new Set(fn.gates.map((g) => g.flag));
        // the new skips first: most changed functions have none, and finding the primitives costs more
        const skips = ctx.model.newSkips(file, fn);
        if (skips.length === 0) continue;
        const sites = primitiveSites(ctx, file, fn, mine, role);
        if (sites.length === 0) continue;
        for (const skip of skips) {
          const skipped = sites.filter(
            ({ call, primitive }) =>
              ctx.model.skipsCall(skip, call) &&
              !(skip.exit && callsOnTheWayOut(fn, skip.whole, skip.exit, [call.callee, primitive.callee])) &&
              // the test itself makes the call (`if (fx_attach(dev, c, &err)) { ... } else { goto found; }`): the
              // exit is taken once it has, and skips only another try
              !skip.whole.callees.some((c) => c === call.callee || c === primitive.callee),
          );
          if (skipped.length === 0) continue;
          const key = ctx.model.predicateKey(skip.condition, localFlags);
          if (!key) continue;
          // cpr_is_incoming(): the state is inherited, and the other side must still undo it
          if (skip.condition.callees.some((c) => ctx.pairs.isInheritedState(c))) continue;
          const otherReach = summary.reach('post', otherRoots, myRoots, file.path);
          // mirrored only by the same predicate on the path to the matching release (mirror.ts)
          const predicate = ctx.model.skipPredicateNames(skip.condition, fn);
          // a skip moved up keeps its old calls skipped and skips new ones (`if (unaligned) return;` moved above the
          // reference it used to follow): only the calls the pre-image did not skip so are new
          const newlySkipped = skipped.filter((x) => !skipExisted(ctx.model, summary, file, fn, predicate, new Set([x.call.callee])));
          if (newlySkipped.length === 0) continue;
          skipped.splice(0, skipped.length, ...newlySkipped);
          // The release side tests a field this side records after the skip (or, for a
          // skip on the release side, one the acquire side records): it undoes only what was done.
          const acquireStores = role === 'release'
            ? ctx.model.fieldsStored([...summary.reach('post', acquireRoots, releaseRoots, file.path).values()].map((r) => r.fn))
            : ctx.model.fieldsStoredAfter(summary.post, fn, skip.exit?.line ?? skip.line, file.path);
          // (a skip that records itself on its way out, `if (vdev->mdev) { vdev->aer = false; return; }`, tells the
          // other side by that field)
          if (role === 'acquire' && skip.exit) {
            const exitLine = skip.exit.line;
            for (const st of fn.stores) if (st.line < exitLine && st.line > skip.condition.endLine && st.guards.some((g) => g.condition === skip.condition)) acquireStores.add(st.field);
          }
          if (role === 'release' && ctx.model.intersects(acquireStores, skip.condition.names)) continue;
          // `if (s->connected) { return 0; } s->connected = true; ... init(...)`: the function records itself that it
          // ran, so the skip says the acquire is done already, not that it never happens
          if (role === 'acquire' && !skip.how.endsWith(' unless') && marksItselfDone(fn, skip.exit?.line ?? skip.line, skipped.map((x) => x.call.line), skip.condition.normalized)) continue;
          // One finding per skip: the first skipped primitive the other side undoes, the others as notes.
          const found: { site: (typeof skipped)[number]; first: CallSite }[] = [];
          for (const site of skipped) {
            // a release that checks for itself (memory_listener_unregister) undoes nothing never done
            if (role === 'acquire' && site.match.pair.safeRelease) continue;
            const counterparts = site.match.counterparts;
            // a release that returns when the object it would release is not there (NULL, zero) undoes nothing done
            if (role === 'release' && !skip.how.endsWith(' unless') && ctx.model.skipsOnlyAbsentObject(skip.condition, site.primitive)) continue;
            // a release of each element of a list the skip finds empty: the loop would run zero times
            if (!skip.how.endsWith(' unless') && ctx.model.skipsOnlyEmptyList(skip.condition, site.primitive, (model.functionAt(site.primitive.line) ?? fn).calls)) continue;
            // the same skip also keeps this function from the other side of the pair (a set_status that
            // returns when the state is already the one asked for, then starts or stops): both are skipped
            if (skipsCounterpartHere(ctx.model, summary, file, fn, skip, site.primitive, counterparts)) continue;
            // the undo of this object, not of another one the other side also releases
            // (for a `continue`, which skips one element of a loop, an undo in a loop too: one that runs once, not
            // per element, is not the undo of each pass's acquire; a search loop that passes over the wrong candidates
            // skips nothing its release side would undo)
            const perElement = skip.exit?.kind !== 'continue';
            const undos = [...otherReach.values()]
              .flatMap((r) => r.fn.calls.filter((c) => counterparts.includes(c.callee)).map((call) => ({ call, fn: r.fn, path: r.path, via: r.via })))
              .filter((c) => ctx.model.sameObject(site.primitive, c.call) && handlerTied(ctx, site.primitive, c.call) && (perElement || c.call.inLoop));
            const first = undos[0];
            if (!first) continue;
            // mirrored for this undo (the same predicate on its path): a skip whose first undo is mirrored is
            // mirrored (silent); past a finding, the later undos are still worth a note
            if (undos.some((u) => ctx.model.mirroredOnPath(summary.post, u, predicate))) {
              if (found.length === 0) break;
              continue;
            }
            if (role === 'acquire' && ctx.model.intersects(acquireStores, ctx.model.namesTestedOnPath(summary.post, first))) continue;
            found.push({ site, first });
          }
          const [main, ...others] = found;
          if (main) {
            const { site, first } = main;
            const otherRoot = otherRoots[0] as string;
            // Only a boolean flag (`bool try_unmap = true`) makes a sensible hint.
            const gate = first.fn.gates.find(
              (g) => /^(true|false|1|0)$/.test(g.initValue ?? '') && g.gatedCalls.some((c) => c.line === first.call.line),
            );
            const mirror = gate
              ? ctx.format('mirrorGate', { fn: first.fn.name, undo: first.call.callee, predicate: key.text, flag: gate.flag })
              : ctx.format('mirror', { fn: first.fn.name, undo: first.call.callee });
            // one finding per skip and skipped call, whichever pairs it belongs to: the pair whose other
            // side makes the undo itself (not through helpers) names it best
            const once = `${fn.name}|${skip.line}|${site.primitive.line}`;
            const held = best.get(once);
            if (held && held.rank <= first.via.length) break;
            best.set(once, { rank: first.via.length, report: {
              at: { file: file.path, line: skip.line, endLine: skip.endLine, function: fn.name },
              messageId: ctx.model.isVfioCode(file.path, [fn.name, site.primitive.callee, first.call.callee]) ? 'skipVfio' : 'skip',
              data: {
                fn: fn.name,
                how: skip.how,
                predicate: key.text,
                skipped: site.primitive.callee,
                role,
                pair: pair.label,
                otherRoot,
                undo: first.call.callee,
                path: first.path,
                line: first.call.line,
                consequence: describe(ctx, role, site.match, site.primitive.callee, first.call.callee),
                mirror,
              },
              related: [
                {
                  file: first.path,
                  line: first.call.line,
                  function: first.fn.name,
                  messageId: 'stillCallsWhen',
                  data: { fn: first.fn.name, callee: first.call.callee, predicate: key.text },
                },
                {
                  file: file.path,
                  line: site.primitive.line,
                  function: fn.name === site.call.callee ? fn.name : (model.functionAt(site.primitive.line)?.name ?? fn.name),
                  messageId: 'nowSkipped',
                  data: { callee: site.primitive.callee },
                },
                // the other primitives the skip skips whose undo the other side still makes
                ...others
                  .filter((o, i) => o.first.call.line !== first.call.line && others.findIndex((p) => p.first.call.line === o.first.call.line) === i)
                  .map((o) => ({
                    file: o.first.path,
                    line: o.first.call.line,
                    function: o.first.fn.name,
                    messageId: role === 'acquire' ? ('alsoUndoes' as const) : ('alsoLeaks' as const),
                    data: { fn: o.first.fn.name, callee: o.first.call.callee, skipped: o.site.primitive.callee },
                  })),
              ],
              key: `${pair.acquire}/${pair.release}|${site.primitive.callee}|${key.names.join(',')}`,
              repair: { callees: [], functions: [fn.name, ...otherRoots], names: key.names },
            } });
          }
        }
      }
    }
  }
  for (const { report } of best.values()) ctx.report(report);
  cloneSkips(ctx, file, new Set([...best.keys()].map((k) => k.split('|').slice(0, 2).join('|'))));
  failedTeardowns(ctx, file);
}

/**
 * A new error exit on the release side of a pair, before a release the function made on that path before the
 * commit (`ret = fx_dev_stop(...); if (ret < 0) { error_report(...); return; }` ahead of the notifiers' release in
 * a stop): when the failure happens, what the acquire side took on that object stays held, and nothing else gives
 * it back. An acquire side's failure exit skips nothing owed (the acquire failed); a release side's does.
 */
function failedTeardowns(ctx: Ctx, file: ChangedFile): void {
  const model = file.post;
  if (!model) return;
  const summary = ctx.model.summary();
  const done = new Set<string>();
  for (const pair of file.postSides) {
    const { acquire: acquireRoots, release: releaseRoots } = ctx.model.sideRootsOf(file.postSides, pair);
    const mine = sideFunctions(pair, 'release');
    for (const name of mine) {
      if (!file.touched(name)) continue;
      const fn = model.functionByName(name);
      if (!fn || fn.hasErrors) continue;
      const skips = ctx.model.newErrorSkips(file, fn);
      if (skips.length === 0) continue;
      const sites = primitiveSites(ctx, file, fn, mine, 'release');
      const old = summary.oldSelf(fn, file);
      for (const skip of skips) {
        const exit = skip.exit as CExit;
        if (done.has(`${fn.name}|${skip.line}`)) continue;
        // a failure of a call the function made (`ret = fx_backend_stop(...); if (ret < 0)`, `if (fx_set(...) < 0)`), not a
        // test of what it was asked (`if (all) { return -ENOTSUP; }`) or of what is there (`if (!block)`)
        const tested = skip.condition.identifiers ?? skip.condition.names;
        const failedCall = skip.condition.callees.length > 0 || tested.some((v) => fn.calls.some((c) => c.line < skip.condition.line && c.result?.trim() === v));
        if (!failedCall) continue;
        // the releases the failure now skips, which the function made on that path before (their lines old)
        const mentions = (args: readonly string[]) => tested.some((v) => args.some((a) => new RegExp(`(^|[^\\w>.])${v}($|[^\\w])`).test(a)));
        const skipped = sites.filter(
          ({ call, primitive, match }) =>
            !file.added.has(call.line) &&
            ctx.model.skipsCall(skip, call) &&
            // the failure is of finding the object the release gives back (`result = fx_tree_find(...); if (!result)`)
            !mentions(primitive.args) &&
            // a pair the function opens and closes itself (a lock around its body) skips nothing owed
            !fn.calls.some((c) => match.counterparts.includes(c.callee) && ctx.model.sameObject(primitive, c)) &&
            // the function gave up before it on a failure already (`if (size < 0) goto err;`): its own way, not new
            !(old?.exits.some((e) => {
              const g = e.guards[e.guards.length - 1];
              return g !== undefined && (e.kind === 'return' || e.kind === 'goto') && ctx.model.isErrorExit(old, e, g) && old.calls.some((c) => c.callee === call.callee && ctx.model.exitSkipsCall(e, c));
            }) ?? false) &&
            !ctx.model.onErrorBranch(fn, call) &&
            !callsOnTheWayOut(fn, skip.whole, exit, [call.callee, primitive.callee]) &&
            !skip.whole.callees.some((c) => c === call.callee || c === primitive.callee),
        );
        if (skipped.length === 0) continue;
        const acquireReach = summary.reach('post', acquireRoots, releaseRoots, file.path);
        for (const site of skipped) {
          // a release that checks for itself is still owed its call: the object it gives back was taken
          const takes = [...acquireReach.values()]
            .flatMap((r) => r.fn.calls.filter((c) => site.match.counterparts.includes(c.callee)).map((call) => ({ call, fn: r.fn, path: r.path })))
            .filter((c) => ctx.model.sameObject(site.primitive, c.call) && handlerTied(ctx, site.primitive, c.call));
          const take = takes[0];
          if (!take) continue;
          done.add(`${fn.name}|${skip.line}`);
          ctx.report({
            at: { file: file.path, line: skip.line, endLine: skip.endLine, function: fn.name },
            messageId: 'failedTeardown',
            data: {
              fn: fn.name,
              how: skip.how,
              predicate: skip.condition.normalized,
              skipped: site.primitive.callee,
              role: 'release',
              pair: pair.label,
              otherRoot: take.fn.name,
              undo: take.call.callee,
              path: take.path,
              line: take.call.line,
            },
            related: [
              { file: take.path, line: take.call.line, function: take.fn.name, messageId: 'takenBy', data: { fn: take.fn.name, callee: take.call.callee } },
              {
                file: file.path,
                line: site.primitive.line,
                function: fn.name === site.call.callee ? fn.name : (model.functionAt(site.primitive.line)?.name ?? fn.name),
                messageId: 'nowSkipped',
                data: { callee: site.primitive.callee },
              },
            ],
            key: `failed-teardown|${fn.name}|${site.primitive.callee}|${skip.condition.normalized}`,
            repair: { callees: [site.primitive.callee], functions: [fn.name] },
          });
          break;
        }
      }
    }
  }
}

/** The words of a function name (`fx_region_add` → fx, region, add). */
const wordsOf = (name: string) => name.split('_');

/**
 * The statements of a function with the words its name does not share with its twin's put in one place
 * (`transaction_add` and `transaction_del` alike for `fx_region_add`/`fx_region_del`), to compare the two bodies.
 */
function cloneText(fn: CFunction, own: readonly string[]): string[] {
  const re = own.length > 0 ? new RegExp(`(?<=^|[^A-Za-z0-9])(${own.join('|')})(?=$|[^A-Za-z0-9])`, 'g') : null;
  return fn.statements.map((st) => (re ? st.normalized.replace(re, '@') : st.normalized));
}

/**
 * Are `a` and `b` (the two sides of a pair, as the pre-image has them) one body written twice: the same statements
 * in the same order, but for the words their names differ in (`fx_region_add` adds to `transaction_add`,
 * `fx_region_del` to `transaction_del`)? Two statements at least, so that a body of one call is no clone.
 */
function clones(a: CFunction, b: CFunction): boolean {
  const wa = wordsOf(a.name);
  const wb = wordsOf(b.name);
  if (wa.length !== wb.length) return false;
  const ownA = wa.filter((w, i) => w !== wb[i]);
  const ownB = wb.filter((w, i) => w !== wa[i]);
  if (ownA.length !== 1 || ownB.length !== 1) return false;
  const ta = cloneText(a, ownA);
  const tb = cloneText(b, ownB);
  return ta.length >= 2 && ta.length === tb.length && ta.every((t, i) => t === tb[i]);
}

/**
 * The early exits of a function: the predicates of its tests whose block is a plain `return` at the top level,
 * in order (`if (fx_is_masked(dev, vector)) { return 0; }`). Null when one of them has no predicate to compare.
 */
function earlyExits(ctx: Ctx, fn: CFunction): string[] | null {
  const out: string[] = [];
  const flags = new Set(fn.gates.map((g) => g.flag));
  for (const e of fn.exits) {
    const g = e.guards[0];
    if (e.kind !== 'return' || e.guards.length !== 1 || !g || g.negated || g.condition.kind !== 'if') continue;
    // before the body: nothing but a read of a value is made ahead of it
    if (fn.calls.some((c) => c.line < g.condition.line && c.result === undefined)) continue;
    const key = ctx.model.predicateKey(g.condition, flags);
    if (!key) return null;
    out.push(key.text);
  }
  return out;
}

/**
 * Did the two sides of a pair (as the pre-image has them) keep their early exits in step: the same tests, one or
 * more, each leaving at once (`msix_set_notifier_for_vector` and `msix_unset_notifier_for_vector` both leave first
 * when the vector is masked)? Then their authors meant the two to skip the same cases. The shared tests, or null.
 */
function inStep(ctx: Ctx, a: CFunction, b: CFunction): string[] | null {
  const ea = earlyExits(ctx, a);
  const eb = earlyExits(ctx, b);
  if (!ea || !eb || ea.length === 0 || ea.length !== eb.length) return null;
  return ea.every((t, i) => t === eb[i]) ? ea : null;
}

/**
 * A new skip in one function of a pair whose other function was its clone before the commit (the motivating shape:
 * an early return added to `region_add` only, `region_del` left alone), when the skip skips nothing the pair
 * tables name (the others are checkFile's) and the twin tests nothing of the same predicate.
 */
function cloneSkips(ctx: Ctx, file: ChangedFile, reported: ReadonlySet<string>): void {
  const post = file.post;
  const pre = file.pre;
  if (!post || !pre) return;
  const summary = ctx.model.summary();
  const done = new Set<string>();
  for (const pair of file.postSides) {
    for (const [name, otherName] of [[pair.acquire, pair.release], [pair.release, pair.acquire]] as const) {
      if (!file.touched(name) || done.has(name)) continue;
      const fn = post.functionByName(name);
      const other = post.functionByName(otherName);
      const fnBefore = pre.functionByName(summary.preName(name));
      const otherBefore = pre.functionByName(summary.preName(otherName));
      if (!fn || !other || !fnBefore || !otherBefore || fn.hasErrors || other.hasErrors) continue;
      // their bodies one text, or at least their early exits kept in step
      const cloned = clones(fnBefore, otherBefore);
      const shared = cloned ? null : inStep(ctx, fnBefore, otherBefore);
      if (!cloned && !shared) continue;
      // edited on one side only: the twin is as it was (a commit that writes both sides anew judges both itself)
      const same = (a: CFunction, b: CFunction) => a.statements.length === b.statements.length && a.statements.every((st, i) => st.normalized === b.statements[i]?.normalized);
      if (!same(other, otherBefore)) continue;
      for (const skip of ctx.model.newSkips(file, fn)) {
        if (skip.exit === null || skip.exit.kind !== 'return' || reported.has(`${fn.name}|${skip.line}`)) continue;
        // in step form, the new skip is an early exit as the shared ones are: at the top, before the body
        const exitAt = skip.exit;
        if (!cloned && (exitAt.guards.length !== 1 || fn.calls.some((c) => c.line < skip.line && c.result === undefined))) continue;
        const key = ctx.model.predicateKey(skip.condition, new Set(fn.gates.map((g) => g.flag)));
        if (!key || skip.condition.callees.some((c) => ctx.pairs.isInheritedState(c))) continue;
        // the twin tests the same thing (the same predicate, anywhere it reaches)
        const twinReach = [...summary.reach('post', [otherName], [name], file.path).values()].map((r) => r.fn);
        if (ctx.model.anyTests(twinReach, key)) continue;
        // a skip before anything of the body: the rest of the function is what it skips
        if (!fn.calls.some((c) => c.line > (skip.exit as CExit).line)) continue;
        done.add(name);
        ctx.report({
          at: { file: file.path, line: skip.line, endLine: skip.endLine, function: fn.name },
          ...(cloned
            ? { messageId: 'cloneSkip' as const, data: { fn: fn.name, how: skip.how, predicate: key.text, file: file.path, line: skip.line, other: other.name, pair: pair.label } }
            : { messageId: 'stepSkip' as const, data: { fn: fn.name, how: skip.how, predicate: key.text, file: file.path, line: skip.line, other: other.name, pair: pair.label, shared: (shared ?? []).join('`, `') } }),
          related: [{ file: file.path, line: other.startLine, function: other.name, messageId: 'twinHere', data: { other: other.name, fn: fn.name } }],
          key: `clone-skip|${pair.acquire}/${pair.release}|${fn.name}|${key.names.join(',')}`,
          repair: { callees: [], functions: [fn.name, other.name], names: key.names },
        });
        break;
      }
    }
  }
}

/**
 * An acquire the commit moves into a function (from another one) lands behind
 * an early exit its old place did not have: it is now skipped in those cases,
 * while its release, wherever it lives, still runs for all of them (a group
 * joining an existing container returns before `fx_kvm_add_group()`, while
 * the put still calls `fx_kvm_del_group()`).
 */
function movedBehindExit(ctx: Ctx, file: ChangedFile, change: FunctionChange): void {
  const summary = ctx.model.summary();
  const fn = change.post;
  if (!fn) return;
  const localFlags = new Set(fn.gates.map((g) => g.flag));
  for (const call of fn.calls) {
    if (!file.added.has(call.line)) continue;
    const match = ctx.model.matchPrimitive(call, fn, ctx.pairs, summary.knownNames, true);
    if (!match || match.role !== 'acquire' || match.pair.safeRelease) continue;
    const from = summary.callDelta(call.callee, match.fromFamily ? undefined : call.args).lost.filter((n) => n !== fn.name);
    const source = from.length === 1 ? summary.pre.lookup(from[0] as string)?.fn : undefined;
    const oldCall = source?.calls.find((c) => c.callee === summary.preName(call.callee));
    if (!source || !oldCall) continue;
    for (const { exit, guard } of ctx.model.conditionalExits(fn)) {
      // (a `continue` in the acquire's new place skips one element of a loop: the skip form's, not a move's)
      if (exit.kind === 'continue') continue;
      if (exit.line >= call.line || !ctx.model.exitSkipsCall(exit, call)) continue;
      if (ctx.model.isErrorExit(fn, exit, guard) || ctx.model.isDelegatingExit(exit)) continue;
      if (callsOnTheWayOut(fn, guard.condition, exit, [call.callee])) continue;
      const key = ctx.model.predicateKey(guard.condition, localFlags);
      if (!key || guard.condition.callees.some((c) => ctx.pairs.isInheritedState(c))) continue;
      // the old place had the same skip: nothing changed for this call
      const oldSkips = ctx.model.conditionalExits(source).some(
        ({ exit: e, guard: g }) =>
          ctx.model.exitSkipsCall(e, oldCall) && !ctx.model.isErrorExit(source, e, g) && ctx.model.predicateKey(g.condition)?.names.some((n) => key.names.includes(n)),
      );
      // ...or a `continue` that passed it by in the loop it was called from, for the same predicate (`if (v >= n)
      // continue; take(v);` → a helper called for each element that returns when `v >= n`)
      const oldPassSkips = source.exits.some((e) => {
        const g = e.guards[e.guards.length - 1];
        return e.kind === 'continue' && g !== undefined && e.line < oldCall.line && e.loopEnd !== undefined && oldCall.line <= e.loopEnd && ctx.model.predicateKey(g.condition)?.names.some((n) => key.names.includes(n));
      });
      if (oldPassSkips) continue;
      // ...or guarded the call by the same predicate (`if (!d->mdev) { take(); }` → `if (d->mdev) return; take();`)
      const oldGuarded = oldCall.guards.some((g) => g.condition.kind === 'if' && ctx.model.predicateKey(g.condition)?.names.some((n) => key.names.includes(n)));
      if (oldSkips || oldGuarded) continue;
      // the release moved along: the function undoes the acquire itself, later on its normal path, behind the
      // same exit (`take(); ...; drop();` both skipped): nothing is left for another function to undo (an
      // undo on an error branch only backs out a failure)
      if (fn.calls.some((c) => c.line > call.line && match.counterparts.includes(c.callee) && ctx.model.sameObject(call, c) && ctx.model.exitSkipsCall(exit, c) && !ctx.model.onErrorBranch(fn, c))) continue;
      const acquireReach = summary.reach('post', [fn.name], []);
      const sameThing = (c: CCall) => ctx.model.toggleOf(call.callee)?.kind !== 'handler' || (ctx.model.sameObject(call, c) && handlerTied(ctx, call, c));
      const release = summary.post
        .all()
        .filter((p) => !acquireReach.has(p.fn.name) && !ctx.model.anyTests([p.fn], key))
        .flatMap((p) => p.fn.calls.filter((c) => match.counterparts.includes(c.callee) && sameThing(c)).map((c) => ({ call: c, fn: p.fn, path: p.path })))[0];
      if (!release) continue;
      ctx.report({
        at: { file: file.path, line: call.line, endLine: call.endLine, function: fn.name },
        messageId: guard.negated ? 'movedUnless' : 'moved',
        data: {
          callee: call.callee,
          source: source.name,
          fn: fn.name,
          how: ctx.model.describeExit(exit),
          predicate: key.text,
          file: file.path,
          line: exit.line,
          releaseFn: release.fn.name,
          release: release.call.callee,
          releasePath: release.path,
          releaseLine: release.call.line,
        },
        related: [
          { file: release.path, line: release.call.line, function: release.fn.name, messageId: 'stillCalls', data: { fn: release.fn.name, callee: release.call.callee } },
          { file: file.path, line: exit.line, function: fn.name, messageId: 'exitNowSkips', data: { callee: call.callee } },
        ],
        key: `moved|${fn.name}|${call.callee}|${key.names.join(',')}`,
        repair: { callees: [], functions: [fn.name, release.fn.name], names: key.names },
      });
      break;
    }
  }
}

export const skipAsymmetry: Rule<NoOptions, MessageId> = {
  meta: {
    id: RULE_ID,
    messages: MESSAGES,
    category: 'pair',
    severity: 'error',
    summary: 'A new skip of a primitive on one side of a pair that the other side does not mirror',
    docs: {
      what:
        'The patch adds an early exit (return, goto, or a `continue` that ends the pass of a loop before the primitive ' +
        'for that element) or clears a gate flag so that one side of a pair ' +
        '(region_add, a map path, a register function) skips its primitive (vfio_container_dma_map, ' +
        'memory_region_ref, ...), while the other side still performs the matching primitive ' +
        '(vfio_container_dma_unmap, memory_region_unref, ...) without testing the same condition. Also an acquire ' +
        'the patch moves into a function behind an early exit its old place did not have (a `continue` that passed it by ' +
        'in the loop it came from, for the same predicate, is such an exit), unless its release moved ' +
        'along (the function releases it later on its normal path, behind the same exit). An exit whose own block ' +
        'makes the same call before it leaves skips nothing of it, nor an exit taken once its test itself made the ' +
        'acquire (`if (fx_attach(dev, c, &err)) { ... } else { goto found; }`). An old exit whose condition only gains ' +
        'alternatives (`if (a) return;` → `if (a || b) return;`) skips anew under the added ones, and an old skip moved up ' +
        'skips anew the calls it now stands before (`if (unaligned) return;` moved above the `fx_ref(section)` it ' +
        'followed). Only a skip the commit ' +
        'introduces: one the pre-image already had (under an old name, in another file) is not reported, nor a NULL ' +
        'or failure exit (nothing was acquired), a skip the release side mirrors by testing the state the acquire ' +
        'side records (`kvm_accel` set after the init, or a field the skip itself clears on its way out: `if (vdev->mdev) { ' +
        'vdev->aer = false; return; }`; a field cleared only on the function\'s failure branches records nothing for a ' +
        'new skip that does not clear it, and a failure branch\'s undo of the function\'s own acquire is no other side), a skip of a function that records itself that it ran (`if ' +
        '(s->connected) return 0; s->connected = true;` before the init: a second run), or a skip under cpr_is_incoming() ' +
        '(the state is inherited). State is a field the acquire side stores (not a back-pointer such as ' +
        '`g->container = container`, which records nothing) or a list it inserts into and the release side walks; a ' +
        'variable the release side only reads through (`container->ro_only`) tests no state. A skip is mirrored ' +
        'when its first undo is; past a reported primitive, the other primitives the same skip skips and the other ' +
        'side still undoes are named as notes. A new exit inside a block that leaves anyway skips only what lies ' +
        'before that block\'s own exit, and a callback the function hands to a registration is not an undo it makes itself. ' +
        'Also a new early `return` in one function of a pair whose other function was its clone before the commit (the ' +
        'same statements in the same order, but for the word their names differ in: `fx_region_add` queueing on ' +
        '`transaction_add`, `fx_region_del` on `transaction_del`), or kept its early exits in step with it (the same ' +
        'tests, each leaving at once before the body: both leave first on `fx_vec_is_masked(dev, vector)`), when the skip skips nothing the pair tables name, the ' +
        'commit leaves the twin as it was, and the twin tests nothing of the same predicate: the other side still handles ' +
        'what this one now leaves alone. And a new error exit on the release side of a pair (`ret = fx_backend_stop(...); ' +
        'if (ret < 0) { error_report(...); return; }` in a stop) before a release the function made on that path before ' +
        'the commit, of an object the acquire side takes: when the failure happens, nothing gives it back any more (an ' +
        'error exit of the acquire side skips nothing owed; one of the release side does). Only the failure of a call the ' +
        'function made (not a test of a parameter, nor of finding the object the release is handed: `if (!map) return;` ' +
        'after a lookup), of a release whose pair the function does not open itself, in a teardown that did not give up ' +
        'on a failure before that release already (its own way, not a new one).',
      why:
        'The two sides no longer agree on which objects they handle. When add skips the map, del still ' +
        'unmaps a range that was never mapped: with iommufd an IOMMU_IOAS_UNMAP of something never mapped, ' +
        'on CXL Type-2 devices an ATC invalidation that can time out fatally. When del skips the unmap, the ' +
        'mapping leaks. Reviewers catch this sometimes; most such bugs in QEMU history were merged and fixed later.',
      fix:
        'Test the same predicate on the other side before its primitive (in vfio_listener_region_del: set ' +
        'try_unmap = false for the sections add skipped), or move the skip into a predicate both sides call ' +
        '(vfio_listener_valid_section(), *_skipped_section()), as upstream did for RAM_PROTECTED.',
      bad: [
        'void vfio_container_region_add(...)',
        '{',
        '    ...',
        '+   if (memory_region_skip_iommu_map(section->mr)) {',
        '+       return;',
        '+   }',
        '    ret = vfio_container_dma_map(bcontainer, iova, size, vaddr, ro, section->mr);',
        '}',
        '',
        'static void vfio_listener_region_del(...)',
        '{',
        '    bool try_unmap = true;',
        '    ...',
        '    if (try_unmap) {',
        '        vfio_container_dma_unmap(bcontainer, iova, size, NULL, false);   /* still unmaps */',
        '    }',
        '}',
      ].join('\n'),
      good: [
        'static void vfio_listener_region_del(...)',
        '{',
        '    ...',
        '    if (memory_region_is_ram_device(section->mr)) {',
        '        try_unmap = !((iova & pgmask) || (int128_get64(llsize) & pgmask));',
        '+       if (memory_region_skip_iommu_map(section->mr)) {',
        '+           try_unmap = false;',
        '+       }',
        '    }',
        '    if (try_unmap) {',
        '        vfio_container_dma_unmap(bcontainer, iova, size, NULL, false);',
        '    }',
        '}',
      ].join('\n'),
    },
  },
  create(context) {
    return {
      // the new skips of the file's pairs, one finding per skip (checkFile keeps the best pair for each)
      changedFile(file) {
        checkFile(context, file);
      },
      // then, after changedFile of the same file, each touched function for an acquire moved behind an exit
      changedFunction(file, change) {
        if (file.post) movedBehindExit(context, file, change);
      },
    };
  },
};
