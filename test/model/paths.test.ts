/** The per-path balance model of one function (src/model/paths.ts), in-process on our own C. */
import { describe, expect, it } from 'vitest';
import { modelOf } from '../cmodel/helpers.js';
import { functionPaths } from '../../src/model/paths.js';
import type { PrimitiveMatch } from '../../src/pairs/table.js';
import type { CCall } from '../../src/cmodel/types.js';

const PAIRS: Record<string, string> = { fx_lock: 'fx_unlock', fx_get: 'fx_put' };
const classify = (c: CCall): PrimitiveMatch | null =>
  PAIRS[c.callee] ? ({ role: 'acquire', counterparts: [PAIRS[c.callee] as string], pair: { what: 'x' } } as unknown as PrimitiveMatch) : null;
const releasesOf = (a: CCall, m: PrimitiveMatch, later: readonly CCall[]) => later.filter((c) => m.counterparts.includes(c.callee) && c.args[0] === a.args[0]);

const SRC = `
int fx_work(FxQ *q, int n)
{
    int ret = 0;

    fx_lock(&q->lock);
    if (n < 0) {
        return -EINVAL;
    }
    if (n == 0) {
        ret = -EAGAIN;
        goto out;
    }
    if (q->ref) {
        fx_get(q->ref);
        if (n > q->max) {
            fx_put(q->ref);
            goto out;
        }
        fx_put(q->ref);
    }
out:
    fx_unlock(&q->lock);
    return ret;
}
`;

describe('functionPaths', () => {
  it('gives each exit what is acquired on the way and what is still held there, keyed by object', async () => {
    const fn = (await modelOf(SRC)).functionByName('fx_work')!;
    const paths = functionPaths(fn, classify, releasesOf);
    const byLine = (needle: string) => paths.exits.find((p) => p.exit && SRC.split('\n')[p.line - 1]!.includes(needle) && p.when.length > 0)!;
    // `return -EINVAL` leaves with the lock held
    const early = byLine('return -EINVAL');
    expect(early.held.map((h) => h.object)).toEqual(['lock']);
    // `goto out` runs the unlock after the label: nothing held
    expect(paths.exits.filter((p) => p.exit?.kind === 'goto').every((p) => p.held.length === 0)).toBe(true);
    // the get under `if (q->ref)` is on the path of the inner goto, and released before it
    const inner = paths.exits.find((p) => p.exit?.kind === 'goto' && p.when.length === 2)!;
    expect(inner.acquired.map((a) => a.call.callee)).toEqual(['fx_lock', 'fx_get']);
    expect(inner.held).toEqual([]);
    // the fall-through end: the lock taken unconditionally, released
    const end = paths.exits.find((p) => p.exit === null)!;
    expect(end.acquired.map((a) => a.object)).toEqual(['lock']);
  });
});
