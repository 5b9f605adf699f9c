/**
 * The runner protocol, through the Actions toolkit (@actions/core): inputs
 * (`INPUT_<NAME>`), outputs (`$GITHUB_OUTPUT`), the job summary
 * (`$GITHUB_STEP_SUMMARY`) and annotations (`::error file=...::`) are all
 * written by it. What is ours: a boolean input left empty takes the default
 * the code gives (the toolkit rejects an empty one), and a bad input is an
 * ActionInputError with one line that names the input.
 */
import * as core from '@actions/core';

export type Env = Readonly<Record<string, string | undefined>>;

export class ActionInputError extends Error {
  override name = 'ActionInputError';
}

/** An input's value, trimmed; '' when not set. */
export function getInput(name: string): string {
  return core.getInput(name);
}

/** A boolean input (YAML 1.2 core schema spellings, as the toolkit reads them); `fallback` when empty. */
export function getBooleanInput(name: string, fallback: boolean): boolean {
  const v = core.getInput(name);
  if (v === '') return fallback;
  try {
    return core.getBooleanInput(name);
  } catch {
    throw new ActionInputError(`input '${name}' must be true or false, got '${v}'`);
  }
}

/** Set the step's outputs; false when the runner gave no output file (nothing is written then). */
export function setOutputs(outputs: Readonly<Record<string, string>>): boolean {
  if (!process.env.GITHUB_OUTPUT) return false;
  for (const [name, value] of Object.entries(outputs)) core.setOutput(name, value);
  return true;
}

/** Append Markdown to the job summary; false when the runner gave no summary file. */
export async function appendSummary(markdown: string): Promise<boolean> {
  if (!process.env.GITHUB_STEP_SUMMARY) return false;
  await core.summary.addRaw(markdown, !markdown.endsWith('\n')).write();
  return true;
}
