/**
 * The series model: what every input (patch file, mbox, git range, staged
 * change) is turned into before anything looks at C code. Commits are oldest
 * first. Line numbers are 1-based everywhere.
 */

export interface Person {
  name: string;
  email: string;
}

export interface Trailer {
  key: string; // as written, e.g. "Signed-off-by"
  value: string;
  /** 1-based line within Commit.message */
  line: number;
}

export type HunkLineKind = ' ' | '+' | '-';

export interface HunkLine {
  kind: HunkLineKind;
  text: string; // without the leading marker
  /** line in the pre-image (context and '-' lines) */
  oldLine?: number;
  /** line in the post-image (context and '+' lines) */
  newLine?: number;
  /** line in the patch input (for messages about the patch itself) */
  patchLine?: number;
}

export interface Hunk {
  /** 1-based position of the hunk within its file diff */
  index: number;
  oldStart: number;
  oldLines: number;
  newStart: number;
  newLines: number;
  /** text after the closing @@ (git's function context), trimmed */
  section: string;
  lines: HunkLine[];
  /** true when the last old / new line has "\ No newline at end of file" */
  oldNoNewlineAtEnd: boolean;
  newNoNewlineAtEnd: boolean;
  /** line of the @@ header in the patch input, when known */
  patchLine?: number;
}

export type FileStatus = 'modified' | 'added' | 'deleted' | 'renamed' | 'copied';

export interface FileDiff {
  /** path before the change (null for an added file) */
  oldPath: string | null;
  /** path after the change (null for a deleted file) */
  newPath: string | null;
  status: FileStatus;
  binary: boolean;
  /** mode change only, no content hunks */
  modeOnly: boolean;
  oldMode?: string;
  newMode?: string;
  similarity?: number;
  /** blob ids from the `index` line (abbreviated or full) */
  oldBlob?: string;
  newBlob?: string;
  hunks: Hunk[];
  /**
   * outside the range's pathspec (read with `--full-diff`): the pair
   * summaries see it (moves, helpers), no finding is reported on it
   */
  context?: boolean;
}

export interface PatchNumber {
  index: number;
  total: number;
}

export type CommitSourceKind = 'patch' | 'mail' | 'git' | 'staged' | 'commit-msg';

export interface CommitSource {
  kind: CommitSourceKind;
  /** the file the commit came from ("-" for stdin), when it came from a file */
  file?: string;
}

export interface Commit {
  /** commit id when known (git, or the "From <sha>" line of format-patch) */
  sha: string | null;
  author: Person | null;
  /** date as written (RFC 2822 from mail, ISO 8601 from git) */
  date: string | null;
  /** subject without "[PATCH n/m]" prefixes, unfolded */
  subject: string;
  /** patch position from "[PATCH n/m]", null when absent */
  patchNumber: PatchNumber | null;
  /** the whole commit message: subject line, blank line, body (as git stores it) */
  message: string;
  trailers: Trailer[];
  files: FileDiff[];
  source: CommitSource;
}

export interface SeriesInfo {
  /** subject of the cover letter (0/N), without the prefix */
  coverSubject: string | null;
  coverBody: string | null;
  /** values of `Based-on:` lines in the cover letter or commits */
  basedOn: string[];
}

export interface Series {
  commits: Commit[];
  info: SeriesInfo;
}

/** A commit with no metadata (a plain diff, the staged change, a synthetic commit): only files and where they came from. */
export function anonymousCommit(files: FileDiff[], source: CommitSource): Commit {
  return { sha: null, author: null, date: null, subject: '', patchNumber: null, message: '', trailers: [], files, source };
}

export function emptySeriesInfo(): SeriesInfo {
  return { coverSubject: null, coverBody: null, basedOn: [] };
}

/** Path a diff is reported under: the new path, or the old one for a deletion. */
export function displayPath(file: FileDiff): string {
  return (file.newPath ?? file.oldPath) as string;
}

/** "N/M subject" or the plain subject. */
export function commitLabel(commit: Commit): string {
  return commit.patchNumber
    ? `${commit.patchNumber.index}/${commit.patchNumber.total} ${commit.subject}`
    : commit.subject;
}
