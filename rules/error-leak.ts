/**
 * error-leak: a function's own `Error *` variable, set by a call it was handed to by address, is still set
 * where the function leaves, and nothing on that path handed it on, reported it or freed it: the Error leaks
 * and its message reaches no one.
 */
import type { NoOptions, Rule, RuleContext } from '../src/rule/rule.js';
import type { ChangedFile, DroppedError, FunctionChange } from '../src/rule/model.js';

const MESSAGES = {
  dropped:
    '{{fn}}() leaves at {{file}}:{{exitLine}} with `{{variable}}` still holding the Error {{setBy}}: nothing on that path hands it on, reports or frees it, so the Error leaks and its ' +
    'message is lost. Another path of the function hands it to {{handler}}() ({{file}}:{{handlerLine}}); do the ' +
    'same before leaving here.',
  droppedEverywhere:
    '{{fn}}() leaves at {{file}}:{{exitLine}} with `{{variable}}` still holding the Error {{setBy}}: nothing on that path hands it on, reports or frees it, so the Error leaks and its ' +
    'message is lost. Hand it to the caller with error_propagate(), report it with error_report_err() or ' +
    'warn_report_err(), or free it with error_free() before leaving.',
  droppedExcluded:
    '{{fn}}() leaves at {{file}}:{{exitLine}} with `{{variable}}` still holding the Error {{setBy}}: nothing on that path hands it on, reports or frees it, so the Error leaks. ' +
    'Where that failure is let through, free it with error_free() (or report it with warn_report_err()).',
  setAgain:
    '{{fn}}() hands `&{{variable}}` to {{next}}() here while `{{variable}}` still holds the Error {{setBy}}: the block ' +
    'that handles that failure goes on to here without handing it on, reporting or freeing it. The first Error ' +
    'leaks, and if {{next}}() fails too, setting an Error that is not NULL aborts QEMU. Report it with ' +
    'warn_report_err() or error_report_err(), or free it with error_free(), in that block.',
  // who set it ({{setBy}} above)
  setAt: '{{setter}}() set at {{file}}:{{setterLine}}',
  setOnEitherPath: '{{setters}} set, whichever path ran',
  setWhenExcluded: '{{setter}}() set at {{file}}:{{setterLine}} when it fails with {{value}}, the failure the test at {{file}}:{{testLine}} lets through',
  // related locations
  setHere: '{{setter}}() sets `{{variable}}` here when it fails',
  setAlwaysHere: '{{setter}}() sets `{{variable}}` here',
  handledHere: '{{handler}}() hands `{{variable}}` on here, on another path',
};

type Ctx = RuleContext<NoOptions, keyof typeof MESSAGES>;

function checkFunction(ctx: Ctx, file: ChangedFile, change: FunctionChange): void {
  const fn = change.post;
  if (!fn || fn.hasErrors || (fn.errorLocals ?? []).length === 0) return;
  // "introduced" is decided by the model: the same variable set by the same call and dropped in the pre-image
  // (names mapped through renames) is not new
  const found = ctx.model.summary().introduced(
    fn,
    file,
    (f) => ctx.model.droppedErrors(f),
    (d: DroppedError, rename) => [`${d.variable}|${rename(d.setter.callee)}`],
  );
  const reported = new Set<string>();
  for (const d of found) {
    // where this commit changed it: the setting call, the exit, or the way between them
    if (!file.addedIn(d.setter.line, d.exit.line)) continue;
    // one finding per dropped Error and exit
    const key = `error-leak|${fn.name}|${d.variable}|${d.setter.callee}|${d.exit.kind}`;
    if (reported.has(`${key}|${d.exit.line}`)) continue;
    reported.add(`${key}|${d.exit.line}`);
    const setters = [...(d.otherSetters ?? []), { call: d.setter, always: d.setsAlways === true }];
    const data = {
      fn: fn.name,
      file: file.path,
      exitLine: d.exit.line,
      variable: d.variable,
      setBy: d.excluded
        ? ctx.format('setWhenExcluded', { setter: d.setter.callee, file: file.path, setterLine: d.setter.line, value: d.excluded.value, testLine: d.excluded.condition.line })
        : setters.length === 1
          ? ctx.format('setAt', { setter: d.setter.callee, file: file.path, setterLine: d.setter.line })
          : ctx.format('setOnEitherPath', { setters: setters.map(({ call: c }) => `${c.callee}() (${file.path}:${c.line})`).join(' or ') }),
      handler: d.handled?.callee ?? '',
      handlerLine: d.handled?.line ?? 0,
    };
    if (d.again) {
      ctx.report({
        at: { file: file.path, line: d.again.line, endLine: d.again.endLine, function: fn.name },
        messageId: 'setAgain',
        data: { ...data, next: d.again.callee },
        related: setters.map(({ call: c, always }) => ({
          file: file.path,
          line: c.line,
          function: fn.name,
          messageId: always ? ('setAlwaysHere' as const) : ('setHere' as const),
          data: { setter: c.callee, variable: d.variable },
        })),
        key: `error-set-again|${fn.name}|${d.variable}|${d.setter.callee}|${d.again.callee}`,
        repair: { callees: ['error_report_err', 'warn_report_err', 'error_free', 'error_propagate'], functions: [fn.name] },
      });
      continue;
    }
    ctx.report({
      at: { file: file.path, line: d.exit.line, function: fn.name },
      messageId: d.excluded ? 'droppedExcluded' : d.handled ? 'dropped' : 'droppedEverywhere',
      data,
      related: [
        ...setters.map(({ call: c, always }) => ({
          file: file.path,
          line: c.line,
          function: fn.name,
          messageId: always ? ('setAlwaysHere' as const) : ('setHere' as const),
          data: { setter: c.callee, variable: d.variable },
        })),
        ...(d.handled
          ? [{ file: file.path, line: d.handled.line, function: fn.name, messageId: 'handledHere' as const, data: { handler: d.handled.callee, variable: d.variable } }]
          : []),
      ],
      key,
      repair: { callees: d.excluded ? ['error_free', 'warn_report_err'] : d.handled ? [d.handled.callee] : ['error_propagate', 'error_report_err', 'warn_report_err', 'error_free'], functions: [fn.name] },
    });
  }
}

export const errorLeak: Rule<NoOptions, keyof typeof MESSAGES> = {
  meta: {
    id: 'error-leak',
    messages: MESSAGES,
    category: 'pair',
    severity: 'warning',
    summary: 'A local Error set by a call is dropped on a path that leaves without handing it on or freeing it',
    docs: {
      what:
        'A function declares its own `Error *err = NULL;` and hands its address to a call (`fx_connect(path, &err)`), ' +
        'or sets it with error_setg(). The commit makes the function leave (a return, a goto, a continue to the next ' +
        'pass) while the Error is certainly set, and nothing on that path (nor after the label a goto leaves to) passes ' +
        'it to a call, stores it, returns it or frees it. "Certainly set" means after error_setg(), or on a path taken ' +
        'under a test of the variable (`if (err)`, also as one conjunct, `if (err && error_get_class(err) == ...)`, also after setters on several paths: `if (tls) { fx_tls_in(&err); } else ' +
        '{ fx_in(&err); } if (err) {...}`) or of the failure of the call that was handed its address ' +
        '(`if (!fx_connect(path, &err))`, `if (fx_open(&err) < 0)`, also as one alternative of an `||` test, ' +
        '`ret = fx_open(&err); if (ret < 0)`, or `if (ret)` ' +
        'for a status named so, `ret`, `rc`, `r`, QEMU\'s 0 on success, or a bare `if (fx_open(&err))` of a function ' +
        'the code base defines to answer with a status, an `int` that is 0 when done, or of one it does not define when ' +
        'that branch gives the caller a failure: `goto out;` to a label that returns -1, or `return false;`). So is a failure block that ends without ' +
        'leaving (`if (ret) { if (open) { error_report_err(err); return; } ... }`) and lets the function go on to its ' +
        'next return or its end, when nothing in the block at its own level (or in both branches of an `if` there), nor ' +
        'anything after it, hands the Error on or stores it; only the first test of the failure after the setter (the ' +
        '`else if (ret)` after a first test that asked more, `if (ret && strict) { ...; return; }`, counts as one), and ' +
        'not a block that ends the process (`exit(1)`). A status another call filled in since is no test of the setter. Calls ' +
        'that only read an Error (error_get_pretty(), error_prepend()) hand nothing on. Which calls always set and ' +
        'which only read are the pair table\'s `errorValues`; besides those, a function of the code base under review ' +
        'reads only when it is declared `const Error *`, or when its body does nothing with the Error but test it and ' +
        'hand it to calls that read only (`fx_stop_all(err)` whose body calls `migrate_set_error(s, err)`, itself ' +
        'declared `const Error *`): handing the Error to it hands nothing on either. Also: the block that handles the ' +
        'failure (the first test after the setter, or the test it stands in: `if (s->opt && !fx_register(s, &err))`) ' +
        'goes on, without leaving or handing the Error on, to the next call handed its address, which sets it again: ' +
        'the first Error leaks, and setting an Error that is not NULL aborts QEMU. Also a failure the first test lets ' +
        'through (`if (ret < 0 && ret != -ENOTSUP) { ...; return; }`): on that errno the Error is set and the function ' +
        'goes on to leave with it, nothing after the test handing it on.',
      why:
        'The Error is heap memory the function owns once it is set, and it carries the only description of what went ' +
        'wrong. Dropping it leaks the memory and hides the failure: the caller sees a failure code with no reason, or ' +
        'nothing at all. It usually happens when a new error path is added next to one that propagates, or when a ' +
        'function that took `Error **errp` is changed to fill a local instead.',
      fix:
        'On that path, hand the Error to the caller (`error_propagate(errp, err);`), report it (`error_report_err(err);`, ' +
        '`warn_report_err(err);`, which free it), or free it (`error_free(err);`). Declaring it ' +
        '`g_autoptr(Error) err = NULL;` frees it on every path.',
      bad: [
        'static void fx_probe(FxState *s)',
        '{',
        '    Error *local_err = NULL;',
        '',
        '+   if (!fx_connect(s->path, &local_err)) {',
        '+       fx_close(s);',
        '+       return;',
        '+   }',
        '    s->ready = true;',
        '}',
      ].join('\n'),
      good: [
        '+   if (!fx_connect(s->path, &local_err)) {',
        '+       fx_close(s);',
        '+       error_report_err(local_err);',
        '+       return;',
        '+   }',
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
