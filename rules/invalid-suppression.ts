/**
 * invalid-suppression: a pairlint-ignore comment or Pairlint-Ignore trailer
 * without a reason or naming an unknown rule. The engine's suppression stage
 * (src/engine/suppress.ts) reports it; this entry carries the docs and lets a
 * config change its severity or turn it off.
 */
import type { NoOptions, Rule } from '../src/rule/rule.js';

export const SUPPRESSION_SYNTAX =
  'In C, `/* pairlint-ignore RULE: reason */` (or `// pairlint-ignore RULE: reason`) on the line of the finding or ' +
  'the line above; several rules as `RULE, RULE: reason`. In a commit message, a `Pairlint-Ignore: RULE reason` trailer ' +
  'silences RULE for the whole commit.';

const MESSAGES = {
  noRuleComment: 'this pairlint-ignore comment names no rule: write `/* pairlint-ignore RULE: reason */`',
  noRuleTrailer: 'this Pairlint-Ignore trailer names no rule: write `Pairlint-Ignore: RULE reason`',
  unknownRule: 'this {{where}} names {{names}}, not a rule it can silence (see `pairlint rules`)',
  noReasonComment:
    'this pairlint-ignore comment silences {{rules}} without a reason, so it silences nothing: ' +
    'say why after a colon (`/* pairlint-ignore {{rules}}: why this is safe */`)',
  noReasonTrailer:
    'this Pairlint-Ignore trailer silences {{rules}} without a reason, so it silences nothing: ' +
    'say why after the rule (`Pairlint-Ignore: {{rules}} why this is safe`)',
};

export const invalidSuppression: Rule<NoOptions, keyof typeof MESSAGES> = {
  meta: {
    // the id src/engine/suppress.ts reports these problems under (INVALID_SUPPRESSION there)
    id: 'invalid-suppression',
    category: 'suppression',
    // the engine's suppression stage reports with these (src/engine/suppress.ts)
    messages: MESSAGES,
    severity: 'info',
    summary: 'A pairlint-ignore comment or Pairlint-Ignore trailer without a reason or with an unknown rule (it silences nothing)',
    docs: {
      what:
        'A suppression the commit adds that names no rule, names a rule pairlint does not have, or gives no reason. ' +
        'Such a suppression silences nothing: the finding it meant to silence is still reported. ' + SUPPRESSION_SYNTAX,
      why:
        'A suppression hides a finding from every later reader; the reason is what lets a reviewer agree with it. ' +
        'A mistyped rule id would otherwise hide nothing without anyone noticing.',
      fix: 'Name the rule as `pairlint rules` lists it and say why the finding does not apply after a colon.',
      bad: '    /* pairlint-ignore skip-asymmetry */\n    if (memory_region_skip_iommu_map(section->mr)) {',
      good:
        '    /* pairlint-ignore skip-asymmetry: region_del tests the same flag through vfio_skip_section() */\n' +
        '    if (memory_region_skip_iommu_map(section->mr)) {',
    },
  },
  create() {
    // reported by the engine's suppression stage: no visitors
    return {};
  },
};
