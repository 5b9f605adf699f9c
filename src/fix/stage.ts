/**
 * Where the fix stage meets the lint loop: a FixContext over one commit's
 * changed files, and, after the last commit, each fix moved onto the final
 * image of its file (the tree `--fix-patch` is computed on).
 */
import type { ChangedFile } from '../model/changed-file.js';
import type { Finding } from '../rule/finding.js';
import type { PairTable } from '../pairs/table.js';
import { computeFix, type FixContext } from './compute.js';
import type { Fix, FixEdit } from '../rule/fix.js';

function contextOf(files: readonly ChangedFile[], texts: ReadonlyMap<string, string>, pairs: PairTable): FixContext {
  const byPath = new Map(files.map((f) => [f.path, f] as const));
  const hunks = new Map<string, [number, number][]>();
  for (const f of files) hunks.set(f.path, f.diff.hunks.map((h) => [h.newStart, h.newStart + Math.max(h.newLines, 1) - 1]));
  return {
    text: (path) => (byPath.has(path) ? (texts.get(path) ?? null) : null),
    model: (path) => byPath.get(path)?.post ?? null,
    knownNames: (path) => byPath.get(path)?.knownNames ?? new Set<string>(),
    inHunk: (path, line) => (hunks.get(path) ?? []).some(([a, b]) => line >= a && line <= b),
    pairs,
  };
}

/** Attach a fix to each finding of one commit that has one (a finding's fix is only ever a suggestion). */
export function attachFixes(findings: readonly Finding[], files: readonly ChangedFile[], texts: ReadonlyMap<string, string>, pairs: PairTable): void {
  let ctx: FixContext | null = null;
  for (const f of findings) {
    if (f.category !== 'pair') continue;
    ctx ??= contextOf(files, texts, pairs);
    let fix: Fix | null = null;
    try {
      fix = computeFix(f, ctx);
    } catch {
      // a fix is an extra: a shape the fix stage does not expect costs the fix, never the finding
      fix = null;
    }
    if (fix && fix.edits.length > 0) f.fix = fix;
  }
}

/** Line starts of a text, and its lines. */
function splitLines(text: string): string[] {
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** Where the `old` lines of an edit are in `text`: the occurrence nearest its line, when that one is the only nearest. */
function relocate(e: FixEdit, text: string): FixEdit | null {
  const lines = splitLines(text);
  const old = splitLines(e.old);
  const hits: number[] = [];
  for (let i = 0; i + old.length <= lines.length; i++) {
    let same = true;
    for (let j = 0; j < old.length && same; j++) if (lines[i + j] !== old[j]) same = false;
    if (same) hits.push(i + 1);
  }
  if (hits.length === 0) return null;
  const dist = (n: number) => Math.abs(n - e.line);
  const best = Math.min(...hits.map(dist));
  const nearest = hits.filter((n) => dist(n) === best);
  if (nearest.length !== 1) return null;
  const line = nearest[0] as number;
  return line === e.line ? e : { ...e, line, endLine: line + old.length - 1, inHunk: false };
}

/**
 * Move every fix onto the final image of its file (the post-image after the
 * last commit that touched it); a fix whose anchor lines are no longer there,
 * or whose finding `keep` rejects (repaired later in the series), is dropped.
 */
export function settleFixes(findings: readonly Finding[], finalTexts: ReadonlyMap<string, string>, keep: (f: Finding) => boolean): Map<string, string> {
  const base = new Map<string, string>();
  for (const f of findings) {
    if (!f.fix) continue;
    const edits: FixEdit[] = [];
    for (const e of keep(f) ? f.fix.edits : []) {
      const text = finalTexts.get(e.file);
      const moved = text === undefined ? null : relocate(e, text);
      if (!moved) break;
      edits.push(moved);
    }
    if (edits.length !== f.fix.edits.length) {
      delete f.fix;
      continue;
    }
    f.fix = { ...f.fix, edits } satisfies Fix;
    for (const e of edits) base.set(e.file, finalTexts.get(e.file) as string);
  }
  return base;
}
