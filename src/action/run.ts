/**
 * The GitHub Action: lint the commits of a pull request or push with the
 * engine in-process (resolveInput → loadConfig → lint), then report through
 * the runner with the Actions toolkit (@actions/core): annotations, the job
 * summary and step outputs; and a SARIF file for code scanning.
 *
 * It reads git objects and a JSON config from the checked-out repository and
 * never runs anything from it: pull requests come from strangers.
 */
import * as core from '@actions/core';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { PairlintError } from '../errors.js';
import { RULES, RULE_IDS, RULE_OPTION_SPECS } from '../../rules/index.js';
import { loadConfig } from '../config/load.js';
import { learnBase } from '../engine/learn-base.js';
import { packageVersion } from '../version.js';
import { lint, type LintResult } from '../engine/lint.js';
import type { Finding, Severity } from '../rule/finding.js';
import { REPORTERS } from '../report/index.js';
import { annotationMessage } from '../report/github.js';
import { messagePlace } from '../report/commit-title.js';
import { isCommitMessageFinding } from '../model/commit-message.js';
import { escapeMarkdown } from '../report/markdown.js';
import { resolveInput } from '../cli/resolve-input.js';
import { diffOnlyImages } from '../images/source.js';
import { emptySeriesInfo } from '../series/model.js';
import { ActionInputError, appendSummary, getBooleanInput, getInput, setOutputs, type Env } from './env.js';
import { chooseRange } from './range.js';

/** GitHub shows at most this many annotations of each level from one step. */
export const ANNOTATION_LIMIT = 10;

export const FAIL_ON = ['error', 'warning', 'never'] as const;

/** The inputs and outputs action.yml declares (a test keeps the two in step). */
export const ACTION_INPUTS = ['range', 'config', 'fail-on', 'sarif-file', 'annotations', 'summary'] as const;
export const ACTION_OUTPUTS = ['findings', 'errors', 'warnings', 'sarif-file'] as const;
export type FailOn = (typeof FAIL_ON)[number];

export interface ActionIO {
  /** the process's working directory (GITHUB_WORKSPACE is resolved against it) */
  cwd: string;
}

export interface ActionInputs {
  range: string;
  config: string | null;
  failOn: FailOn;
  sarifFile: string | null;
  annotations: boolean;
  summary: boolean;
}

export function readInputs(): ActionInputs {
  const failOn = getInput('fail-on') || 'error';
  if (!(FAIL_ON as readonly string[]).includes(failOn)) {
    throw new ActionInputError(`input 'fail-on' must be one of ${FAIL_ON.join(', ')}, got '${failOn}'`);
  }
  return {
    range: getInput('range'),
    config: getInput('config') || null,
    failOn: failOn as FailOn,
    sarifFile: getInput('sarif-file') || null,
    annotations: getBooleanInput('annotations', true),
    summary: getBooleanInput('summary', true),
  };
}

export function failed(result: LintResult, failOn: FailOn): boolean {
  if (failOn === 'never') return false;
  if (failOn === 'warning') return result.summary.errors + result.summary.warnings > 0;
  return result.summary.errors > 0;
}

/** Split findings into those annotated (the first ANNOTATION_LIMIT per level) and the rest. */
export function capAnnotations(
  findings: readonly Finding[],
  already: Partial<Record<Severity, number>> = {},
): { annotated: Finding[]; overflow: Finding[] } {
  const used: Record<Severity, number> = { error: 0, warning: 0, info: 0, ...already };
  const annotated: Finding[] = [];
  const overflow: Finding[] = [];
  for (const f of findings) {
    if (used[f.severity] < ANNOTATION_LIMIT) {
      used[f.severity]++;
      annotated.push(f);
    } else overflow.push(f);
  }
  return { annotated, overflow };
}

function place(f: Finding): string {
  return isCommitMessageFinding(f) ? messagePlace(f) : `${f.file}:${f.line}`;
}

function overflowLine(f: Finding): string {
  return `${place(f)}: ${f.severity}: ${f.message} [${f.ruleId}]`;
}

function overflowMarkdown(overflow: readonly Finding[], summaryHasAll: boolean): string {
  const head =
    `**pairlint:** ${overflow.length} finding${overflow.length === 1 ? ' is' : 's are'} not shown as annotations ` +
    `(GitHub shows at most ${ANNOTATION_LIMIT} annotations of each level per step)`;
  if (summaryHasAll) return `\n${head}; the report above lists them all.\n`;
  const items = overflow.map((f) => `- ${isCommitMessageFinding(f) ? escapeMarkdown(place(f)) : `\`${place(f)}\``} ${f.severity}: ${escapeMarkdown(f.message)} \\[${f.ruleId}\\]`);
  return `\n${head}:\n\n${items.join('\n')}\n`;
}

function report(name: string): NonNullable<(typeof REPORTERS)[string]> {
  const r = REPORTERS[name];
  if (!r) throw new Error(`reporter '${name}' is missing from this build`);
  return r;
}

async function lintRange(workspace: string, range: string, configPath: string | null): Promise<LintResult> {
  const resolved = await resolveInput({
    operands: [],
    pathspec: [],
    git: range,
    staged: false,
    tree: null,
    cwd: workspace,
    repoDir: null,
    readStdin: () => Buffer.alloc(0),
  });
  try {
    // as the CLI does: rule options checked, the repository at hand for lookups (Fixes: tags)
    const config = loadConfig(configPath, resolved.configRoot, RULE_IDS, RULE_OPTION_SPECS);
    // the runner is fresh each job: the base tree is mined without a cache (RUNNER_TEMP would not outlive the job)
    await learnBase(config.pairs, resolved.learnSource, { cacheDir: null, version: packageVersion() });
    return await lint(resolved.commits, resolved.images, resolved.series, config, RULES, { repo: resolved.repo });
  } finally {
    await resolved.repo?.close();
  }
}

/** The result of linting no commits (a push that deleted a branch), in the engine's own shape. */
async function emptyResult(): Promise<LintResult> {
  return lint([], diffOnlyImages(), emptySeriesInfo(), loadConfig(null, null, RULE_IDS, RULE_OPTION_SPECS), RULES);
}

/**
 * One finding as an annotation on its file and lines; one in a commit
 * message (COMMIT_MSG, no file GitHub can show) as an annotation without a
 * file, which GitHub shows on the workflow run.
 */
function annotate(f: Finding): void {
  const properties: core.AnnotationProperties = { title: `pairlint ${f.ruleId}` };
  if (!isCommitMessageFinding(f)) {
    properties.file = f.file;
    properties.startLine = f.line;
    if (f.endLine !== undefined && f.endLine >= f.line) properties.endLine = f.endLine;
  }
  const message = annotationMessage(f);
  if (f.severity === 'error') core.error(message, properties);
  else if (f.severity === 'warning') core.warning(message, properties);
  else core.notice(message, properties);
}

/**
 * Run the action with the runner's environment `env` (the toolkit reads
 * process.env itself); returns the exit status (0 pass, 1 findings at or
 * above fail-on, 2 bad input).
 */
export async function runAction(env: Env, io: ActionIO): Promise<number> {
  try {
    const inputs = readInputs();
    const workspace = resolve(io.cwd, env.GITHUB_WORKSPACE || '.');
    const choice = await chooseRange(env, workspace, inputs.range);
    if (choice.notice) core.notice(choice.notice, { title: 'pairlint' });
    core.info(`pairlint: ${choice.description}`);
    const configPath = inputs.config ? resolve(workspace, inputs.config) : null;
    const result = choice.range === null ? await emptyResult() : await lintRange(workspace, choice.range, configPath);
    const options = { color: false, rules: RULES, cwd: workspace };

    let sarifPath = '';
    if (inputs.sarifFile) {
      sarifPath = isAbsolute(inputs.sarifFile) ? inputs.sarifFile : resolve(workspace, inputs.sarifFile);
      mkdirSync(dirname(sarifPath), { recursive: true });
      writeFileSync(sarifPath, report('sarif').format(result, options));
      core.info(`pairlint: SARIF written to ${sarifPath}`);
    }

    // the range notice above took one of the step's notice annotations (info findings are notices)
    const { annotated, overflow } = inputs.annotations
      ? capAnnotations(result.findings, { info: choice.notice ? 1 : 0 })
      : { annotated: [], overflow: [] };
    for (const f of annotated) annotate(f);
    for (const f of overflow) core.info(`pairlint: (not annotated) ${overflowLine(f)}`);

    let markdown = inputs.summary ? report('markdown').format(result, options) : '';
    if (overflow.length > 0) markdown += overflowMarkdown(overflow, inputs.summary);
    if (markdown !== '' && !(await appendSummary(markdown))) core.info('pairlint: no GITHUB_STEP_SUMMARY file: job summary skipped');

    const s = result.summary;
    const outputs: Record<(typeof ACTION_OUTPUTS)[number], string> = {
      findings: String(result.findings.length),
      errors: String(s.errors),
      warnings: String(s.warnings),
      'sarif-file': sarifPath,
    };
    if (!setOutputs(outputs)) core.info('pairlint: no GITHUB_OUTPUT file: outputs not set');
    for (const note of result.notes) core.info(`pairlint: note: ${note}`);
    const counts = `${s.errors} error(s), ${s.warnings} warning(s), ${s.infos} info(s) in ${s.commits} commit(s), ${s.files} C file(s) checked`;
    // A plain line, not an annotation: it must not take one of the 10 error annotations a step gets.
    const fail = failed(result, inputs.failOn);
    core.info(`pairlint: ${counts}; fail-on: ${inputs.failOn}, so the step ${fail ? 'fails' : 'passes'}`);
    return fail ? 1 : 0;
  } catch (err) {
    if (err instanceof PairlintError || err instanceof ActionInputError) {
      core.error(`pairlint: ${err.message}`, { title: 'pairlint' });
      return 2;
    }
    const e = err as Error;
    core.error(`pairlint: internal error: ${e?.message ?? String(err)}`, { title: 'pairlint' });
    if (e?.stack) core.info(e.stack);
    return 2;
  }
}
