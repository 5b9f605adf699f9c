/**
 * Series awareness. Reviewers judge a series commit by commit, and QEMU wants
 * every commit to build and behave (bisection). A pair finding on commit k is
 * checked against the whole series squashed (first pre-image → last
 * post-image of each file): if the squashed series no longer has it, a later
 * commit repaired it, and commit k is reported as a warning naming that commit.
 */
import type { Commit, FileDiff } from '../series/model.js';
import { lineHunks } from './text-diff.js';
import type { ImageMode } from '../images/types.js';
import type { Finding } from './finding.js';
import { detached } from './detach.js';

interface PathState {
  base: string | null;
  final: string | null;
  mode: ImageMode;
}

interface CommitTouch {
  index: number;
  /** "N/M" from the patch subject, else null (the position in the series is used) */
  number: string | null;
  subject: string;
  touched: Map<string, Set<string>>;
}

/** Keeps the first pre-image and latest post-image per path, and which functions each commit touched. */
export class SeriesTracker {
  private readonly paths = new Map<string, PathState>();
  private readonly commits: CommitTouch[] = [];

  recordFile(oldPath: string | null, newPath: string | null, pre: string | null, post: string | null, mode: ImageMode): void {
    const from = oldPath ?? newPath;
    const prior = from !== null ? this.paths.get(from) : undefined;
    if (prior && oldPath !== null && newPath !== null && oldPath !== newPath) this.paths.delete(oldPath);
    const key = newPath ?? oldPath;
    if (key === null) return;
    this.paths.set(key, { base: prior ? prior.base : pre, final: post, mode: prior?.mode === 'diff-only' ? 'diff-only' : mode });
  }

  recordCommit(index: number, commit: Commit, touched: Map<string, Set<string>>): void {
    const number = commit.patchNumber ? `${commit.patchNumber.index}/${commit.patchNumber.total}` : null;
    // kept for the whole series: own copies, not slices that would pin every file image
    this.commits.push(detached({ index, number, subject: commit.subject, touched }));
  }

  get commitCount(): number {
    return this.commits.length;
  }

  /** The series as one synthetic commit, with diffs computed from base to final. */
  squashed(): { commit: Commit; images: Map<FileDiff, { pre: string | null; post: string | null; mode: ImageMode }> } {
    const images = new Map<FileDiff, { pre: string | null; post: string | null; mode: ImageMode }>();
    const files: FileDiff[] = [];
    for (const [path, state] of this.paths) {
      if (state.base === state.final) continue;
      const diff = diffTexts(path, state.base, state.final);
      files.push(diff);
      images.set(diff, { pre: state.base, post: state.final, mode: state.mode });
    }
    const commit: Commit = {
      sha: null,
      author: null,
      date: null,
      subject: '(whole series)',
      patchNumber: null,
      message: '',
      trailers: [],
      files,
      source: { kind: 'patch' },
    };
    return { commit, images };
  }

  /** The first commit after `index` that touched one of `functions` in `file`. */
  laterTouch(index: number, file: string, functions: readonly string[]): CommitTouch | null {
    for (const c of this.commits) {
      if (c.index <= index) continue;
      const fns = c.touched.get(file);
      if (fns && functions.some((f) => fns.has(f))) return c;
    }
    return null;
  }
}

function diffTexts(path: string, pre: string | null, post: string | null): FileDiff {
  const hunks = lineHunks(pre ?? '', post ?? '');
  return {
    oldPath: pre === null ? null : path,
    newPath: post === null ? null : path,
    status: pre === null ? 'added' : post === null ? 'deleted' : 'modified',
    binary: false,
    modeOnly: false,
    hunks,
  };
}

/**
 * Rewrite pair findings of a multi-commit series: name the commit that
 * introduced each one, and turn those a later commit repaired into warnings
 * that say so. `stillPresent` holds the fingerprints found on the squashed series.
 */
export function applySeriesAwareness(
  findings: Finding[],
  tracker: SeriesTracker,
  commitIndexOf: (f: Finding) => number | null,
  stillPresent: ReadonlySet<string>,
): void {
  const total = tracker.commitCount;
  if (total < 2) return;
  for (const f of findings) {
    if ((f.category !== 'pair' && f.category !== 'domain') || !f.commit) continue;
    const index = commitIndexOf(f);
    if (index === null) continue;
    const label = f.commit.index !== null ? `${f.commit.index}/${f.commit.total ?? total}` : `${index + 1}/${total}`;
    if (stillPresent.has(f.fingerprint)) {
      f.message = `${f.message} (introduced by commit ${label} "${f.commit.subject}", still present at the end of the series)`;
      continue;
    }
    const functions = [f.function, ...f.related.map((r) => r.function)].filter((n): n is string => n !== null);
    const files = [...new Set([f.file, ...f.related.map((r) => r.file)])];
    const fixer = files.map((file) => tracker.laterTouch(index, file, functions)).find((c) => c !== null) ?? null;
    const by = fixer ? `by commit ${fixer.number ?? `${fixer.index + 1}/${total}`} ${fixer.subject}` : 'by a later commit';
    if (f.severity === 'error') f.severity = 'warning';
    f.message = `${f.message} Fixed later in this series ${by}; commit ${label} "${f.commit.subject}" alone is broken for bisection.`;
  }
}
