/** Run the real CLI: in-process through main() (fast), or as a process through bin/pairlint.js. */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { inject } from 'vitest';
import { main } from '../../src/cli/main.js';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const BIN = fileURLToPath(new URL('../../bin/pairlint.js', import.meta.url));

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export interface JsonReport {
  version: number;
  findings: {
    ruleId: string;
    category: string;
    severity: string;
    message: string;
    file: string;
    line: number;
    endLine?: number;
    function: string | null;
    commit: { sha: string | null; subject: string; index?: number; total?: number } | null;
    related: { file: string; line: number; function: string | null; message: string }[];
    fingerprint: string;
    diffOnly?: boolean;
  }[];
  summary: { errors: number; warnings: number; infos: number; commits: number; files: number };
  series: { coverSubject: string | null; basedOn: string[] };
  notes: string[];
}

/** Learned pair tables of the tests' runs are cached here, not in the user's cache. */
export const TEST_CACHE_DIR = inject('testCacheDir');

export async function runCli(args: string[], options: { cwd?: string; stdin?: string | Buffer } = {}): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await main(args, {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    readStdin: () => Buffer.from(options.stdin ?? ''),
    cwd: options.cwd ?? process.cwd(),
    env: { PAIRLINT_CACHE_DIR: TEST_CACHE_DIR },
    isTTY: false,
  });
  return { code, stdout, stderr };
}

export async function runJson(args: string[], options: { cwd?: string; stdin?: string | Buffer } = {}): Promise<JsonReport & { code: number; stderr: string }> {
  // Options go before a `--` pathspec separator.
  const dd = args.indexOf('--');
  const withFormat = dd >= 0 ? [...args.slice(0, dd), '--format', 'json', ...args.slice(dd)] : [...args, '--format', 'json'];
  const run = await runCli(withFormat, options);
  if (run.code === 2) throw new Error(`pairlint failed: ${run.stderr}`);
  return { ...(JSON.parse(run.stdout) as JsonReport), code: run.code, stderr: run.stderr };
}

/** The built CLI as a separate process (what users and hooks run). */
export function runBin(args: string[], options: { cwd?: string; input?: string | Buffer; env?: NodeJS.ProcessEnv } = {}): CliRun {
  const res = spawnSync(process.execPath, [BIN, ...args], {
    cwd: options.cwd ?? REPO_ROOT,
    input: options.input,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', PAIRLINT_CACHE_DIR: TEST_CACHE_DIR, ...options.env },
  });
  return { code: res.status ?? -1, stdout: res.stdout, stderr: res.stderr };
}
