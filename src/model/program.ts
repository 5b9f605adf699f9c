/**
 * A program: the functions of one side (pre or post) of a commit, over every
 * C file the commit touches. Pair summaries are built on it, so that a helper
 * the commit moved to another file, or a file split in two, is still found.
 * A name defined in several files resolves to the copy in the preferred file
 * (static helpers of the same name in two files are common in QEMU).
 */
import type { CCall, CFileModel, CFunction } from '../cmodel/types.js';
import { calleeNames } from '../cmodel/callees.js';
import { calleeBase } from '../cmodel/toggles.js';

export interface ProgramFunction {
  fn: CFunction;
  path: string;
}

const calleesByModel = new WeakMap<CFileModel, ReadonlySet<string>>();

/**
 * What the functions of one file call (the first definition of each name,
 * as a program holds them). Per model, so a file image that stays the
 * pre- or post-image of commit after commit is read once, not per commit.
 */
function modelCallees(model: CFileModel): ReadonlySet<string> {
  let names = calleesByModel.get(model);
  if (!names) {
    const out = new Set<string>();
    const seen = new Set<string>();
    for (const fn of model.functions) {
      if (seen.has(fn.name)) continue;
      seen.add(fn.name);
      for (const name of calleeNames(fn)) out.add(name);
    }
    calleesByModel.set(model, (names = out));
  }
  return names;
}

export class Program {
  private readonly byName = new Map<string, ProgramFunction[]>();
  private calleesCache: Set<string> | null = null;

  constructor(readonly models: readonly CFileModel[]) {
    for (const model of models) {
      for (const fn of model.functions) {
        let list = this.byName.get(fn.name);
        if (!list) this.byName.set(fn.name, (list = []));
        // first definition per file, as CFileModel.functionByName does
        if (!list.some((p) => p.path === model.path)) list.push({ fn, path: model.path });
      }
    }
  }

  /** The definition of `name`, from `preferPath` when that file has one. */
  lookup(name: string, preferPath?: string): ProgramFunction | null {
    // a toggle's callee (`fx_update__true_1_2`) is a call of its function
    const list = this.byName.get(name) ?? this.byName.get(calleeBase(name));
    if (!list) return null;
    return (preferPath !== undefined ? list.find((p) => p.path === preferPath) : undefined) ?? (list[0] as ProgramFunction);
  }

  has(name: string): boolean {
    return this.byName.has(name) || this.byName.has(calleeBase(name));
  }

  names(): IterableIterator<string> {
    return this.byName.keys();
  }

  all(): ProgramFunction[] {
    return [...this.byName.values()].flat();
  }

  /**
   * Every name some function of the program calls. From each function's
   * cached callee set (callees.ts): a function an edit only moved is not
   * copied out to be read (see shift.ts).
   */
  callees(): ReadonlySet<string> {
    if (!this.calleesCache) {
      const names = new Set<string>();
      for (const model of this.models) for (const name of modelCallees(model)) names.add(name);
      this.calleesCache = names;
    }
    return this.calleesCache;
  }

  /** Does `fn` call `callee`? Without reading its calls (a moved function's stay uncopied). */
  static calls(fn: CFunction, callee: string): boolean {
    return calleeNames(fn).has(callee);
  }

  /**
   * Functions a call hands control to: its callee when the program defines
   * it, and functions passed as arguments (`call_rcu(block, reclaim_ramblock,
   * rcu)`, `g_idle_add(fn, opaque)`), which run later on the caller's behalf.
   */
  targets(call: CCall): string[] {
    const out: string[] = [];
    if (this.has(call.callee)) out.push(calleeBase(call.callee));
    for (const arg of call.args) {
      const name = arg.startsWith('&') ? arg.slice(1).trim() : arg;
      if (name !== call.callee && /^[A-Za-z_]\w*$/.test(name) && this.byName.has(name)) out.push(name);
    }
    return out;
  }
}
