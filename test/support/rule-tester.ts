/**
 * The RuleTester: one rule run in-process over a fixture folder, without git,
 * through the real pipeline (patch parser → series → tree images → C models
 * → the learned pairs mined from the fixture's tree, as `--tree` does → the
 * lint loop with its suppression and series stages), and its findings
 * compared with the folder's `expected.json` snapshot.
 *
 * A case folder holds:
 *   tree/ + change.patch   the code before, and a patch that applies to it
 *                          (a plain diff, or a whole `git format-patch` mail)
 *   pre/ + post/           or the code before and after; the patch is computed
 *   message                optional commit message (default: DEFAULT_MESSAGE);
 *                          alone, without a change, it is the message the
 *                          commit-msg hook checks (`pairlint --commit-msg`,
 *                          no repository: author unknown)
 *   author                 optional `Name <email>`: the mail's From: (default
 *                          AUTHOR), or for a message alone the author git
 *                          gives the hook (default: none known)
 *   options.json           optional options of the rule under test (validated
 *                          as the config's rules.<id>.options)
 *   config.json            optional `.pairlint.json` (preset, pairs, ignore)
 *   expected.json          the snapshot: the rule's findings
 *
 * The folder above the case names the rule, or PAIR_RULES for every pair and
 * domain rule at once.
 *
 * PAIRLINT_UPDATE_SNAPSHOTS=1 writes the snapshots instead of comparing
 * them; without it a missing snapshot fails (the way vitest and ruff do).
 *
 * It lives under test/ and not in the CLI: the rule registry is fixed
 * (rules/index.ts, no plugins), so users have no rules of their own to test.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parsePatchInput } from '../../src/input/patch-input.js';
import { parsePerson } from '../../src/input/mail.js';
import { parseTrailers, readCommitMsgFile, subjectOfMessage } from '../../src/input/message.js';
import { emptySeriesInfo, type Commit, type Series } from '../../src/series/model.js';
import { diffOnlyImages, treeImages, type ImageSource } from '../../src/images/source.js';
import { resolveConfig, validateConfig, type ResolvedConfig } from '../../src/config/load.js';
import { learnBase } from '../../src/engine/learn-base.js';
import { lint } from '../../src/engine/lint.js';
import type { Rule } from '../../src/rule/rule.js';
import type { Finding } from '../../src/rule/finding.js';
import { RULES, RULE_IDS, RULE_OPTION_SPECS, findRule } from '../../rules/index.js';
import { diffDirs } from './unified-diff.js';

export const AUTHOR = 'Ann Author <ann@example.org>';
export const DEFAULT_MESSAGE = `fx: change\n\nSigned-off-by: ${AUTHOR}\n`;
export const UPDATE_SNAPSHOTS = process.env.PAIRLINT_UPDATE_SNAPSHOTS === '1';

/** A finding as the snapshot records it: what a reviewer reads, no fingerprints or excerpts. */
export interface SnapshotFinding {
  ruleId: string;
  severity: string;
  file: string;
  line: number;
  endLine?: number;
  function: string | null;
  message: string;
  related: { file: string; line: number; function: string | null; message: string }[];
}

export interface CaseRun {
  findings: SnapshotFinding[];
  /** the patch the case ran (given, or computed from pre/ and post/); null for a message alone */
  patch: string | null;
}

function readOptional(dir: string, name: string): string | null {
  const path = join(dir, name);
  return existsSync(path) ? readFileSync(path, 'utf8') : null;
}

/** The case's change as the patch parser reads it, and the tree it applies to; null for a message alone. */
export function caseInput(dir: string): { patch: string; tree: string } | null {
  const given = readOptional(dir, 'change.patch');
  if (given !== null) {
    if (!existsSync(join(dir, 'tree'))) throw new Error(`${dir}: change.patch needs a tree/ to apply to`);
    return { patch: given, tree: join(dir, 'tree') };
  }
  if (!existsSync(join(dir, 'pre')) && !existsSync(join(dir, 'post'))) {
    if (existsSync(join(dir, 'message'))) return null;
    throw new Error(`${dir}: no change.patch, no pre/ + post/, no message`);
  }
  return { patch: diffDirs(join(dir, 'pre'), join(dir, 'post')), tree: join(dir, 'pre') };
}

/** A plain diff wrapped in the mail `git format-patch` writes, so the commit has an author and a message. */
export function asMail(diff: string, message: string, author = AUTHOR): string {
  const [subject = '', ...body] = message.replace(/\n+$/, '').split('\n');
  const rest = body.join('\n').replace(/^\n+/, '');
  return [
    'From 0000000000000000000000000000000000000000 Mon Sep 17 00:00:00 2001',
    `From: ${author}`,
    'Date: Tue, 14 Nov 2023 22:13:20 +0000',
    `Subject: [PATCH] ${subject}`,
    '',
    ...(rest ? [rest] : []),
    '---',
    diff.replace(/\n*$/, '\n') + '-- ',
    '2.43.0',
    '',
  ].join('\n');
}

/** The commit the commit-msg hook checks, as `pairlint --commit-msg` builds it outside a repository. */
function commitMsgCommit(text: string, author: string | null): Commit {
  const message = readCommitMsgFile(text);
  return {
    sha: null,
    author: author === null ? null : parsePerson(author),
    date: null,
    subject: subjectOfMessage(message),
    patchNumber: null,
    message,
    trailers: parseTrailers(message),
    files: [],
    source: { kind: 'commit-msg', file: 'COMMIT_EDITMSG' },
  };
}

type RuleSetting = string | { severity?: string; options?: Record<string, unknown> };

function configOf(dir: string, rule: Rule | null): ResolvedConfig {
  const text = readOptional(dir, 'config.json');
  const raw = (text === null ? {} : JSON.parse(text)) as { rules?: Record<string, RuleSetting> };
  const options = readOptional(dir, 'options.json');
  if (options !== null) {
    if (rule === null) throw new Error(`${dir}: options.json names no rule here; use config.json`);
    // validated as the config's rules.<id>.options: an unknown or mistyped option fails the case
    const setting = raw.rules?.[rule.meta.id] ?? {};
    const object = typeof setting === 'string' ? { severity: setting } : setting;
    raw.rules = { ...raw.rules, [rule.meta.id]: { ...object, options: { ...object.options, ...(JSON.parse(options) as Record<string, unknown>) } } };
  }
  const source = [text !== null ? 'config.json' : null, options !== null ? 'options.json' : null].filter(Boolean).join(' + ') || 'no config';
  const config = resolveConfig(validateConfig(raw, join(dir, source), RULE_IDS, RULE_OPTION_SPECS), null);
  // the rule under test runs even where its preset turns it off (cherry-pick-source in qemu)
  if (rule && config.severities.get(rule.meta.id) === 'off') config.severities.delete(rule.meta.id);
  return config;
}

/**
 * Cases under this name run every pair and domain rule and snapshot all their
 * findings: the shapes of commit where no pair rule may report an imbalance
 * the commit did not introduce (renames, moves, wrappers...), or only one may.
 */
export const PAIR_RULES = 'pair-rules';

const isPairRule = (r: Rule) => r.meta.category === 'pair' || r.meta.category === 'domain';

/**
 * The rules that run for `rule`: itself, or every rule when it judges the
 * findings of others (`meta.after`: skip-justified) or the suppressions of
 * their findings (invalid-/unused-suppression, reported by the engine).
 */
function rulesFor(rule: Rule): readonly Rule[] {
  return rule.meta.after || rule.meta.category === 'suppression' ? RULES : [rule];
}

/** The rules a case folder under `target` (a rule id, or PAIR_RULES) runs, and whose findings it keeps. */
function targetOf(target: string, dir: string): { run: readonly Rule[]; keep: (ruleId: string) => boolean; options: Rule | null } {
  if (target === PAIR_RULES) {
    const pairRules = RULES.filter(isPairRule);
    return { run: pairRules, keep: (id) => pairRules.some((r) => r.meta.id === id), options: null };
  }
  const rule = findRule(target);
  if (!rule) throw new Error(`${dir}: no rule ${target}`);
  return { run: rulesFor(rule), keep: (id) => id === target, options: rule };
}

function snapshotOf(f: Finding): SnapshotFinding {
  return {
    ruleId: f.ruleId,
    severity: f.severity,
    file: f.file,
    line: f.line,
    ...(f.endLine !== undefined ? { endLine: f.endLine } : {}),
    function: f.function,
    message: f.message,
    related: f.related.map((r) => ({ file: r.file, line: r.line, function: r.function, message: r.message })),
  };
}

/** Run rule `target` (or PAIR_RULES) over the case in `dir`. Throws when a file or rule could not be checked. */
export async function runRuleCase(dir: string, target: string): Promise<CaseRun> {
  const { run, keep, options } = targetOf(target, dir);
  const input = caseInput(dir);
  const message = readOptional(dir, 'message') ?? DEFAULT_MESSAGE;
  const author = readOptional(dir, 'author')?.trim() ?? null;
  const config = configOf(dir, options);
  let series: Series;
  let images: ImageSource;
  if (input === null) {
    series = { commits: [commitMsgCommit(message, author)], info: emptySeriesInfo() };
    images = diffOnlyImages();
  } else {
    series = parsePatchInput(input.patch.startsWith('From ') ? input.patch : asMail(input.patch, message, author ?? AUTHOR), 'change.patch');
    images = treeImages(input.tree);
    await learnBase(config.pairs, { kind: 'dir', dir: input.tree }, { cacheDir: null, version: 'rule-tester' });
  }
  const result = await lint(series.commits, images, series.info, config, run, { repo: null });
  // an internal error leaves a note and no findings: a silent case must not pass that way
  const broken = result.notes.filter((n) => n.startsWith('not checked:') || n.startsWith('diff-only'));
  if (broken.length > 0) throw new Error(`${dir}: ${broken.join('; ')}`);
  return { findings: result.findings.filter((f) => keep(f.ruleId)).map(snapshotOf), patch: input?.patch ?? null };
}

export function snapshotText(findings: readonly SnapshotFinding[]): string {
  return JSON.stringify(findings, null, 2) + '\n';
}

/**
 * The case's findings and its snapshot's text; with UPDATE_SNAPSHOTS the
 * snapshot is (re)written first. A missing snapshot is an error otherwise.
 */
export async function checkRuleCase(dir: string, target: string): Promise<{ actual: string; expected: string; run: CaseRun }> {
  const run = await runRuleCase(dir, target);
  const actual = snapshotText(run.findings);
  const path = join(dir, 'expected.json');
  if (UPDATE_SNAPSHOTS) writeFileSync(path, actual);
  if (!existsSync(path)) throw new Error(`${path}: no snapshot; review the findings and write it with PAIRLINT_UPDATE_SNAPSHOTS=1`);
  return { actual, expected: readFileSync(path, 'utf8'), run };
}
