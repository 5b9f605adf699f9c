import { afterAll, describe, expect, it } from 'vitest';
import { TestRepo, cleanupTempDirs } from '../git/helpers.js';
import { runJson } from '../support/cli.js';
import { edit, fixture, lineOf } from '../support/fixtures.js';

afterAll(cleanupTempDirs);

const PATH = 'hw/fx/listener.c';
const TWIN = '    if (int128_get64(llsize) == 0 || iova > fc->max_iova) {\n        return;\n    }\n';
// Both sides carry the same range check in the base of these tests.
const BASE = edit(
  edit(
    fixture('rules/listener.c'),
    '    memory_region_ref(section->mr);\n',
    TWIN + '\n    memory_region_ref(section->mr);\n',
  ),
  '    if (memory_region_is_ram_device(section->mr)) {\n        try_unmap',
  TWIN + '\n    if (memory_region_is_ram_device(section->mr)) {\n        try_unmap',
);
const EDITED_TWIN = '    if (int128_get64(llsize) == 0 || iova >= fc->max_iova) {\n        return;\n    }\n';

async function lintChange(after: string) {
  const repo = TestRepo.create();
  repo.commit('base', { [PATH]: BASE });
  repo.commit('change', { [PATH]: after });
  return (await runJson(['HEAD~1..HEAD', '-C', repo.dir])).findings.filter((f) => f.ruleId === 'check-asymmetry');
}

function editNth(text: string, from: string, to: string, nth: number): string {
  let at = -1;
  for (let i = 0; i <= nth; i++) at = text.indexOf(from, at + 1);
  if (at < 0) throw new Error('editNth: not found');
  return text.slice(0, at) + to + text.slice(at + from.length);
}

describe('check-asymmetry', () => {
  it('fires when a condition both sides share is edited on one side only', async () => {
    const after = editNth(BASE, TWIN, EDITED_TWIN, 0);
    const findings = await lintChange(after);
    expect(findings).toHaveLength(1);
    const delLine = lineOf(after, 'iova > fc->max_iova');
    expect(findings[0]).toMatchObject({
      severity: 'warning',
      function: 'fx_container_region_add',
      line: lineOf(after, 'iova >= fc->max_iova'),
      related: [{ file: PATH, line: delLine, function: 'fx_listener_region_del' }],
    });
    expect(findings[0]?.message).toContain(`${PATH}:${delLine}`);
  });

  it('is silent when both copies get the same edit', async () => {
    const after = editNth(editNth(BASE, TWIN, EDITED_TWIN, 0), TWIN, EDITED_TWIN, 0);
    expect(await lintChange(after)).toEqual([]);
  });

  it('is silent when an unrelated line next to the twin changes', async () => {
    const after = edit(BASE, '    memory_region_ref(section->mr);\n', '    memory_region_ref(section->mr);\n    fx_trace_add(section);\n');
    expect(await lintChange(after)).toEqual([]);
  });
});

describe('check-asymmetry on guard blocks', () => {
  // Both sides report and skip the same misaligned sections in the base.
  const GUARD = '    if (fx_section_misaligned(fc, section)) {\n        error_report("fx: unaligned section");\n        return;\n    }\n';
  const GUARDED = edit(
    edit(fixture('rules/listener.c'), '    memory_region_ref(section->mr);\n', GUARD + '\n    memory_region_ref(section->mr);\n'),
    '    if (memory_region_is_ram_device(section->mr)) {\n        try_unmap',
    GUARD + '\n    if (memory_region_is_ram_device(section->mr)) {\n        try_unmap',
  );

  async function lintGuard(after: string) {
    const repo = TestRepo.create();
    repo.commit('base', { [PATH]: GUARDED });
    repo.commit('change', { [PATH]: after });
    return (await runJson(['HEAD~1..HEAD', '-C', repo.dir])).findings.filter((f) => f.ruleId === 'check-asymmetry');
  }

  it('fires when one side changes what its copy of a shared guard block does', async () => {
    const exempt = '    if (fx_section_misaligned(fc, section)) {\n        if (!fx_section_known_safe(section)) {\n            error_report("fx: unaligned section");\n        }\n        return;\n    }\n';
    const after = editNth(GUARDED, GUARD, exempt, 0);
    const findings = await lintGuard(after);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      function: 'fx_container_region_add',
      related: [{ function: 'fx_listener_region_del', line: lineOf(after, 'if (fx_section_misaligned(fc, section))', lineOf(after, 'static void fx_listener_region_del')) }],
    });
    expect(findings[0]?.message).toMatch(/^fx_container_region_add\(\) changes what its check `fx_section_misaligned\(fc, section\)` does/);
  });

  it('is silent when only the message of one copy changes', async () => {
    const reworded = GUARD.replace('"fx: unaligned section"', '"fx: unaligned section %s", memory_region_name(section->mr)');
    expect(await lintGuard(editNth(GUARDED, GUARD, reworded, 0))).toEqual([]);
  });

  it('is silent when both copies change alike', async () => {
    const exempt = '    if (fx_section_misaligned(fc, section)) {\n        if (!fx_section_known_safe(section)) {\n            error_report("fx: unaligned section");\n        }\n        return;\n    }\n';
    expect(await lintGuard(editNth(editNth(GUARDED, GUARD, exempt, 0), GUARD, exempt, 0))).toEqual([]);
  });
});
