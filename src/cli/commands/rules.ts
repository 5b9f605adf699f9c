import type { Rule } from '../../rule/rule.js';

/** `pairlint rules`: one line per rule with its default severity and category. */
export function listRules(rules: readonly Rule[]): string {
  const width = Math.max(...rules.map((r) => r.meta.id.length));
  const categoryWidth = Math.max(6, ...rules.map((r) => r.meta.category.length));
  return rules
    .map((r) => `${r.meta.id.padEnd(width)}  ${r.meta.severity.padEnd(7)}  ${r.meta.category.padEnd(categoryWidth)}  ${r.meta.summary}`)
    .join('\n') + '\n';
}

/** `pairlint rules --format json`: the same, as data (for editors and scripts). */
export function rulesJson(rules: readonly Rule[]): string {
  const out = rules.map((r) => ({
    id: r.meta.id,
    severity: r.meta.severity,
    category: r.meta.category,
    summary: r.meta.summary,
    options: Object.fromEntries(
      Object.entries(r.meta.options ?? {}).map(([k, spec]) => [k, { type: spec.type, default: spec.default, description: spec.description }]),
    ),
  }));
  return JSON.stringify(out, null, 2) + '\n';
}
