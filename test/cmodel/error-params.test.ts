import { describe, expect, it } from 'vitest';
import { fn, modelOf } from './helpers.js';

describe('Error parameters', () => {
  it('lists the calls a body only tests the Error it is handed and hands it to', async () => {
    const model = await modelOf(
      [
        'static void fx_stop_all(FxState *s, Error *err)',
        '{',
        '    trace_fx_stop_all(err != NULL);',
        '    if (!err) {',
        '        return;',
        '    }',
        '    fx_set_error(s, (Error *)err);',
        '    warn_report("fx: %s", err ? error_get_pretty(err) : "");',
        '}',
      ].join('\n'),
    );
    expect(fn(model, 'fx_stop_all').errorParams).toEqual([{ name: 'err', isConst: false, handedTo: ['error_get_pretty', 'fx_set_error'] }]);
  });

  it('has no list for a body that keeps, returns or frees it, and reads the const qualifier', async () => {
    const model = await modelOf(
      [
        'static void fx_keep(FxState *s, Error *err) { s->err = err; }',
        'static Error *fx_pass(Error *err) { return err; }',
        'static void fx_copy(FxState *s, const Error *err) { s->err = error_copy(err); }',
        'static void fx_fill(Error **errp) { error_setg(errp, "no"); }',
      ].join('\n'),
    );
    expect(fn(model, 'fx_keep').errorParams).toEqual([{ name: 'err', isConst: false, handedTo: null }]);
    expect(fn(model, 'fx_pass').errorParams).toEqual([{ name: 'err', isConst: false, handedTo: null }]);
    expect(fn(model, 'fx_copy').errorParams).toEqual([{ name: 'err', isConst: true, handedTo: ['error_copy'] }]);
    // an out-parameter is no Error handed over
    expect(fn(model, 'fx_fill').errorParams).toBeUndefined();
  });
});
