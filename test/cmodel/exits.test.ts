import { describe, expect, it } from 'vitest';
import { fixtureModel, fn, guardTexts, lineOf, modelOf } from './helpers.js';

describe('exits and labels', () => {
  it('returns and gotos with guards, values and label lines', async () => {
    const { text, model } = await fixtureModel('listener.c');
    const add = fn(model, 'vfio_toy_listener_region_add');
    const failLine = lineOf(text, 'fail:');
    expect(add.labels).toEqual([{ name: 'fail', line: failLine }]);
    const gotos = add.exits.filter((e) => e.kind === 'goto');
    expect(gotos).toHaveLength(2);
    expect(gotos.map((g) => [g.label, g.labelLine, g.inLoop])).toEqual([
      ['fail', failLine, false],
      ['fail', failLine, false],
    ]);
    expect(guardTexts(gotos[0]?.guards ?? [])).toEqual(['+memory_region_is_iommu(section->mr)', '+ret']);
    expect(guardTexts(gotos[1]?.guards ?? [])).toEqual(['+ret']);
    const returns = add.exits.filter((e) => e.kind === 'return');
    expect(returns.map((r) => guardTexts(r.guards))).toEqual([
      ['+vfio_toy_skipped_section(section)'],
      ['+memory_region_is_iommu(section->mr)'],
      [],
    ]);
    expect(returns[2]?.line).toBe(failLine - 2);
  });

  it('return values are whitespace-collapsed', async () => {
    const { model } = await fixtureModel('listener.c');
    const skipped = fn(model, 'vfio_toy_skipped_section');
    expect(skipped.exits).toHaveLength(1);
    expect(skipped.exits[0]?.value).toBe(
      '(!memory_region_is_ram(section->mr) && !memory_region_is_iommu(section->mr)) || memory_region_is_protected(section->mr)',
    );
    expect(fn(model, 'vfio_toy_listener_register').exits[0]?.value).toBe('!bcontainer->error');
  });

  it('break inside a FOREACH body stays in the function; return does not', async () => {
    const { model } = await fixtureModel('listener.c');
    const del = fn(model, 'vfio_toy_listener_region_del');
    const brk = del.exits.find((e) => e.kind === 'break');
    expect(brk?.inLoop).toBe(true);
    expect(guardTexts(brk?.guards ?? [])).toHaveLength(2);
    const ret = del.exits.find((e) => e.kind === 'return');
    expect(ret?.inLoop).toBe(false);
    const sync = fn(model, 'vfio_toy_log_sync');
    const cont = sync.exits.find((e) => e.kind === 'continue');
    expect(cont?.inLoop).toBe(true);
    expect(guardTexts(cont?.guards ?? [])).toEqual(['+i < bcontainer->nr_ranges', '+!bcontainer->ranges[i].valid']);
  });

  it('break in a switch stays; break or continue outside any loop leaves', async () => {
    const model = await modelOf(
      [
        'int f(int k)',
        '{',
        '    switch (k) {',
        '    case 1:',
        '        break;',
        '    }',
        '    while (k) {',
        '        if (k > 3) {',
        '            return -1;',
        '        }',
        '        k--;',
        '    }',
        '    break;',
        '    goto missing;',
        '}',
      ].join('\n'),
    );
    const f = fn(model, 'f');
    expect(f.exits.map((e) => [e.kind, e.line, e.inLoop])).toEqual([
      ['break', 5, true],
      ['return', 9, false],
      ['break', 13, false],
      ['goto', 14, false],
    ]);
    expect(f.exits[1]?.value).toBe('-1');
    expect(f.exits[3]?.label).toBe('missing');
    expect(f.exits[3]?.labelLine).toBeUndefined();
  });

  it('statements: each simple statement, normalized, with lines', async () => {
    const { text, model } = await fixtureModel('listener.c');
    const reg = fn(model, 'vfio_toy_listener_register');
    expect(reg.statements.map((s) => s.normalized)).toEqual([
      'bcontainer->listener = vfio_toy_memory_listener;',
      'bcontainer->listener.region_del = vfio_toy_listener_region_del;',
      'memory_listener_register(&bcontainer->listener, bcontainer->space->as);',
      'return !bcontainer->error;',
    ]);
    const add = fn(model, 'vfio_toy_listener_region_add');
    const err = add.statements.find((s) => s.normalized.startsWith('error_setg('));
    expect(err?.line).toBe(lineOf(text, 'error_setg(&err, "vfio_container_dma_map'));
    expect(err?.endLine).toBe((err?.line ?? 0) + 3);
    expect(add.statements.some((s) => s.normalized === 'Error *err = NULL;')).toBe(true);
    expect(add.statements.some((s) => s.normalized === 'goto fail;')).toBe(true);
  });
});
