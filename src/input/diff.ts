/**
 * The diff part of a patch: file sections (`diff --git` with git's extended
 * headers, or `--- `/`+++ ` pairs of a traditional `diff -u`), then their
 * hunks (see hunks.ts). Strict: a bad or truncated hunk, hunk counts that do
 * not match the body, or a file header without hunks or any other change
 * marker is an InputError naming source:line and the file.
 *
 * The hunks are read by parse-diff (hunks.ts, which checks them). The file
 * sections are read here because parse-diff does not read what they carry:
 * git's extended headers (rename/copy from/to, similarity, dissimilarity),
 * `Binary files ... differ` and `GIT binary patch` data, C-quoted names
 * (`"a/caf\303\251.c"`: it strips the quotes but keeps the escapes), names
 * with spaces on the `diff --git` line, `/dev/null` with an epoch timestamp
 * for added/deleted files of a traditional diff, a trailing mail signature;
 * and it starts a new file at any `---` line once a file has hunks, so its
 * file list does not line up with the sections of a mail or a series.
 *
 * Combined diffs of merges (`diff --cc`, `diff --combined`) have no place in
 * the model (one pre-image per file) and are skipped.
 */
import type { FileDiff, FileStatus, Hunk } from '../series/model.js';
import type parseDiff from 'parse-diff';
import { checkedHunk, isHunkHeader, looksLikeHunkHeader, readChunks } from './hunks.js';
import {
  isEpochTimestamp,
  parseGitHeaderNames,
  parseTraditionalName,
  stripGitPrefix,
  stripTraditional,
  unquoteName,
  type TraditionalName,
} from './paths.js';
import { inputError, normalizeNewlines, numbered, splitLines, type NumberedLines } from './text.js';

export interface DiffParseOptions {
  /** name of the input, for error messages */
  source: string;
  /** line number in the input of the first line of `text`, minus one */
  lineOffset?: number;
}

/** Parse the diff part of a patch (everything from the first file header on). */
export function parseDiffText(text: string, options: DiffParseOptions): FileDiff[] {
  const lines = splitLines(normalizeNewlines(text));
  return parseDiffLines(numbered(lines, (options.lineOffset ?? 0) + 1), options.source);
}

export type FileHeaderKind = 'git' | 'combined' | 'traditional';

/** Kind of file header starting at line `i`, or null. */
export function fileHeaderAt(lines: readonly string[], i: number): FileHeaderKind | null {
  const l = lines[i];
  if (l === undefined) return null;
  if (l.startsWith('diff --git ')) return 'git';
  if (l.startsWith('diff --cc ') || l.startsWith('diff --combined ')) return 'combined';
  if (l.startsWith('--- ') && (lines[i + 1] ?? '').startsWith('+++ ')) return 'traditional';
  return null;
}

/** Index of the first file header in lines [from, to), or -1. */
export function findFileHeader(lines: readonly string[], from = 0, to = lines.length): number {
  for (let i = from; i < to; i++) {
    const c = (lines[i] as string).charCodeAt(0);
    // only lines starting with 'd' or '-' can be headers
    if ((c === 0x64 || c === 0x2d) && fileHeaderAt(lines, i) !== null) return i;
  }
  return -1;
}

/** A mail signature: "-- " (or "--" after a mailer trimmed it) with nothing diff-like after it. */
function isSignatureAt(lines: readonly string[], i: number): boolean {
  const l = lines[i];
  if (l !== '-- ' && l !== '--') return false;
  for (let j = i + 1; j < lines.length; j++) {
    const x = lines[j] as string;
    if (isHunkHeader(x) || fileHeaderAt(lines, j) !== null) return false;
  }
  return true;
}

type After = { kind: 'hunk' | 'end' | 'stop'; at: number };

class DiffReader {
  readonly lines: string[];
  readonly nos: number[];
  readonly files: FileDiff[] = [];
  /** parse-diff's hunks, by header line */
  private readonly chunks: Map<number, parseDiff.Chunk>;
  private stopped = false;

  constructor(
    src: NumberedLines,
    readonly source: string,
  ) {
    this.lines = src.lines;
    this.nos = src.nos;
    this.chunks = readChunks(src.lines);
  }

  private err(i: number, message: string): Error {
    return inputError(this.source, this.nos[Math.min(i, this.lines.length - 1)], message);
  }

  read(): FileDiff[] {
    const { lines } = this;
    let i = 0;
    while (i < lines.length && !this.stopped) {
      const kind = fileHeaderAt(lines, i);
      if (kind === 'git') i = this.gitSection(i);
      else if (kind === 'traditional') i = this.traditionalSection(i);
      else if (kind === 'combined') i = this.skipCombined(i + 1);
      else if (isHunkHeader(lines[i] as string)) throw this.err(i, 'hunk without a file header before it');
      else i++; // text between or before file sections, as git apply ignores it
    }
    return this.files;
  }

  /** What follows a complete hunk: another hunk, the end of the file section, or a trailing signature. */
  private afterHunk(i: number, hunkIndex: number, path: string): After {
    const { lines } = this;
    let j = i;
    while (j < lines.length && lines[j] === '') j++;
    if (j >= lines.length) return { kind: 'end', at: j };
    const l = lines[j] as string;
    if (looksLikeHunkHeader(l)) return { kind: 'hunk', at: j };
    if (fileHeaderAt(lines, j) !== null) return { kind: 'end', at: j };
    if (isSignatureAt(lines, j)) return { kind: 'stop', at: lines.length };
    const c = l[0];
    if (c === '+' || c === '-' || c === ' ') {
      throw this.err(
        j,
        `hunk ${hunkIndex} of ${path}: line is not part of the hunk (its header counts do not match its body)`,
      );
    }
    return { kind: 'end', at: j };
  }

  /** Hunks from line i on; returns them and the index after the last. */
  private hunks(i: number, path: string): { hunks: Hunk[]; next: number } {
    const hunks: Hunk[] = [];
    const input = { source: this.source, path, lines: this.lines, nos: this.nos };
    while (i < this.lines.length && looksLikeHunkHeader(this.lines[i] as string)) {
      const r = checkedHunk(input, this.chunks.get(i), i, hunks.length + 1);
      hunks.push(r.hunk);
      const after = this.afterHunk(r.next, r.hunk.index, path);
      i = after.at;
      if (after.kind === 'stop') this.stopped = true;
      if (after.kind !== 'hunk') break;
    }
    return { hunks, next: i };
  }

  private gitSection(start: number): number {
    const { lines } = this;
    const names = parseGitHeaderNames((lines[start] as string).slice('diff --git '.length));
    let oldMode: string | undefined;
    let newMode: string | undefined;
    let deletedMode: string | undefined;
    let newFileMode: string | undefined;
    let indexMode: string | undefined;
    let renameFrom: string | undefined;
    let renameTo: string | undefined;
    let copyFrom: string | undefined;
    let copyTo: string | undefined;
    let similarity: number | undefined;
    let oldBlob: string | undefined;
    let newBlob: string | undefined;
    let binary = false;
    let minus: TraditionalName | undefined;
    let plus: TraditionalName | undefined;

    let i = start + 1;
    const value = (l: string, prefix: string): string => l.slice(prefix.length);
    for (; i < lines.length; i++) {
      const l = lines[i] as string;
      if (l.startsWith('old mode ')) oldMode = value(l, 'old mode ').trim();
      else if (l.startsWith('new mode ')) newMode = value(l, 'new mode ').trim();
      else if (l.startsWith('deleted file mode ')) deletedMode = value(l, 'deleted file mode ').trim();
      else if (l.startsWith('new file mode ')) newFileMode = value(l, 'new file mode ').trim();
      else if (l.startsWith('rename from ')) renameFrom = unquoteName(value(l, 'rename from '));
      else if (l.startsWith('rename to ')) renameTo = unquoteName(value(l, 'rename to '));
      else if (l.startsWith('rename old ')) renameFrom = unquoteName(value(l, 'rename old '));
      else if (l.startsWith('rename new ')) renameTo = unquoteName(value(l, 'rename new '));
      else if (l.startsWith('copy from ')) copyFrom = unquoteName(value(l, 'copy from '));
      else if (l.startsWith('copy to ')) copyTo = unquoteName(value(l, 'copy to '));
      else if (l.startsWith('similarity index ')) similarity = parseInt(value(l, 'similarity index '), 10);
      else if (l.startsWith('dissimilarity index ')) continue;
      else if (l.startsWith('index ')) {
        const m = /^index ([0-9a-fA-F]+)\.\.([0-9a-fA-F]+)(?: +([0-7]+))?\s*$/.exec(l);
        if (m) {
          oldBlob = m[1];
          newBlob = m[2];
          indexMode = m[3];
        }
      } else if (l.startsWith('Binary files ') && l.endsWith(' differ')) {
        binary = true;
        i++;
        break;
      } else if (l === 'GIT binary patch') {
        binary = true;
        i = this.skipBinaryPatch(i + 1);
        break;
      } else if (l.startsWith('--- ') && (lines[i + 1] ?? '').startsWith('+++ ')) {
        minus = parseTraditionalName(l.slice(4));
        plus = parseTraditionalName((lines[i + 1] as string).slice(4));
        i += 2;
        break;
      } else break;
    }

    const side = (t: TraditionalName | undefined): string | null | undefined =>
      t === undefined ? undefined : t.name === null ? null : stripGitPrefix(t.name);
    let oldPath: string | null | undefined = renameFrom ?? copyFrom ?? side(minus) ?? names?.oldName;
    let newPath: string | null | undefined = renameTo ?? copyTo ?? side(plus) ?? names?.newName;
    if (newFileMode !== undefined) oldPath = null;
    if (deletedMode !== undefined) newPath = null;
    if (oldPath === undefined || newPath === undefined || (oldPath === null && newPath === null)) {
      throw this.err(start, `cannot read the file names of ${JSON.stringify(lines[start])}`);
    }
    const status: FileStatus =
      copyFrom !== undefined || copyTo !== undefined
        ? 'copied'
        : renameFrom !== undefined || renameTo !== undefined
          ? 'renamed'
          : oldPath === null
            ? 'added'
            : newPath === null
              ? 'deleted'
              : 'modified';
    const path = (newPath ?? oldPath) as string;

    let hunks: Hunk[] = [];
    if (!binary) {
      const r = this.hunks(i, path);
      hunks = r.hunks;
      i = r.next;
    }
    const modeChange = oldMode !== undefined && newMode !== undefined;
    if (hunks.length === 0 && !binary) {
      if (minus !== undefined) {
        throw this.err(start, `${path}: file header with no hunks after its ---/+++ lines`);
      }
      if (!modeChange && status === 'modified') {
        throw this.err(start, `${path}: file header with no hunks (and no binary, mode, rename or deletion marker)`);
      }
    }

    const file: FileDiff = {
      oldPath,
      newPath,
      status,
      binary,
      modeOnly: modeChange && hunks.length === 0 && !binary,
      hunks,
    };
    const om = oldMode ?? deletedMode ?? (oldPath !== null ? indexMode : undefined);
    const nm = newMode ?? newFileMode ?? (newPath !== null ? indexMode : undefined);
    if (om !== undefined) file.oldMode = om;
    if (nm !== undefined) file.newMode = nm;
    if (similarity !== undefined && !Number.isNaN(similarity)) file.similarity = similarity;
    if (oldBlob !== undefined) file.oldBlob = oldBlob;
    if (newBlob !== undefined) file.newBlob = newBlob;
    this.files.push(file);
    return i;
  }

  private traditionalSection(start: number): number {
    const { lines } = this;
    const minus = parseTraditionalName((lines[start] as string).slice(4));
    const plus = parseTraditionalName((lines[start + 1] as string).slice(4));
    const names = stripTraditional(minus.name, plus.name);
    const added = names.oldName === null || (isEpochTimestamp(minus.timestamp) && names.newName !== null);
    const deleted = !added && (names.newName === null || (isEpochTimestamp(plus.timestamp) && names.oldName !== null));
    const name = (names.newName ?? names.oldName) as string;
    const oldPath = added ? null : deleted ? (names.oldName ?? name) : name;
    const newPath = deleted ? null : name;
    if (oldPath === null && newPath === null) throw this.err(start, 'file header names /dev/null on both sides');
    const path = (newPath ?? oldPath) as string;
    const r = this.hunks(start + 2, path);
    if (r.hunks.length === 0) throw this.err(start, `${path}: file header with no hunks`);
    this.files.push({
      oldPath,
      newPath,
      status: added ? 'added' : deleted ? 'deleted' : 'modified',
      binary: false,
      modeOnly: false,
      hunks: r.hunks,
    });
    return r.next;
  }

  /** Skip the data of a `GIT binary patch` (one or two literal/delta blocks, each ending in an empty line). */
  private skipBinaryPatch(i: number): number {
    const { lines } = this;
    while (i < lines.length && /^(literal|delta) \d+$/.test(lines[i] as string)) {
      i++;
      while (i < lines.length && lines[i] !== '') i++;
      if (i < lines.length) i++;
    }
    return i;
  }

  /** Skip a combined diff section up to the next git file header. */
  private skipCombined(i: number): number {
    const { lines } = this;
    while (i < lines.length) {
      const k = fileHeaderAt(lines, i);
      if (k === 'git' || k === 'combined') break;
      i++;
    }
    return i;
  }
}

/** Parse numbered diff lines (see parseDiffText). */
export function parseDiffLines(src: NumberedLines, source: string): FileDiff[] {
  return new DiffReader(src, source).read();
}
