/**
 * index-asymmetry: the two sides of a pair loop over the same per-index
 * objects from different first indexes (`dev->vq_index` against `0`).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { TestRepo, cleanupTempDirs } from '../git/helpers.js';
import { runJson } from '../support/cli.js';
import { edit, fixture, lineOf } from '../support/fixtures.js';

afterAll(cleanupTempDirs);

const PATH = 'hw/fx/fx-vhost.c';
const BASE = fixture('rules/index-loops.c');

async function lintChange(base: string, after: string) {
  const repo = TestRepo.create();
  repo.commit('base', { [PATH]: base });
  repo.commit('change', { [PATH]: after });
  return (await runJson(['HEAD~1..HEAD', '-C', repo.dir])).findings.filter((f) => f.ruleId === 'index-asymmetry');
}

const FROM_VQ = 'for (i = dev->vq_index; i < dev->vq_index + dev->nvqs; i++)';
const FROM_0 = 'for (i = 0; i < dev->nvqs; i++)';

/** Give fx_notifiers_init() and fx_notifiers_uninit() their per-index loops. */
function withLoops(initHead: string, initCall: string, uninitHead: string, uninitCall: string, base = BASE): string {
  return edit(
    edit(base, '    dev->notifiers_ready = true;\n', `    dev->notifiers_ready = true;\n    ${initHead} {\n        ${initCall}\n    }\n`),
    '    dev->notifiers_ready = false;\n',
    `    ${uninitHead} {\n        ${uninitCall}\n    }\n    dev->notifiers_ready = false;\n`,
  );
}

const MISMATCH = withLoops(FROM_VQ, 'fx_notifier_init(dev, i);', FROM_0, 'fx_notifier_uninit(dev, i);');
const SAME = withLoops(FROM_VQ, 'fx_notifier_init(dev, i);', FROM_VQ, 'fx_notifier_uninit(dev, i);');

describe('index-asymmetry', () => {
  it('fires when the commit adds an init loop from dev->vq_index and an uninit loop from 0', async () => {
    const findings = await lintChange(BASE, MISMATCH);
    const initLoop = lineOf(MISMATCH, FROM_VQ);
    const uninitLoop = lineOf(MISMATCH, FROM_0);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      severity: 'warning',
      file: PATH,
      function: 'fx_notifiers_init',
      line: initLoop,
      related: [{ file: PATH, line: uninitLoop, function: 'fx_notifiers_uninit', message: 'fx_notifiers_uninit() loops from 0 here' }],
    });
    const message = findings[0]?.message ?? '';
    expect(message).toContain(`fx_notifiers_init() calls fx_notifier_init() for i from dev->vq_index (\`i < dev->vq_index + dev->nvqs\`, ${PATH}:${initLoop})`);
    expect(message).toContain(`fx_notifiers_uninit() calls fx_notifier_uninit() for i from 0 (\`i < dev->nvqs\`, ${PATH}:${uninitLoop})`);
    expect(message).toMatch(/the two sides loop over different indexes/);
  });

  it('fires on the uninit loop when the commit changes only its first index', async () => {
    const after = edit(SAME, `    ${FROM_VQ} {\n        fx_notifier_uninit`, `    ${FROM_0} {\n        fx_notifier_uninit`);
    const findings = await lintChange(SAME, after);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      function: 'fx_notifiers_uninit',
      line: lineOf(after, FROM_0),
      related: [{ file: PATH, line: lineOf(after, FROM_VQ), function: 'fx_notifiers_init', message: 'fx_notifiers_init() loops from dev->vq_index here' }],
    });
    expect(findings[0]?.message).toContain(`for i from dev->vq_index (\`i < dev->vq_index + dev->nvqs\`, ${PATH}:${lineOf(after, FROM_VQ)}), but fx_notifiers_uninit()`);
    expect(findings[0]?.message).toContain(`for i from 0 (\`i < dev->nvqs\`, ${PATH}:${lineOf(after, FROM_0)})`);
  });

  it('is silent when both loops start at the same index', async () => {
    expect(await lintChange(BASE, SAME)).toEqual([]);
    const zero = withLoops(FROM_0, 'fx_notifier_init(dev, i);', FROM_0, 'fx_notifier_uninit(dev, i);');
    expect(await lintChange(BASE, zero)).toEqual([]);
  });

  it('is silent when the mismatch was there before and the commit touches something else', async () => {
    // another line of both sides
    const other = edit(
      edit(MISMATCH, '    dev->notifiers_ready = true;\n', '    dev->notifiers_ready = true;\n    dev->started = true;\n'),
      '    dev->notifiers_ready = false;\n',
      '    dev->notifiers_ready = false;\n    dev->started = false;\n',
    );
    expect(await lintChange(MISMATCH, other)).toEqual([]);
    // the loop header itself is rewritten, its first index unchanged
    const header = edit(MISMATCH, FROM_VQ, 'for (i = dev->vq_index; i < dev->nvqs + dev->vq_index; ++i)');
    expect(await lintChange(MISMATCH, header)).toEqual([]);
  });

  it('is silent when the loop bodies do not pass the index', async () => {
    // both sides reach the same notifiers through a pointer: the index only computes it
    const after = withLoops(
      FROM_VQ,
      'fx_notifier_init(dev, dev->notifiers[i - dev->vq_index].idx);',
      FROM_0,
      'fx_notifier_uninit(dev, dev->notifiers[i].idx);',
    );
    expect(await lintChange(BASE, after)).toEqual([]);
  });

  it('is silent when the uninit loop walks the same range in reverse', async () => {
    // teardown in reverse order of setup: the same objects, from the other end
    const after = withLoops(FROM_0, 'fx_notifier_init(dev, i);', 'for (i = dev->nvqs - 1; i >= 0; i--)', 'fx_notifier_uninit(dev, i);');
    expect(await lintChange(BASE, after)).toEqual([]);
  });

  it('gives each loop its own file:line when the release loop changed', async () => {
    const after = edit(SAME, `    ${FROM_VQ} {\n        fx_notifier_uninit`, `    ${FROM_0} {\n        fx_notifier_uninit`);
    const [finding] = await lintChange(SAME, after);
    expect(finding?.message).toContain(`fx_notifiers_init() calls fx_notifier_init() for i from dev->vq_index (\`i < dev->vq_index + dev->nvqs\`, ${PATH}:${lineOf(after, FROM_VQ)})`);
    expect(finding?.message).toContain(`fx_notifiers_uninit() calls fx_notifier_uninit() for i from 0 (\`i < dev->nvqs\`, ${PATH}:${lineOf(after, FROM_0)})`);
  });
});
