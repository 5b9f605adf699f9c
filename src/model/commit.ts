/**
 * Pair summaries of one commit, before and after: what each side of a pair
 * reaches (through its helpers and wrappers, over every file the commit
 * touches), whether what one side acquires the other side releases, and the
 * names the commit renamed. Rules ask it whether a commit *changed* the
 * balance of a pair; an imbalance the pre-image already had is not the
 * patch's (that is `pairlint audit`'s business).
 */
import type { CCall, CFileModel, CFunction } from '../cmodel/types.js';
import type { PairTable, PrimitiveMatch } from '../pairs/table.js';
import type { SidePair } from '../pairs/sides.js';
import { Program } from './program.js';
import { distinctLocals, namesVariable, sameObject } from './objects.js';
import { findRenames } from './renames.js';
import { firstCallTo, reach, type CallSite, type ReachedFunction } from './reach.js';
import { addedToOwnedContainer } from './ownership.js';
import { wrapperUndone } from './wrappers.js';
import { onErrorBranch } from './skips.js';
import { endsAlike, fieldChain } from './fields.js';
import { namesPair } from '../pairs/learn/morphology.js';

/**
 * Is the acquire's object the value it returned into a local (`host =
 * CAST(object_new(ops->type))`, later `object_unref(host)` on an error path)?
 * Its arguments then name no object (`ops->type` is a type name), and where
 * the local goes next (`d->host = host`) the model does not follow:
 * any release of the counterpart counts.
 */
function producesIntoLocal(site: CallSite, counterparts: ReadonlySet<string>): boolean {
  const local = site.call.result?.trim();
  if (local === undefined || !/^\w+$/.test(local)) return false;
  return site.fn.calls.some((c) => c.line > site.call.line && counterparts.has(c.callee) && c.args.some((a) => a.replace(/^\(\w+\s*\*\)|\s+/g, '') === local));
}

/** Does a function whose name pairs with `releaser`'s (its acquire partner), not one of the pair's own sides, make the same acquire on the same object itself? */
function ownPartnerAcquires(program: Program, releaser: CFunction, acquire: CCall, sides: { has(name: string): boolean }): boolean {
  for (const name of program.names()) {
    // the pair's own acquire side is no other partner: its release elsewhere is this acquire's
    if (name === releaser.name || sides.has(name) || !namesPair(name, releaser.name)) continue;
    // the partner takes the same object (`d->tree`); one that inits another address space is no owner of this one
    if (program.lookup(name)?.fn.calls.some((c) => c.callee === acquire.callee && sameObject(c, acquire))) return true;
  }
  return false;
}

export type Image = 'pre' | 'post';

/** The two images of one touched file. */
export interface FileModels {
  path: string;
  pre: CFileModel | null;
  post: CFileModel | null;
}

/** How one acquire primitive stands between two sides in one image. */
export type Balance =
  /** the acquire side does not reach the primitive */
  | { state: 'absent' }
  /** the release side (or the acquire side itself, before it returns, or another owner) undoes it */
  | { state: 'balanced'; by: CallSite | null }
  | { state: 'unbalanced'; acquire: CallSite };

/** The sides of a pair by their root functions. */
export interface SideRoots {
  acquire: readonly string[];
  release: readonly string[];
}

/**
 * The roots of a pair's two sides: its acquire root, and every release root
 * the file pairs with it (vfio_migration_init has _exit, _cleanup and
 * _finalize; whichever of them undoes an acquire balances it).
 */
export function sideRootsOf(pairs: readonly SidePair[], pair: SidePair): SideRoots {
  const release = new Set<string>([pair.release]);
  for (const p of pairs) if (p.acquire === pair.acquire) release.add(p.release);
  return { acquire: [pair.acquire], release: [...release] };
}

export class CommitSummary {
  readonly pre: Program;
  readonly post: Program;
  /** every function defined or called in either image: evidence for name families */
  readonly knownNames: ReadonlySet<string>;
  private renamesCache: Map<string, string> | null = null;
  private survivorsCache: Set<string> | null = null;
  private readonly reachCache = new Map<string, Map<string, ReachedFunction>>();
  private readonly callbackCache = new Map<Image, Set<string>>();

  constructor(
    files: readonly FileModels[],
    readonly table: PairTable,
  ) {
    this.pre = new Program(files.flatMap((f) => (f.pre ? [f.pre] : [])));
    this.post = new Program(files.flatMap((f) => (f.post ? [f.post] : [])));
    const names = new Set<string>();
    for (const program of [this.pre, this.post]) {
      for (const name of program.names()) names.add(name);
      for (const callee of program.callees()) names.add(callee);
    }
    this.knownNames = names;
  }

  program(image: Image): Program {
    return image === 'pre' ? this.pre : this.post;
  }

  /** post-image name -> pre-image name, for names the commit renamed */
  get renames(): ReadonlyMap<string, string> {
    this.renamesCache ??= findRenames(this.pre, this.post);
    return this.renamesCache;
  }

  /** The pre-image name of a post-image function or callee. */
  preName(name: string): string {
    return this.renames.get(name) ?? name;
  }

  /** The post-image name of a pre-image function (its new name when the commit renamed it). */
  private postName(name: string): string {
    for (const [post, pre] of this.renames) if (pre === name) return post;
    return name;
  }

  /**
   * Does a pre-image function live on after the commit (under its name or a
   * new one)? A function the commit deletes whole is no edited copy: its
   * callers lost a call.
   */
  survives(preFnName: string): boolean {
    this.survivorsCache ??= new Set([...this.post.names()].map((n) => this.preName(n)));
    return this.survivorsCache.has(preFnName);
  }

  /**
   * A post-image function as it was before the commit: under its old name
   * (renames), in its old file (a renamed file), else wherever the commit's
   * files define it (a move); null when the commit made it.
   */
  oldSelf(fn: CFunction, file: { path: string; oldPath?: string | null }): CFunction | null {
    return this.pre.lookup(this.preName(fn.name), file.oldPath ?? file.path)?.fn ?? null;
  }

  /**
   * "Introduced by this commit", decided one way for every rule that asks:
   * of the facts `factsOf` finds in `fn` (held exits, retry shapes, ...), the
   * ones none of whose keys its old self's facts have. `keys(fact, rename)`
   * names a fact; for the post-image, `rename` maps the names in it back to
   * their pre-image names, so a rename is no new fact.
   */
  introduced<T>(
    fn: CFunction,
    file: { path: string; oldPath?: string | null },
    factsOf: (f: CFunction) => T[],
    keys: (fact: T, rename: (name: string) => string) => string[],
  ): T[] {
    const facts = factsOf(fn);
    if (facts.length === 0) return facts;
    const old = this.oldSelf(fn, file);
    const before = old ? [old] : this.donorsOf(fn, file);
    return this.newFacts(facts, () => before.flatMap((f) => factsOf(f)), keys);
  }

  /**
   * Where a function the commit made may have taken its code from: the
   * pre-image functions of its file that the commit shrank (fewer calls after
   * it) or removed. A body split off into a new function (`fx_init()` becoming a
   * wrapper of a new `fx_common_init()`) brings its old facts along; they are
   * not the commit's.
   */
  private donorsOf(fn: CFunction, file: { path: string; oldPath?: string | null }): CFunction[] {
    const path = file.oldPath ?? file.path;
    const out: CFunction[] = [];
    for (const p of this.pre.all()) {
      if (p.path !== path || p.fn.name === fn.name) continue;
      const now = this.post.lookup(this.postName(p.fn.name), file.path);
      if (!now || now.fn.calls.length < p.fn.calls.length) out.push(p.fn);
    }
    return out;
  }

  /**
   * "Introduced" for facts of a pair's two sides together (a loop on one side
   * against a loop on the other, ...): of the facts `factsOf` finds in the
   * post-image sides, the ones none of whose keys it finds in the pre-image
   * sides, the sides' roots and the names in the facts mapped back through
   * renames. `factsOf(image, sides)` reads `sides` in `image`.
   */
  introducedAcross<T>(
    sides: SideRoots,
    factsOf: (image: Image, sides: SideRoots) => T[],
    keys: (fact: T, rename: (name: string) => string) => string[],
  ): T[] {
    const facts = factsOf('post', sides);
    if (facts.length === 0) return facts;
    return this.newFacts(facts, () => factsOf('pre', this.mapSides(sides)), keys);
  }

  /**
   * "Introduced" for facts found after the commit that may have stood
   * anywhere before it (a field allocated in another function, moved or
   * reworded): of `facts`, the ones none of whose keys the facts `factsOf`
   * finds in any pre-image function have.
   */
  introducedAnywhere<T, U>(
    facts: T[],
    factsOf: (f: CFunction) => U[],
    keys: (fact: T | U, rename: (name: string) => string) => string[],
  ): T[] {
    if (facts.length === 0) return facts;
    return this.newFacts<T | U>(facts, () => this.pre.all().flatMap((p) => factsOf(p.fn)), keys) as T[];
  }

  /**
   * "Introduced" for facts a function may carry more than once (a second
   * call of the same release): of the facts `factsOf` finds in `fn`, the ones
   * whose key more facts of `fn` carry than facts of its old self (under its
   * old names) did; all of the function's facts when the commit made it.
   */
  gained<T>(
    fn: CFunction,
    file: { path: string; oldPath?: string | null },
    factsOf: (f: CFunction) => T[],
    key: (fact: T, rename: (name: string) => string) => string,
  ): T[] {
    const facts = factsOf(fn);
    if (facts.length === 0) return facts;
    const old = this.oldSelf(fn, file);
    const tally = (list: readonly T[]) => {
      const counts = new Map<string, number>();
      for (const f of list) {
        const k = key(f, (n) => n);
        counts.set(k, (counts.get(k) ?? 0) + 1);
      }
      return counts;
    };
    const after = tally(facts);
    const before = tally(old ? factsOf(old) : []);
    return facts.filter((f) => (after.get(key(f, (n) => n)) ?? 0) > (before.get(key(f, (n) => this.preName(n))) ?? 0));
  }

  /**
   * "Already so in the pre-image", for a fact a rule judges by likeness
   * rather than by a key (a skip under a predicate that tests at least the
   * same names): does `found` find it in `fn`'s old self? `rename` maps a
   * post-image name to its pre-image name. False when the commit made `fn`.
   */
  alreadySo(
    fn: CFunction,
    file: { path: string; oldPath?: string | null },
    found: (old: CFunction, rename: (name: string) => string) => boolean,
  ): boolean {
    const old = this.oldSelf(fn, file);
    return old !== null && found(old, (n) => this.preName(n));
  }

  /**
   * The one comparison behind every "introduced" above: of `after`, the facts
   * none of whose keys (names mapped back to the pre-image) a fact of
   * `before()` has (read only when there is something to compare).
   */
  private newFacts<T>(after: T[], before: () => T[], keys: (fact: T, rename: (name: string) => string) => string[]): T[] {
    const had = new Set(before().flatMap((f) => keys(f, (n) => n)));
    return after.filter((f) => !keys(f, (n) => this.preName(n)).some((k) => had.has(k)));
  }

  /** The primitive a callee stands for: the pair table, else a name family with both names present. */
  primitive(callee: string): PrimitiveMatch | null {
    return this.table.primitiveOrFamily(callee, this.knownNames);
  }

  /** Functions a side reaches from its roots, not walking into the other side. */
  reach(image: Image, roots: readonly string[], stopAt: readonly string[], preferPath?: string): Map<string, ReachedFunction> {
    const key = `${image}\u0000${roots.join(',')}\u0000${stopAt.join(',')}\u0000${preferPath ?? ''}`;
    let out = this.reachCache.get(key);
    if (!out) {
      out = reach(this.program(image), roots, new Set(stopAt), preferPath);
      this.reachCache.set(key, out);
    }
    return out;
  }

  /**
   * Does the release side undo what `acquireCallee` takes on the acquire
   * side, in `image`? Undone means (always for the same object, when the
   * calls name one: see objects.ts): the release side reaches a counterpart;
   * or the acquire side itself releases it before it returns (a temporary);
   * or, for a name-family pair, some other function of the program releases
   * it (an owner with another lifetime, such as finalize); or the callee is a
   * helper of the program whose own acquires are all undone (an open-coded
   * undo of `vfio_container_group_add()` needs no `vfio_container_group_del()`).
   */
  balance(image: Image, sides: SideRoots, acquireCallee: string, preferPath?: string, object?: CCall): Balance {
    const names = image === 'pre' ? this.mapSides(sides) : sides;
    const callee = image === 'pre' ? this.preName(acquireCallee) : acquireCallee;
    const acquired = this.reach(image, names.acquire, names.release, preferPath);
    const site = firstCallTo(acquired, new Set([callee]), object);
    if (!site) return { state: 'absent' };
    return this.undone(image, names, acquired, site, callee, preferPath, 0);
  }

  private undone(
    image: Image,
    sides: SideRoots,
    acquired: ReadonlyMap<string, ReachedFunction>,
    site: CallSite,
    callee: string,
    preferPath: string | undefined,
    depth: number,
  ): Balance {
    const match = this.primitive(callee);
    const counterparts = new Set(match?.counterparts ?? []);
    const releaseReach = this.reach(image, sides.release, sides.acquire, preferPath);
    if (match?.pair.onlyWithList && !this.listRemoves(releaseReach)) {
      // an element that stays on its list is the list's (audit's business); one taken off must be freed
      return { state: 'balanced', by: null };
    }
    // a subregion of a container the acquire side creates with an owner ends with the container
    if (addedToOwnedContainer(this.table.ownership, site.call, [...acquired.values()].map((r) => r.fn), this.program(image).all().map((p) => p.fn))) return { state: 'balanced', by: null };
    // the release side calls the counterpart of a wrapper the acquire was made through
    if (depth === 0 && wrapperUndone(site.via, (n) => this.primitive(n), (cs) => firstCallTo(releaseReach, cs) !== null, (n) => this.program(image).has(n))) {
      return { state: 'balanced', by: null };
    }
    if (counterparts.size > 0) {
      // the release of this object: `event_notifier_cleanup(&s->kick)` does not undo the init of `&s->call`
      const released = firstCallTo(releaseReach, counterparts, producesIntoLocal(site, counterparts) ? undefined : site.call);
      if (released) return { state: 'balanced', by: released };
      // the acquire side undoes it itself on its normal path (a temporary); an undo in its error handling
      // is for a failed attempt and leaves the normal path's acquire to the release side
      const self = firstCallTo(acquired, counterparts, site.call, (c, fn) => !onErrorBranch(fn, c));
      if (self) return { state: 'balanced', by: self };
    }
    // handed to another acquire that makes an object of it (`s->ioc = fx_channel_new_fd(s->fd, errp)`): the
    // release of that object is the release of this one
    if (depth === 0 && site.call.result !== undefined) {
      const value = site.call.result.replace(/\s+/g, '');
      for (const taker of site.fn.calls) {
        if (taker.line <= site.call.line || taker.result === undefined || !taker.args.some((a) => a.replace(/\s+/g, '') === value)) continue;
        if (this.primitive(taker.callee)?.role !== 'acquire') continue;
        const handed = this.undone(image, sides, acquired, { ...site, call: taker }, taker.callee, preferPath, depth + 1);
        if (handed.state === 'balanced') return handed;
      }
    }
    // A table primitive is a leaf: what it holds is the table's word, not its body's.
    if (match && !match.fromFamily) return { state: 'unbalanced', acquire: site };
    if (match) {
      const elsewhere = this.releasedElsewhere(image, counterparts, acquired, site.call);
      if (elsewhere) return { state: 'balanced', by: elsewhere };
    }
    const helper = depth === 0 ? this.program(image).lookup(callee, site.path) : null;
    if (helper) {
      // A helper of the program does what its body does: each acquire in it must be undone.
      const inner = this.reach(image, [callee], sides.release, site.path);
      for (const r of inner.values()) {
        for (const call of r.fn.calls) {
          if (this.program(image).has(call.callee)) continue;
          const m = this.primitive(call.callee);
          if (!m || m.role !== 'acquire') continue;
          if (m.pair.onlyWithList && !r.fn.calls.some((c) => this.table.isListInsert(c.callee))) {
            // a heap allocation the helper keeps in a field (`dev->channels = g_new0(...)`) is the helper's
            // resource too: the release side, or an owner elsewhere, must free that field
            if (!this.heapFieldFreed(image, releaseReach, acquired, call)) return { state: 'unbalanced', acquire: site };
            continue;
          }
          const innerSite = { call, fn: r.fn, path: r.path, via: [...site.via, ...r.via.slice(1)] };
          if (this.undone(image, sides, acquired, innerSite, call.callee, preferPath, depth + 1).state === 'unbalanced') {
            return { state: 'unbalanced', acquire: site };
          }
        }
      }
      return { state: 'balanced', by: null };
    }
    if (!match) return { state: 'balanced', by: null };
    return { state: 'unbalanced', acquire: site };
  }

  /**
   * Is a heap allocation stored into a field (`dev->channels = g_new0(...)`) freed: a heap free of the same field
   * chain (its base aside) on the release side, or by a function of the program outside the acquire side? An
   * allocation kept in a local, or not stored, is not asked about (true).
   */
  private heapFieldFreed(image: Image, releaseReach: ReadonlyMap<string, ReachedFunction>, acquired: ReadonlyMap<string, ReachedFunction>, call: CCall): boolean {
    if (!this.table.isHeapAllocation(call.callee)) return true;
    const chain = fieldChain(call.result);
    if (chain === null) return true;
    // (the same field through another base: `channels` and `dev.channels`)
    const frees = (c: CCall) => this.table.freesHeapValue(c.callee) && c.args.some((a) => { const f = fieldChain(a); return f !== null && f.length > 0 && endsAlike(f, chain); });
    for (const r of releaseReach.values()) if (r.fn.calls.some(frees)) return true;
    for (const { fn } of this.program(image).all()) if (!acquired.has(fn.name) && fn.calls.some(frees)) return true;
    return false;
  }

  private listRemoves(reached: ReadonlyMap<string, ReachedFunction>): boolean {
    for (const r of reached.values()) if (r.fn.calls.some((c) => this.table.isListRemove(c.callee))) return true;
    return false;
  }

  /** A call to one of `callees`, on the same object, in a function of the program outside `exclude`. */
  /**
   * A release of `object` by a function of the program outside `exclude`
   * (the pair's sides): an owner with another lifetime (finalize). A function
   * whose own acquire partner (by name) makes the same acquire releases that
   * partner's, not this one; a release in error handling is no owner's.
   */
  releasedElsewhere(image: Image, callees: ReadonlySet<string>, exclude: { has(name: string): boolean }, object: CCall): CallSite | null {
    const program = this.program(image);
    for (const { fn, path } of program.all()) {
      if (exclude.has(fn.name) || ![...callees].some((c) => Program.calls(fn, c))) continue;
      // a release in the partner of a function that makes the same acquire itself (region_del for the
      // region_add that also inserts into the tree) undoes that function's acquire, not this one
      if (ownPartnerAcquires(program, fn, object, exclude)) continue;
      // a release in error handling undoes that function's own failed attempt
      for (const call of fn.calls) {
        if (!callees.has(call.callee) || !sameObject(call, object) || onErrorBranch(fn, call)) continue;
        // two functions' own variables are one object only through a destroy callback, which gives back whatever
        // its container held (`object_unref(v)` in the value-destroy function a hash table was made with)
        if (distinctLocals(call, object) && !this.releasesItsParameter(image, fn, call)) continue;
        // a release of what the function itself took just before (a reference held across a call) is its own
        if (fn.calls.some((c) => c.callee === object.callee && c.line < call.line && sameObject(c, call))) continue;
        return { call, fn, path, via: [fn.name] };
      }
    }
    return null;
  }

  /** Is `fn` handed to some call as a callback (its name an argument), and does `call` release its first parameter? */
  private releasesItsParameter(image: Image, fn: CFunction, call: CCall): boolean {
    const param = fn.params?.[0];
    if (param === undefined || !namesVariable(call.args[0], param)) return false;
    let names = this.callbackCache.get(image);
    if (!names) {
      names = new Set();
      for (const { fn: f } of this.program(image).all()) for (const c of f.calls) for (const a of c.args) if (/^\w+$/.test(a.trim())) names.add(a.trim());
      this.callbackCache.set(image, names);
    }
    return names.has(fn.name);
  }

  /** Side roots under their pre-image names. */
  mapSides(sides: SideRoots): SideRoots {
    return { acquire: sides.acquire.map((n) => this.preName(n)), release: sides.release.map((n) => this.preName(n)) };
  }

  /**
   * Did the commit make `sides` unbalanced for `acquireCallee`? True only when
   * the post-image is unbalanced and the pre-image (under the old names, over
   * every touched file) was not: a new acquire the release side does not undo,
   * or a release the commit took away.
   */
  newlyUnbalanced(sides: SideRoots, acquireCallee: string, preferPath?: string, object?: CCall): boolean {
    if (this.balance('post', sides, acquireCallee, preferPath, object).state !== 'unbalanced') return false;
    return this.balance('pre', sides, acquireCallee, preferPath, object).state !== 'unbalanced';
  }

  /**
   * Functions whose call count of `callee` the commit raised and lowered, by
   * name over every touched file: a call lowered in one function and raised
   * in another was moved (into a helper, a caller, a framework path, another
   * file), not added or dropped. With `args`, only calls with those argument
   * texts count: a `g_free(s->buf)` dropped here and a `g_free(p)` added there
   * are not one call moved.
   */
  callDelta(callee: string, args?: readonly string[]): { gained: string[]; lost: string[] } {
    const preName = this.preName(callee);
    const sameArgs = (c: CCall) => args === undefined || (c.args.length === args.length && c.args.every((a, i) => a === args[i]));
    // most functions never call it: asked of the cached callee set first, their calls stay unread
    const count = (fn: CFunction | undefined, name: string) =>
      fn && Program.calls(fn, name) ? fn.calls.filter((c: CCall) => c.callee === name && sameArgs(c)).length : 0;
    const gained: string[] = [];
    const lost: string[] = [];
    const names = new Set([...this.pre.names(), ...this.post.names()]);
    for (const name of names) {
      const after = count(this.post.lookup(name)?.fn, callee);
      const before = count(this.pre.lookup(this.preName(name))?.fn, preName);
      if (after > before) gained.push(name);
      if (after < before) lost.push(name);
    }
    return { gained, lost };
  }
}

/** One summary per commit: the rules of a commit share it (keyed by the commit's file list). */
const memo = new WeakMap<readonly FileModels[], WeakMap<PairTable, CommitSummary>>();

export function summaryOf(files: readonly FileModels[], table: PairTable): CommitSummary {
  let byTable = memo.get(files);
  if (!byTable) memo.set(files, (byTable = new WeakMap()));
  let summary = byTable.get(table);
  if (!summary) byTable.set(table, (summary = new CommitSummary(files, table)));
  return summary;
}
