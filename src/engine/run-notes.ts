/**
 * What a lint run could not check, and how much it did: the notes under the
 * report ("not checked: FILE: reason", diff-only mode, binary changes,
 * nothing to check, silenced findings) and the counts the summary shows.
 * Every stage of the loop tells it what it saw; it says it once at the end.
 */
import type { Commit } from '../series/model.js';
import type { FileImages } from '../images/types.js';
import type { ChangedFile } from '../model/changed-file.js';
import { PairlintError } from '../errors.js';

/** Why a file or rule could not be checked, for a note: the error's message, on one line. */
function reasonOf(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  return text.replace(/\s+/g, ' ').trim() || 'internal error';
}

export class RunNotes {
  /**
   * Files and rules that failed (an internal error, a crash of the C parser):
   * each becomes a note "not checked: FILE: reason" and the rest of the
   * report is still written. User errors (PairlintError) still end the run.
   */
  private readonly notChecked = new Map<string, string>();
  /** files of a full-image source read diff-only (a rename whose old text is not at hand) */
  private readonly imageNotes = new Set<string>();
  /** C files changed as binary (`GIT binary patch`, "Binary files ... differ"): nothing to model */
  readonly binaryC = new Set<string>();
  private diffOnlySeen = false;
  /** only `--commit-msg` messages: no C files are expected, so no note says so */
  private messagesOnly = true;
  /** C files that were modelled (over all commits), context files of a pathspec left out */
  private checked = 0;
  /** findings silenced by pairlint-ignore comments and Pairlint-Ignore trailers */
  private silenced = 0;

  /** Note that `what` could not be checked, for `e` (a PairlintError ends the run instead). */
  readonly failed = (what: string, e: unknown): void => {
    if (e instanceof PairlintError) throw e;
    if (!this.notChecked.has(what)) this.notChecked.set(what, reasonOf(e));
  };

  seeCommit(commit: Commit): void {
    if (commit.source.kind !== 'commit-msg') this.messagesOnly = false;
  }

  seeFile(img: FileImages, file: ChangedFile): void {
    if (img.note) this.imageNotes.add(img.note);
    else if (file.diffOnly) this.diffOnlySeen = true;
  }

  countChecked(files: readonly ChangedFile[]): void {
    this.checked += files.filter((f) => !f.diff.context).length;
  }

  countSilenced(n: number): void {
    this.silenced += n;
  }

  get checkedFiles(): number {
    return this.checked;
  }

  get suppressed(): number {
    return this.silenced;
  }

  /** The notes, in the order the report prints them. */
  list(): string[] {
    const notes: string[] = [];
    for (const [what, reason] of this.notChecked) notes.push(`not checked: ${what}: ${reason}`);
    if (this.diffOnlySeen) notes.push('diff-only mode: no source tree or repository, so rules read only the hunks');
    notes.push(...this.imageNotes);
    if (this.binaryC.size > 0) {
      const names = [...this.binaryC];
      const list = names.length > 5 ? `${names.slice(0, 5).join(', ')} and ${names.length - 5} more` : names.join(', ');
      notes.push(`binary change${names.length === 1 ? '' : 's'} to ${list} not checked (no text to read)`);
    }
    if (this.checked === 0 && !this.messagesOnly) {
      notes.push(
        this.binaryC.size > 0
          ? 'nothing was checked: the only C changes are binary'
          : 'no C files (.c, .h) were changed: nothing to check for pairs',
      );
    }
    if (this.silenced > 0) {
      notes.push(`${this.silenced} finding${this.silenced === 1 ? '' : 's'} silenced by pairlint-ignore comments or Pairlint-Ignore trailers`);
    }
    return notes;
  }
}
