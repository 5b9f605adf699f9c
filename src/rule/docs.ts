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

/**
 * `## Messages`: the rule's message templates (meta.messages) by id, for
 * `pairlint explain`. `{{name}}` placeholders are filled from each finding;
 * some templates are clauses other templates take as a value.
 */
export function ruleMessagesMarkdown(rule: Rule): string {
  const messages = Object.entries(rule.meta.messages);
  return [
    '## Messages',
    '',
    `The templates of what it says (\`{{name}}\` is filled from the finding; a short one is a clause of another, or a related location's message), by id (SARIF \`messageStrings\`):`,
    '',
    ...messages.map(([id, template]) => `- \`${id}\`: ${template}`),
    '',
  ].join('\n');
}
