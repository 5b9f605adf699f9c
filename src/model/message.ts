/**
 * Questions commit rules ask of a commit message: its lines, which of them
 * are trailers, the prose between subject and trailers, and matching of
 * names (functions, primitives) against prose.
 */
import type { Commit, Person, Trailer } from '../series/model.js';

/** The message as lines; line n of a finding is `lines[n - 1]`. */
export function messageLines(commit: Commit): string[] {
  return commit.message.split('\n');
}

/** Trailers whose key is `key` (case-insensitive, as git compares them). */
export function trailersNamed(commit: Commit, key: string): Trailer[] {
  const k = key.toLowerCase();
  return commit.trailers.filter((t) => t.key.toLowerCase() === k);
}

/**
 * 0-based index of the first line of the trailer block (the last paragraph
 * when it holds the parsed trailers), or the number of lines when there is none.
 */
export function trailerBlockStart(commit: Commit): number {
  const lines = messageLines(commit);
  if (commit.trailers.length === 0) return lines.length;
  const first = Math.min(...commit.trailers.map((t) => t.line)) - 1;
  let start = first;
  while (start > 0 && (lines[start - 1] as string).trim() !== '') start--;
  return start;
}

/** 0-based index of the first body line (after the subject paragraph and the blank line after it). */
export function bodyStart(commit: Commit): number {
  const lines = messageLines(commit);
  let i = 0;
  while (i < lines.length && (lines[i] as string).trim() === '') i++;
  while (i < lines.length && (lines[i] as string).trim() !== '') i++;
  return i;
}

/** Body lines (subject paragraph and trailer block left out), with their 1-based line numbers. */
export function bodyLines(commit: Commit): { line: number; text: string }[] {
  const lines = messageLines(commit);
  const end = trailerBlockStart(commit);
  const out: { line: number; text: string }[] = [];
  for (let i = bodyStart(commit); i < end; i++) out.push({ line: i + 1, text: lines[i] as string });
  return out;
}

/** White space collapsed, for comparing subjects. */
export function normalizeSpace(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

/**
 * Text for name matching: lower case, every run of other characters than
 * letters and digits turned into one `_`, so that `DMA-map`, `dma map` and
 * `dma_map()` all read `dma_map`.
 */
export function nameText(s: string): string {
  return `_${s.toLowerCase().replace(/[^a-z0-9]+/g, '_')}_`;
}

/**
 * Does `text` (made by nameText) mention the C identifier `name`: the whole
 * name, or its last two words (`vfio_container_dma_map` → `dma_map`,
 * `vfio_iommu_map_notify` → `map_notify`), as a run of whole words?
 */
export function mentionsName(text: string, name: string): boolean {
  const words = name.toLowerCase().split('_').filter((w) => w !== '');
  const forms = [words.join('_')];
  if (words.length > 2) forms.push(words.slice(-2).join('_'));
  return forms.some((f) => text.includes(`_${f}_`));
}

/** A name without a trailing `via <list>` (mailing lists rewrite From: for DMARC) and with white space collapsed. */
export function personName(p: Person): string {
  return normalizeSpace(p.name.replace(/\s+via(\s+.*)?$/i, '').replace(/^"|"$/g, '')).toLowerCase();
}
