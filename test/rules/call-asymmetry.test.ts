import { afterAll, describe, expect, it } from 'vitest';
import { TestRepo, cleanupTempDirs } from '../git/helpers.js';
import { runJson } from '../support/cli.js';
import { edit, fixture, lineOf } from '../support/fixtures.js';

afterAll(cleanupTempDirs);

async function lintChange(base: Record<string, string>, after: Record<string, string>) {
  const repo = TestRepo.create();
  repo.commit('base', base);
  repo.commit('change', after);
  return (await runJson(['HEAD~1..HEAD', '-C', repo.dir])).findings.filter((f) => f.ruleId === 'call-asymmetry');
}

const DEVICE = fixture('rules/device.c');
const LISTENER = fixture('rules/listener.c');
const CORE = fixture('rules/memory-core.c');
const REGISTER = '    memory_listener_register(&s->listener, &address_space_memory);\n';

describe('call-asymmetry', () => {
  it('fires when realize gains a register that unrealize never undoes', async () => {
    const after = edit(DEVICE, '    fx_dev_reset_state(s);\n', '    fx_dev_reset_state(s);\n' + REGISTER);
    const findings = await lintChange({ 'hw/fx/device.c': DEVICE }, { 'hw/fx/device.c': after });
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      severity: 'warning',
      function: 'fx_dev_realize',
      line: lineOf(after, 'memory_listener_register'),
      related: [{ function: 'fx_dev_unrealize', line: lineOf(after, 'static void fx_dev_unrealize') }],
    });
    expect(findings[0]?.message).toMatch(/memory_listener_unregister\(\)/);
  });

  it('is silent when the patch adds both sides', async () => {
    const after = edit(
      edit(DEVICE, '    fx_dev_reset_state(s);\n', '    fx_dev_reset_state(s);\n' + REGISTER),
      '    g_free(s->buf);\n',
      '    memory_listener_unregister(&s->listener);\n    g_free(s->buf);\n',
    );
    expect(await lintChange({ 'hw/fx/device.c': DEVICE }, { 'hw/fx/device.c': after })).toEqual([]);
  });

  it('fires when a release is removed while the other side still acquires', async () => {
    const after = edit(LISTENER, '\n    memory_region_unref(section->mr);\n', '\n');
    const findings = await lintChange({ 'hw/fx/listener.c': LISTENER }, { 'hw/fx/listener.c': after });
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      function: 'fx_listener_region_del',
      related: [{ function: 'fx_container_region_add', line: lineOf(after, 'memory_region_ref(section->mr)') }],
    });
  });

  it('is silent when the release moves to another file in the same commit', async () => {
    const after = edit(LISTENER, '\n    memory_region_unref(section->mr);\n', '\n    fx_section_done(section);\n');
    const helper = '#include "qemu/osdep.h"\n\nvoid fx_section_done(MemoryRegionSection *section)\n{\n    memory_region_unref(section->mr);\n}\n';
    expect(await lintChange({ 'hw/fx/listener.c': LISTENER }, { 'hw/fx/listener.c': after, 'hw/fx/section.c': helper })).toEqual([]);
  });

  it('fires when register starts replaying region_add and unregister replays no region_del', async () => {
    const after = edit(CORE, '    QTAILQ_INSERT_TAIL(&space->listeners, listener, link);\n', '    QTAILQ_INSERT_TAIL(&space->listeners, listener, link);\n    fx_listener_add_space(listener, space);\n');
    const findings = await lintChange({ 'system/fx-memory.c': CORE }, { 'system/fx-memory.c': after });
    const replay = findings.find((f) => /replays \.region_add/.test(f.message));
    expect(replay).toMatchObject({
      function: 'fx_listener_register',
      line: lineOf(after, 'fx_listener_add_space(listener, space);'),
      related: [{ function: 'fx_listener_unregister' }],
    });
    // fx_listener_add_space() is a helper whose body holds nothing the pair table
    // knows but the replay: the replay finding says it all, no second one by name family.
    expect(findings).toHaveLength(1);
  });

  it('is silent when unregister replays region_del too', async () => {
    const after = edit(
      edit(CORE, '    QTAILQ_INSERT_TAIL(&space->listeners, listener, link);\n', '    QTAILQ_INSERT_TAIL(&space->listeners, listener, link);\n    fx_listener_add_space(listener, space);\n'),
      '    QTAILQ_REMOVE(&listener->space->listeners, listener, link);\n',
      '    fx_listener_del_space(listener, listener->space);\n    QTAILQ_REMOVE(&listener->space->listeners, listener, link);\n',
    );
    expect(await lintChange({ 'system/fx-memory.c': CORE }, { 'system/fx-memory.c': after })).toEqual([]);
  });
});

describe('call-asymmetry counts references', () => {
  it('fires when the acquire side takes a second reference the release side never drops', async () => {
    const after = edit(LISTENER, '    memory_region_ref(section->mr);\n', '    memory_region_ref(section->mr);\n    memory_region_ref(section->mr);\n');
    const findings = await lintChange({ 'hw/fx/listener.c': LISTENER }, { 'hw/fx/listener.c': after });
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      function: 'fx_container_region_add',
      related: [{ function: 'fx_listener_region_del', line: lineOf(after, 'memory_region_unref(section->mr)') }],
    });
    expect(findings[0]?.message).toMatch(/^fx_container_region_add\(\) now calls memory_region_ref\(section->mr\) 2 times on every path, but the release side .* calls memory_region_unref\(section->mr\) once/);
  });

  it('is silent when the release side drops both', async () => {
    const after = edit(
      edit(LISTENER, '    memory_region_ref(section->mr);\n', '    memory_region_ref(section->mr);\n    memory_region_ref(section->mr);\n'),
      '\n    memory_region_unref(section->mr);\n',
      '\n    memory_region_unref(section->mr);\n    memory_region_unref(section->mr);\n',
    );
    expect(await lintChange({ 'hw/fx/listener.c': LISTENER }, { 'hw/fx/listener.c': after })).toEqual([]);
  });
});
