/**
 * moved-release: a commit moves a function's teardown into a new helper (the function now calls it, and the
 * helper carries the statements the function lost) and one release of that teardown is in neither: what it
 * released is no longer released on that way.
 */
import type { CCall } from '../src/cmodel/types.js';
import type { NoOptions, Rule, RuleContext } from '../src/rule/rule.js';
import type { ChangedFile, FunctionChange } from '../src/rule/model.js';

const MESSAGES = {
  lost:
    '{{fn}}() now hands its teardown to {{helper}}() ({{file}}:{{line}}), which makes {{moved}} of the statements ' +
    '{{fn}}() no longer makes, but not `{{release}}({{args}})`, which {{fn}}() made before this commit: nothing on ' +
    '{{fn}}()\'s way calls {{release}}() on {{object}} any more, so what it released stays held. Call ' +
    '`{{release}}({{args}})` in {{helper}}() (its parameters naming what the call hands it), or keep it in {{fn}}().',
  // the object ({{object}} above): the release's arguments, or none
  theseArguments: '`{{args}}`',
  noArguments: 'anything',
  // related locations
  helperHere: '{{helper}}() takes the teardown over here',
};

type Ctx = RuleContext<NoOptions, keyof typeof MESSAGES>;

const squeeze = (s: string) => s.replace(/\s+/g, '');

/** Fewest statements a helper must take over from the function to be its teardown's new home (a call among them). */
const MIN_MOVED = 1;

/**
 * Do two calls of one callee name fields, and different ones (`fx_free(lt->tick)` against `fx_free(s->lt[i].frc)`,
 * `fx_free(s->t[i])` against `fx_free(s->wake)`)?
 * Only then is the one no stand-in for the other: arguments that name no field (`fx_stop(flags)` against
 * `fx_stop(pending_flags)`) may be the same thing kept another way.
 */
function onOtherField(ctx: Ctx, a: CCall, b: CCall): boolean {
  // (an element of a field names that field: `cpu->gt_timer[i]` is in `gt_timer`; the first argument that names a
  // field, cast macros peeled off: `fx_unplug(FX_HANDLER(s->b), dev, &error_abort)` names `b`)
  const field = (c: CCall) =>
    c.args.map((x) => /(?:->|\.)\s*(\w+)\s*(?:\[[^\]]*\]\s*)*$/.exec(ctx.model.withoutCasts(x.trim()))?.[1]).find((f) => f !== undefined);
  const fa = field(a);
  const fb = field(b);
  return fa !== undefined && fb !== undefined && fa !== fb;
}

/** A call's arguments as written: a switch turned off (`fx_require(false)`, modelled without its literal) gets it back. */
function shownArgs(ctx: Ctx, call: CCall): string[] {
  const toggle = ctx.model.toggleOf(call.callee);
  if (!toggle || toggle.index < 0) return call.args;
  const args = [...call.args];
  args.splice(toggle.index, 0, toggle.on ? 'true' : 'false');
  return args;
}

/**
 * A heap free of what the helper was handed itself (`g_free(quirk)`) against the lost free of a field of it
 * (`g_free(quirk->data)`): a heap free releases one block, never what the block points to, so the first is no
 * stand-in for the second.
 */
function heapFreeOfHolder(ctx: Ctx): (inHelper: CCall, lost: CCall) => boolean {
  return (inHelper, lost) => {
    if (!ctx.pairs.isHeapRelease(lost.callee) || inHelper.args.length !== 1 || lost.args.length !== 1) return false;
    const held = /^[A-Za-z_]\w*$/.test(squeeze(inHelper.args[0] as string));
    return held && /(?:->|\.)\s*\w+\s*(?:\[[^\]]*\]\s*)*$/.test((lost.args[0] as string).trim());
  };
}

function checkFunction(ctx: Ctx, file: ChangedFile, change: FunctionChange): void {
  const freesOnlyHolder = heapFreeOfHolder(ctx);
  const { pre, post } = change;
  if (!pre || !post || pre.hasErrors || post.hasErrors) return;
  const argsOf = (c: CCall) => c.args.map(squeeze).join(',');
  const summary = ctx.model.summary();
  // releases the commit deleted from the function, made no more in it on the same arguments
  const lost = pre.calls.filter(
    (c) =>
      file.removed.has(c.line) && !ctx.pairs.isNonResource(c.callee) && !ctx.model.endsProgram(c.callee) &&
      (ctx.pairs.hasReleaseVerb(c.callee) || ctx.pairs.primitive(c.callee)?.role === 'release' || ctx.model.toggleOf(c.callee)?.on === false ||
        // a helper the code base defines to release what it is handed (`fx_buffer_reset(&s->blob)` frees its data)
        c.args.some((a, k) => ctx.model.fieldChain(a) !== null && ctx.pairs.releasesArgument(c.callee, k))) &&
      !post.calls.some((p) => p.callee === c.callee && argsOf(p) === argsOf(c)),
  );
  if (lost.length === 0) return;
  const before = new Set(pre.calls.map((c) => c.callee));
  for (const call of post.calls) {
    if (!file.added.has(call.line) || before.has(call.callee) || !/^[A-Za-z_]\w*$/.test(call.callee) || call.callee === post.name) continue;
    const reached = summary.reach('post', [call.callee], [], file.path);
    const helper = reached.get(call.callee);
    // a helper the commit writes (no function of that name before it): an API the function now calls instead of
    // the steps it made (`fx_attach_device()` for get/put device) does its own undoing
    if (!helper || summary.pre.lookup(summary.preName(call.callee), helper.path) !== null) continue;
    // the helper's statements, also with its parameters named as this call passes them
    const texts = new Set<string>();
    const params = helper.fn.params ?? [];
    for (const r of reached.values()) {
      for (const t of r.fn.statements) {
        // (a declaration as the assignment it makes: `char **p = f(...);` is the moved `p = f(...);`)
        for (const text of t.assignment !== undefined ? [t.normalized, t.assignment] : [t.normalized]) {
          texts.add(ctx.model.baseless(text));
          if (r.fn === helper.fn && params.length > 0) texts.add(ctx.model.baseless(ctx.model.withArguments(text, params, call.args)));
        }
      }
    }
    // statements the function lost that the helper now makes: its teardown moved there
    const removedStatements = pre.statements.filter((st) => file.removed.has(st.line));
    const moved = removedStatements.filter((st) => texts.has(ctx.model.baseless(st.normalized)));
    if (moved.length < MIN_MOVED || !moved.some((st) => pre.calls.some((c) => c.line === st.line))) continue;
    // (a release handed to a call as a function, `g_clear_pointer(&b->attrs, fx_attrs_destroy)`, is made there too)
    const handedThere = new Set([...reached.values()].flatMap((r) => r.fn.calls.flatMap((c) => c.args.map(squeeze))));
    // a call of the helper read as the function would make it (parameters named as the call passes them, any base
    // and any index alike): `fx_timer_free(lt->tick)` in `fx_lt_free(&s->lt[i])` is `fx_timer_free(s->lt[i].tick)`
    const alike = (t: string) => ctx.model.baseless(squeeze(t)).replace(/\[[^\]]*\]/g, '[]');
    // the release of whatever a field records (`del_subregion(&s->win, s->active)` where the helper also does
    // `add_subregion(&s->win, 0, regs); s->active = regs;`): it releases each object the field can come to hold
    const records = (release: CCall, c: CCall) => {
      const last = c.args.at(-1)?.trim();
      const chain = last !== undefined && !last.startsWith('&') ? ctx.model.fieldChain(last)?.join('.') : undefined;
      if (chain === undefined) return false;
      const acquires = ctx.pairs.anyPrimitive(release.callee)?.counterparts ?? [];
      return [...reached.values()].some((q) =>
        q.fn.stores.some(
          (st) =>
            ctx.model.fieldChain(st.target)?.join('.') === chain &&
            q.fn.calls.some((a) => a.line < st.line && acquires.includes(a.callee) && a.args.some((x) => squeeze(x) === squeeze(st.value))),
        ),
      );
    };
    const madeThere = (release: CCall) =>
      handedThere.has(release.callee) ||
      [...reached.values()].some((r) => r.fn.calls.some((c) => c.callee === release.callee && records(release, c))) ||
      [...reached.values()].some((r) =>
        r.fn.calls.some(
          (c) =>
            // (a clearing call only by another clearing call: the model names an install of the same setter apart)
            c.callee === release.callee &&
            // (a helper further down names its own parameters: the callee is all that shows)
            (r.fn !== helper.fn || release.args.length === 0 || (!onOtherField(ctx, c, release) && !freesOnlyHolder(c, release)) ||
              // (by any of the function's calls of the helper: `fx_put(s, &s->a); fx_put(s, &s->b);`)
              post.calls.some((h) => h.callee === call.callee && alike(ctx.model.withArguments(c.args.join(', '), params, h.args)) === alike(release.args.join(', ')))),
        ),
      );
    // variables the helper's scope frees (`g_autofree char *path = ...`)
    const scoped = new Set([...reached.values()].flatMap((r) => r.fn.calls.filter((c) => c.autoReleased && c.result !== undefined).map((c) => squeeze(c.result as string))));
    for (const release of lost) {
      // moved there too, in some form, or made elsewhere on the function's way now
      if (madeThere(release)) continue;
      // (through a local the helper took the field into first: `vqs = s->dev.vqs; ... g_free(vqs);`)
      const chain = release.args.length === 1 ? ctx.model.fieldChain(release.args[0] as string) : null;
      if (chain && [...reached.values()].some((r) => r.fn.calls.some((c) => c.callee === release.callee && ctx.model.releasesFieldThroughLocal(r.fn, c, chain)))) continue;
      // (or through a local that holds what the field holds, which the function hands the helper, and the helper
      // releases that parameter: `vqs = s->dev.vqs; ... fx_cleanup(vdev, s, vqs);` with `g_free(vqs)` in the helper)
      if (chain) {
        const sameChain = (t: string) => ctx.model.fieldChain(t.trim())?.join('.') === chain.join('.');
        // (either way round: `vqs = s->dev.vqs;`, or `vqs = g_new0(...); s->dev.vqs = vqs;`)
        const locals = new Set([
          ...(post.assignments ?? []).filter((a) => /^\w+$/.test(a.target.trim()) && sameChain(a.value)).map((a) => a.target.trim()),
          ...post.stores.filter((st) => /^\w+$/.test(st.value.trim()) && sameChain(st.target)).map((st) => st.value.trim()),
        ]);
        const releasesParam = (k: number) => helper.fn.calls.some((c) => c.callee === release.callee && c.args.length === 1 && c.args[0]?.trim() === params[k]);
        if (post.calls.some((h) => h.callee === call.callee && h.args.some((x, k) => locals.has(x.trim()) && releasesParam(k)))) continue;
      }
      if (release.args.length === 1 && scoped.has(squeeze(release.args[0] as string))) continue;
      // (the function itself on the same object; a function it reaches besides the helper by the callee alone)
      const own = summary.reach('post', [post.name], [], file.path);
      const elsewhere = (r: { fn: { name: string } }) => r.fn.name !== post.name && !reached.has(r.fn.name);
      // (handed the same arguments, or more: `fx_close(s, &req->id, q)` made asynchronous, `fx_close(s, &req->id, q, fx_done, req)`)
      const handedAll = (c: CCall) => release.args.every((a) => c.args.some((b) => squeeze(b) === squeeze(a)));
      if (post.calls.some((c) => c.callee === release.callee && (alike(c.args.join(', ')) === alike(release.args.join(', ')) || handedAll(c)))) continue;
      if ([...own.values()].some((r) => elsewhere(r) && r.fn.calls.some((c) => c.callee === release.callee))) continue;
      // moved to another function of the commit's files (a finalize, another caller): its new home
      // (not the helper, whose calls were read above; on the same field, when the release names one)
      const field = (args: readonly string[]) => /(\w+)\W*$/.exec(args.join(','))?.[1];
      const sameField = (c: CCall) => release.args.length === 0 || field(c.args) === field(release.args);
      if (summary.post.all().some((p) => p.fn.name !== post.name && !reached.has(p.fn.name) && p.path === file.path && p.fn.calls.some((c) => c.callee === release.callee && file.added.has(c.line) && sameField(c)))) continue;
      // the release was part of the block that moved: it stood among the moved statements
      const first = Math.min(...moved.map((st) => st.line));
      const last = Math.max(...moved.map((st) => st.endLine));
      // (or with only deleted lines between: the end of a loop or block that went whole, `n++; }` of a rewritten loop)
      const deletedBetween = (from: number, to: number) => {
        for (let l = from; l < to; l++) if (!file.removed.has(l)) return false;
        return true;
      };
      const near = (release.line >= first - 3 || deletedBetween(release.line + 1, first)) && (release.line <= last + 3 || deletedBetween(last + 1, release.line));
      if (!near) continue;
      // one finding per line: another pair rule (call-asymmetry's removed release) may have said it already
      if (ctx.findings.some((f) => f.category === 'pair' && f.file === file.path && f.line === call.line)) continue;
      const at = file.post?.functionByName(call.callee);
      ctx.report({
        at: { file: file.path, line: call.line, endLine: call.endLine, function: post.name },
        messageId: 'lost',
        data: {
          fn: post.name,
          helper: call.callee,
          file: file.path,
          line: at ? at.startLine : call.line,
          moved: moved.length,
          release: ctx.model.calleeBase(release.callee),
          args: shownArgs(ctx, release).join(', '),
          object: release.args.length > 0 ? ctx.format('theseArguments', { args: shownArgs(ctx, release).join(', ') }) : ctx.format('noArguments', {}),
        },
        related: at ? [{ file: file.path, line: at.startLine, function: at.name, messageId: 'helperHere', data: { helper: call.callee } }] : [],
        key: `moved-release|${post.name}|${call.callee}|${release.callee}`,
        repair: { callees: [release.callee, ctx.model.calleeBase(release.callee)], functions: [post.name, call.callee] },
      });
    }
  }
}

export const movedRelease: Rule<NoOptions, keyof typeof MESSAGES> = {
  meta: {
    id: 'moved-release',
    messages: MESSAGES,
    category: 'pair',
    severity: 'warning',
    summary: 'A teardown moved into a new helper loses one of its releases on the way',
    // after the other rules: a removed release call-asymmetry reports at the same line is theirs
    after: true,
    docs: {
      what:
        'The commit deletes statements from a function and makes it call a helper it writes (no function of that name ' +
        'before the commit: an API the function now calls instead of its steps does its own undoing), and the ' +
        'helper (with the helpers it calls, its parameters named as the call passes them) makes a deleted call ' +
        'statement (or more): the teardown moved there. A release among the deleted statements (a ' +
        'call named for releasing, the release of a known pair, a handler setter\'s clearing call, ' +
        '`fx_set_fd_handler(fd, NULL, NULL, s)`, which only another clearing call stands for, or a call of a function ' +
        'the code base defines to release what it is handed, `fx_buffer_reset(&s->blob)` whose body frees `b->data`), ' +
        'standing within the moved block (three lines around the moved statements, or further with only deleted lines ' +
        'between: the end of a loop the helper rewrote), that neither the ' +
        'helper, nor anything the function still reaches, nor another function of the file the commit adds it to, ' +
        'makes any more is reported at the new call. The helper makes it only on the same object: its call read with ' +
        'its parameters named as the function\'s calls of it pass them (a parameter handed an address, ' +
        '`fx_lt_free(&s->lt[i])`, reads `lt->frc` as `s->lt[i].frc`), so one release of the same callee on another field ' +
        '(or on the elements of another field, `timer_free(cpu->gt_timer[i])` against `timer_free(cpu->wake_timer)`) ' +
        'does not stand for it, while a release through a local the helper took the field into first does, ' +
        '`vqs = s->dev.vqs; ... g_free(vqs);`, and so does the helper\'s release of a parameter the function hands a local ' +
        'holding what the field holds (`vqs = g_new0(...); s->dev.vqs = vqs; ... fx_cleanup(vdev, s, vqs);`) (arguments that name no field, `fx_stop(flags)` and `fx_stop(pending)`, may be one thing ' +
        'kept two ways, and do, except that a heap free of what the helper was handed, `g_free(quirk)`, never stands for ' +
        'a heap free of a field of it, `g_free(quirk->data)`); a release of whatever a field records counts for every object it can hold ' +
        '(`fx_del(&s->win, s->active)` in a helper that does `fx_add(&s->win, 0, regs); s->active = regs;`). Not a variable the helper\'s scope frees (`g_autofree`), nor a ' +
        'call that never returns (`exit()`).',
      why:
        'Factoring a teardown out into a helper is a routine cleanup, and a reviewer reads it as "no functional change". ' +
        'A line dropped on the way (a free, an unref, an unregister) is then easy to miss, and what it released leaks ' +
        'on every teardown.',
      fix: 'Make the release in the new helper, where the rest of the teardown now is, or keep it in the function.',
      bad: [
        '+static void fx_free_page_hint_cleanup(FxBalloon *s)',
        '+{',
        '+    fx_free_page_stop(s);',
        '+    fx_remove_notifier(&s->hint_notify);',
        '+    fx_bh_delete(s->free_page_bh);',
        '+}',
        '...',
        '-        fx_bh_delete(s->free_page_bh);',
        '-        fx_iothread_unref(s->iothread);',
        '-        fx_free_page_stop(s);',
        '-        fx_remove_notifier(&s->hint_notify);',
        '+    fx_free_page_hint_cleanup(s);',
      ].join('\n'),
      good: [
        '+    fx_bh_delete(s->free_page_bh);',
        '+    fx_iothread_unref(s->iothread);',
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

