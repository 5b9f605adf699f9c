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
import type { Finding } from '../rule/finding.js';
import { detached } from './detach.js';
import type { Repair } from '../rule/rule.js';

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
  /** what the commit changed that can restore a balance */
  changes: CommitChanges;
}

/** What one commit changed, as far as repairing a pair finding goes. */
export interface CommitChanges {
  /** callees of calls on added lines */
  addedCallees: Set<string>;
  /** the functions (post names) each of those callees was added in */
  addedCalleeIn?: Map<string, Set<string>>;
  /** names in conditions on added or removed lines (a test mirrored, a skip taken away) */
  conditionNames: Set<string>;
  /** functions with removed lines */
  removedIn: Set<string>;
}

/**
 * A range longer than this is a history, not a series: nobody reviews it as
 * one change, so findings are not attributed to it as a whole (QEMU series
 * and pull requests stay well under it).
 */
export const SERIES_MAX_COMMITS = 100;

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

  recordCommit(index: number, commit: Commit, changesOf: () => CommitChanges): void {
    // a history keeps nothing per commit: findings are not attributed over it
    if (this.commits.length > SERIES_MAX_COMMITS) return;
    const changes = changesOf();
    const number = commit.patchNumber ? `${commit.patchNumber.index}/${commit.patchNumber.total}` : null;
    // kept for the whole series: own copies, not slices that would pin every file image
    this.commits.push(detached({ index, number, subject: commit.subject, changes }));
  }

  /** Still short enough to be a series: repairs are worth keeping. */
  get isSeriesSoFar(): boolean {
    return this.commits.length <= SERIES_MAX_COMMITS;
  }

  /** Is this a series (as opposed to a history too long to be reviewed as one)? */
  get isSeries(): boolean {
    return this.commits.length >= 2 && this.commits.length <= SERIES_MAX_COMMITS;
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

  /**
   * The first commit after `index` that does what `repair` says restores the
   * balance: adds a call to one of its callees, or adds or removes a
   * condition naming one of its names in one of its functions' commits
   * (a mirrored test, a skip taken away). A commit that only renames, moves
   * or deletes the functions is not one.
   */
  laterRepair(index: number, repair: Repair, primaryFunction: string | null): CommitTouch | null {
    for (const c of this.commits) {
      if (c.index <= index) continue;
      // a call added where the repair says it belongs (one of its functions), or anywhere when it names none
      const addedWhere = (n: string) =>
        c.changes.addedCallees.has(n) && (repair.functions.length === 0 || !c.changes.addedCalleeIn || repair.functions.some((fn) => c.changes.addedCalleeIn?.get(n)?.has(fn)));
      if (repair.callees.some(addedWhere)) return c;
      if ((repair.names ?? []).some((n) => c.changes.conditionNames.has(n))) return c;
      if (primaryFunction !== null && (repair.names ?? []).length > 0 && c.changes.removedIn.has(primaryFunction) &&
        (repair.names ?? []).some((n) => c.changes.conditionNames.has(n))) return c;
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
 * that say so. `stillPresent` holds the fingerprints found on the squashed
 * series; `repairOf` what would restore each finding's balance. Over a
 * history (more than SERIES_MAX_COMMITS commits) nothing is rewritten.
 */
export function applySeriesAwareness(
  findings: Finding[],
  tracker: SeriesTracker,
  commitIndexOf: (f: Finding) => number | null,
  stillPresent: ReadonlySet<string>,
  repairOf: (f: Finding) => Repair | null,
): void {
  const total = tracker.commitCount;
  if (!tracker.isSeries) return;
  for (const f of findings) {
    if ((f.category !== 'pair' && f.category !== 'domain') || !f.commit) continue;
    const index = commitIndexOf(f);
    if (index === null) continue;
    const label = f.commit.index !== null ? `${f.commit.index}/${f.commit.total ?? total}` : `${index + 1}/${total}`;
    const repair = repairOf(f);
    const fixer = !stillPresent.has(f.fingerprint) && repair ? tracker.laterRepair(index, repair, f.function) : null;
    if (!fixer) {
      f.message = `${f.message} (introduced by commit ${label} "${f.commit.subject}"${stillPresent.has(f.fingerprint) ? ', still present at the end of the series' : ''})`;
      continue;
    }
    if (f.severity === 'error') f.severity = 'warning';
    f.message =
      `${f.message} Fixed later in this series by commit ${fixer.number ?? `${fixer.index + 1}/${total}`} ${fixer.subject}; ` +
      `commit ${label} "${f.commit.subject}" alone is broken for bisection.`;
  }
}
