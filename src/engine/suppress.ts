/**
 * Suppression, an engine stage after the rules of a commit ran (rules never
 * see it):
 *
 * - in C, `/* pairlint-ignore RULE: reason *\/` (or `// pairlint-ignore RULE: reason`)
 *   silences RULE's findings whose primary line is the comment's line or the
 *   line after the comment, in the post-image. Several rules: `RULE, RULE: reason`.
 * - in a commit message, a `Pairlint-Ignore: RULE reason` trailer silences
 *   RULE for that commit.
 *
 * A reason is required: a suppression without one silences nothing and is
 * reported (`invalid-suppression`, as is one naming an unknown rule). A
 * suppression this commit adds that silences nothing is reported
 * (`unused-suppression`). Both are info by default.
 */
import type { Commit } from '../series/model.js';
import type { Finding } from '../rule/finding.js';
import type { ReportDescriptor } from '../rule/rule.js';
import type { ChangedFile } from '../model/changed-file.js';

/** The ids of rules/unused-suppression.ts and rules/invalid-suppression.ts (rules sit below the engine and cannot import these). */
export const UNUSED_SUPPRESSION = 'unused-suppression';
export const INVALID_SUPPRESSION = 'invalid-suppression';

/** Rule ids a suppression may not name: the suppression checks themselves. */
const UNSUPPRESSIBLE = new Set([UNUSED_SUPPRESSION, INVALID_SUPPRESSION]);

export interface Suppression {
  kind: 'comment' | 'trailer';
  /** rule ids, as written */
  rules: string[];
  reason: string | null;
  /** where it is written (a C file, or the commit message path) */
  file: string;
  line: number;
  /** C comments: the primary lines it covers; trailers cover the whole commit */
  covers: { from: number; to: number } | null;
  /** the suppression text, for messages and fingerprints */
  text: string;
  /** written by this commit (an added line, or a trailer): only then is it reported */
  isNew: boolean;
  /** C function around a comment, for the location of a report */
  function: string | null;
}

const MARKER = /\bpairlint-ignore\b/;

/** Split `RULE, RULE: reason` / `RULE reason` (trailers) into ids and reason. */
function parseSpec(spec: string, trailer: boolean): { rules: string[]; reason: string | null } {
  const text = spec.trim();
  const colon = text.indexOf(':');
  let ids: string;
  let reason: string;
  if (colon >= 0) {
    ids = text.slice(0, colon);
    reason = text.slice(colon + 1);
  } else if (trailer) {
    // `Pairlint-Ignore: rule-a, rule-b the reason`
    const m = /^([\w*-]+(?:\s*,\s*[\w*-]+)*)\s*(.*)$/.exec(text);
    ids = m?.[1] ?? '';
    reason = m?.[2] ?? '';
  } else {
    ids = text;
    reason = '';
  }
  const rules = ids.split(/[\s,]+/).filter((r) => r !== '');
  const why = reason.trim();
  return { rules, reason: why === '' ? null : why };
}

interface CComment {
  /** 0-based index in the text where the comment body starts (after the opening delimiter) */
  from: number;
  /** 0-based index where it ends (before the closing delimiter) */
  to: number;
}

/** The comments of a C text (`/* *\/` and `//`), skipping string and character literals. */
function cComments(text: string): CComment[] {
  const out: CComment[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '"' || c === "'") {
      i++;
      while (i < text.length && text[i] !== c && text[i] !== '\n') i += text[i] === '\\' ? 2 : 1;
      i++;
    } else if (c === '/' && text[i + 1] === '*') {
      const close = text.indexOf('*/', i + 2);
      const to = close < 0 ? text.length : close;
      out.push({ from: i + 2, to });
      i = to + 2;
    } else if (c === '/' && text[i + 1] === '/') {
      const nl = text.indexOf('\n', i);
      const to = nl < 0 ? text.length : nl;
      out.push({ from: i + 2, to });
      i = to;
    } else i++;
  }
  return out;
}

/** 1-based line of a text offset, given the offsets where lines start. */
function lineAt(lineStarts: readonly number[], offset: number): number {
  let lo = 0;
  let hi = lineStarts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((lineStarts[mid] as number) <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo + 1;
}

/** `pairlint-ignore` comments in the post-image of the commit's C files. */
function commentSuppressions(files: readonly ChangedFile[], postTexts: ReadonlyMap<string, string>): Suppression[] {
  const out: Suppression[] = [];
  for (const file of files) {
    const text = postTexts.get(file.path);
    if (text === undefined || !text.includes('pairlint-ignore')) continue;
    const lineStarts = [0];
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lineStarts.push(i + 1);
    for (const comment of cComments(text)) {
      const body = text.slice(comment.from, comment.to);
      const m = MARKER.exec(body);
      if (!m) continue;
      const line = lineAt(lineStarts, comment.from + m.index);
      const endLine = lineAt(lineStarts, comment.to);
      // continuation lines of a block comment start with ` * `
      const spec = body
        .slice(m.index + m[0].length)
        .split('\n')
        .map((l, k) => (k === 0 ? l : l.replace(/^\s*\*?/, '')))
        .join(' ')
        .replace(/\s+/g, ' ');
      const { rules, reason } = parseSpec(spec, false);
      out.push({
        kind: 'comment',
        rules,
        reason,
        file: file.path,
        line,
        covers: { from: line, to: endLine + 1 },
        text: `pairlint-ignore ${spec.trim()}`,
        isNew: file.added.has(line),
        function: file.post?.functionAt(line)?.name ?? null,
      });
    }
  }
  return out;
}

/** `Pairlint-Ignore:` trailers of the commit message. */
function trailerSuppressions(commit: Commit, messagePath: string): Suppression[] {
  return commit.trailers
    .filter((t) => t.key.toLowerCase() === 'pairlint-ignore')
    .map((t) => {
      const { rules, reason } = parseSpec(t.value, true);
      return {
        kind: 'trailer' as const,
        rules,
        reason,
        file: messagePath,
        line: t.line,
        covers: null,
        text: `${t.key}: ${t.value}`,
        isNew: true,
        function: null,
      };
    });
}

export function collectSuppressions(
  commit: Commit,
  files: readonly ChangedFile[],
  postTexts: ReadonlyMap<string, string>,
  messagePath: string,
): Suppression[] {
  return [...commentSuppressions(files, postTexts), ...trailerSuppressions(commit, messagePath)];
}

export interface SuppressionOutcome {
  /** findings no suppression silenced */
  kept: Finding[];
  /** how many were silenced */
  suppressed: number;
  /** reports of invalid-suppression / unused-suppression (their messages are those rules'), by rule id */
  problems: { ruleId: string; report: ReportDescriptor }[];
}

/** Apply `suppressions` to the findings of one commit. `knownRules`: every rule id pairlint has. */
export function applySuppressions(
  findings: readonly Finding[],
  suppressions: readonly Suppression[],
  knownRules: ReadonlySet<string>,
  /** rules that are on: a suppression of rules that are all off is not reported as unused */
  activeRules: ReadonlySet<string> = knownRules,
): SuppressionOutcome {
  const problems: SuppressionOutcome['problems'] = [];
  const valid: Suppression[] = [];
  for (const s of suppressions) {
    const where = s.kind === 'comment' ? 'pairlint-ignore comment' : 'Pairlint-Ignore trailer';
    const unknown = s.rules.filter((r) => !knownRules.has(r) || UNSUPPRESSIBLE.has(r));
    const at = { file: s.file, line: s.line, function: s.function };
    const rules = s.rules.join(', ');
    // messages are invalid-suppression's (rules/invalid-suppression.ts), rendered by the engine
    let problem: Omit<ReportDescriptor, 'at' | 'related' | 'key'> | null = null;
    if (s.rules.length === 0) {
      problem = { messageId: s.kind === 'comment' ? 'noRuleComment' : 'noRuleTrailer' };
    } else if (unknown.length > 0) {
      problem = { messageId: 'unknownRule', data: { where, names: unknown.map((r) => `'${r}'`).join(', ') } };
    } else if (s.reason === null) {
      problem = { messageId: s.kind === 'comment' ? 'noReasonComment' : 'noReasonTrailer', data: { rules } };
    }
    if (problem !== null) {
      if (s.isNew) problems.push({ ruleId: INVALID_SUPPRESSION, report: { ...problem, at, related: [], key: `invalid|${s.text}` } });
      continue;
    }
    valid.push(s);
  }

  const used = new Set<Suppression>();
  const kept: Finding[] = [];
  for (const f of findings) {
    const hit = valid.filter(
      (s) =>
        s.rules.includes(f.ruleId) &&
        (s.kind === 'trailer' || (s.file === f.file && s.covers !== null && f.line >= s.covers.from && f.line <= s.covers.to)),
    );
    if (hit.length === 0) {
      kept.push(f);
      continue;
    }
    for (const s of hit) used.add(s);
  }
  for (const s of valid) {
    if (used.has(s) || !s.isNew || !s.rules.some((r) => activeRules.has(r))) continue;
    // unused-suppression's messages (rules/unused-suppression.ts)
    problems.push({
      ruleId: UNUSED_SUPPRESSION,
      report: {
        at: { file: s.file, line: s.line, function: s.function },
        messageId: s.kind === 'comment' ? 'comment' : 'trailer',
        data: { rules: s.rules.join(', ') },
        related: [],
        key: `unused|${s.text}`,
      },
    });
  }
  return { kept, suppressed: findings.length - kept.length, problems };
}
