/**
 * A rule's message rendered from its template (`meta.messages[messageId]`)
 * and the report's data. A bad id or a placeholder without a value throws:
 * it is a bug in the rule, and a blank in a finding would hide it.
 */
import type { MessageData } from './rule.js';
import { displayToggles } from '../cmodel/toggles.js';

export class MessageError extends Error {
  override name = 'MessageError';
}

/** `{{name}}`, as ESLint writes placeholders (spaces inside the braces allowed) */
const PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

export function renderMessage(ruleId: string, messages: Readonly<Record<string, string>>, messageId: string, data: MessageData | undefined): string {
  // own properties only: 'toString' is no message id
  const template = Object.hasOwn(messages, messageId) ? messages[messageId] : undefined;
  if (template === undefined) throw new MessageError(`rule ${ruleId}: no message "${messageId}" in meta.messages`);
  // one pass: a value that itself looks like {{x}} (C code, a subject) is not expanded again
  const text = template.replace(PLACEHOLDER, (_, name: string) => {
    const value = data !== undefined && Object.hasOwn(data, name) ? data[name] : undefined;
    if (value === undefined) throw new MessageError(`rule ${ruleId}: message "${messageId}" has no value for {{${name}}}`);
    return String(value);
  });
  // a switch's side as the call a reader knows (`fx_change(…, false)`), not as the model names it
  return displayToggles(text);
}

/** The placeholders of a template, for checks that a rule's data fits its messages. */
export function placeholders(template: string): string[] {
  return [...template.matchAll(PLACEHOLDER)].map((m) => m[1] as string);
}

/**
 * A template as a numbered format string: each distinct `{{name}}` becomes
 * `{0}`, `{1}`, ... in the order the names first appear, and literal braces
 * are doubled (`{{`, `}}`), as SARIF 2.1.0 message strings write them
 * (§3.11.5, reportingDescriptor.messageStrings). `names[i]` is the data key
 * whose value is argument `i`.
 */
export function numberedTemplate(template: string): { text: string; names: string[] } {
  const names: string[] = [];
  let text = '';
  let last = 0;
  const literal = (s: string) => s.replace(/[{}]/g, (b) => b + b);
  for (const m of template.matchAll(PLACEHOLDER)) {
    const name = m[1] as string;
    if (!names.includes(name)) names.push(name);
    text += literal(template.slice(last, m.index)) + `{${names.indexOf(name)}}`;
    last = (m.index ?? 0) + m[0].length;
  }
  return { text: text + literal(template.slice(last)), names };
}
