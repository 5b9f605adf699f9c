import { describe, expect, it } from 'vitest';
import { fixtureModel, fn, guardTexts, lineOf, modelOf } from './helpers.js';

describe('gates', () => {
  it('try_unmap: declaration, three guarded assignments, the gated unmap', async () => {
    const { text, model } = await fixtureModel('listener.c');
    const del = fn(model, 'vfio_toy_listener_region_del');
    const gate = del.gates.find((g) => g.flag === 'try_unmap');
    expect(gate).toBeDefined();
    expect(gate?.declLine).toBe(lineOf(text, 'bool try_unmap = true;'));
    expect(gate?.initValue).toBe('true');
    expect(gate?.assignments.map((a) => [a.value, a.line])).toEqual([
      ['!((iova & pgmask) || (int128_get64(llsize) & pgmask))', lineOf(text, 'try_unmap = !((iova')],
      ['false', lineOf(text, 'try_unmap = false;')],
      ['false', lineOf(text, 'try_unmap = false;', lineOf(text, 'try_unmap = false;'))],
    ]);
    expect(gate?.assignments.map((a) => guardTexts(a.guards))).toEqual([
      ['+memory_region_is_ram_device(section->mr)'],
      ['+memory_region_is_ram_device(section->mr)', '+memory_region_skip_iommu_map(section->mr)'],
      ['!memory_region_is_ram_device(section->mr)', '+memory_region_has_ram_discard_manager(section->mr)'],
    ]);
    const callees = gate?.gatedCalls.map((c) => c.callee) ?? [];
    expect(callees).toContain('vfio_container_dma_unmap');
    expect(callees).not.toContain('memory_region_unref');
    expect(callees).not.toContain('vfio_ram_discard_unregister_listener');
    // the gated call is the same object as in fn.calls
    expect(del.calls).toContain(gate?.gatedCalls.find((c) => c.callee === 'vfio_container_dma_unmap'));
  });

  it('a local tested only as a struct field is not a gate; an untested local is not either', async () => {
    const model = await modelOf(
      [
        'void f(S *s)',
        '{',
        '    bool skip = false;',
        '    int unused = 0;',
        '    if (s->skip) {',
        '        a();',
        '    }',
        '    skip = true;',
        '    unused = 2;',
        '}',
      ].join('\n'),
    );
    expect(fn(model, 'f').gates).toEqual([]);
  });

  it('a local whose address a tested call is handed is filled by the call, not tested: no gate', async () => {
    const model = await modelOf(
      [
        'void f(S *s)',
        '{',
        '    Error *err = NULL;',
        '    if (fx_attach(s, &err)) {',
        '        error_free(err);',
        '        err = NULL;',
        '    } else {',
        '        fx_discard_disable(true);',
        '    }',
        '    if (err && s->verbose) {',
        '        fx_report(s);',
        '    }',
        '}',
      ].join('\n'),
    );
    const gates = fn(model, 'f').gates;
    // only the test that reads err itself gates a call
    expect(gates.map((g) => [g.flag, g.gatedCalls.map((c) => c.callee)])).toEqual([['err', ['fx_report']]]);
  });

  it('a loop\'s own index counts its passes: no gate, while a flag its body tests is one', async () => {
    const model = await modelOf(
      [
        'void f(S *s)',
        '{',
        '    int i;',
        '    bool on = s->enabled;',
        '    for (i = 0; i < s->n; i++) {',
        '        fx_start(s, i);',
        '        if (on) {',
        '            fx_notify(s, i);',
        '        }',
        '    }',
        '}',
      ].join('\n'),
    );
    expect(fn(model, 'f').gates.map((g) => [g.flag, g.gatedCalls.map((c) => c.callee)])).toEqual([['on', ['fx_notify']]]);
  });

  it('compound assignments and gated calls in the else branch', async () => {
    const model = await modelOf(
      [
        'void f(S *s)',
        '{',
        '    bool need = s->a;',
        '    need |= s->b;',
        '    if (!need) {',
        '        skip(s);',
        '    } else {',
        '        work(s);',
        '    }',
        '}',
      ].join('\n'),
    );
    const gate = fn(model, 'f').gates[0];
    expect(gate?.flag).toBe('need');
    expect(gate?.initValue).toBe('s->a');
    expect(gate?.assignments.map((a) => [a.target, a.operator, a.value, a.line])).toEqual([['need', '|=', 's->b', 4]]);
    expect(gate?.gatedCalls.map((c) => [c.callee, guardTexts(c.guards)])).toEqual([
      ['skip', ['+!need']],
      ['work', ['!!need']],
    ]);
  });
});
