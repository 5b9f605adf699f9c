import { describe, expect, it } from 'vitest';
import { fn, guardTexts, modelOf } from './helpers.js';

describe('assignments: the values a function gives its plain variables', () => {
  it('records assignments and declarations with their conditions, in source order; not fields', async () => {
    const model = await modelOf(
      [
        'void fx_open_dev(FxDev *dev)',
        '{',
        '    char *name = NULL;',
        '    int n;',
        '    if (dev->token) {',
        '        name = g_strdup_printf("%s+%s", dev->name, dev->token);',
        '    } else {',
        '        name = dev->name;',
        '    }',
        '    n |= 1;',
        '    dev->opened = true;',
        '    fx_open(name);',
        '}',
      ].join('\n'),
    );
    const f = fn(model, 'fx_open_dev');
    expect(f.assignments?.map((a) => [a.target, a.value, a.line, a.declaration ?? false, a.operator ?? '='])).toEqual([
      ['name', 'NULL', 3, true, '='],
      ['name', 'g_strdup_printf("%s+%s", dev->name, dev->token)', 6, false, '='],
      ['name', 'dev->name', 8, false, '='],
      ['n', '1', 10, false, '|='],
    ]);
    expect(f.assignments?.map((a) => guardTexts(a.guards))).toEqual([[], ['+dev->token'], ['!dev->token'], []]);
  });

  it('a declaration inside a loop is marked as in the loop', async () => {
    const model = await modelOf(['void f(FxDev *d)', '{', '    for (int i = 0; i < d->n; i++) {', '        char *p = d->names[i];', '        use(p);', '    }', '}'].join('\n'));
    const p = fn(model, 'f').assignments?.find((a) => a.target === 'p');
    expect(p?.inLoop).toBe(true);
    expect(p?.declaration).toBe(true);
  });
});
