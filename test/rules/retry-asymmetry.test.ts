/**
 * retry-asymmetry: a jump back to a label above it (`goto retry;`) with the
 * two sides of a pair split by the label, so the retry runs one side twice.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { TestRepo, cleanupTempDirs } from '../git/helpers.js';
import { runJson } from '../support/cli.js';
import { edit, fixture, lineOf } from '../support/fixtures.js';

afterAll(cleanupTempDirs);

const PATH = 'hw/fx/fx-msi.c';
const BASE = fixture('rules/retry.c');

async function lintChange(base: string, after: string) {
  const repo = TestRepo.create();
  repo.commit('base', { [PATH]: base });
  repo.commit('change', { [PATH]: after });
  return (await runJson(['HEAD~1..HEAD', '-C', repo.dir])).findings.filter((f) => f.ruleId === 'retry-asymmetry');
}

/** prepare before `retry:`, commit after it: a retry commits a second time. */
const SPLIT = edit(
  edit(BASE, '    fx_msi_disable_all(s);\n\nretry:\n', '    fx_msi_disable_all(s);\n    fx_prepare_batch(s);\n\nretry:\n'),
  '        fx_vector_setup(s, i);\n    }\n',
  '        fx_vector_setup(s, i);\n    }\n    fx_commit_batch(s);\n',
);

/** a reference taken after `retry:` */
const REF = edit(BASE, 'retry:\n', 'retry:\n    memory_region_ref(s->bar_mr);\n');

describe('retry-asymmetry', () => {
  it('fires when prepare goes before the retry label and commit after it', async () => {
    const findings = await lintChange(BASE, SPLIT);
    const commit = lineOf(SPLIT, 'fx_commit_batch(s);');
    const prepare = lineOf(SPLIT, 'fx_prepare_batch(s);', lineOf(SPLIT, 'static int fx_msi_enable'));
    const label = lineOf(SPLIT, 'retry:');
    const jump = lineOf(SPLIT, 'goto retry;');
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      severity: 'error',
      function: 'fx_msi_enable',
      file: PATH,
      line: commit,
    });
    expect(findings[0]?.related).toEqual([
      expect.objectContaining({ file: PATH, line: jump, function: 'fx_msi_enable', message: 'the jump back to retry:' }),
      expect.objectContaining({ file: PATH, line: prepare, function: 'fx_msi_enable', message: 'fx_prepare_batch() before the label' }),
      expect.objectContaining({ file: PATH, line: lineOf(SPLIT, 'static void fx_prepare_batch'), function: 'fx_prepare_batch' }),
      expect.objectContaining({ file: PATH, line: lineOf(SPLIT, 'static void fx_commit_batch'), function: 'fx_commit_batch' }),
    ]);
    const message = findings[0]?.message ?? '';
    expect(message).toContain(`fx_prepare_batch() (${PATH}:${prepare}) before the retry: label (${PATH}:${label})`);
    expect(message).toContain(`fx_commit_batch() after it (${PATH}:${commit})`);
    expect(message).toContain(`jumps back to retry: at ${PATH}:${jump}`);
    expect(message).toMatch(/fx_commit_batch\(\) runs a second time with no fx_prepare_batch\(\) before it/);
  });

  it('fires when an acquire after the label is not released before the jump back', async () => {
    const findings = await lintChange(BASE, REF);
    const ref = lineOf(REF, 'memory_region_ref(s->bar_mr);');
    const label = lineOf(REF, 'retry:');
    const jump = lineOf(REF, 'goto retry;');
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ severity: 'error', function: 'fx_msi_enable', file: PATH, line: ref });
    // memory_region_ref/unref are not defined in the program: only the jump back is related
    expect(findings[0]?.related).toEqual([
      expect.objectContaining({ file: PATH, line: jump, function: 'fx_msi_enable', message: 'the jump back to retry:' }),
    ]);
    const message = findings[0]?.message ?? '';
    expect(message).toContain(`memory_region_ref() after the retry: label (${PATH}:${label})`);
    expect(message).toContain(`jumps back to it at ${PATH}:${jump} without a memory_region_unref()`);
    expect(message).toMatch(/each retry takes it again and the earlier one leaks/);
  });

  it('is silent when prepare moves after the retry label', async () => {
    const moved = edit(
      edit(SPLIT, '    fx_prepare_batch(s);\n\nretry:\n', '\nretry:\n'),
      'retry:\n    for (i = 0;',
      'retry:\n    fx_prepare_batch(s);\n    for (i = 0;',
    );
    expect(moved).toMatch(/retry:\n {4}fx_prepare_batch\(s\);/);
    expect(await lintChange(SPLIT, moved)).toEqual([]);
    // the same two calls added after the label from scratch: silent too
    expect(await lintChange(BASE, moved)).toEqual([]);
  });

  it('is silent when the acquire is released before the jump back', async () => {
    const released = edit(REF, '        s->nr_vectors = ret;\n        goto retry;\n', '        s->nr_vectors = ret;\n        memory_region_unref(s->bar_mr);\n        goto retry;\n');
    expect(await lintChange(BASE, released)).toEqual([]);
  });

  it('is silent when the split already existed and the commit changes other lines of the function', async () => {
    const after = edit(SPLIT, '        fx_report_failure(s, ret);\n', '        fx_report_failure(s, ret);\n        s->nr_vectors = 0;\n');
    expect(await lintChange(SPLIT, after)).toEqual([]);
    const refAfter = edit(REF, '        fx_report_failure(s, ret);\n', '        fx_report_failure(s, ret);\n        s->nr_vectors = 0;\n');
    expect(await lintChange(REF, refAfter)).toEqual([]);
  });

  it('is silent for a forward goto', async () => {
    // prepare before the `out:` label, commit after it: the only jump to out: is forward
    const after = edit(
      edit(BASE, '    fx_msix_reset(s);\n', '    fx_msix_reset(s);\n    fx_prepare_batch(s);\n'),
      'out:\n    fx_msix_done(s);\n',
      'out:\n    fx_commit_batch(s);\n    fx_msix_done(s);\n',
    );
    expect(await lintChange(BASE, after)).toEqual([]);
  });

  it('still fires when the release before the jump is of another object', async () => {
    // memory_region_unref(s->other_mr) releases another region, not s->bar_mr
    const after = edit(REF, '        s->nr_vectors = ret;\n', '        s->nr_vectors = ret;\n        memory_region_unref(s->other_mr);\n');
    expect((await lintChange(BASE, after)).map((f) => f.line)).toEqual([lineOf(after, 'memory_region_ref(s->bar_mr);')]);
  });

  it('still fires when the release is only on a branch the retry does not take', async () => {
    // released only when ret == 0; the `ret > 0` retry path jumps back holding the reference
    const after = edit(REF, '    ret = fx_enable_vectors(s);\n', '    ret = fx_enable_vectors(s);\n    if (ret == 0) {\n        memory_region_unref(s->bar_mr);\n    }\n');
    expect((await lintChange(BASE, after)).map((f) => f.line)).toEqual([lineOf(after, 'memory_region_ref(s->bar_mr);')]);
  });
});
