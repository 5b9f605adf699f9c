/**
 * The command line. Exit status: 0 no error-level finding (and warnings within
 * --max-warnings), 1 otherwise, 2 for usage, input or config errors.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import { InputError, PairlintError, UsageError } from '../errors.js';
import { RULES, RULE_IDS, RULE_OPTION_SPECS, findRule } from '../../rules/index.js';
import { loadConfig } from '../config/load.js';
import { lint, type LintResult } from '../engine/lint.js';
import { defaultCacheLocation } from '../engine/disk-cache.js';
import { REPORTERS } from '../report/index.js';
import { resolveInput } from './resolve-input.js';
import { initCParser } from '../cmodel/parse.js';
import { listRules } from './commands/rules.js';
import { ruleDocsMarkdown } from './commands/explain.js';
import { HOOK_KINDS, installHook, installHookMessage, isHookKind } from './commands/install-hook.js';
import { packageVersion } from './version.js';
import { applyBaseline, readBaseline, writeBaseline } from '../engine/baseline.js';
import { auditInput, collectCFiles } from '../audit/audit.js';
import { auditCallRule } from '../audit/check.js';

export interface CliIO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  readStdin: () => Buffer;
  cwd: string;
  env: NodeJS.ProcessEnv;
  isTTY: boolean;
}

const defaultIO = (): CliIO => ({
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  readStdin: () => readFileSync(0),
  cwd: process.cwd(),
  env: process.env,
  isTTY: Boolean(process.stdout.isTTY),
});

interface LintOptions {
  git?: string;
  staged?: boolean;
  tree?: string;
  C?: string;
  config?: string;
  format: string;
  output?: string;
  maxWarnings?: string;
  color?: boolean;
  debug?: boolean;
  commitMsg?: string;
  baseline?: string;
  writeBaseline?: string;
  cache?: boolean;
  cacheLocation?: string;
}

export function exitCodeFor(result: LintResult, maxWarnings: number | null): number {
  if (result.summary.errors > 0) return 1;
  if (maxWarnings !== null && result.summary.warnings > maxWarnings) return 1;
  return 0;
}

function parseMaxWarnings(v: string | undefined): number | null {
  if (v === undefined) return null;
  if (!/^\d+$/.test(v)) throw new UsageError(`--max-warnings takes a whole number, got '${v}'`);
  return Number(v);
}

/** `-o FILE`: relative to the working directory given to main(); a file that cannot be written is the user's error, on one line. */
function writeReport(io: CliIO, file: string, text: string): void {
  try {
    writeFileSync(resolve(io.cwd, file), text);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    throw new InputError(`-o ${file}: cannot write the report (${err.code ?? err.message})`);
  }
}

function buildProgram(io: CliIO, pathspec: string[], setCode: (c: number) => void): Command {
  const program = new Command();
  program
    .name('pairlint')
    .description(
      'Patch-review linter for QEMU: finds paired operations (region_add/region_del, map/unmap, ref/unref, ' +
        'register/unregister) changed on one side only.\n\n' +
        'Inputs: patch files (git diff, git format-patch, mbox; "-" for stdin), a revision range (A..B, A..) ' +
        'with an optional pathspec after --, --staged, or --commit-msg FILE (a commit message).',
    )
    .version(packageVersion(), '-V, --version')
    .argument('[inputs...]', 'patch files, "-" for stdin, or a revision range A..B')
    .option('--git <range>', 'lint the commits of a revision range')
    .option('--staged', 'lint the staged change (index vs HEAD), as a pre-commit hook does')
    .option('--commit-msg <file>', 'check a commit message file, as a commit-msg hook does (comments and the scissors line are dropped, as git does)')
    .option('--tree <dir>', 'source tree the patches apply to (when it is not a git repository)')
    .option('-C <dir>', 'run as if started in <dir> (the repository; bare ones work for ranges)')
    .option('--config <file>', 'config file (default: .pairlint.json at the repository root)')
    .addOption(new Option('-f, --format <format>', 'output format').choices(Object.keys(REPORTERS)).default('text'))
    .option('-o, --output <file>', 'write the report to a file')
    .option('--max-warnings <n>', 'exit 1 when there are more than n warnings')
    .option('--baseline <file>', 'report only findings whose fingerprint is not in this baseline file')
    .option('--write-baseline <file>', 'record the fingerprints of the current findings in this file (exit 0)')
    .option('--color', 'force colour in text output')
    .option('--no-color', 'no colour in text output')
    .option('--cache', 'keep C models on disk, keyed by blob id, and reuse them in later runs (see README "Model cache")')
    .option('--no-cache', 'no model cache (the default)')
    .option('--cache-location <dir>', 'where --cache keeps models (default: $XDG_CACHE_HOME/pairlint, else ~/.cache/pairlint)')
    .option('--debug', 'print stack traces for internal errors')
    .showHelpAfterError(false)
    // `audit` has its own --format and friends: options after a subcommand belong to it.
    .enablePositionalOptions()
    .exitOverride()
    // commander's own usage errors ("error: unknown option ...") read like ours: `pairlint: ...`
    .configureOutput({ writeOut: io.stdout, writeErr: (t) => io.stderr(t.startsWith('error: ') ? `pairlint: ${t.slice(7)}` : t) })
    .action(async (inputs: string[], opts: LintOptions) => {
      const maxWarnings = parseMaxWarnings(opts.maxWarnings);
      // compile the C parser's wasm (on V8's threads) while git reads the input;
      // lint() awaits it, and reports a failure
      initCParser().catch(() => undefined);
      const resolved = await resolveInput({
        operands: inputs,
        pathspec,
        git: opts.git ?? null,
        staged: opts.staged ?? false,
        tree: opts.tree ?? null,
        cwd: io.cwd,
        repoDir: opts.C ?? null,
        readStdin: io.readStdin,
        commitMsg: opts.commitMsg ?? null,
      });
      try {
        const config = loadConfig(opts.config ?? null, resolved.configRoot, RULE_IDS, RULE_OPTION_SPECS);
        // read the baseline before linting, so that a bad one fails fast
        const known = opts.baseline ? readBaseline(resolve(io.cwd, opts.baseline)) : null;
        const cacheLocation = opts.cache ? resolve(io.cwd, opts.cacheLocation ?? defaultCacheLocation(io.env)) : null;
        let result = await lint(resolved.commits, resolved.images, resolved.series, config, RULES, { repo: resolved.repo, cacheLocation });
        if (opts.writeBaseline) writeBaseline(resolve(io.cwd, opts.writeBaseline), result.findings);
        if (known) result = applyBaseline(result, known);
        const reporter = REPORTERS[opts.format];
        if (!reporter) throw new UsageError(`unknown format '${opts.format}'`);
        const color = opts.color === true ? true : opts.color === false ? false : io.isTTY && !io.env.NO_COLOR && !opts.output;
        const text = reporter.format(result, { color, rules: RULES, cwd: io.cwd });
        if (opts.output) writeReport(io, opts.output, text);
        else io.stdout(text);
        setCode(opts.writeBaseline ? 0 : exitCodeFor(result, maxWarnings));
      } finally {
        await resolved.repo?.close();
      }
    });

  program
    .command('audit')
    .description('check the pairs in files as they are (no diff): every listener and primitive pair under PATHS')
    .argument('[paths...]', 'files or directories (default: the current directory)')
    .option('--config <file>', 'config file (default: .pairlint.json in the current directory)')
    .addOption(new Option('-f, --format <format>', 'output format').choices(Object.keys(REPORTERS)).default('text'))
    .option('-o, --output <file>', 'write the report to a file')
    .option('--max-warnings <n>', 'exit 1 when there are more than n warnings')
    .action(async (paths: string[], opts: { config?: string; format: string; output?: string; maxWarnings?: string }) => {
      const maxWarnings = parseMaxWarnings(opts.maxWarnings);
      const files = collectCFiles(io.cwd, paths);
      const input = auditInput(io.cwd, files);
      const config = loadConfig(opts.config ?? null, io.cwd, RULE_IDS, RULE_OPTION_SPECS);
      const result = await lint(input.commits, input.images, input.series, config, [auditCallRule]);
      result.summary.commits = 0;
      const reporter = REPORTERS[opts.format] as (typeof REPORTERS)[string];
      const text = reporter.format(result, { color: io.isTTY && !io.env.NO_COLOR && !opts.output, rules: RULES, cwd: io.cwd });
      if (opts.output) writeReport(io, opts.output, text);
      else io.stdout(text);
      setCode(exitCodeFor(result, maxWarnings));
    });

  program
    .command('rules')
    .description('list the rules with their default severity')
    .action(() => io.stdout(listRules(RULES)));

  program
    .command('explain')
    .description("print a rule's docs: what, why, how to fix, a bad and a good example")
    .argument('<rule>', 'rule id (see `pairlint rules`)')
    .action((id: string) => {
      const rule = findRule(id);
      if (!rule) throw new UsageError(`unknown rule '${id}' (see \`pairlint rules\`)`);
      io.stdout(ruleDocsMarkdown(rule));
    });

  program
    .command('install-hook')
    .description(`write a git hook that runs pairlint (${HOOK_KINDS.join(', ')}) into the repository's hooks directory`)
    .argument('<hook>', HOOK_KINDS.join(' | '))
    .option('--force', 'replace a hook that pairlint did not write')
    .action(async (kind: string, opts: { force?: boolean }) => {
      const dir = program.opts<{ C?: string }>().C;
      const cwd = dir ? resolve(io.cwd, dir) : io.cwd;
      const result = await installHook(kind, { cwd, force: opts.force ?? false });
      if (isHookKind(kind)) io.stdout(installHookMessage(kind, result, cwd));
    });
  return program;
}

/**
 * An error message as the one line the exit-2 contract promises: line breaks
 * that came in with the data (a file name from a patch, a git message) are
 * shown escaped instead of cutting the message short.
 */
function oneLine(message: string): string {
  return message.trimEnd().replace(/\r/g, '\\r').replace(/\n/g, '\\n');
}

/** Run the CLI; returns the exit status instead of exiting (tests call this too). */
export async function main(argv: string[], io: CliIO = defaultIO()): Promise<number> {
  // A pathspec follows `--` (as in `git log A..B -- hw/vfio`); commander must not see it.
  const dd = argv.indexOf('--');
  const pathspec = dd >= 0 ? argv.slice(dd + 1) : [];
  const args = dd >= 0 ? argv.slice(0, dd) : argv;
  const debug = args.includes('--debug');
  let code = 0;
  const program = buildProgram(io, pathspec, (c) => {
    code = c;
  });
  try {
    await program.parseAsync(args, { from: 'user' });
    return code;
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version end here with exit code 0; commander already printed.
      return err.exitCode === 0 ? 0 : 2;
    }
    if (err instanceof PairlintError) {
      io.stderr(`pairlint: ${oneLine(err.message)}\n`);
      return err.exitCode;
    }
    const e = err as Error;
    io.stderr(`pairlint: internal error: ${oneLine(e?.message ?? String(err))}\n`);
    if (debug && e?.stack) io.stderr(e.stack + '\n');
    return 2;
  }
}
