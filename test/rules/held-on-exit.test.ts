import { afterAll, describe, expect, it } from 'vitest';
import { TestRepo, cleanupTempDirs } from '../git/helpers.js';
import { runJson } from '../support/cli.js';
import { edit, lineOf } from '../support/fixtures.js';

afterAll(cleanupTempDirs);

/** Our own queue code: a lock, an RCU read section and an in-flight count, each released later in the same function. */
const QUEUE = `#include "qemu/osdep.h"

int fx_queue_kick(FxQueue *q)
{
    int n;

    qemu_mutex_lock(&q->lock);
    n = fx_queue_push_all(q);
    qemu_mutex_unlock(&q->lock);
    return n;
}

void fx_queue_scan(FxQueue *q)
{
    FxEntry *e;

    rcu_read_lock();
    QLIST_FOREACH_RCU(e, &q->entries, next) {
        fx_entry_check(e);
    }
    rcu_read_unlock();
}

int fx_queue_submit(FxQueue *q, FxReq *req)
{
    int ret;

    fx_blk_inc_in_flight(q->blk);
    ret = fx_req_start(req);
    if (ret < 0) {
        goto out;
    }
    ret = fx_req_wait(req);
out:
    fx_blk_dec_in_flight(q->blk);
    return ret;
}
`;

async function held(after: string) {
  const repo = TestRepo.create();
  repo.commit('base', { 'hw/fx/queue.c': QUEUE });
  repo.commit('change', { 'hw/fx/queue.c': after });
  return (await runJson(['HEAD~1..HEAD', '-C', repo.dir])).findings.filter((f) => f.ruleId === 'held-on-exit');
}

describe('held-on-exit', () => {
  it('fires on a new return between a lock and its unlock', async () => {
    const after = edit(QUEUE, '    qemu_mutex_lock(&q->lock);\n', '    qemu_mutex_lock(&q->lock);\n    if (!q->ready) {\n        return -EAGAIN;\n    }\n');
    const findings = await held(after);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      function: 'fx_queue_kick',
      line: lineOf(after, 'if (!q->ready)'),
      related: [
        { line: lineOf(after, 'qemu_mutex_lock(&q->lock)'), message: 'qemu_mutex_lock() is taken here' },
        { line: lineOf(after, 'qemu_mutex_unlock(&q->lock)') },
      ],
    });
    expect(findings[0]?.message).toMatch(/^fx_queue_kick\(\) now returns when `!q->ready` while it still holds what qemu_mutex_lock\(\) took at hw\/fx\/queue\.c:7; its normal path releases it with qemu_mutex_unlock\(\)/);
  });

  it('fires on a return out of an RCU read section', async () => {
    const after = edit(QUEUE, '        fx_entry_check(e);\n', '        if (fx_entry_check(e)) {\n            return;\n        }\n');
    const findings = await held(after);
    expect(findings.map((f) => f.function)).toEqual(['fx_queue_scan']);
    expect(findings[0]?.message).toContain('rcu_read_unlock()');
  });

  it('is silent when the new exit releases first, or jumps to the label that does', async () => {
    const unlocks = edit(QUEUE, '    qemu_mutex_lock(&q->lock);\n', '    qemu_mutex_lock(&q->lock);\n    if (!q->ready) {\n        qemu_mutex_unlock(&q->lock);\n        return -EAGAIN;\n    }\n');
    expect(await held(unlocks)).toEqual([]);
    const jumps = edit(QUEUE, '    ret = fx_req_wait(req);\n', '    if (req->cancelled) {\n        ret = -ECANCELED;\n        goto out;\n    }\n    ret = fx_req_wait(req);\n');
    expect(await held(jumps)).toEqual([]);
  });

  it('fires on a new return that skips the label where the count is dropped', async () => {
    const after = edit(QUEUE, '    ret = fx_req_wait(req);\n', '    if (req->cancelled) {\n        return -ECANCELED;\n    }\n    ret = fx_req_wait(req);\n');
    const findings = await held(after);
    expect(findings.map((f) => f.function)).toEqual(['fx_queue_submit']);
    expect(findings[0]?.message).toContain('fx_blk_dec_in_flight()');
  });

  it('is silent on an exit the pre-image already had', async () => {
    const base = edit(QUEUE, '    qemu_mutex_lock(&q->lock);\n', '    qemu_mutex_lock(&q->lock);\n    if (!q->ready) {\n        return -EAGAIN;\n    }\n');
    const repo = TestRepo.create();
    repo.commit('base', { 'hw/fx/queue.c': base });
    repo.commit('change', { 'hw/fx/queue.c': edit(base, '    return n;\n', '    return n + 0;\n') });
    const findings = (await runJson(['HEAD~1..HEAD', '-C', repo.dir])).findings.filter((f) => f.ruleId === 'held-on-exit');
    expect(findings).toEqual([]);
  });
});

describe('held-on-exit and what the function keeps', () => {
  it('is silent when only an error branch releases: success keeps it for the device', async () => {
    const KEEP = `#include "qemu/osdep.h"

void fx_dev_register_notifier(FxDev *d)
{
    if (!fx_notifier_init(&d->err_notifier)) {
        return;
    }
    if (fx_dev_set_signaling(d) < 0) {
        fx_notifier_cleanup(&d->err_notifier);
    }
}
`;
    const after = edit(KEEP, '    if (fx_dev_set_signaling(d) < 0) {\n', '    if (fx_dev_incoming(d)) {\n        return;\n    }\n    if (fx_dev_set_signaling(d) < 0) {\n');
    const repo = TestRepo.create();
    repo.commit('base', { 'hw/fx/dev.c': KEEP });
    repo.commit('change', { 'hw/fx/dev.c': after });
    const findings = (await runJson(['HEAD~1..HEAD', '-C', repo.dir])).findings.filter((f) => f.ruleId === 'held-on-exit');
    expect(findings).toEqual([]);
  });
});

describe('held-on-exit on exits the pre-image had', () => {
  it('is silent when the commit only swaps the API held on an old exit', async () => {
    const SEM = `#include "qemu/osdep.h"

void *fx_worker(void *opaque)
{
    FxState *s = opaque;

    fx_sem_init(&s->done_sem, 0);
    if (!s->enabled) {
        return NULL;
    }
    fx_work(s);
    fx_sem_destroy(&s->done_sem);
    return NULL;
}
`;
    const after = SEM.replace('fx_sem_init(&s->done_sem, 0)', 'fx_event_init(&s->done_event, false)').replace(
      'fx_sem_destroy(&s->done_sem)',
      'fx_event_destroy(&s->done_event)',
    );
    const repo = TestRepo.create();
    repo.commit('base', { 'hw/fx/worker.c': SEM });
    repo.commit('change', { 'hw/fx/worker.c': after });
    const findings = (await runJson(['HEAD~1..HEAD', '-C', repo.dir])).findings.filter((f) => f.ruleId === 'held-on-exit');
    expect(findings).toEqual([]);
  });
});

describe('held-on-exit and values in the frame', () => {
  it('is silent on a batch the function keeps in a local and commits through its address', async () => {
    const BATCH = `#include "qemu/osdep.h"

int fx_add_routes(FxState *s, int n)
{
    FxRouteChanges c = fx_begin_route_changes(s);
    int i;

    for (i = 0; i < n; i++) {
        fx_add_route(&c, i);
    }
    fx_commit_route_changes(&c);
    return 0;
}
`;
    const after = edit(BATCH, '    int i;\n', '    int i;\n\n    if (n > s->max_routes) {\n        return -EINVAL;\n    }\n');
    const repo = TestRepo.create();
    repo.commit('base', { 'hw/fx/routes.c': BATCH });
    repo.commit('change', { 'hw/fx/routes.c': after });
    const findings = (await runJson(['HEAD~1..HEAD', '-C', repo.dir])).findings.filter((f) => f.ruleId === 'held-on-exit');
    expect(findings).toEqual([]);
  });
});
