/**
 * Rewrites that keep what code does (src/model/rewrites.ts) and the failure
 * of a call that fills an acquire's inputs (value-tests.ts failsToFillArgs):
 * read from real parses of our own snippets.
 */
import { describe, expect, it } from 'vitest';
import { addedConditionsWith, addedConjuncts, callsRemade, inlinedCondition, testsOnlyVanished } from '../../src/model/rewrites.js';
import { failsToFillArgs } from '../../src/model/value-tests.js';
import { callTo, fn, lineOf, modelOf } from '../cmodel/helpers.js';

const PRE = `
static void fx_stop(FxDev *d, unsigned idx)
{
    int a, r;
    Error *err = NULL;

    a = fx_get_addr(d, idx);
    if (a == 0) {
        return;
    }
    r = fx_set_notifier(d, idx, false);
    fx_core_stop(d, &err);
    if (err != NULL) {
        error_report_err(err);
    }
}
`;

// every line of the post-image counts as added: the helpers ask only about lines the commit wrote
const allAdded = (text: string) => ({ added: new Set(text.split('\n').map((_, i) => i + 1)) });

describe('callsRemade', () => {
  it('a call remade with the same arguments for another local, or inlined once its local is gone', async () => {
    const pre = fn(await modelOf(PRE), 'fx_stop');
    const line = lineOf(PRE, 'r = fx_set_notifier');
    const other = PRE.replace('r = fx_set_notifier', 'int e = fx_set_notifier');
    expect(callsRemade(allAdded(other), pre, fn(await modelOf(other), 'fx_stop'), line, line)).toBe(true);
    const aLine = lineOf(PRE, 'a = fx_get_addr');
    const inlined = PRE.replace('    a = fx_get_addr(d, idx);\n    if (a == 0) {', '    if (fx_get_addr(d, idx) == 0) {').replace('int a, r;', 'int r;');
    expect(callsRemade(allAdded(inlined), pre, fn(await modelOf(inlined), 'fx_stop'), aLine, aLine)).toBe(true);
  });

  it('not when the arguments change, nor on lines the commit did not write', async () => {
    const pre = fn(await modelOf(PRE), 'fx_stop');
    const line = lineOf(PRE, 'r = fx_set_notifier');
    const changed = PRE.replace('r = fx_set_notifier(d, idx, false)', 'r = fx_set_notifier(d, 0, false)');
    expect(callsRemade(allAdded(changed), pre, fn(await modelOf(changed), 'fx_stop'), line, line)).toBe(false);
    const other = PRE.replace('r = fx_set_notifier', 'int e = fx_set_notifier');
    expect(callsRemade({ added: new Set() }, pre, fn(await modelOf(other), 'fx_stop'), line, line)).toBe(false);
  });
});

describe('inlinedCondition', () => {
  it('reads a test of a temporary as the call that filled it', async () => {
    const pre = fn(await modelOf(PRE), 'fx_stop');
    expect(inlinedCondition(pre, lineOf(PRE, 'if (a == 0)'), 'a == 0')).toBe('fx_get_addr(d, idx) == 0');
    const inlined = PRE.replace('    a = fx_get_addr(d, idx);\n    if (a == 0) {', '    if (fx_get_addr(d, idx) == 0) {');
    expect(addedConditionsWith(allAdded(inlined), fn(await modelOf(inlined), 'fx_stop'), 'fx_get_addr(d, idx) == 0')).toHaveLength(1);
  });
  it('none for a test of something no call filled', async () => {
    const pre = fn(await modelOf(PRE), 'fx_stop');
    expect(inlinedCondition(pre, lineOf(PRE, 'if (err != NULL)'), 'err != NULL')).toBeNull();
  });
});

describe('testsOnlyVanished', () => {
  it('a test of a variable the function no longer names', async () => {
    const pre = fn(await modelOf(PRE), 'fx_stop');
    const cond = pre.conditions.find((c) => c.normalized === 'err != NULL');
    const gone = PRE.replace('    Error *err = NULL;\n', '').replace('fx_core_stop(d, &err);', 'fx_core_stop(d);').replace(
      '    if (err != NULL) {\n        error_report_err(err);\n    }\n',
      '',
    );
    expect(cond && testsOnlyVanished(cond, fn(await modelOf(gone), 'fx_stop'))).toBe(true);
    // still there: the test did not go with it
    expect(cond && testsOnlyVanished(cond, pre)).toBe(false);
  });
});

describe('failsToFillArgs', () => {
  const NOTIFY = `
static void fx_notify(FxGiommu *g, FxEntry *e)
{
    void *vaddr;
    bool ro;
    FxOwner *owner;

    if (!fx_get_vaddr(e, &vaddr, &ro)) {
        return;
    }
    if (fx_lookup_owner(e, &owner)) {
        return;
    }
    fx_dma_map(g->c, e->iova, e->len, vaddr, ro);
}
`;
  it('the failure of a call that fills what the acquire takes', async () => {
    const f = fn(await modelOf(NOTIFY), 'fx_notify');
    const map = callTo(f, 'fx_dma_map');
    const fill = f.conditions.find((c) => c.normalized.startsWith('!fx_get_vaddr'));
    const other = f.conditions.find((c) => c.normalized.startsWith('fx_lookup_owner'));
    expect(fill && failsToFillArgs(f, fill, map)).toBe(true);
    expect(other && failsToFillArgs(f, other, map)).toBe(false);
  });
});

describe('addedConjuncts', () => {
  it('the tests a condition gained at either end', () => {
    expect(addedConjuncts('fx_has(d)', 'fx_has(d) && d->ops->cb')).toEqual(['d->ops->cb']);
    expect(addedConjuncts('fx_has(d)', '!d->off && (fx_has(d))')).toEqual(['!d->off']);
    expect(addedConjuncts('a || b', '(a || b) && c')).toEqual(['c']);
  });
  it('none when the old condition is not kept whole', () => {
    expect(addedConjuncts('fx_has(d)', 'fx_has(e) && d->ops->cb')).toBeNull();
    expect(addedConjuncts('fx_has(d)', 'fx_has(d) || d->ops->cb')).toBeNull();
    expect(addedConjuncts('a && b', 'a && c')).toBeNull();
  });
});
