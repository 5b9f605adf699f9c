/**
 * The few pieces of the GitHub Actions runner protocol the action needs,
 * written out instead of depending on @actions/core:
 *  - inputs arrive as env `INPUT_<NAME>`: the name upper-cased, spaces turned
 *    into `_`, dashes kept (`fail-on` → `INPUT_FAIL-ON`);
 *  - outputs are appended to the file named by `GITHUB_OUTPUT` in the
 *    multi-line form `name<<DELIM\nvalue\nDELIM\n`;
 *  - the job summary is Markdown appended to the file named by `GITHUB_STEP_SUMMARY`;
 *  - log lines `::error ...::msg` / `::warning` / `::notice` become annotations.
 */
import { appendFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { escapeData, escapeProperty } from '../report/github.js';

export type Env = Readonly<Record<string, string | undefined>>;

export class ActionInputError extends Error {
  override name = 'ActionInputError';
}

export function inputEnvName(name: string): string {
  return `INPUT_${name.replace(/ /g, '_').toUpperCase()}`;
}

/** An input's value, trimmed; '' when not set. */
export function getInput(env: Env, name: string): string {
  return (env[inputEnvName(name)] ?? '').trim();
}

/** A boolean input (YAML 1.2 core schema spellings, as the Actions toolkit accepts); `fallback` when empty. */
export function getBooleanInput(env: Env, name: string, fallback: boolean): boolean {
  const v = getInput(env, name);
  if (v === '') return fallback;
  if (['true', 'True', 'TRUE'].includes(v)) return true;
  if (['false', 'False', 'FALSE'].includes(v)) return false;
  throw new ActionInputError(`input '${name}' must be true or false, got '${v}'`);
}

/** One output in the multi-line-safe form; the delimiter is random and checked against the value. */
export function formatOutput(name: string, value: string): string {
  let delimiter = `ghadelimiter_${randomUUID()}`;
  while (name.includes(delimiter) || value.includes(delimiter)) delimiter = `ghadelimiter_${randomUUID()}`;
  return `${name}<<${delimiter}\n${value}\n${delimiter}\n`;
}

/** Append outputs to $GITHUB_OUTPUT; false when the runner gave no output file. */
export function setOutputs(env: Env, outputs: Readonly<Record<string, string>>): boolean {
  const file = env.GITHUB_OUTPUT;
  if (!file) return false;
  appendFileSync(file, Object.entries(outputs).map(([k, v]) => formatOutput(k, v)).join(''));
  return true;
}

/** Append Markdown to $GITHUB_STEP_SUMMARY; false when the runner gave no summary file. */
export function appendSummary(env: Env, markdown: string): boolean {
  const file = env.GITHUB_STEP_SUMMARY;
  if (!file) return false;
  appendFileSync(file, markdown.endsWith('\n') ? markdown : markdown + '\n');
  return true;
}

/** A workflow command line (`::error title=pairlint::message`), escaped. */
export function workflowCommandLine(
  command: 'error' | 'warning' | 'notice' | 'group' | 'endgroup',
  message: string,
  properties: Readonly<Record<string, string>> = {},
): string {
  const props = Object.entries(properties)
    .map(([k, v]) => `${k}=${escapeProperty(v)}`)
    .join(',');
  return `::${command}${props ? ' ' + props : ''}::${escapeData(message)}`;
}
