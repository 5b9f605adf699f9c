/**
 * What a commit changed that can restore a pair's balance (see
 * SeriesTracker.laterRepair): the calls it adds, the conditions it adds or
 * takes away. Each is compared with the function's old self (under its old
 * name, in any touched file), so that renaming, moving or deleting a
 * function never counts as repairing it.
 */
import type { CFunction } from '../cmodel/types.js';
import type { PairTable } from '../pairs/table.js';
import { summaryOf } from '../model/commit.js';
import type { ChangedFile } from '../model/changed-file.js';
import type { CommitChanges } from './series.js';

function count(fn: CFunction | undefined, callee: string): number {
  return fn ? fn.calls.filter((c) => c.callee === callee).length : 0;
}

export function commitChanges(files: readonly ChangedFile[], table: PairTable): CommitChanges {
  const changes: CommitChanges = { addedCallees: new Set(), addedCalleeIn: new Map(), conditionNames: new Set(), removedIn: new Set() };
  // no touched function in any file: nothing below would be found, and no model is needed to say so
  if (files.every((f) => f.touchesNoFunction)) return changes;
  const summary = summaryOf(files, table);
  const postName = new Map([...summary.renames].map(([post, pre]) => [pre, post]));
  for (const file of files) {
    for (const change of file.functionChanges()) {
      const post = change.post;
      if (post && file.addedIn(post.startLine, post.endLine)) {
        const before = summary.pre.lookup(summary.preName(post.name), file.oldPath ?? file.path)?.fn;
        for (const call of post.calls) {
          if (file.added.has(call.line) && count(post, call.callee) > count(before, summary.preName(call.callee))) {
            changes.addedCallees.add(call.callee);
            const where = changes.addedCalleeIn?.get(call.callee) ?? new Set<string>();
            changes.addedCalleeIn?.set(call.callee, where.add(post.name));
          }
        }
        for (const cond of post.conditions) {
          if (!file.addedIn(cond.line, cond.endLine) || before?.conditions.some((c) => c.normalized === cond.normalized)) continue;
          for (const n of [...cond.names, ...cond.callees]) changes.conditionNames.add(n);
        }
      }
      const pre = change.pre;
      if (pre && file.removedIn(pre.startLine, pre.endLine)) {
        const after = summary.post.lookup(postName.get(pre.name) ?? pre.name, file.path)?.fn;
        // a function deleted (not renamed or moved) repairs nothing
        if (!after) continue;
        changes.removedIn.add(after.name);
        for (const cond of pre.conditions) {
          if (!file.removedIn(cond.line, cond.endLine) || after.conditions.some((c) => c.normalized === cond.normalized)) continue;
          for (const n of [...cond.names, ...cond.callees]) changes.conditionNames.add(n);
        }
      }
    }
  }
  return changes;
}
