import { afterAll, describe, expect, it } from 'vitest';
import { TestRepo, cleanupTempDirs } from '../git/helpers.js';
import { runJson } from '../support/cli.js';
import { edit, fixture, lineOf } from '../support/fixtures.js';
import { SOB, configFile, message } from '../support/messages.js';

afterAll(cleanupTempDirs);

const BASE = fixture('rules/listener.c');
const PATH = 'hw/fx/listener.c';
const ANCHOR = '    vaddr = memory_region_get_ram_ptr(section->mr) +\n';

/** The listener with a new skip in region_add (a skip-asymmetry error), `above` written just before the `if`. */
function skipWith(above: string, sameLine = ''): string {
  return edit(BASE, ANCHOR, `${above}    if (memory_region_skip_iommu_map(section->mr)) {${sameLine}\n        return;\n    }\n\n${ANCHOR}`);
}

async function lintChange(after: string, msg = message('fx: skip marked regions in fx_container_region_add()', 'Because.', SOB), args: string[] = []) {
  const repo = TestRepo.create();
  repo.commit('base', { [PATH]: BASE });
  repo.commit(msg, { [PATH]: after });
  return runJson(['HEAD~1..HEAD', '-C', repo.dir, ...args]);
}

const ids = (r: Awaited<ReturnType<typeof lintChange>>) => r.findings.map((f) => f.ruleId);

describe('suppression', () => {
  it('the finding fires without a suppression', async () => {
    expect(ids(await lintChange(skipWith('')))).toEqual(['skip-asymmetry']);
  });

  it('a /* pairlint-ignore RULE: reason */ comment on the line above silences it', async () => {
    const report = await lintChange(skipWith('    /* pairlint-ignore skip-asymmetry: del tests the flag through fx_listener_skipped_section() */\n'));
    expect(ids(report)).toEqual([]);
    expect(report.code).toBe(0);
    expect(report.notes).toContain('1 finding silenced by pairlint-ignore comments or Pairlint-Ignore trailers');
  });

  it('so does one on the finding line, a // comment, a list of rules, and a comment over several lines', async () => {
    expect(ids(await lintChange(skipWith('', ' /* pairlint-ignore skip-asymmetry: safe, see del */')))).toEqual([]);
    expect(ids(await lintChange(skipWith('    // pairlint-ignore skip-asymmetry: safe, see del\n')))).toEqual([]);
    expect(ids(await lintChange(skipWith('    /* pairlint-ignore call-asymmetry, skip-asymmetry: safe, see del */\n')))).toEqual([]);
    expect(ids(await lintChange(skipWith('    /*\n     * pairlint-ignore skip-asymmetry: region_del tests\n     * the same flag through a helper\n     */\n')))).toEqual([]);
  });

  it('a suppression without a reason silences nothing and is reported (info)', async () => {
    const after = skipWith('    /* pairlint-ignore skip-asymmetry */\n');
    const report = await lintChange(after);
    expect(ids(report)).toEqual(['skip-asymmetry', 'invalid-suppression']);
    const info = report.findings[1];
    expect(info).toMatchObject({ severity: 'info', category: 'suppression', file: PATH, line: lineOf(after, 'pairlint-ignore') });
    expect(info?.message).toMatch(/without a reason, so it silences nothing/);
  });

  it('a suppression naming an unknown rule is reported', async () => {
    const report = await lintChange(skipWith('    /* pairlint-ignore skip-asymetry: typo */\n'));
    expect(ids(report)).toEqual(['skip-asymmetry', 'invalid-suppression']);
    expect(report.findings[1]?.message).toMatch(/'skip-asymetry', not a rule/);
  });

  it('a new suppression that silences nothing is reported as unused (info)', async () => {
    const after = skipWith('    /* pairlint-ignore skip-asymmetry: too far away */\n\n\n');
    const report = await lintChange(after);
    expect(ids(report)).toEqual(['skip-asymmetry', 'unused-suppression']);
    expect(report.findings[1]).toMatchObject({ severity: 'info', line: lineOf(after, 'pairlint-ignore') });
    expect(report.findings[1]?.message).toMatch(/silences nothing/);
  });

  it('suppression findings follow the config (off)', async () => {
    const config = configFile({ rules: { 'unused-suppression': 'off' } });
    const report = await lintChange(skipWith('    /* pairlint-ignore skip-asymmetry: too far away */\n\n\n'), undefined, ['--config', config]);
    expect(ids(report)).toEqual(['skip-asymmetry']);
  });

  it('a Pairlint-Ignore trailer silences a rule for the whole commit, C and message findings alike', async () => {
    const msg = message(
      'fx: skip marked regions',
      'Because.',
      'Pairlint-Ignore: skip-asymmetry region_del is fixed in the next patch',
      'Pairlint-Ignore: skip-justified the function is named in the cover letter',
      SOB,
    );
    const report = await lintChange(skipWith(''), msg);
    expect(ids(report)).toEqual([]);
    expect(report.notes).toContain('2 findings silenced by pairlint-ignore comments or Pairlint-Ignore trailers');
  });

  it('a Pairlint-Ignore trailer without a reason, or one that silences nothing, is reported', async () => {
    const msg = message('fx: skip marked regions in fx_container_region_add()', 'Because.', 'Pairlint-Ignore: skip-asymmetry', 'Pairlint-Ignore: call-asymmetry not needed', SOB);
    const report = await lintChange(skipWith(''), msg);
    expect(report.findings.map((f) => [f.ruleId, f.file, f.line])).toEqual([
      ['skip-asymmetry', PATH, lineOf(skipWith(''), 'memory_region_skip_iommu_map')],
      ['invalid-suppression', 'COMMIT_MSG', 5],
      ['unused-suppression', 'COMMIT_MSG', 6],
    ]);
  });

  it('an old suppression the commit does not touch is not reported as unused', async () => {
    const withOld = edit(BASE, '    memory_region_ref(section->mr);\n', '    /* pairlint-ignore call-asymmetry: old and harmless */\n    memory_region_ref(section->mr);\n');
    const repo = TestRepo.create();
    repo.commit('base', { [PATH]: withOld });
    repo.commit(message('fx: x', 'Because.', SOB), { [PATH]: withOld.replace('/* Test fixture', '/* A test fixture') });
    const report = await runJson(['HEAD~1..HEAD', '-C', repo.dir]);
    expect(report.findings).toEqual([]);
  });
});
