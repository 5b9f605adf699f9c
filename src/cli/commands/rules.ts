import type { Rule } from '../../engine/rule.js';

/** `pairlint rules`: one line per rule with its default severity and category. */
export function listRules(rules: readonly Rule[]): string {
  const width = Math.max(...rules.map((r) => r.meta.id.length));
  const categoryWidth = Math.max(6, ...rules.map((r) => r.meta.category.length));
  return rules
    .map((r) => `${r.meta.id.padEnd(width)}  ${r.meta.severity.padEnd(7)}  ${r.meta.category.padEnd(categoryWidth)}  ${r.meta.summary}`)
    .join('\n') + '\n';
}
