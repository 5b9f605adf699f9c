/**
 * unused-suppression: a pairlint-ignore comment or Pairlint-Ignore trailer the
 * commit adds that silences nothing. The engine's suppression stage
 * (src/engine/suppress.ts) reports it; this entry carries the docs and lets a
 * config change its severity or turn it off.
 */
import type { NoOptions, Rule } from '../src/rule/rule.js';
import { SUPPRESSION_SYNTAX } from './invalid-suppression.js';

const MESSAGES = {
  comment:
    'this pairlint-ignore comment silences nothing: {{rules}} reports nothing on this line or the next. ' +
    "Remove it, or put it on the finding's line or the line above",
  trailer: 'this Pairlint-Ignore trailer silences nothing: {{rules}} reports nothing in this commit. Remove it',
};

export const unusedSuppression: Rule<NoOptions, keyof typeof MESSAGES> = {
  meta: {
    // the id src/engine/suppress.ts reports these problems under (UNUSED_SUPPRESSION there)
    id: 'unused-suppression',
    category: 'suppression',
    // the engine's suppression stage reports with these (src/engine/suppress.ts)
    messages: MESSAGES,
    severity: 'info',
    summary: 'A pairlint-ignore comment or Pairlint-Ignore trailer the commit adds that silences no finding',
    docs: {
      what:
        'A suppression on a line the commit adds (or a trailer of its message) for which the named rule reports ' +
        'nothing: nothing on the comment\'s line or the line after it, nothing in the commit for a trailer. ' +
        'Suppressions of rules that are off are not reported. ' + SUPPRESSION_SYNTAX,
      why:
        'A suppression that silences nothing is either misplaced (the finding is still reported elsewhere) or stale, ' +
        'and it would silence a real finding that shows up there later.',
      fix: 'Move the comment onto the line of the finding (or the line above it), or remove it.',
      bad: '    /* pairlint-ignore call-asymmetry: the unref is in the caller */\n    x = 1;',
      good: '    x = 1;',
    },
  },
  create() {
    // reported by the engine's suppression stage: no visitors
    return {};
  },
};
