/**
 * The command line. Exit status: 0 no error-level finding (and warnings within
 * --max-warnings), 1 otherwise, 2 for usage, input or config errors.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import { InputError, PairlintError, UsageError } from '../errors.js';
import { RULES, RULE_IDS, RULE_OPTION_SPECS, findRule } from '../../rules/index.js';
import { loadConfig, resolveConfig, type ResolvedConfig } from '../config/load.js';
import { didYouMean } from '../config/suggest.js';
import { lint, type LintResult } from '../engine/lint.js';
import { defaultCacheLocation } from '../engine/disk-cache.js';
import { REPORTERS } from '../report/index.js';
import { resolveInput } from './resolve-input.js';
import { initCParser } from '../cmodel/parse.js';
import { listRules, rulesJson } from './commands/rules.js';
import { ruleDocsMarkdown, ruleMessagesMarkdown } from '../rule/docs.js';
import { HOOK_KINDS, installHook, installHookMessage, isHookKind } from './commands/install-hook.js';
import { packageVersion } from '../version.js';
import { applyBaseline, readBaseline, writeBaseline } from '../engine/baseline.js';
import { auditInput, collectCFiles } from '../audit/audit.js';
import { auditCallRule } from '../audit/check.js';
import { learnBase, type LearnOptions, type LearnSource } from '../engine/learn-base.js';
import { pairsReport, selectPairs, selectWrappers } from './commands/pairs.js';
import { openRepo, type GitRepo } from '../git/repo.js';
import { existsSync, statSync } from 'node:fs';
import { defaultCacheDir } from '../pairs/learn/cache.js';

/** Where learned pair tables are cached, unless `--no-cache`. */
function learnOptions(io: CliIO, cache: boolean, location?: string): LearnOptions {
  const cacheDir = cache ? (location !== undefined ? resolve(io.cwd, location) : defaultCacheDir(io.env)) : null;
  return { cacheDir, version: packageVersion(), jobs: miningJobs(io.env) };
}

/** PAIRLINT_JOBS: worker threads for mining the learned pairs (1: none); unset or empty: automatic. */
function miningJobs(env: NodeJS.ProcessEnv): number | undefined {
  const raw = env.PAIRLINT_JOBS?.trim();
  if (raw === undefined || raw === '') return undefined;
  if (!/^[1-9]\d{0,2}$/.test(raw)) throw new PairlintError(`PAIRLINT_JOBS must be a whole number from 1 to 999, not '${raw}'`);
  return Number(raw);
}
import { registerB4Check } from './commands/b4-check.js';
import { fixPatch } from '../fix/patch.js';

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

/**
 * Colour in text output, in this order: `--color` / `--no-color`; then a
 * report written with -o (off); then FORCE_COLOR (set and not `0`/`false`:
 * on; `0`/`false`: off); then NO_COLOR (set and not empty: off); then
 * TERM=dumb (off); else on for a terminal.
 */
export function useColor(flag: boolean | undefined, env: NodeJS.ProcessEnv, isTTY: boolean, toFile: boolean): boolean {
  if (flag === true || flag === false) return flag;
  if (toFile) return false;
  const force = env.FORCE_COLOR;
  if (force !== undefined && force !== '') return force !== '0' && force.toLowerCase() !== 'false';
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.TERM === 'dumb') return false;
  return isTTY;
}

/** A comma-separated list of rule ids (`--select`, `--ignore`), each checked. */
function ruleList(option: string, value: string | undefined): string[] | null {
  if (value === undefined) return null;
  const ids = value.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (ids.length === 0) throw new UsageError(`${option} takes rule ids, separated by commas (see \`pairlint rules\`)`);
  for (const id of ids) {
    if (!RULE_IDS.has(id)) throw new UsageError(`${option}: unknown rule '${id}'${didYouMean(id, RULE_IDS)} (see \`pairlint rules\`)`);
  }
  return ids;
}

/** --select (only these rules, at their configured or default severity) and --ignore (these off) on top of the config. */
function applyRuleSelection(config: ResolvedConfig, select: string[] | null, ignore: string[] | null): void {
  if (select) {
    for (const rule of RULES) {
      const id = rule.meta.id;
      if (!select.includes(id)) config.severities.set(id, 'off');
      else if (config.severities.get(id) === 'off') config.severities.set(id, rule.meta.severity);
    }
  }
  for (const id of ignore ?? []) config.severities.set(id, 'off');
}

interface LintOptions {
  git?: string;
  staged?: boolean;
  tree?: string;
  C?: string;
  format: string;
  output?: string;
  maxWarnings?: string;
  color?: boolean;
  debug?: boolean;
  commitMsg?: string;
  baseline?: string;
  writeBaseline?: string;
  cache?: boolean;
  fixPatch?: string;
  /** commander's --no-config: false when given */
  config?: string | false;
  quiet?: boolean;
  select?: string;
  ignore?: string;
  exitZero?: boolean;
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
function writeReport(io: CliIO, file: string, text: string, option = '-o'): void {
  try {
    writeFileSync(resolve(io.cwd, file), text);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    throw new InputError(`${option} ${file}: cannot write the ${option === '-o' ? 'report' : 'patch'} (${err.code ?? err.message})`);
  }
}

/** `--fix-patch FILE`: the fixes of the findings reported, as one patch (empty when none is offered); a note says how many. */
function writeFixPatch(io: CliIO, file: string, result: LintResult): LintResult {
  const patch = fixPatch(result.findings, result.fixBase ?? new Map());
  writeReport(io, file, patch, '--fix-patch');
  const fixes = result.findings.filter((f) => f.fix).length;
  const note =
    patch === ''
      ? `--fix-patch ${file}: no fix to offer (empty file)`
      : `--fix-patch ${file}: ${fixes} suggested fix${fixes === 1 ? '' : 'es'} (${fixes === 1 ? 'it changes' : 'they change'} behaviour: review before \`git apply\`)`;
  return { ...result, notes: [...result.notes, note] };
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
    .option('--no-config', 'use no config file: the defaults (preset qemu) only')
    .option('--select <rules>', 'run only these rules (comma-separated ids), at their configured or default severity')
    .option('--ignore <rules>', 'turn these rules off (comma-separated ids)')
    .option('-q, --quiet', 'report errors only (warnings and infos are counted, not listed)')
    .option('--exit-zero', 'exit 0 even when there are findings (2 still means a usage, input or config error)')
    .addOption(new Option('-f, --format <format>', 'output format').choices(Object.keys(REPORTERS)).default('text'))
    .option('-o, --output <file>', 'write the report to a file')
    .option('--max-warnings <n>', 'exit 1 when there are more than n warnings')
    .option('--baseline <file>', 'report only findings whose fingerprint is not in this baseline file')
    .option('--write-baseline <file>', 'record the fingerprints of the current findings in this file (exit 0)')
    .option('--fix-patch <file>', 'write the suggested fixes (mechanical, local; review before applying) as a patch against the post-image')
    .option('--color', 'colour in text output, whatever the environment says')
    .option('--no-color', 'no colour in text output (also: NO_COLOR set, TERM=dumb; FORCE_COLOR=1 turns it on)')
    .option('--cache', 'also keep C models on disk, keyed by blob id, and reuse them in later runs (see README "Model cache")')
    .option('--no-cache', 'no cache at all: mine the base tree\'s pairs again (their cache is on by default) and keep no models')
    .option('--cache-location <dir>', 'where caches are kept (default: $PAIRLINT_CACHE_DIR, else $XDG_CACHE_HOME/pairlint, else ~/.cache/pairlint)')
    .option('--debug', 'print stack traces for internal errors')
    .showHelpAfterError(false)
    // `audit` has its own --format and friends: options after a subcommand belong to it.
    .enablePositionalOptions()
    .exitOverride()
    // commander's own usage errors ("error: unknown option ...") read like ours: `pairlint: ...`
    .configureOutput({ writeOut: io.stdout, writeErr: (t) => io.stderr(t.startsWith('error: ') ? `pairlint: ${t.slice(7)}` : t) })
    .action(async (inputs: string[], opts: LintOptions) => {
      const maxWarnings = parseMaxWarnings(opts.maxWarnings);
      const select = ruleList('--select', opts.select);
      const ignore = ruleList('--ignore', opts.ignore);
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
        const config =
          opts.config === false ? resolveConfig({}, null) : loadConfig(opts.config ?? null, resolved.configRoot, RULE_IDS, RULE_OPTION_SPECS);
        applyRuleSelection(config, select, ignore);
        // read the baseline before linting, so that a bad one fails fast
        const known = opts.baseline ? readBaseline(resolve(io.cwd, opts.baseline)) : null;
        await learnBase(config.pairs, resolved.learnSource, learnOptions(io, opts.cache !== false, opts.cacheLocation));
        const cacheLocation = opts.cache ? resolve(io.cwd, opts.cacheLocation ?? defaultCacheLocation(io.env)) : null;
        let result = await lint(resolved.commits, resolved.images, resolved.series, config, RULES, { repo: resolved.repo, cacheLocation });
        if (opts.writeBaseline) writeBaseline(resolve(io.cwd, opts.writeBaseline), result.findings);
        if (known) result = applyBaseline(result, known);
        if (opts.fixPatch) result = writeFixPatch(io, opts.fixPatch, result);
        result.notes.unshift(...(resolved.notes ?? []));
        if (pathspec.length > 0 && result.summary.commits === 0) {
          result.notes.push(`the pathspec '${pathspec.join(' ')}' matches no file changed in ${inputs.join(' ') || opts.git}: nothing was checked`);
        }
        const code = opts.writeBaseline || opts.exitZero ? 0 : exitCodeFor(result, maxWarnings);
        // --quiet: errors only in the report (the summary still counts everything)
        if (opts.quiet) result = { ...result, findings: result.findings.filter((f) => f.severity === 'error') };
        const reporter = REPORTERS[opts.format];
        if (!reporter) throw new UsageError(`unknown format '${opts.format}'`);
        const color = useColor(opts.color, io.env, io.isTTY, Boolean(opts.output));
        // in a hook (pre-commit, commit-msg) a clean text report says nothing, as git's own hooks do
        const hook = Boolean(opts.staged || opts.commitMsg) && opts.format === 'text' && !opts.output;
        const silent = hook && result.findings.length === 0 && !result.notes.some((n) => n.startsWith('not checked: '));
        const text = silent ? '' : reporter.format(result, { color, rules: RULES, cwd: io.cwd });
        if (opts.output) writeReport(io, opts.output, text);
        else io.stdout(text);
        setCode(code);
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
      const text = reporter.format(result, { color: useColor(program.opts<{ color?: boolean }>().color, io.env, io.isTTY, Boolean(opts.output)), rules: RULES, cwd: io.cwd });
      if (opts.output) writeReport(io, opts.output, text);
      else io.stdout(text);
      setCode(exitCodeFor(result, maxWarnings));
    });

  program
    .command('pairs')
    .description('print the pairs learned from the code base (with their evidence) and the constructor wrappers of a known acquire, or those naming NAME')
    .argument('[name]', 'a function name: only the pairs it is a side of')
    .option('--tree <dir>', 'learn from this source directory instead of the repository')
    .option('--rev <rev>', 'learn from the repository tree at this revision', 'HEAD')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json']).default('text'))
    .option('--no-cache', 'mine again instead of reading the cache')
    .action(async (name: string | undefined, opts: { tree?: string; rev: string; format: 'text' | 'json'; cache?: boolean }) => {
      const dir = program.opts<{ C?: string }>().C;
      const cwd = dir ? resolve(io.cwd, dir) : io.cwd;
      const config = loadConfig(null, cwd, RULE_IDS, RULE_OPTION_SPECS);
      let source: LearnSource;
      let repo: GitRepo | null = null;
      if (opts.tree) {
        const tree = resolve(io.cwd, opts.tree);
        if (!existsSync(tree) || !statSync(tree).isDirectory()) throw new InputError(`--tree ${opts.tree}: no such directory`);
        source = { kind: 'dir', dir: tree };
      } else {
        repo = await openRepo(cwd);
        if (!repo) throw new InputError(`${cwd}: not a git repository (use --tree DIR or -C DIR)`);
        if ((await repo.resolve(opts.rev)) === null) throw new InputError(`--rev ${opts.rev}: unknown revision`);
        source = { kind: 'git', repo, rev: opts.rev };
      }
      try {
        const outcome = await learnBase(config.pairs, source, learnOptions(io, opts.cache !== false));
        io.stdout(pairsReport(selectPairs(config.pairs.learnedPairs(), name), outcome, opts.format, selectWrappers(config.pairs.learned.wrappers(), name).filter((w) => config.pairs.wrappedAcquire(w.wrapper) !== null)));
      } finally {
        await repo?.close();
      }
    });

  program
    .command('rules')
    .description('list the rules with their default severity')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action((opts: { format: string }) => io.stdout(opts.format === 'json' ? rulesJson(RULES) : listRules(RULES)));

  program
    .command('explain')
    .description("print a rule's docs: what, why, how to fix, a bad and a good example, its options and its message templates")
    .argument('<rule>', 'rule id (see `pairlint rules`)')
    .action((id: string) => {
      const rule = findRule(id);
      if (!rule) throw new UsageError(`unknown rule '${id}'${didYouMean(id, RULE_IDS)} (see \`pairlint rules\`)`);
      io.stdout(ruleDocsMarkdown(rule) + '\n' + ruleMessagesMarkdown(rule));
    });

  registerB4Check(program, io, setCode);

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
