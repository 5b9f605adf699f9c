/**
 * Series attribution: "fixed later by commit j" only for a commit j that
 * restores the balance (mirrors the test, takes the skip away), never for one
 * that renames, moves or deletes the function; and over a history (a range
 * longer than a series) no attribution at all.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { TestRepo, cleanupTempDirs } from '../git/helpers.js';
import { runJson } from '../support/cli.js';
import { edit } from '../support/fixtures.js';
import { LISTENER, SKIP_IN_ADD } from '../support/listener-skip.js';
import { SOB } from '../support/messages.js';
import { SERIES_MAX_COMMITS } from '../../src/engine/series.js';

afterAll(cleanupTempDirs);

const BASE = LISTENER;
const PATH = 'hw/fx/listener.c';
/** The skipping function renamed (definition and every call site), the skip kept. */
const RENAMED = SKIP_IN_ADD.replaceAll('fx_container_region_add', 'fx_container_section_map');
/** The skip taken away again. */
const UNSKIPPED = edit(SKIP_IN_ADD, '    if (memory_region_skip_iommu_map(section->mr)) {\n        return;\n    }\n\n', '');

const skips = (r: Awaited<ReturnType<typeof runJson>>) => r.findings.filter((f) => f.ruleId === 'skip-asymmetry');

describe('series attribution', () => {
  it('does not call a rename of the skipping function a fix', async () => {
    expect(RENAMED).not.toBe(SKIP_IN_ADD);
    const repo = TestRepo.create();
    repo.commit('base', { [PATH]: BASE });
    repo.commit(`fx: skip the map for marked regions\n\n${SOB}`, { [PATH]: SKIP_IN_ADD });
    repo.commit(`fx: rename the section map helper\n\n${SOB}`, { [PATH]: RENAMED });
    const found = skips(await runJson(['HEAD~2..HEAD', '-C', repo.dir]));
    // one finding, on the commit that introduced the skip; the rename adds none of its own
    expect(found).toHaveLength(1);
    expect(found[0]?.commit?.subject).toBe('fx: skip the map for marked regions');
    expect(found[0]?.severity).toBe('error');
    expect(found[0]?.message).not.toMatch(/Fixed later/);
    expect(found[0]?.message).toMatch(/introduced by commit 1\/2 "fx: skip the map for marked regions"/);
  });

  it('names the commit that takes the skip away as the fix', async () => {
    const repo = TestRepo.create();
    repo.commit('base', { [PATH]: BASE });
    repo.commit(`fx: skip the map for marked regions\n\n${SOB}`, { [PATH]: SKIP_IN_ADD });
    repo.commit(`fx: map marked regions again\n\n${SOB}`, { [PATH]: UNSKIPPED });
    const [finding, ...rest] = skips(await runJson(['HEAD~2..HEAD', '-C', repo.dir]));
    expect(rest).toEqual([]);
    expect(finding?.severity).toBe('warning');
    expect(finding?.message).toMatch(/Fixed later in this series by commit 2\/2 fx: map marked regions again/);
  });

  it('attributes nothing over a history longer than a series', async () => {
    const repo = TestRepo.create();
    repo.commit('base', { [PATH]: BASE });
    repo.commit(`fx: skip the map for marked regions\n\n${SOB}`, { [PATH]: SKIP_IN_ADD });
    for (let i = 0; i < SERIES_MAX_COMMITS; i++) repo.commit(`fx: note ${i}`, { 'docs/notes.txt': `note ${i}\n` });
    repo.commit(`fx: map marked regions again\n\n${SOB}`, { [PATH]: UNSKIPPED });
    const [finding, ...rest] = skips(await runJson(['HEAD~' + (SERIES_MAX_COMMITS + 2) + '..HEAD', '-C', repo.dir]));
    expect(rest).toEqual([]);
    expect(finding?.severity).toBe('error');
    expect(finding?.message).not.toMatch(/Fixed later|introduced by commit/);
    // 100+ git commits: over 5 s on a loaded 2-core machine, on the build before the fix stage too
  }, 60_000);

  it('does not call a later commit that adds the release in another function a fix', async () => {
    const kick = [
      '#include "qemu/osdep.h"',
      '#include "hw/fx/fx-queue.h"',
      '',
      'static int fx_queue_kick(FxQueue *q)',
      '{',
      '    qemu_mutex_lock(&q->lock);',
      '    fx_queue_push_all(q);',
      '    qemu_mutex_unlock(&q->lock);',
      '    return 0;',
      '}',
      '',
    ].join('\n');
    const early = edit(kick, '    fx_queue_push_all(q);\n', '    if (!q->ready) {\n        return -EAGAIN;\n    }\n    fx_queue_push_all(q);\n');
    // the unlock moves into a helper: the early return still holds the lock, and the commit adds an unlock elsewhere
    const helper = edit(
      edit(early, '    qemu_mutex_unlock(&q->lock);\n    return 0;', '    fx_queue_release(q);\n    return 0;'),
      'static int fx_queue_kick',
      'static void fx_queue_release(FxQueue *q)\n{\n    qemu_mutex_unlock(&q->lock);\n}\n\nstatic int fx_queue_kick',
    );
    const repo = TestRepo.create();
    const path = 'hw/fx/queue.c';
    repo.commit('base', { [path]: kick });
    repo.commit(`fx: give up a kick while the queue is not ready\n\n${SOB}`, { [path]: early });
    repo.commit(`fx: release the queue through a helper\n\n${SOB}`, { [path]: helper });
    const held = (await runJson(['HEAD~2..HEAD', '-C', repo.dir])).findings.filter((f) => f.ruleId === 'held-on-exit');
    expect(held).toHaveLength(1);
    expect(held[0]?.commit?.subject).toBe('fx: give up a kick while the queue is not ready');
    expect(held[0]?.message).not.toMatch(/Fixed later/);
    expect(held[0]?.message).toMatch(/introduced by commit 1\/2/);
  }, 60_000);
});
