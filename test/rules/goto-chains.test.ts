/**
 * C's shared exit: `done:` releases what the function holds, and an error
 * tail placed after the `return` (`err: undo(); goto done;`) jumps back to
 * it. That backward jump is not a retry, and an exit to `err:` is released
 * at `done:`; a real retry and a real exit that skips the release still fire.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { TestRepo, cleanupTempDirs } from '../git/helpers.js';
import { runJson } from '../support/cli.js';
import { edit, lineOf } from '../support/fixtures.js';

afterAll(cleanupTempDirs);

const PATH = 'hw/fx/ring.c';

/** Our own ring reader: an RCU read section closed at the shared exit `done:`, with an error tail after the return. */
const RING = `#include "qemu/osdep.h"

int fx_ring_avail(FxRing *r, unsigned *count)
{
    FxDesc *desc;
    int ret = 0;

    rcu_read_lock();
    desc = fx_ring_first(r);
    while (desc) {
        *count += 1;
        desc = fx_ring_next(r, desc);
    }

done:
    rcu_read_unlock();
    return ret;

err:
    *count = 0;
    ret = -EINVAL;
    goto done;
}
`;

async function lint(after: string) {
  const repo = TestRepo.create();
  repo.commit('base', { [PATH]: RING });
  repo.commit('change', { [PATH]: after });
  return (await runJson(['HEAD~1..HEAD', '-C', repo.dir])).findings.filter((f) => f.category === 'pair');
}

describe('goto chains to a shared exit', () => {
  it('is silent on a new goto to an error tail that jumps back to the exit which releases', async () => {
    const after = edit(RING, '        *count += 1;\n', '        if (fx_desc_bad(desc)) {\n            goto err;\n        }\n        *count += 1;\n');
    expect(await lint(after)).toEqual([]);
  });

  it('still reports a new return that leaves the RCU section open', async () => {
    const after = edit(RING, '        *count += 1;\n', '        if (fx_desc_bad(desc)) {\n            return -EINVAL;\n        }\n        *count += 1;\n');
    const findings = await lint(after);
    expect(findings.map((f) => [f.ruleId, f.function, f.line])).toEqual([['held-on-exit', 'fx_ring_avail', lineOf(after, 'if (fx_desc_bad(desc))')]]);
  });

  it('still reports a goto whose label only returns, past the release', async () => {
    const bail = edit(RING, '    goto done;\n}\n', '    goto done;\n\nbail:\n    return -EIO;\n}\n');
    const base = bail;
    const after = edit(base, '        *count += 1;\n', '        if (fx_desc_bad(desc)) {\n            goto bail;\n        }\n        *count += 1;\n');
    const repo = TestRepo.create();
    repo.commit('base', { [PATH]: base });
    repo.commit('change', { [PATH]: after });
    const findings = (await runJson(['HEAD~1..HEAD', '-C', repo.dir])).findings.filter((f) => f.category === 'pair');
    expect(findings.map((f) => [f.ruleId, f.function])).toEqual([['held-on-exit', 'fx_ring_avail']]);
  });

  it("is no retry (nor a held exit) when a new function's error tail jumps back to its shared exit", async () => {
    // the lock is taken before `done:`, the unlock after it, and `goto done` is below both: `done:` still runs once
    const repo = TestRepo.create();
    repo.commit('base', { [PATH]: '#include "qemu/osdep.h"\n' });
    repo.commit('change', { [PATH]: edit(RING, '    while (desc) {\n', '    if (!desc) {\n        goto err;\n    }\n    while (desc) {\n') });
    expect((await runJson(['HEAD~1..HEAD', '-C', repo.dir])).findings.filter((f) => f.category === 'pair')).toEqual([]);
  });

  it('still reports a real retry that takes the lock again on each pass', async () => {
    const retry = `#include "qemu/osdep.h"

int fx_ring_fill(FxRing *r)
{
    int ret;

again:
    ret = fx_ring_refill(r);
    if (ret == -EAGAIN) {
        goto again;
    }
    return ret;
}
`;
    const after = edit(retry, '    ret = fx_ring_refill(r);\n', '    qemu_mutex_lock(&r->lock);\n    ret = fx_ring_refill(r);\n');
    const withUnlock = edit(after, '    return ret;\n', '    qemu_mutex_unlock(&r->lock);\n    return ret;\n');
    const repo = TestRepo.create();
    repo.commit('base', { [PATH]: retry });
    repo.commit('change', { [PATH]: withUnlock });
    const findings = (await runJson(['HEAD~1..HEAD', '-C', repo.dir])).findings.filter((f) => f.ruleId === 'retry-asymmetry');
    expect(findings.map((f) => [f.function, f.line])).toEqual([['fx_ring_fill', lineOf(withUnlock, 'qemu_mutex_lock')]]);
  });
});
