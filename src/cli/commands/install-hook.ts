/**
 * `pairlint install-hook pre-commit|commit-msg|sendemail-validate [--force]`:
 * write a plain POSIX sh git hook that runs this pairlint (absolute paths to
 * the current node and bin/pairlint.js, so no global install is needed).
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InputError, UsageError } from '../../errors.js';
import { gitMessage, runGit } from '../../git/run.js';

/** First line after the shebang of every hook we write; a hook without it is not ours. */
export const HOOK_MARKER = '# pairlint-hook: written by `pairlint install-hook`';

export const HOOK_KINDS = ['pre-commit', 'commit-msg', 'sendemail-validate'] as const;
export type HookKind = (typeof HOOK_KINDS)[number];

/** What each hook runs, after `node bin/pairlint.js`; `"$1"` is the hook's first argument. */
const HOOK_ARGS: Record<HookKind, { args: string; what: string }> = {
  'pre-commit': { args: '--staged', what: 'lints the staged change before each commit' },
  'commit-msg': { args: '--commit-msg "$1"', what: 'checks each commit message (git passes the message file)' },
  'sendemail-validate': { args: '"$1"', what: 'lints each patch git send-email is about to send' },
};

export function isHookKind(s: string): s is HookKind {
  return (HOOK_KINDS as readonly string[]).includes(s);
}

/** Quote for POSIX sh: single quotes, with ' written as '\''. */
export function shQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** bin/pairlint.js of the package this module belongs to (src/ under vitest, build/src/ when built). */
export function pairlintBin(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = join(dir, 'package.json');
    const bin = join(dir, 'bin', 'pairlint.js');
    if (existsSync(pkg) && existsSync(bin)) {
      try {
        if ((JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'pairlint') return realpathSync(bin);
      } catch {
        /* not our package.json; keep looking */
      }
    }
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  throw new InputError('cannot find bin/pairlint.js of this pairlint installation');
}

/** The hook script: POSIX sh, absolute paths, fails closed with a message if pairlint moved. */
export function hookScript(kind: HookKind, node: string, bin: string): string {
  const { args, what } = HOOK_ARGS[kind];
  return [
    '#!/bin/sh',
    HOOK_MARKER,
    `# git ${kind} hook: ${what}.`,
    `# Rewrite it with \`pairlint install-hook ${kind} --force\`; delete it to stop; skip once with --no-verify.`,
    `node=${shQuote(node)}`,
    `pairlint=${shQuote(bin)}`,
    'if [ ! -x "$node" ] || [ ! -f "$pairlint" ]; then',
    `  echo "pairlint ${kind} hook: $node or $pairlint is gone; run \\\`pairlint install-hook ${kind} --force\\\` again" >&2`,
    '  exit 1',
    'fi',
    `exec "$node" "$pairlint" ${args}`,
    '',
  ].join('\n');
}

export interface InstallHookResult {
  path: string;
  replaced: 'new' | 'ours' | 'forced';
}

/** The hooks directory git uses for the repository at `cwd` (honours core.hooksPath). */
export async function hooksDir(cwd: string): Promise<string> {
  const r = await runGit(cwd, ['rev-parse', '--git-path', 'hooks']);
  if (r.code !== 0) {
    const why = gitMessage(r.stderr);
    throw new InputError(/not a git repository/.test(why) ? `${cwd}: not a git repository (run it inside one, or use -C DIR)` : `${cwd}: ${why || `git exited ${r.code}`}`);
  }
  return resolve(cwd, r.stdout.toString('utf8').trim());
}

export async function installHook(
  kind: string,
  options: { cwd: string; force: boolean; node?: string; bin?: string },
): Promise<InstallHookResult> {
  if (!isHookKind(kind)) throw new UsageError(`unknown hook '${kind}' (one of: ${HOOK_KINDS.join(', ')})`);
  const dir = await hooksDir(options.cwd);
  const path = join(dir, kind);
  let replaced: InstallHookResult['replaced'] = 'new';
  if (existsSync(path)) {
    const old = readFileSync(path, 'utf8');
    if (old.includes(HOOK_MARKER)) replaced = 'ours';
    else if (options.force) replaced = 'forced';
    else {
      throw new UsageError(
        `${relative(options.cwd, path) || path} exists and was not written by pairlint; ` +
          `add --force to replace it, or call pairlint from it yourself`,
      );
    }
  }
  mkdirSync(dir, { recursive: true });
  writeFileSync(path, hookScript(kind, options.node ?? process.execPath, options.bin ?? pairlintBin()));
  chmodSync(path, 0o755);
  return { path, replaced };
}

export function installHookMessage(kind: HookKind, result: InstallHookResult, cwd: string): string {
  const shown = relative(cwd, result.path) || result.path;
  const verb = result.replaced === 'new' ? 'installed' : result.replaced === 'ours' ? 'updated' : 'replaced (--force)';
  return `${verb} ${shown}: ${HOOK_ARGS[kind].what} (pairlint ${HOOK_ARGS[kind].args.replace(/"\$1"/, kind === 'commit-msg' ? 'FILE' : 'PATCH')})\n`;
}
