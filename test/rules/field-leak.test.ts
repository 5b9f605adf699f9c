import { afterAll, describe, expect, it } from 'vitest';
import { cleanupTempDirs } from '../git/helpers.js';
import { pairFindingsOf } from '../support/commit.js';
import { edit, fixture, lineOf } from '../support/fixtures.js';

afterAll(cleanupTempDirs);

const DEVICE = fixture('rules/device.c');
const PATH = 'hw/fx/device.c';
const AT = '    fx_dev_reset_state(s);\n';
const REGS = '    s->regs = g_new0(uint32_t, s->nregs);\n';
const leaks = async (base: string, after: string, extra: Record<string, string> = {}) =>
  (await pairFindingsOf({ [PATH]: base, ...extra }, { [PATH]: after })).filter((f) => f.ruleId === 'field-leak');

describe('field-leak', () => {
  it('fires when realize keeps a new allocation in a field that unrealize, which frees the others, never frees', async () => {
    const after = edit(DEVICE, AT, AT + REGS);
    const found = await leaks(DEVICE, after);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ function: 'fx_dev_realize', line: lineOf(after, 's->regs = g_new0'), related: [{ function: 'fx_dev_unrealize' }] });
    expect(found[0]?.message).toMatch(/nothing frees `regs`: fx_dev_unrealize\(\) .* releases `buf` of the same instance/);
  });

  it('is silent when unrealize frees it, under another base name', async () => {
    let after = edit(DEVICE, AT, AT + REGS);
    after = edit(after, '    g_free(s->buf);\n', '    g_free(s->buf);\n    g_clear_pointer(&dev_state(dev)->regs, g_free);\n');
    expect(await leaks(DEVICE, after)).toEqual([]);
  });

  it('is silent when another function of the commit (a finalize) frees it', async () => {
    let after = edit(DEVICE, AT, AT + REGS);
    after = edit(after, 'static void fx_dev_class_init', 'static void fx_dev_finalize(Object *obj)\n{\n    FxDev *s = FX_DEV(obj);\n\n    g_free(s->regs);\n}\n\nstatic void fx_dev_class_init');
    expect(await leaks(DEVICE, after)).toEqual([]);
  });

  it('is silent for an allocation kept in a g_autofree local', async () => {
    const after = edit(DEVICE, AT, AT + '    g_autofree uint32_t *tmp = g_new0(uint32_t, s->nregs);\n');
    expect(await leaks(DEVICE, after)).toEqual([]);
  });

  it('is silent when the release side frees no field at all (the instance frees its memory elsewhere)', async () => {
    const base = edit(DEVICE, '    g_free(s->buf);\n', '    fx_dev_stop(s);\n');
    expect(await leaks(base, edit(base, AT, AT + REGS))).toEqual([]);
  });

  it('is silent for a default filled in only when the field is unset (a property its owner frees)', async () => {
    const after = edit(DEVICE, AT, AT + '    if (!s->label) {\n        s->label = g_strdup_printf("fx-%d", s->id);\n    }\n');
    expect(await leaks(DEVICE, after)).toEqual([]);
  });

  it('is silent for a default filled in under a compound test of the field', async () => {
    const after = edit(DEVICE, AT, AT + '    if (s->label == NULL && s->klass_label != NULL) {\n        s->label = g_strdup(s->klass_label);\n    }\n');
    expect(await leaks(DEVICE, after)).toEqual([]);
  });

  it('is silent when the free moves into a helper that reaches the field through another base', async () => {
    const base = edit(DEVICE, '    g_free(s->buf);\n', '    g_free(s->buf);\n    g_free(s->q.elems);\n');
    const withAlloc = edit(base, AT, AT + '    s->q.elems = g_new0(FxElem, 8);\n');
    const after = edit(
      edit(withAlloc, '    g_free(s->q.elems);\n', '    fx_queue_delete(&s->q);\n'),
      'static void fx_dev_unrealize',
      'static void fx_queue_delete(FxQueue *q)\n{\n    g_free(q->elems);\n}\n\nstatic void fx_dev_unrealize',
    );
    expect(await leaks(withAlloc, after)).toEqual([]);
  });

  it('leaves the fields other resources hold to call-asymmetry, through the learned pairs (no second finding)', async () => {
    const after = edit(DEVICE, AT, AT + '    s->timer = timer_new_ns(QEMU_CLOCK_VIRTUAL, fx_dev_tick, s);\n');
    const found = await pairFindingsOf({ [PATH]: DEVICE, 'hw/fx/other.c': fixture('causes/teacher.c') }, { [PATH]: after });
    expect(found.map((f) => f.ruleId)).toEqual(['call-asymmetry']);
  });

  it('fires when unrealize stops freeing a field realize still allocates', async () => {
    const after = edit(DEVICE, '    g_free(s->buf);\n', '    fx_dev_stop(s);\n');
    const found = await leaks(DEVICE, after);
    expect(found).toHaveLength(1);
    expect(found[0]?.message).toMatch(/fx_dev_unrealize\(\) no longer calls g_free\(\) on `buf`/);
  });

  it('is silent when the free moves into a helper of the commit', async () => {
    const after = edit(
      edit(DEVICE, '    g_free(s->buf);\n', '    fx_dev_free_buffers(s);\n'),
      'static void fx_dev_unrealize',
      'static void fx_dev_free_buffers(FxDev *s)\n{\n    g_free(s->buf);\n}\n\nstatic void fx_dev_unrealize',
    );
    expect(await leaks(DEVICE, after)).toEqual([]);
  });
});
