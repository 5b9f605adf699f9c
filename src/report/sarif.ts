/**
 * `--format sarif`: SARIF 2.1.0 for GitHub code scanning (upload with
 * github/codeql-action/upload-sarif).
 *
 * One run. `tool.driver.rules` lists every rule pairlint knows (not only the
 * ones that fired), each with its docs as `help` and its message templates as
 * `messageStrings` (placeholders numbered `{0}`, `{1}`, ...). A result's
 * message is its text, and the template it came from as `id` and `arguments`
 * (so are the related locations' messages made from templates); the text
 * stays whole, with the notes the engine adds, and is what a consumer shows
 * (code scanning reads only the text). A result's primary location
 * is the line the patch changed; the other side of the pair is a related
 * location. `partialFingerprints["pairlint/v1"]` is the finding's fingerprint
 * (rule, file, functions, key text: never line numbers), so an alert survives
 * unrelated line moves. Paths are repository-relative, under `%SRCROOT%`.
 *
 * A finding in a commit message (pseudo file COMMIT_MSG) is not in any file
 * of the repository, and GitHub code scanning needs a result's first location
 * to be one (it rejects a result without locations and shows a result only on
 * a repository file). So its location is its Finding.anchor, the first line
 * the commit adds, with the message saying which commit and message line it
 * is about (also in `properties.commitMessageLine`); a commit that changes no
 * text file has no such line, and its message findings are left out of the
 * results, with a tool notification saying how many.
 */
import type { Finding, MessageRef, RelatedLocation, Severity } from '../rule/finding.js';
import type { Rule } from '../rule/rule.js';
import { ruleDocsMarkdown } from '../rule/docs.js';
import { numberedTemplate } from '../rule/messages.js';
import { packageVersion } from '../version.js';
import { projectHomepage } from './project.js';
import { messagePlace } from './commit-title.js';
import { isCommitMessageFinding } from '../model/commit-message.js';
import type { Reporter } from './types.js';
import type { Fix } from '../rule/fix.js';

export const SARIF_SCHEMA_URI = 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';
export const FINGERPRINT_KEY = 'pairlint/v1';
const SRCROOT = '%SRCROOT%';

type SarifLevel = 'error' | 'warning' | 'note';

export const SARIF_LEVEL: Readonly<Record<Severity, SarifLevel>> = { error: 'error', warning: 'warning', info: 'note' };

/** A repository-relative path as a relative URI reference (each segment percent-encoded). */
export function pathToUri(path: string): string {
  return path
    .replace(/\\/g, '/')
    .split('/')
    .map((seg) => encodeURIComponent(seg))
    .join('/');
}

/** `skip-asymmetry` → `SkipAsymmetry`: SARIF's reportingDescriptor.name is a readable identifier. */
function ruleName(id: string): string {
  return id
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join('');
}

/** A rule's message templates as SARIF messageStrings: numbered placeholders, literal braces doubled. */
function messageStrings(rule: Rule): Record<string, { text: string }> {
  return Object.fromEntries(Object.entries(rule.meta.messages).map(([id, template]) => [id, { text: numberedTemplate(template).text }]));
}

function sarifRule(rule: Rule) {
  const m = rule.meta;
  const docs = ruleDocsMarkdown(rule);
  return {
    id: m.id,
    name: ruleName(m.id),
    shortDescription: { text: m.summary },
    fullDescription: { text: m.docs.what },
    messageStrings: messageStrings(rule),
    help: { text: docs, markdown: docs },
    defaultConfiguration: { level: SARIF_LEVEL[m.severity] },
    properties: { category: m.category, tags: ['pairlint', m.category] },
  };
}

function physicalLocation(file: string, line: number, endLine?: number) {
  return {
    artifactLocation: { uri: pathToUri(file), uriBaseId: SRCROOT },
    region: { startLine: line, ...(endLine !== undefined && endLine >= line ? { endLine } : {}) },
  };
}

/**
 * A message object: `text` as the finding says it (what GitHub code scanning
 * shows; a consumer uses it when present, SARIF §3.11.7), and, when it was
 * rendered from one of the rule's templates, that template's `id` in the
 * rule's messageStrings with the values of its placeholders as `arguments`,
 * in the template's numbered order.
 */
function sarifMessage(text: string, ref: MessageRef | undefined, rule: Rule | undefined) {
  const template = ref && rule && Object.hasOwn(rule.meta.messages, ref.id) ? rule.meta.messages[ref.id] : undefined;
  if (ref === undefined || template === undefined) return { text };
  const { names } = numberedTemplate(template);
  // the rule's template of that id must be the one rendered (every placeholder has its value), else the text alone
  if (!names.every((n) => Object.hasOwn(ref.data, n))) return { text };
  const args = names.map((n) => String(ref.data[n]));
  return { text, id: ref.id, ...(args.length > 0 ? { arguments: args } : {}) };
}

function relatedLocation(r: RelatedLocation, id: number, rule: Rule | undefined) {
  return {
    id,
    physicalLocation: physicalLocation(r.file, r.line),
    ...(r.function ? { logicalLocations: [{ name: r.function, kind: 'function' }] } : {}),
    message: sarifMessage(r.message, r.messageRef, rule),
  };
}

function sarifResult(f: Finding, ruleIndex: ReadonlyMap<string, number>, rules: readonly Rule[]) {
  const index = ruleIndex.get(f.ruleId);
  const rule = index !== undefined ? rules[index] : undefined;
  const properties: Record<string, unknown> = { category: f.category };
  if (f.function) properties.function = f.function;
  if (f.commit) {
    properties.commit = {
      ...(f.commit.sha ? { sha: f.commit.sha } : {}),
      subject: f.commit.subject,
      ...(f.commit.index !== null ? { index: f.commit.index, total: f.commit.total } : {}),
    };
  }
  if (f.diffOnly) properties.diffOnly = true;
  const inMessage = isCommitMessageFinding(f) && f.anchor !== undefined;
  if (inMessage) properties.commitMessageLine = f.line;
  return {
    ruleId: f.ruleId,
    ...(index !== undefined ? { ruleIndex: index } : {}),
    level: SARIF_LEVEL[f.severity],
    message: sarifMessage(inMessage ? `${messagePlace(f)}: ${f.message}` : f.message, f.messageRef, rule),
    locations: [
      {
        physicalLocation: f.anchor && inMessage ? physicalLocation(f.anchor.file, f.anchor.line) : physicalLocation(f.file, f.line, f.endLine),
        ...(f.function ? { logicalLocations: [{ name: f.function, kind: 'function' }] } : {}),
      },
    ],
    ...(f.related.length > 0 ? { relatedLocations: f.related.map((r, i) => relatedLocation(r, i + 1, rule)) } : {}),
    partialFingerprints: { [FINGERPRINT_KEY]: f.fingerprint },
    ...(f.fix ? { fixes: [sarifFix(f.fix)] } : {}),
    properties,
  };
}

/**
 * A fix as SARIF `fixes` (whole lines: a region without columns runs to the
 * end of its last line, newline excluded, so the inserted text has no final
 * newline). Marked a suggestion: it changes behaviour.
 */
function sarifFix(fix: Fix) {
  return {
    description: { text: `Suggestion (changes behaviour; review before applying): ${fix.description}` },
    artifactChanges: fix.edits.map((e) => ({
      artifactLocation: { uri: pathToUri(e.file), uriBaseId: SRCROOT },
      replacements: [{ deletedRegion: { startLine: e.line, endLine: e.endLine }, insertedContent: { text: e.text.replace(/\n$/, '') } }],
    })),
    properties: { kind: fix.kind, applicability: 'suggestion' },
  };
}

export const sarifReporter: Reporter = {
  name: 'sarif',
  description: 'SARIF 2.1.0 for GitHub code scanning',
  format(result, options) {
    const ruleIndex = new Map(options.rules.map((r, i) => [r.meta.id, i]));
    const unplaced = result.findings.filter((f) => isCommitMessageFinding(f) && f.anchor === undefined).length;
    const notes = [...result.notes];
    if (unplaced > 0) {
      notes.push(
        `${unplaced} commit-message finding${unplaced === 1 ? '' : 's'} left out: ` +
          'the commit changes no text file to show it on (see the text or json output)',
      );
    }
    const homepage = projectHomepage();
    const version = packageVersion();
    const log = {
      $schema: SARIF_SCHEMA_URI,
      version: '2.1.0',
      runs: [
        {
          tool: {
            driver: {
              name: 'pairlint',
              version,
              semanticVersion: version,
              ...(homepage ? { informationUri: homepage } : {}),
              rules: options.rules.map(sarifRule),
            },
          },
          invocations: [
            {
              executionSuccessful: true,
              ...(notes.length > 0
                ? { toolExecutionNotifications: notes.map((n) => ({ level: 'note', message: { text: n } })) }
                : {}),
            },
          ],
          results: result.findings
            .filter((f) => !isCommitMessageFinding(f) || f.anchor !== undefined)
            .map((f) => sarifResult(f, ruleIndex, options.rules)),
          properties: {
            summary: result.summary,
            ...(result.series.coverSubject ? { coverSubject: result.series.coverSubject } : {}),
            ...(result.series.basedOn.length > 0 ? { basedOn: result.series.basedOn } : {}),
          },
        },
      ],
    };
    return JSON.stringify(log, null, 2) + '\n';
  },
};
