/** Error values a function drops (src/model/error-values.ts): which exits leave with a set local Error in hand. */
import { describe, expect, it } from 'vitest';
import { droppedErrors } from '../../src/model/error-values.js';
import { PairTable, builtinPairData } from '../../src/pairs/table.js';
import { fn, modelOf } from '../cmodel/helpers.js';

const table = new PairTable(builtinPairData());
const calls = { setsAlways: (n: string) => table.setsErrorAlways(n), readsOnly: (n: string) => table.readsErrorOnly(n), endsProgram: (n: string) => table.endsProgram(n) };

async function dropped(body: string): Promise<string[]> {
  const model = await modelOf(`static int fx_f(FxState *s, Error **errp)\n{\n${body}\n}\n`);
  return droppedErrors(fn(model, 'fx_f'), calls).map((d) => `${d.variable}@${d.exit.line}:${d.setter.callee}`);
}

describe('droppedErrors', () => {
  it('the variable is an Error pointer the function declares, not a g_autoptr one', async () => {
    const model = await modelOf('void fx_g(void)\n{\n    Error *a = NULL, *b = NULL;\n    g_autoptr(Error) c = NULL;\n    Error **p = NULL;\n    int n;\n}\n');
    expect(fn(model, 'fx_g').errorLocals).toEqual(['a', 'b']);
  });

  it('a failure tested through the value the call returned, or with the call inside the test', async () => {
    expect(await dropped('    Error *err = NULL;\n    int ret = fx_open(s, &err);\n    if (ret < 0) {\n        return ret;\n    }\n    return 0;')).toEqual([
      'err@6:fx_open',
    ]);
    expect(await dropped('    Error *err = NULL;\n    if (fx_open(s, &err) < 0) {\n        return -1;\n    }\n    return 0;')).toEqual(['err@5:fx_open']);
    // the else of a test that it is NULL
    expect(await dropped('    Error *err = NULL;\n    fx_open(s, &err);\n    if (!err) {\n        s->ok = true;\n    } else {\n        return -1;\n    }\n    return 0;')).toEqual([
      'err@8:fx_open',
    ]);
  });

  it('a bare `if (call(&err))` says nothing of failure; neither does a test of something else', async () => {
    expect(await dropped('    Error *err = NULL;\n    if (fx_open(s, &err)) {\n        return 0;\n    }\n    error_propagate(errp, err);\n    return -1;')).toEqual([]);
    expect(await dropped('    Error *err = NULL;\n    fx_open(s, &err);\n    if (s->broken) {\n        return -1;\n    }\n    error_propagate(errp, err);\n    return 0;')).toEqual([]);
  });

  it('returning it, storing it through the out-parameter, or a later call handed its address ends it', async () => {
    expect(await dropped('    Error *err = NULL;\n    if (fx_open(s, &err) < 0) {\n        return fx_wrap(err);\n    }\n    return 0;')).toEqual([]);
    expect(await dropped('    Error *err = NULL;\n    if (fx_open(s, &err) < 0) {\n        *errp = err;\n        return -1;\n    }\n    return 0;')).toEqual([]);
    expect(await dropped('    Error *err = NULL;\n    if (fx_open(s, &err) < 0) {\n        error_free_or_abort(&err);\n        return -1;\n    }\n    return 0;')).toEqual([]);
  });

  it('a call that only reads it, or prepends to it, does not hand it on', async () => {
    expect(
      await dropped('    Error *err = NULL;\n    if (fx_open(s, &err) < 0) {\n        error_prepend(&err, "fx: ");\n        error_report("%s", error_get_pretty(err));\n        return -1;\n    }\n    return 0;'),
    ).toEqual(['err@7:fx_open']);
  });

  it('a hand-on under a test of the variable itself, or in both branches of an if, covers the path', async () => {
    expect(
      await dropped('    Error *err = NULL;\n    int id = fx_open(s, &err);\n    if (id < 0) {\n        if (err) {\n            error_report_err(err);\n        }\n        return -1;\n    }\n    return id;'),
    ).toEqual([]);
    expect(
      await dropped(
        '    Error *err = NULL;\n    if (fx_open(s, &err) < 0) {\n        if (s->running) {\n            fx_set_error(s, err);\n        } else {\n            error_report_err(err);\n        }\n        return -1;\n    }\n    return 0;',
      ),
    ).toEqual([]);
    // one branch only
    expect(
      await dropped('    Error *err = NULL;\n    if (fx_open(s, &err) < 0) {\n        if (s->running) {\n            fx_set_error(s, err);\n        }\n        return -1;\n    }\n    return 0;'),
    ).toEqual(['err@8:fx_open']);
  });

  it('a later exit on the way an earlier test of the Error left by is taken with nothing set', async () => {
    expect(
      await dropped('    Error *err = NULL;\n    FxList *l = fx_query(&err);\n    if (err) {\n        error_report_err(err);\n        return -1;\n    }\n    if (!l) {\n        return 0;\n    }\n    return 1;'),
    ).toEqual([]);
  });
});
