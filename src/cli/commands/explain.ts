import type { Rule } from '../../engine/rule.js';

/** The docs of one rule as Markdown: used by `pairlint explain` and by SARIF help. */
export function ruleDocsMarkdown(rule: Rule): string {
  const d = rule.meta.docs;
  return [
    `# ${rule.meta.id}`,
    '',
    `Default severity: ${rule.meta.severity}. Category: ${rule.meta.category}.`,
    '',
    rule.meta.summary + '.',
    '',
    '## What it reports',
    '',
    d.what,
    '',
    '## Why it matters',
    '',
    d.why,
    '',
    '## How to fix',
    '',
    d.fix,
    '',
    '## Bad',
    '',
    '```c',
    d.bad,
    '```',
    '',
    '## Good',
    '',
    '```c',
    d.good,
    '```',
    '',
  ].join('\n');
}
