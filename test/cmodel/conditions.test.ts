import { describe, expect, it } from 'vitest';
import { fixtureModel, fn, lineOf, modelOf } from './helpers.js';

describe('conditions', () => {
  it('text without the outer parentheses, normalized, with names and callees', async () => {
    const { text, model } = await fixtureModel('listener.c');
    const del = fn(model, 'vfio_toy_listener_region_del');
    const c = del.conditions.find((x) => x.text.startsWith('MEMORY_REGION('));
    expect(c).toBeDefined();
    expect(c?.kind).toBe('if');
    expect(c?.text).toContain('\n');
    expect(c?.normalized).toBe(
      'MEMORY_REGION(giommu->iommu_mr) == section->mr && giommu->n.start == section->offset_within_region',
    );
    expect(c?.names).toEqual(['MEMORY_REGION', 'giommu', 'iommu_mr', 'section', 'mr', 'n', 'start', 'offset_within_region']);
    expect(c?.identifiers).toEqual(['MEMORY_REGION', 'giommu', 'section']);
    expect(c?.callees).toEqual(['MEMORY_REGION']);
    const line = lineOf(text, 'if (MEMORY_REGION(giommu->iommu_mr)');
    expect([c?.line, c?.endLine, c?.stmtLine]).toEqual([line, line + 1, line]);
    expect(c?.stmtEndLine).toBe(lineOf(text, 'break;', line) + 1);
  });

  it('covers if, for, while, switch, do and ternary; callees innermost and outer', async () => {
    const model = await modelOf(
      [
        'void f(S *s)',
        '{',
        '    for (i = 0; i < n(s); i++) { }',
        '    while (/* busy */ busy(s)) { }',
        '    do { step(); } while (more(s));',
        '    switch (kind(s)) { default: break; }',
        '    if (outer(inner(s->a), s->b)) { }',
        '    x = ready ? 1 : 2;',
        '}',
      ].join('\n'),
    );
    const f = fn(model, 'f');
    expect(f.conditions.map((c) => [c.kind, c.normalized, c.line])).toEqual([
      ['for', 'i < n(s)', 3],
      ['while', 'busy(s)', 4],
      ['do', 'more(s)', 5],
      ['switch', 'kind(s)', 6],
      ['if', 'outer(inner(s->a), s->b)', 7],
      ['ternary', 'ready', 8],
    ]);
    expect(f.conditions[1]?.text).toBe('/* busy */ busy(s)');
    const iff = f.conditions[4];
    expect(iff?.callees).toEqual(['outer', 'inner']);
    expect(iff?.names).toEqual(['outer', 'inner', 's', 'a', 'b']);
  });

  it('format macros inside string concatenations are not names', async () => {
    const model = await modelOf('void f(void)\n{\n    if (strcmp(x, "a%"PRIx64"b")) { }\n}\n');
    expect(fn(model, 'f').conditions[0]?.names).toEqual(['strcmp', 'x']);
  });
});
