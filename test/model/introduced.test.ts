/** "Introduced by this commit", decided by the model (src/model/commit.ts) for every rule that asks. */
import { describe, expect, it } from 'vitest';
import { modelOf } from '../cmodel/helpers.js';
import { CommitSummary } from '../../src/model/commit.js';
import { PairTable, builtinPairData } from '../../src/pairs/table.js';
import type { CFunction } from '../../src/cmodel/types.js';

const PRE = `
static void fx_setup(FxDev *d)
{
    fx_map(d, 0);
    fx_enable(d);
    fx_report(d);
    fx_probe(d);
}

static void fx_teardown(FxDev *d)
{
    fx_unmap(d, 0);
}

static void fx_other(FxDev *d)
{
    fx_alloc_buf(d);
}
`;

// fx_setup renamed fx_start (same calls), a second fx_map added; fx_teardown untouched; fx_other gone
const POST = `
static void fx_start(FxDev *d)
{
    fx_map(d, 0);
    fx_enable(d);
    fx_report(d);
    fx_probe(d);
    fx_map(d, 1);
}

static void fx_teardown(FxDev *d)
{
    fx_unmap(d, 0);
    fx_unmap(d, 1);
}

static void fx_new(FxDev *d)
{
    fx_alloc_buf(d);
    fx_alloc_ring(d);
}
`;

async function summary(): Promise<CommitSummary> {
  const pre = await modelOf(PRE, 'fx.c');
  const post = await modelOf(POST, 'fx.c');
  return new CommitSummary([{ path: 'fx.c', pre, post }], new PairTable(builtinPairData()));
}

const fnOf = (s: CommitSummary, name: string) => s.post.lookup(name)?.fn as CFunction;
const file = { path: 'fx.c' };
const calls = (f: CFunction) => f.calls;

describe('CommitSummary: introduced', () => {
  it('finds the old self under its old name', async () => {
    const s = await summary();
    expect(s.preName('fx_start')).toBe('fx_setup');
    expect(s.oldSelf(fnOf(s, 'fx_start'), file)?.name).toBe('fx_setup');
    expect(s.oldSelf(fnOf(s, 'fx_new'), file)).toBeNull();
  });

  it('introduced: facts of one function none of whose keys its old self has', async () => {
    const s = await summary();
    const args = s.introduced(fnOf(s, 'fx_start'), file, calls, (c, rename) => [`${rename(c.callee)}(${c.args.join(',')})`]);
    expect(args.map((c) => c.args.join(','))).toEqual(['d,1']);
    // a function the commit made takes over what a function of its file the commit removed (or shrank) had:
    // fx_other's fx_alloc_buf moved into fx_new, only fx_alloc_ring is new
    expect(s.introduced(fnOf(s, 'fx_new'), file, calls, (c) => [c.callee]).map((c) => c.callee)).toEqual(['fx_alloc_ring']);
  });

  it('introduced: every fact of a function the commit made is new when no function of its file lost code', async () => {
    const pre = await modelOf(PRE, 'fx.c');
    const post = await modelOf(PRE + '\nstatic void fx_extra(FxDev *d)\n{\n    fx_alloc_buf(d);\n    fx_alloc_ring(d);\n}\n', 'fx.c');
    const s = new CommitSummary([{ path: 'fx.c', pre, post }], new PairTable(builtinPairData()));
    expect(s.introduced(fnOf(s, 'fx_extra'), file, calls, (c) => [c.callee])).toHaveLength(2);
  });

  it('introducedAcross: facts of a pair\'s two sides, the roots mapped back through renames', async () => {
    const s = await summary();
    const seen: string[] = [];
    const unmaps = s.introducedAcross(
      { acquire: ['fx_start'], release: ['fx_teardown'] },
      (image, sides) => {
        seen.push(`${image}:${sides.acquire.join(',')}`);
        const p = s.program(image);
        const maps = p.lookup(sides.acquire[0] as string)?.fn.calls.filter((c) => c.callee === 'fx_map') ?? [];
        const undone = p.lookup(sides.release[0] as string)?.fn.calls.filter((c) => c.callee === 'fx_unmap') ?? [];
        return maps.filter((m) => undone.some((u) => u.args.join(',') === m.args.join(',')));
      },
      (c) => [c.args.join(',')],
    );
    expect(seen).toEqual(['post:fx_start', 'pre:fx_setup']);
    expect(unmaps.map((c) => c.args.join(','))).toEqual(['d,1']);
  });

  it('introducedAnywhere: a fact no function of the pre-image had', async () => {
    const s = await summary();
    const allocs = fnOf(s, 'fx_new').calls.map((c) => c.callee);
    expect(s.introducedAnywhere(allocs, (f) => f.calls.map((c) => c.callee), (n) => [n])).toEqual(['fx_alloc_ring']);
  });

  it('gained: every fact of a key the function carries more often than its old self', async () => {
    const s = await summary();
    const gained = s.gained(fnOf(s, 'fx_start'), file, calls, (c, rename) => rename(c.callee));
    expect(gained.map((c) => `${c.callee}(${c.args.join(',')})`)).toEqual(['fx_map(d,0)', 'fx_map(d,1)']);
    expect(s.gained(fnOf(s, 'fx_new'), file, calls, (c) => c.callee)).toHaveLength(2);
  });

  it('alreadySo: a likeness looked for in the old self, false without one', async () => {
    const s = await summary();
    const probes = (old: CFunction, rename: (n: string) => string) => old.calls.some((c) => c.callee === rename('fx_probe'));
    expect(s.alreadySo(fnOf(s, 'fx_start'), file, probes)).toBe(true);
    expect(s.alreadySo(fnOf(s, 'fx_start'), file, (old) => old.name === 'fx_setup')).toBe(true);
    expect(s.alreadySo(fnOf(s, 'fx_new'), file, () => true)).toBe(false);
  });
});
