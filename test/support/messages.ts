/** Commit messages for the commit-rule tests: lint one through `--commit-msg`, or as commits of a real repository. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../git/helpers.js';
import { runJson } from './cli.js';

/** Lint `message` with `pairlint --commit-msg` (a temp dir outside any repository unless `cwd` is given). */
export async function lintMessage(message: string, options: { cwd?: string; args?: string[]; name?: string } = {}) {
  const dir = options.cwd ?? tempDir('pairlint-msg-');
  const name = options.name ?? 'COMMIT_EDITMSG';
  writeFileSync(join(dir, name), message);
  return runJson(['--commit-msg', name, ...(options.args ?? [])], { cwd: dir });
}

/** Write a config file in a temp dir and return its path. */
export function configFile(config: unknown): string {
  const path = join(tempDir('pairlint-config-'), 'pairlint.json');
  writeFileSync(path, JSON.stringify(config));
  return path;
}

export const SOB = 'Signed-off-by: Ann Author <ann@example.org>';

/** A message with a subject, a body paragraph and the given trailer lines. */
export function message(subject: string, body: string, ...trailers: string[]): string {
  return `${subject}\n\n${body}\n${trailers.length > 0 ? `\n${trailers.join('\n')}\n` : ''}`;
}
