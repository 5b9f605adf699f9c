import type { Rule } from './rule.js';

/** The docs of one rule as Markdown: used by `pairlint explain` and by SARIF help. */
export function ruleDocsMarkdown(rule: Rule): string {
  const d = rule.meta.docs;
  // commit-message rules show messages, the others C
  const lang = rule.meta.category === 'commit' ? 'text' : 'c';
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
    '```' + lang,
    d.bad,
    '```',
    '',
    '## Good',
    '',
    '```' + lang,
    d.good,
    '```',
    '',
    ...optionsSection(rule),
  ].join('\n');
}

/** `## Options` (config `rules.<id>.options`), when the rule takes any. */
function optionsSection(rule: Rule): string[] {
  const options = Object.entries(rule.meta.options ?? {});
  if (options.length === 0) return [];
  return [
    '## Options',
    '',
    ...options.map(([key, spec]) => `- \`${key}\` (${spec.type}, default \`${JSON.stringify(spec.default)}\`): ${spec.description}`),
    '',
  ];
}
