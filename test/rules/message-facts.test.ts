/**
 * Messages say only what the model saw: one test per fact a message states.
 * "no longer calls X" only when the commit removed the call; "never calls X"
 * only when nothing on the release side calls X (on another object it says so);
 * "released in Y() instead" only when Y releases the same object; "deletes"
 * a statement the commit removed whole, "edits" one it changed; VFIO's advice
 * (vfio_listener_valid_section(), RAM_PROTECTED) only in VFIO code.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { cleanupTempDirs } from '../git/helpers.js';
import { pairFindingsOf } from '../support/commit.js';
import { edit, fixture } from '../support/fixtures.js';
import { LISTENER, SKIP_IN_ADD } from '../support/listener-skip.js';

afterAll(cleanupTempDirs);

const PATH = 'hw/fx/listener.c';
const LST = fixture('rules/listener.c');
const RING = fixture('causes/release.c');
const REF = '    memory_region_ref(section->mr);\n';
const UNREF = '    memory_region_unref(section->mr);\n';

describe('release on another object', () => {
  it('an added acquire whose counterpart the release side makes only on another object: "only on another object", not "never calls"', async () => {
    const after = edit(LST, REF, REF + '    memory_region_ref(fc->shadow_mr);\n');
    const found = (await pairFindingsOf({ [PATH]: LST }, { [PATH]: after })).filter((f) => f.ruleId === 'call-asymmetry');
    expect(found).toHaveLength(1);
    expect(found[0]?.message).toMatch(/calls memory_region_unref\(\) only on another object \(fx_listener_region_del\(\) at hw\/fx\/listener\.c:\d+\), never on `shadow_mr`/);
    expect(found[0]?.message).not.toMatch(/never calls memory_region_unref/);
    // the note at the release side says the same, not "has no memory_region_unref() call"
    const notes = (found[0]?.related ?? []).map((r) => r.message);
    expect(notes).toContain('fx_listener_region_del() calls memory_region_unref() only on another object, not on `shadow_mr`');
    expect(notes.join('\n')).not.toMatch(/has no memory_region_unref/);
  });
  it('a removed release whose counterpart stays on another object: says so, not "nothing else does"', async () => {
    const base = edit(edit(LST, REF, REF + '    memory_region_ref(fc->shadow_mr);\n'), UNREF, UNREF + '    memory_region_unref(fc->shadow_mr);\n');
    const after = edit(base, '    memory_region_unref(fc->shadow_mr);\n', '');
    const found = (await pairFindingsOf({ [PATH]: base }, { [PATH]: after })).filter((f) => f.ruleId === 'call-asymmetry');
    expect(found).toHaveLength(1);
    // the function still unrefs another region: the message names the one it no longer releases
    expect(found[0]?.message).toMatch(/no longer calls memory_region_unref\(\) on `shadow_mr`, and the release side of .* calls it only on another object now/);
    expect(found[0]?.message).not.toMatch(/nothing else/);
  });
  it('a release the commit did not remove is never "no longer" called', async () => {
    const after = edit(LST, REF, REF + '    memory_region_ref(fc->shadow_mr);\n');
    const found = await pairFindingsOf({ [PATH]: LST }, { [PATH]: after });
    expect(found.map((f) => f.message).join('\n')).not.toMatch(/no longer calls/);
  });
});

describe('domain advice', () => {
  it('VFIO code gets the VFIO advice', async () => {
    const found = (await pairFindingsOf({ [PATH]: LISTENER }, { [PATH]: SKIP_IN_ADD })).filter((f) => f.ruleId === 'skip-asymmetry');
    expect(found[0]?.message).toMatch(/RAM_PROTECTED/);
  });
  it('other code does not', async () => {
    const after = edit(RING, '    fx_buf_unmap(ring->as', '    if (ring->busy) {\n        return;\n    }\n    fx_buf_unmap(ring->as');
    const found = (await pairFindingsOf({ 'hw/fx/ring.c': RING }, { 'hw/fx/ring.c': after })).filter((f) => f.ruleId === 'skip-asymmetry');
    expect(found).toHaveLength(1);
    expect(found[0]?.message).not.toMatch(/RAM_PROTECTED|vfio_|iommufd|CXL|ATS|P2P/);
  });
});

describe('the normal release path named', () => {
  const CONNECT = fixture('causes/connect.c');
  const AT = '    r = fx_region_new(sp);\n';
  const withExit = (text: string) =>
    edit(edit(text, AT, '    if (fx_space_full(sp)) {\n        error_setg(errp, "full");\n        goto err_full;\n    }\n' + AT), 'err_register:\n    fx_region_free(r);\n', 'err_register:\n    fx_region_free(r);\nerr_full:\n');
  const held = (text: string) => text.replace('        } else {\n            goto found;\n        }', '        } else {\n            break;\n        }');
  it('is a function that releases the same objects', async () => {
    const found = (await pairFindingsOf({ 'hw/fx/other.c': '/* another file */\n' }, { 'hw/fx/connect.c': withExit(held(CONNECT)) })).filter((f) => f.ruleId === 'error-path-leak');
    expect(found[0]?.message).toMatch(/The normal release path, fx_dev_disconnect\(\)/);
  });
  it('is never one that unregisters another notifier', async () => {
    const other = held(CONNECT).replace('memory_region_unregister_iommu_notifier(d->region->mr, &d->n);', 'memory_region_unregister_iommu_notifier(d->region->mr, &d->other_n);');
    const found = (await pairFindingsOf({ 'hw/fx/other.c': '/* another file */\n' }, { 'hw/fx/connect.c': withExit(other) })).filter((f) => f.ruleId === 'error-path-leak');
    expect(found).toEqual([]);
  });
});

describe('"released in Y() instead"', () => {
  const DEVICE = fixture('rules/device.c');
  const AT = '    fx_dev_reset_state(s);\n';
  const REGISTER = '    memory_listener_register(&s->listener, &address_space_memory);\n';
  const withFinalize = (object: string) =>
    edit(edit(DEVICE, AT, AT + REGISTER), 'static void fx_dev_class_init', `static void fx_dev_finalize(Object *obj)\n{\n    FxDev *s = FX_DEV(obj);\n\n    memory_listener_unregister(&s->${object});\n}\n\nstatic void fx_dev_class_init`);
  it('names the other function when it releases the same object', async () => {
    const found = (await pairFindingsOf({ 'hw/fx/device.c': DEVICE }, { 'hw/fx/device.c': withFinalize('listener') })).filter((f) => f.ruleId === 'call-asymmetry');
    expect(found[0]?.message).toMatch(/It is released in fx_dev_finalize\(\) instead/);
  });
  it('never names one that releases another object', async () => {
    const found = (await pairFindingsOf({ 'hw/fx/device.c': DEVICE }, { 'hw/fx/device.c': withFinalize('other_listener') })).filter((f) => f.ruleId === 'call-asymmetry');
    expect(found).toHaveLength(1);
    expect(found[0]?.message).not.toMatch(/released in fx_dev_finalize/);
  });
});
