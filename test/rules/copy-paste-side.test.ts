import { afterAll, describe, expect, it } from 'vitest';
import { cleanupTempDirs } from '../git/helpers.js';
import { pairFindingsOf } from '../support/commit.js';
import { edit, fixture, lineOf } from '../support/fixtures.js';

afterAll(cleanupTempDirs);

const TABLE = fixture('causes/table.c');
const PATH = 'hw/fx/table.c';
const copies = async (after: string) => (await pairFindingsOf({ [PATH]: TABLE }, { [PATH]: after })).filter((f) => f.ruleId === 'copy-paste-side');

describe('copy-paste-side', () => {
  it('fires when del calls the add helper with the same arguments', async () => {
    const after = edit(TABLE, '    fx_entry_detach(t, e);\n', '    fx_entry_attach(t, e);\n');
    const found = await copies(after);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ function: 'fx_table_del', line: lineOf(after, 'fx_entry_attach(t, e);', lineOf(after, 'static void fx_table_del')), related: [{ function: 'fx_table_add' }] });
    expect(found[0]?.message).toMatch(/now calls fx_entry_attach\(t, e\), the acquire of fx_entry_attach\/fx_entry_detach/);
  });

  it('fires when unregister calls through the acquire slot', async () => {
    const after = edit(TABLE, '    l->region_del(l, &sp->section);\n', '    l->region_add(l, &sp->section);\n');
    const found = await copies(after);
    expect(found).toHaveLength(1);
    expect(found[0]?.message).toMatch(/now calls \.region_add .*the acquire slot of \.region_add\/\.region_del/);
  });

  it('fires when del removes from a list nothing inserts into, add having inserted into another', async () => {
    const after = edit(TABLE, '    QTAILQ_REMOVE(&t->active, e, next);\n', '    QTAILQ_REMOVE(&t->retired, e, next);\n');
    const found = await copies(after);
    expect(found).toHaveLength(1);
    expect(found[0]?.message).toMatch(/removes from `retired`, a list nothing inserts into, while the acquire side inserts into `active`/);
  });

  it('fires when del unlinks through a link field no insert uses', async () => {
    const after = edit(TABLE, '    QLIST_REMOVE(e, id_link);\n', '    QLIST_REMOVE(e, hash_link);\n');
    const found = await copies(after);
    expect(found).toHaveLength(1);
    expect(found[0]?.message).toMatch(/unlinks `e` through `hash_link`.*links it through `id_link`/);
  });

  it('fires when a cleanup loop frees one array with the bound of another', async () => {
    const after = edit(TABLE, '    t->ready = false;\n', '    for (i = 0; i < t->nqueues; i++) {\n        fx_vector_free(t->vectors[i]);\n    }\n    t->ready = false;\n');
    const found = await copies(after);
    expect(found).toHaveLength(1);
    expect(found[0]?.message).toMatch(/releases `vectors\[i\]` for `i < t->nqueues`, the bound the acquire side uses for `queues`, not `t->nvectors`/);
  });

  it('is silent when the acquire side makes the same call only on its unwind (an undo there too)', async () => {
    const base = edit(
      TABLE,
      '    fx_entry_attach(t, e);\n    QTAILQ_INSERT_TAIL(&t->active, e, next);\n',
      '    fx_io_stop(t);\n    if (fx_entry_check(e)) {\n        goto fail;\n    }\n    fx_entry_attach(t, e);\n    QTAILQ_INSERT_TAIL(&t->active, e, next);\n    return;\nfail:\n    fx_io_start(t);\n',
    );
    const after = edit(base, '    fx_entry_detach(t, e);\n', '    fx_entry_detach(t, e);\n    fx_io_start(t);\n');
    expect((await pairFindingsOf({ [PATH]: base }, { [PATH]: after })).filter((f) => f.ruleId === 'copy-paste-side')).toEqual([]);
    // the same call copied from the acquire side's normal path is reported
    const normal = edit(edit(base, '    fx_io_stop(t);\n', '    fx_io_start(t);\n'), '    fx_entry_detach(t, e);\n', '    fx_entry_detach(t, e);\n    fx_io_stop(t);\n');
    const copied = edit(normal, '    fx_entry_detach(t, e);\n    fx_io_stop(t);\n', '    fx_entry_detach(t, e);\n    fx_io_start(t);\n');
    expect((await pairFindingsOf({ [PATH]: normal }, { [PATH]: copied })).filter((f) => f.ruleId === 'copy-paste-side').map((f) => f.function)).toEqual(['fx_table_del']);
  });

  it('is silent when both sides allocate a record of their own (an update queued by add and by del)', async () => {
    const base = edit(TABLE, '    fx_entry_attach(t, e);\n    QTAILQ', '    fx_entry_attach(t, e);\n    t->pending = g_new0(FxUpdate, 1);\n    QTAILQ');
    const after = edit(base, '    fx_entry_detach(t, e);\n', '    fx_entry_detach(t, e);\n    t->pending = g_new0(FxUpdate, 1);\n');
    expect((await pairFindingsOf({ [PATH]: base }, { [PATH]: after })).filter((f) => f.ruleId === 'copy-paste-side')).toEqual([]);
  });

  it('is silent on the same changes done right', async () => {
    const right = edit(
      edit(TABLE, '    t->ready = false;\n', '    for (i = 0; i < t->nvectors; i++) {\n        fx_vector_free(t->vectors[i]);\n    }\n    t->ready = false;\n'),
      '    fx_entry_detach(t, e);\n',
      '    fx_entry_detach(t, e);\n    t->ndeleted++;\n',
    );
    expect(await copies(right)).toEqual([]);
  });

  it('is silent when the release side re-adds what it also undoes (a re-attach after the detach)', async () => {
    const after = edit(TABLE, '    fx_entry_detach(t, e);\n', '    fx_entry_detach(t, e);\n    if (e->sticky) {\n        fx_entry_attach(t, e);\n    }\n');
    expect(await copies(after)).toEqual([]);
  });
});
