/**
 * Spawning git: always with an argument array (never a shell), with settings
 * that keep the output machine-readable whatever the user's config says.
 */
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { InputError } from '../errors.js';

/**
 * `-c` settings put before every git subcommand, so that user config cannot
 * change the shape of the output we parse.
 */
export const GIT_CONFIG_ARGS: readonly string[] = [
  '-c', 'core.quotePath=false',
  '-c', 'diff.noprefix=false',
  '-c', 'diff.mnemonicPrefix=false',
  '-c', 'diff.suppressBlankEmpty=false',
  '-c', 'diff.relative=false',
  '-c', 'log.showSignature=false',
  '-c', 'log.follow=false',
  '-c', 'color.ui=false',
];

/** Options shared by every command that prints a patch. */
export const DIFF_ARGS: readonly string[] = [
  '-M',
  '--full-index',
  '--no-color',
  '--no-ext-diff',
  '--no-textconv',
  '--src-prefix=a/',
  '--dst-prefix=b/',
  '-U3',
];

const spawnCounts = new Map<string, number>();

/**
 * How many git processes were started, per subcommand (`cat-file`, `log`, ...),
 * since the program started. For tests and diagnostics.
 */
export function gitSpawnCount(subcommand?: string): number {
  if (subcommand !== undefined) return spawnCounts.get(subcommand) ?? 0;
  let n = 0;
  for (const v of spawnCounts.values()) n += v;
  return n;
}

function subcommandOf(args: readonly string[]): string {
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string;
    if (a === '-c' || a === '-C') {
      i++;
      continue;
    }
    if (!a.startsWith('-')) return a;
  }
  return '?';
}

function gitEnv(): NodeJS.ProcessEnv {
  return {
    ...process.env,
    // messages we may match on must be untranslated
    LC_ALL: 'C',
    LANGUAGE: 'C',
    GIT_TERMINAL_PROMPT: '0',
    GIT_PAGER: 'cat',
    PAGER: 'cat',
    GIT_OPTIONAL_LOCKS: '0',
  };
}

/** Start `git -C cwd <GIT_CONFIG_ARGS> args...`. Throws InputError when git cannot be run. */
export function spawnGit(cwd: string, args: readonly string[], options: SpawnOptions = {}): ChildProcess {
  const full = ['-C', cwd, ...GIT_CONFIG_ARGS, ...args];
  const sub = subcommandOf(args);
  spawnCounts.set(sub, (spawnCounts.get(sub) ?? 0) + 1);
  const child = spawn('git', full, {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: gitEnv(),
    windowsHide: true,
    ...options,
    shell: false,
  });
  return child;
}

export interface GitResult {
  code: number;
  stdout: Buffer;
  stderr: string;
}

/** First line of git's stderr, without the "fatal: " / "error: " prefix. */
export function gitMessage(stderr: string): string {
  const line = stderr.split('\n').find((l) => l.trim() !== '') ?? '';
  return line.replace(/^(fatal|error|warning):\s*/, '').trim();
}

export function gitMissingError(err: NodeJS.ErrnoException): InputError {
  return new InputError(`cannot run git: ${err.code === 'ENOENT' ? 'git is not installed or not in PATH' : err.message}`);
}

/**
 * Run git to completion and collect its output. Resolves with the exit code
 * (does not throw on a non-zero exit); rejects with InputError when git cannot
 * be started.
 */
export function runGit(cwd: string, args: readonly string[], input?: string): Promise<GitResult> {
  return new Promise((resolve, reject) => {
    let child: ChildProcess;
    try {
      child = spawnGit(cwd, args, { stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
    } catch (e) {
      reject(gitMissingError(e as NodeJS.ErrnoException));
      return;
    }
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout?.on('data', (b: Buffer) => out.push(b));
    child.stderr?.on('data', (b: Buffer) => err.push(b));
    child.on('error', (e: NodeJS.ErrnoException) => reject(gitMissingError(e)));
    child.on('close', (code, signal) => {
      resolve({
        code: code ?? (signal ? 128 : 1),
        stdout: Buffer.concat(out),
        stderr: Buffer.concat(err).toString('utf8'),
      });
    });
    if (input !== undefined && child.stdin) {
      child.stdin.on('error', () => {
        /* git exited early; the exit code tells */
      });
      child.stdin.end(input);
    }
  });
}

/** Run git and return stdout as text; throws InputError with git's message on failure. */
export async function gitText(cwd: string, args: readonly string[], what: string): Promise<string> {
  const r = await runGit(cwd, args);
  if (r.code !== 0) {
    throw new InputError(`${what}: ${gitMessage(r.stderr) || `git ${subcommandOf(args)} failed (exit ${r.code})`}`);
  }
  return r.stdout.toString('utf8');
}
