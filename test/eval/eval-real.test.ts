/**
 * The real-patches report counts series both per case and per group, because
 * ten versions of one series would otherwise weigh ten times in the noise budget.
 */
import { describe, expect, it } from 'vitest';
import { realPatchesReport, type CaseFindings, type RealFinding } from '../../scripts/eval-real.js';

const finding = (fn: string): RealFinding =>
  ({ ruleId: 'error-leak', category: 'pair', severity: 'error', function: fn, commit: null }) as unknown as RealFinding;

const series = (caseId: string, group: string, fns: string[]): CaseFindings => ({
  caseId,
  group,
  patches: 2,
  findings: fns.map(finding),
  error: null,
});

describe('realPatchesReport series groups', () => {
  it('counts a group once however many of its versions are flagged', () => {
    const report = realPatchesReport(
      [
        series('series-a1', 'fx: new device', ['fx_realize']),
        series('series-a2', 'fx: new device', ['fx_realize']),
        series('series-b1', 'fy: cleanup', []),
        series('series-c1', 'fz: rework', []),
      ],
      [],
      null,
    );
    expect(report).toContain('series: 2/4 with a pair finding (50.0%)');
    expect(report).toContain('series groups: 1/3 with a pair finding (33.3%)');
  });

  it('takes a case without a group as a group of its own', () => {
    const lone: CaseFindings = { caseId: 'series-x', patches: 1, findings: [finding('fx_init')], error: null };
    const report = realPatchesReport([lone, series('series-y', 'g', [])], [], null);
    expect(report).toContain('series groups: 1/2 with a pair finding (50.0%)');
  });
});
