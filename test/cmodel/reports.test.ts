import { describe, expect, it } from 'vitest';
import { LearnedPairs } from '../../src/pairs/learn/learned.js';
import { fn, modelOf } from './helpers.js';

const TEXT = `
int fx_open(FxState *s, Error **errp)
{
    return 0;
}
bool fx_attach(FxState *s, Error **errp)
{
    return true;
}
int fx_count(FxState *s)
{
    return 1;
}
FxState *fx_new(Error **errp)
{
    return NULL;
}
`;

describe('how a function handed Error ** answers', () => {
  it('is read from its return type: a status (int) or a bool, nothing for others', async () => {
    const m = await modelOf(TEXT);
    expect(fn(m, 'fx_open').reports).toBe('status');
    expect(fn(m, 'fx_attach').reports).toBe('bool');
    expect(fn(m, 'fx_count').reports).toBeUndefined();
    expect(fn(m, 'fx_new').reports).toBeUndefined();
  });

  it('is known to the learned table, unless some file defines it to answer with a bool', async () => {
    const learned = new LearnedPairs(undefined, () => false);
    learned.observe(await modelOf(TEXT, 'util/fx.c'), new Set());
    expect(learned.reportsStatus('fx_open')).toBe(true);
    expect(learned.reportsStatus('fx_attach')).toBe(false);
    learned.observe(await modelOf('bool fx_open(FxState *s, Error **errp)\n{\n    return true;\n}\n', 'util/fx-other.c'), new Set());
    expect(learned.reportsStatus('fx_open')).toBe(false);
  });
});
