/**
 * `--fix-patch FILE`: the fixes of a run as one unified diff against the
 * post-image (the tree after the input's last commit), for `git apply`.
 * Fixes whose edits overlap an earlier fix's lines are left out (they would
 * not apply together); the patch says nothing about them, the report does.
 */
import type { Finding } from '../rule/finding.js';
import type { FixEdit } from '../rule/fix.js';

const CONTEXT = 3;

function splitLines(text: string): string[] {
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** The edits of the findings' fixes that can be applied together, by file. */
export function applicableEdits(findings: readonly Finding[]): Map<string, FixEdit[]> {
  const byFile = new Map<string, FixEdit[]>();
  for (const f of findings) {
    const edits = f.fix?.edits ?? [];
    const clash = edits.some((e) => (byFile.get(e.file) ?? []).some((o) => e.line <= o.endLine && o.line <= e.endLine));
    if (clash || edits.length === 0) continue;
    for (const e of edits) {
      const list = byFile.get(e.file) ?? [];
      list.push(e);
      byFile.set(e.file, list);
    }
  }
  for (const list of byFile.values()) list.sort((a, b) => a.line - b.line);
  return byFile;
}

/** The file after the edits. */
export function applyEdits(text: string, edits: readonly FixEdit[]): string {
  const lines = splitLines(text);
  const trailing = text.endsWith('\n') || text === '';
  const out: string[] = [];
  let next = 1;
  for (const e of edits) {
    while (next < e.line) out.push(lines[next - 1] as string), next++;
    out.push(...splitLines(e.text));
    next = e.endLine + 1;
  }
  while (next <= lines.length) out.push(lines[next - 1] as string), next++;
  return out.join('\n') + (trailing && out.length > 0 ? '\n' : '');
}

interface Hunk {
  oldStart: number;
  lines: string[];
  oldCount: number;
  newCount: number;
}

/** Unified diff of one file, hunks with three lines of context, from its edits (no diff algorithm needed). */
function fileDiff(path: string, text: string, edits: readonly FixEdit[]): string {
  const lines = splitLines(text);
  const hunks: Hunk[] = [];
  let current: (Hunk & { oldEnd: number }) | null = null;
  for (const e of edits) {
    const from = Math.max(1, e.line - CONTEXT);
    if (current && from <= current.oldEnd + CONTEXT + 1) {
      for (let n = current.oldEnd + 1; n < e.line; n++) current.lines.push(' ' + lines[n - 1]), current.oldCount++, current.newCount++;
    } else {
      if (current) finish(current);
      current = { oldStart: from, lines: [], oldCount: 0, newCount: 0, oldEnd: from - 1 };
      for (let n = from; n < e.line; n++) current.lines.push(' ' + lines[n - 1]), current.oldCount++, current.newCount++;
    }
    // lines an edit keeps (an insertion keeps its anchor) are context, not a removal and an addition
    const o = splitLines(e.old);
    const t = splitLines(e.text);
    let pre = 0;
    while (pre < o.length && pre < t.length && o[pre] === t[pre]) pre++;
    let post = 0;
    while (post < o.length - pre && post < t.length - pre && o[o.length - 1 - post] === t[t.length - 1 - post]) post++;
    for (const l of o.slice(0, pre)) current.lines.push(' ' + l), current.oldCount++, current.newCount++;
    for (const l of o.slice(pre, o.length - post)) current.lines.push('-' + l), current.oldCount++;
    for (const l of t.slice(pre, t.length - post)) current.lines.push('+' + l), current.newCount++;
    for (const l of o.slice(o.length - post)) current.lines.push(' ' + l), current.oldCount++, current.newCount++;
    current.oldEnd = e.endLine;
  }
  if (current) finish(current);
  function finish(h: Hunk & { oldEnd: number }) {
    const to = Math.min(lines.length, h.oldEnd + CONTEXT);
    for (let n = h.oldEnd + 1; n <= to; n++) h.lines.push(' ' + lines[n - 1]), h.oldCount++, h.newCount++;
    hunks.push(h);
  }
  const out = [`diff --git a/${path} b/${path}`, `--- a/${path}`, `+++ b/${path}`];
  let shift = 0;
  for (const h of hunks) {
    const newStart = h.oldStart + shift;
    out.push(`@@ -${h.oldStart},${h.oldCount} +${newStart},${h.newCount} @@`, ...h.lines);
    shift += h.newCount - h.oldCount;
  }
  return out.join('\n') + '\n';
}

/** The patch of every applicable fix, against `base` (the final image of each file); '' when there is none. */
export function fixPatch(findings: readonly Finding[], base: ReadonlyMap<string, string>): string {
  const parts: string[] = [];
  for (const [path, edits] of [...applicableEdits(findings)].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const text = base.get(path);
    // a file whose last line has no newline is left out rather than diffed by hand
    if (text === undefined || !text.endsWith('\n')) continue;
    parts.push(fileDiff(path, text, edits));
  }
  return parts.join('');
}
