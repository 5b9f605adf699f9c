/**
 * The pair table: which callback slots, primitive calls and name families come
 * in acquire/release pairs. Pure data (builtin.json + the user's config), with
 * lookups for the rules. No rule hard-codes a pair.
 */
import builtin from './builtin.json' with { type: 'json' };
import { LearnedPairs, isDisposer, isMacro, isTypedFree, type LearnedPair } from './learn/learned.js';
import { calleeBase, toggleOf } from '../cmodel/toggles.js';
import { hasReleaseVerb, verbsPair, releaseCandidates, stemRelease } from './learn/morphology.js';

export interface SlotPair {
  /** struct type the slots belong to; null matches any initializer */
  type: string | null;
  acquire: string;
  release: string;
  /**
   * a listener or notifier list: registering replays the acquire slot over
   * what exists, so unregistering must replay the release slot
   */
  replay?: boolean;
}

export interface PrimitivePair {
  acquire: string[];
  release: string[];
  /** what the pair holds, for messages ("IOMMU mapping") */
  what: string;
  /** the allocation pairs with its free only where a list insert/remove pairs the element */
  onlyWithList?: boolean;
  /** what goes wrong when only the acquire is skipped, for messages */
  ifAcquireSkipped?: string;
  /** what goes wrong when only the release is skipped */
  ifReleaseSkipped?: string;
  /**
   * `error-path`: the pair holds only where the same code shows the undo (an
   * unwind that releases the other resources): error-path-leak uses it, the
   * other rules do not
   */
  scope?: 'error-path';
  /** the release is harmless without the acquire (it checks for itself): skipping only the acquire balances */
  safeRelease?: boolean;
}

export interface NameFamily {
  acquire: string;
  release: string[];
}

export interface FunctionPair {
  acquire: string;
  release: string;
}

export interface PairTableData {
  slots: SlotPair[];
  primitives: PrimitivePair[];
  families: NameFamily[];
  functions: FunctionPair[];
  sharedPredicates: string[];
  listMacros: { insert: string[]; remove: string[] };
  ramDevice: RamDeviceData;
  /** calls that hold no resource (trace points, logging, assertions): never a primitive, never a pair (globs) */
  nonResources: string[];
  /** calls that register a function as a test case: such functions are never pair sides */
  testRegistrations: string[];
  /** predicates under which skipping an acquire means the state is inherited, not missing (cpr_is_incoming) */
  inheritedState: string[];
  /** releases that check for themselves (g_free, g_clear_pointer): a learned pair with one of these is safe to release unacquired */
  safeReleases: string[];
  /** functions that run also after the acquiring function failed (instance finalize), as globs */
  afterFailure: string[];
  /** callback slots whose release slot never runs when they fail (`realize`: a failed realize is never unrealized) */
  failedAcquireSlots: string[];
  /** learned pairs not to use: `acquire/release`, or a name (every learned pair it is a side of) */
  vetoes: string[];
  /** heap allocators: what a field may keep that g_free() releases (field-leak, copy-paste-side) */
  heapAllocations: string[];
  /** the heap allocators that take the buffer they are handed (g_realloc): the others copy what they read */
  heapResizes?: string[];
  /** memory-region ownership (globs): container adds, creations with an owner, roots of an address space */
  ownership: OwnershipData;
  /** QEMU's Error convention (globs): calls that always set the Error they are handed, calls that only read one */
  errorValues: ErrorValuesData;
  /** calls that never return whose declarations the code base does not hold (exit, g_assert_not_reached); its own are learned */
  noReturn: string[];
}

/** `makers` always set the `Error *` whose address they get (error_setg); `readers` read an Error and keep nothing. */
export interface ErrorValuesData {
  makers: string[];
  readers: string[];
}

/** What owns a child: `adds` put it into a container, `creates` make a container with an owner, `roots` give one its own lifetime. */
export interface OwnershipData {
  adds: string[];
  creates: string[];
  roots: string[];
}

/** The ownership names as tests (ownership.ts asks them). */
export interface Ownership {
  isAdd(name: string): boolean;
  isCreate(name: string): boolean;
  isRoot(name: string): boolean;
}

/** Knowledge for the ram-device-skip rule (regular expressions as strings). */
export interface RamDeviceData {
  mapPrimitives: string[];
  broadTests: string[];
  exactFlags: string[];
}

export type Role = 'acquire' | 'release';

export interface PrimitiveMatch {
  pair: PrimitivePair;
  role: Role;
  /** the names on the other side of the pair */
  counterparts: string[];
  /** true when the pair came from a name family or was learned from the code, not the table */
  fromFamily: boolean;
  /** the learned pairs behind it, when the code base under review showed the pair in use */
  learned?: readonly LearnedPair[];
}

/** builtin.json keeps a `$comment` beside each list of names. */
interface CommentedNames {
  names?: string[];
  resizes?: string[];
  predicates?: string[];
}

export function builtinPairData(): PairTableData {
  const data = builtin as unknown as Omit<Partial<PairTableData>, 'safeReleases' | 'afterFailure' | 'failedAcquireSlots' | 'heapAllocations' | 'noReturn'> & {
    heapAllocations?: CommentedNames;
    nonResources?: CommentedNames;
    testRegistrations?: CommentedNames;
    inheritedState?: CommentedNames;
    safeReleases?: CommentedNames;
    afterFailure?: { functions?: string[] };
    failedAcquireSlots?: { slots?: string[] };
    errorValues?: Partial<ErrorValuesData>;
    noReturn?: CommentedNames;
  };
  return {
    slots: data.slots ?? [],
    primitives: data.primitives ?? [],
    families: data.families ?? [],
    functions: data.functions ?? [],
    sharedPredicates: data.sharedPredicates ?? [],
    listMacros: data.listMacros ?? { insert: [], remove: [] },
    ramDevice: data.ramDevice ?? { mapPrimitives: [], broadTests: [], exactFlags: [] },
    nonResources: data.nonResources?.names ?? [],
    testRegistrations: data.testRegistrations?.names ?? [],
    inheritedState: data.inheritedState?.predicates ?? [],
    safeReleases: data.safeReleases?.names ?? [],
    afterFailure: data.afterFailure?.functions ?? [],
    failedAcquireSlots: data.failedAcquireSlots?.slots ?? [],
    vetoes: [],
    heapAllocations: data.heapAllocations?.names ?? [],
    heapResizes: data.heapAllocations?.resizes ?? [],
    ownership: { adds: data.ownership?.adds ?? [], creates: data.ownership?.creates ?? [], roots: data.ownership?.roots ?? [] },
    errorValues: { makers: data.errorValues?.makers ?? [], readers: data.errorValues?.readers ?? [] },
    noReturn: data.noReturn?.names ?? [],
  };
}

/** Concatenate two tables (the user's entries come after and add to the builtin ones). */
export function mergePairData(base: PairTableData, extra: Partial<PairTableData>): PairTableData {
  return {
    slots: [...base.slots, ...(extra.slots ?? [])],
    primitives: [...base.primitives, ...(extra.primitives ?? [])],
    families: [...base.families, ...(extra.families ?? [])],
    functions: [...base.functions, ...(extra.functions ?? [])],
    sharedPredicates: [...base.sharedPredicates, ...(extra.sharedPredicates ?? [])],
    listMacros: {
      insert: [...base.listMacros.insert, ...(extra.listMacros?.insert ?? [])],
      remove: [...base.listMacros.remove, ...(extra.listMacros?.remove ?? [])],
    },
    ramDevice: {
      mapPrimitives: [...base.ramDevice.mapPrimitives, ...(extra.ramDevice?.mapPrimitives ?? [])],
      broadTests: [...base.ramDevice.broadTests, ...(extra.ramDevice?.broadTests ?? [])],
      exactFlags: [...base.ramDevice.exactFlags, ...(extra.ramDevice?.exactFlags ?? [])],
    },
    nonResources: [...base.nonResources, ...(extra.nonResources ?? [])],
    testRegistrations: [...base.testRegistrations, ...(extra.testRegistrations ?? [])],
    inheritedState: [...base.inheritedState, ...(extra.inheritedState ?? [])],
    safeReleases: [...base.safeReleases, ...(extra.safeReleases ?? [])],
    afterFailure: [...base.afterFailure, ...(extra.afterFailure ?? [])],
    failedAcquireSlots: [...base.failedAcquireSlots, ...(extra.failedAcquireSlots ?? [])],
    vetoes: [...base.vetoes, ...(extra.vetoes ?? [])],
    heapAllocations: [...base.heapAllocations, ...(extra.heapAllocations ?? [])],
    heapResizes: [...(base.heapResizes ?? []), ...(extra.heapResizes ?? [])],
    ownership: {
      adds: [...base.ownership.adds, ...(extra.ownership?.adds ?? [])],
      creates: [...base.ownership.creates, ...(extra.ownership?.creates ?? [])],
      roots: [...base.ownership.roots, ...(extra.ownership?.roots ?? [])],
    },
    errorValues: {
      makers: [...base.errorValues.makers, ...(extra.errorValues?.makers ?? [])],
      readers: [...base.errorValues.readers, ...(extra.errorValues?.readers ?? [])],
    },
    noReturn: [...base.noReturn, ...(extra.noReturn ?? [])],
  };
}

/** A test for the non-resource names the globs match (trace points, logs, assertions); workers rebuild it from the globs. */
export function nonResourceTest(globs: readonly string[]): (name: string) => boolean {
  const patterns = globs.map(globToRegExp);
  return (name) => {
    const base = calleeBase(name);
    return patterns.some((re) => re.test(base));
  };
}

function globToRegExp(glob: string): RegExp {
  const escaped = glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${escaped}$`);
}

/** Names whose family counterparts are remembered (a bound, not a size anyone reaches in a file). */
const FAMILY_MEMO_LIMIT = 50_000;

/** What a pair known only by its names holds, in words a message can use after "the": "the resource taken by timer_new_ns()". */
function takenBy(acquire: string): string {
  return `resource taken by ${acquire}()`;
}

export class PairTable {
  readonly data: PairTableData;
  private readonly primitiveByName = new Map<string, PrimitiveMatch>();
  private readonly allPrimitives: PrimitivePair[] = [];
  private readonly sharedPatterns: RegExp[];
  private readonly nonResourcePatterns: RegExp[];
  private readonly nonResourceMemo = new Map<string, boolean>();
  private ownershipTests: Ownership | null = null;
  private heapReleases: Set<string> | null = null;
  private readonly slotCallMemo = new Map<string, PrimitiveMatch | null>();
  private readonly testRegistrationNames: Set<string>;
  private readonly inheritedNames: Set<string>;
  private readonly listInsert: Set<string>;
  private readonly listRemove: Set<string>;
  private readonly familyMemo = new Map<string, { role: Role; names: string[] }[]>();
  /**
   * Pairs learned from the code base under review (learn/): filled before the
   * run from the base tree, and from each commit's touched files as it goes.
   */
  learned: LearnedPairs;
  private readonly learnedMemo = new Map<string, PrimitiveMatch | null>();
  private readonly safeReleaseNames: Set<string>;
  private readonly vetoes: Set<string>;
  private readonly afterFailurePatterns: RegExp[];
  private readonly errorMakerPatterns: RegExp[];
  private readonly errorReaderPatterns: RegExp[];
  private readonly noReturnNames: Set<string>;
  private learnedVersion = -1;

  constructor(data: PairTableData) {
    this.data = data;
    this.learned = new LearnedPairs(undefined, (name) => this.isNonResource(name));
    for (const pair of data.primitives) {
      this.allPrimitives.push(pair);
      if (pair.scope !== undefined) continue;
      for (const name of pair.acquire) {
        this.primitiveByName.set(name, { pair, role: 'acquire', counterparts: pair.release, fromFamily: false });
      }
      for (const name of pair.release) {
        // A name can release several pairs (g_free); keep the first table entry.
        if (!this.primitiveByName.has(name)) {
          this.primitiveByName.set(name, { pair, role: 'release', counterparts: pair.acquire, fromFamily: false });
        }
      }
    }
    this.sharedPatterns = data.sharedPredicates.map(globToRegExp);
    this.nonResourcePatterns = data.nonResources.map(globToRegExp);
    this.testRegistrationNames = new Set(data.testRegistrations);
    this.inheritedNames = new Set(data.inheritedState);
    this.listInsert = new Set(data.listMacros.insert);
    this.listRemove = new Set(data.listMacros.remove);
    this.safeReleaseNames = new Set(data.safeReleases);
    this.vetoes = new Set(data.vetoes);
    this.afterFailurePatterns = data.afterFailure.map(globToRegExp);
    this.errorMakerPatterns = data.errorValues.makers.map(globToRegExp);
    this.errorReaderPatterns = data.errorValues.readers.map(globToRegExp);
    this.noReturnNames = new Set(data.noReturn);
  }

  /** Does a call to `name` never return (exit(), or a function the code base declares G_NORETURN): its path ends there? */
  endsProgram(name: string): boolean {
    return this.noReturnNames.has(name) || this.learned.endsProgram(name);
  }

  /** Does the call always set the `Error *` whose address it is handed (error_setg)? */
  setsErrorAlways(name: string): boolean {
    return this.errorMakerPatterns.some((p) => p.test(name));
  }

  /** Does the call only read the Error it is handed, or whose address it is handed (error_get_pretty, error_prepend)? */
  readsErrorOnly(name: string): boolean {
    const known = (n: string) => this.errorReaderPatterns.some((p) => p.test(n));
    return known(name) || this.learned.readsErrorOnly(name, known);
  }

  /** Does the release slot of a pair never run when this acquire slot (`realize`) failed? */
  releaseSkippedOnFailure(slot: string): boolean {
    return this.data.failedAcquireSlots.includes(slot);
  }

  /** Does this function run also after the acquiring function failed (instance finalize)? */
  runsAfterFailure(fnName: string): boolean {
    return this.afterFailurePatterns.some((re) => re.test(fnName));
  }

  /** The learned pairs the config does not veto, most supported first. */
  learnedPairs(): LearnedPair[] {
    return this.learned.pairs().filter((p) => !this.vetoes.has(p.acquire) && !this.vetoes.has(p.release) && !this.vetoes.has(`${p.acquire}/${p.release}`));
  }

  /** Replace the learned pairs (the base tree's, read or cached before the run). */
  useLearned(learned: LearnedPairs): void {
    this.learned = learned;
    this.learnedMemo.clear();
    this.learnedVersion = -1;
  }

  /** The table entry for a callee, if it is a listed primitive, else a pair the code base showed in use. */
  primitive(callee: string): PrimitiveMatch | null {
    if (this.isNonResource(callee)) return null;
    const listed = this.primitiveByName.get(callee);
    if (!listed) return this.learnedPrimitive(callee);
    return listed.pair.safeRelease ? listed : this.withLearnedSafety(callee, listed);
  }

  /**
   * A listed pair whose release the code base shows checking for itself
   * (its definition returns when there is nothing to release): marked
   * safeRelease like the table's own safe releases. Memoized with the learned pairs.
   */
  private withLearnedSafety(callee: string, match: PrimitiveMatch): PrimitiveMatch {
    this.syncLearnedMemo();
    const key = `listed\0${callee}`;
    const memo = this.learnedMemo.get(key);
    if (memo !== undefined) return memo ?? match;
    const releases = match.pair.release;
    const safe = releases.length > 0 && releases.every((r) => this.learned.checksForItself(r));
    const out = safe ? { ...match, pair: { ...match.pair, safeRelease: true } } : match;
    this.learnedMemo.set(key, out);
    return out;
  }

  /** The memo of learned matches holds for one version of the learned pairs. */
  private syncLearnedMemo(): void {
    if (this.learnedVersion !== this.learned.version) {
      this.learnedMemo.clear();
      this.learnedVersion = this.learned.version;
    }
  }

  /** A pair learned from the code: `callee` as acquire (its releases the counterparts), else as release. */
  learnedPrimitive(callee: string): PrimitiveMatch | null {
    this.syncLearnedMemo();
    const memo = this.learnedMemo.get(callee);
    if (memo !== undefined) return memo;
    let out: PrimitiveMatch | null = null;
    const vetoed = (p: LearnedPair) => this.vetoes.has(p.acquire) || this.vetoes.has(p.release) || this.vetoes.has(`${p.acquire}/${p.release}`);
    const asAcquire = this.learned.asAcquire(callee).filter((p) => !vetoed(p));
    if (asAcquire.length > 0) {
      const release = asAcquire.map((p) => p.release);
      out = {
        pair: { acquire: [callee], release, what: takenBy(callee), ...(release.every((r) => this.isSafeRelease(r)) ? { safeRelease: true } : {}) },
        role: 'acquire',
        counterparts: release,
        fromFamily: true,
        learned: asAcquire,
      };
    } else {
      const asRelease = this.learned.asRelease(callee).filter((p) => !vetoed(p));
      if (asRelease.length > 0) {
        const acquire = asRelease.map((p) => p.acquire);
        out = {
          pair: { acquire, release: [callee], what: takenBy(acquire[0] as string), ...(this.isSafeRelease(callee) ? { safeRelease: true } : {}) },
          role: 'release',
          counterparts: acquire,
          fromFamily: true,
          learned: asRelease,
        };
      }
    }
    this.learnedMemo.set(callee, out);
    return out;
  }

  /**
   * Does the code base call `step` (named for releasing) on an object before `release` gives the same object back
   * (`fx_client_cleanup(nc); fx_client_free(nc);`)? Learned from the code (learn/evidence.ts releaseSteps).
   */
  stepBefore(step: string, release: string): boolean {
    return this.learned.precedes(step, release);
  }

  /** How many sites of the code base show `release` undoing `acquire` (its learned support; 0 for none). */
  learnedSupport(acquire: string, release: string): number {
    return this.learned.asAcquire(acquire).find((p) => p.release === release)?.support ?? 0;
  }

  /** A release harmless without its acquire: listed in `safeReleases`, or defined in the code base to check for itself. */
  isSafeRelease(name: string): boolean {
    return this.safeReleaseNames.has(name) || this.learned.checksForItself(name);
  }

  /** Is this a heap allocator (`heapAllocations`: g_malloc0, g_strdup, ...)? */
  isHeapAllocation(name: string): boolean {
    return this.data.heapAllocations.includes(name);
  }

  /** Does the heap allocator take the buffer it is handed (`g_realloc`), rather than copy what it reads (`g_strdup_printf`)? */
  resizesHeap(name: string): boolean {
    return this.data.heapResizes?.includes(name) ?? false;
  }

  /**
   * Is this a heap allocator, or a function of the code base that returns what one made (`fx_allocate_dmas()`
   * around g_new0(): the learned wrappers)?
   */
  allocatesFromHeap(name: string): boolean {
    if (this.isHeapAllocation(name)) return true;
    const inner = this.wrappedAcquire(name);
    return inner !== null && inner.pair.acquire.some((a) => this.isHeapAllocation(a));
  }

  /** Does the function `name`, handed `Error **`, answer with a status (0 when done), as the code base defines it? */
  reportsStatus(name: string): boolean {
    return this.learned.reportsStatus(name);
  }

  /** Does the code base define `name`, handed `Error **`, so that how it answers is known? */
  reportsKnown(name: string): boolean {
    return this.learned.reportsKnown(name);
  }

  /** Does the function `name` release what its argument `k` names, as the code base defines it (a disposer)? */
  releasesArgument(name: string, k: number): boolean {
    return this.learned.releasesArgument(name, k);
  }

  /** Does the name release heap allocations: a release of a listed pair whose acquires are heap allocators (g_free)? */
  isHeapRelease(name: string): boolean {
    this.heapReleases ??= new Set(this.allPrimitives.filter((p) => p.acquire.some((a) => this.isHeapAllocation(a))).flatMap((p) => p.release));
    return this.heapReleases.has(name);
  }

  /**
   * Does the name free a heap value: a heap release (g_free), or a free of one kind of value (`g_strfreev`,
   * `qapi_free_FxList`), which frees what its makers allocated from the heap as g_free() does a buffer?
   */
  freesHeapValue(name: string): boolean {
    return this.isHeapRelease(name) || isTypedFree(name);
  }

  /** Memory-region ownership as tests (`ownership` in builtin.json). */
  get ownership(): Ownership {
    if (!this.ownershipTests) {
      const test = (globs: readonly string[]) => {
        const res = globs.map(globToRegExp);
        return (name: string) => res.some((re) => re.test(name));
      };
      const o = this.data.ownership;
      this.ownershipTests = { isAdd: test(o.adds), isCreate: test(o.creates), isRoot: test(o.roots) };
    }
    return this.ownershipTests;
  }

  /** Does the name carry a release verb as one of its words (`g_free`, `object_unref`)? */
  hasReleaseVerb(name: string): boolean {
    return hasReleaseVerb(name);
  }

  /** Is `name` named for disposing of a whole value (`close`, `object_unref`, `fx_ctx_destroy`)? learned.isDisposer */
  disposesWhole(name: string): boolean {
    return isDisposer(name);
  }

  /** Is `name` an upper-case macro (a cast, a field read), which makes no value of its own? learned.isMacro */
  isMacro(name: string): boolean {
    return isMacro(name);
  }

  /** Does `name` give back what `acquire` takes, by its words (`fx_queue_detach_elem` for `fx_queue_pop`)? morphology.stemRelease */
  stemRelease(acquire: string, name: string): boolean {
    return stemRelease(acquire, name);
  }

  /** Do the names carry a pair's verbs, one each, whatever their other words (`fx_container_region_add`, `fx_listener_region_del`)? */
  verbsPair(acquire: string, release: string): boolean {
    return verbsPair(acquire, release);
  }

  /** Do the names pair by morphology (`event_notifier_init_fd` → `event_notifier_cleanup`)? Proposed, not shown in use. */
  namesPair(acquire: string, release: string): boolean {
    return releaseCandidates(acquire).includes(release);
  }

  /**
   * A call through a pointer to a slot whose name pairs with another slot
   * (`k->realize(...)`, the table's slot pairs or the verbs: `k->unrealize`
   * on the same base). Proposed by the names alone: a rule takes it only
   * where the function itself makes that release on another path.
   */
  slotCall(callee: string): PrimitiveMatch | null {
    const known = this.slotCallMemo.get(callee);
    if (known !== undefined) return known;
    const match = this.findSlotCall(callee);
    if (this.slotCallMemo.size > 100_000) this.slotCallMemo.clear();
    this.slotCallMemo.set(callee, match);
    return match;
  }

  private findSlotCall(callee: string): PrimitiveMatch | null {
    const m = /^(.+?)(->|\.)(\w+)$/.exec(callee);
    if (!m) return null;
    const [, base, op, slot] = m as unknown as [string, string, string, string];
    const names = new Set([...this.data.slots.filter((p) => p.acquire === slot).map((p) => p.release), ...releaseCandidates(slot)]);
    if (names.size === 0) return null;
    const release = [...names].map((r) => `${base}${op}${r}`);
    return { pair: { acquire: [callee], release, what: takenBy(callee) }, role: 'acquire', counterparts: release, fromFamily: true };
  }

  /** The table entry for a callee, scoped entries included (`scope: 'error-path'`), else a learned pair. */
  anyPrimitive(callee: string): PrimitiveMatch | null {
    if (this.isNonResource(callee)) return null;
    for (const pair of this.allPrimitives) {
      if (pair.acquire.includes(callee)) return { pair, role: 'acquire', counterparts: pair.release, fromFamily: false };
      if (pair.release.includes(callee)) return { pair, role: 'release', counterparts: pair.acquire, fromFamily: false };
    }
    return this.learnedPrimitive(callee);
  }

  /**
   * What a constructor wrapper acquires: the acquire of the call it hands back (`fx_pci_new` → `fx_qdev_new`
   * → `object_new`, learned from the code base, evidence.ts wrappedCall), followed a few wrappers deep.
   * Null for a callee that is no wrapper of a known acquire.
   */
  wrappedAcquire(callee: string): PrimitiveMatch | null {
    let name = callee;
    for (let depth = 0; depth < 4; depth++) {
      const inner = this.learned.wrapped(name);
      if (inner === null || inner === callee) return null;
      const match = this.anyPrimitive(inner);
      if (match) return match.role === 'acquire' ? match : null;
      name = inner;
    }
    return null;
  }

  /**
   * The first acquire down the chain of constructor wrappers of `callee` whose counterparts are not all among
   * `known` (`pci_new()` → `pci_new_internal()`, the same family, → `qdev_new()` → `object_new()`, dropped with
   * object_unref()): what the object the call makes is still owed, besides the call's own pair.
   */
  wrappedAcquireBeyond(callee: string, known: readonly string[]): PrimitiveMatch | null {
    // every acquire down the chain: each wrapper's own pair gives a way to drop the object (`qdev_new()` /
    // `qdev_realize_and_unref()`), and the innermost the plain one (`object_new()` / `object_unref()`)
    let innermost: PrimitiveMatch | null = null;
    const counterparts: string[] = [];
    let name = callee;
    for (let depth = 0; depth < 6; depth++) {
      const inner = this.learned.wrapped(name);
      if (inner === null || inner === callee) break;
      const match = this.anyPrimitive(inner);
      if (match && match.role !== 'acquire') break;
      if (match) {
        innermost = match;
        for (const r of match.counterparts) if (!known.includes(r) && !counterparts.includes(r)) counterparts.push(r);
      }
      name = inner;
    }
    // (named for the innermost: what the object is, whatever configured it on the way)
    if (innermost === null || counterparts.length === 0) return null;
    return { ...innermost, counterparts };
  }

  /** A trace point, log or error report, or an assertion: it balances nothing. */
  isNonResource(name: string): boolean {
    // asked of every call the rules and the learning look at; the same names come back all the time
    let known = this.nonResourceMemo.get(name);
    if (known === undefined) {
      // a switch of a non-resource (`trace_fx(…, true)`) is none either
      const base = calleeBase(name);
      known = this.nonResourcePatterns.some((re) => re.test(base));
      if (this.nonResourceMemo.size >= FAMILY_MEMO_LIMIT) this.nonResourceMemo.clear();
      this.nonResourceMemo.set(name, known);
    }
    return known;
  }

  /** Does this call register a function as a test case (g_test_add_func)? */
  isTestRegistration(callee: string): boolean {
    return this.testRegistrationNames.has(callee);
  }

  /** Is this predicate one under which the skipped state is inherited (cpr_is_incoming)? */
  isInheritedState(name: string): boolean {
    return this.inheritedNames.has(name);
  }

  /**
   * A primitive by table or, failing that, by name family: `foo_add_bar` pairs
   * with `foo_del_bar` when `knownNames` (callees and functions seen around the
   * change) contains the counterpart, so a family never invents a function.
   */
  primitiveOrFamily(callee: string, knownNames: ReadonlySet<string>): PrimitiveMatch | null {
    const listed = this.primitive(callee);
    if (listed) return listed.learned ? this.withMirrors(callee, listed, knownNames) : listed;
    // Calls through a pointer (`listener->log_global_start`) are callback slots, not primitives.
    if (!/^\w+$/.test(callee) || this.isNonResource(callee)) return null;
    for (const candidate of this.familyCounterparts(callee)) {
      const present = candidate.names.filter((n) => knownNames.has(n));
      if (present.length === 0) continue;
      const release = candidate.role === 'acquire' ? present : [callee];
      const safe = release.every((r) => this.isSafeRelease(r)) ? { safeRelease: true } : {};
      const pair: PrimitivePair =
        candidate.role === 'acquire'
          ? { acquire: [callee], release: present, what: takenBy(callee), ...safe }
          : { acquire: present, release: [callee], what: takenBy(present[0] as string), ...safe };
      return { pair, role: candidate.role, counterparts: present, fromFamily: true };
    }
    return null;
  }

  /**
   * A learned pair's other side, with the mirrors its name family proposes
   * that the code around the change has (`fx_add_queue` learned with
   * `fx_delete_queue`, and `fx_del_queue`, a wrapper of it, called on
   * the release side): either undoes it.
   */
  private withMirrors(callee: string, match: PrimitiveMatch, knownNames: ReadonlySet<string>): PrimitiveMatch {
    const mirrors = this.familyCounterparts(callee)
      .filter((f) => f.role === match.role)
      .flatMap((f) => f.names)
      .filter((n) => knownNames.has(n) && !match.counterparts.includes(n) && !this.isNonResource(n));
    if (mirrors.length === 0) return match;
    const counterparts = [...match.counterparts, ...mirrors];
    const pair: PrimitivePair = match.role === 'acquire' ? { ...match.pair, release: counterparts } : { ...match.pair, acquire: counterparts };
    return { ...match, pair, counterparts };
  }

  /**
   * Names on the other side of `name` by the name families: for
   * `vfio_listener_region_add` → acquire, [`vfio_listener_region_del`, `..._remove`].
   */
  familyCounterparts(name: string): { role: Role; names: string[] }[] {
    // asked for every function of every image of a range: the same few hundred names
    let out = this.familyMemo.get(name);
    if (!out) {
      out = this.computeFamilyCounterparts(name);
      if (this.familyMemo.size >= FAMILY_MEMO_LIMIT) this.familyMemo.clear();
      this.familyMemo.set(name, out);
    }
    return out;
  }

  private computeFamilyCounterparts(name: string): { role: Role; names: string[] }[] {
    const out: { role: Role; names: string[] }[] = [];
    // a switch's words are its function's, not a side's: only usage evidence pairs its two literals (learned.ts)
    if (toggleOf(name)) return out;
    const tokens = name.split('_');
    // a name with both verbs of a family (`fx_notify_map_unmap`, `fx_add_del_range`) does either, as told: no side
    if (this.data.families.some((f) => tokens.includes(f.acquire) && f.release.some((r) => tokens.includes(r)))) return out;
    for (const family of this.data.families) {
      tokens.forEach((token, i) => {
        const swap = (to: string) => [...tokens.slice(0, i), to, ...tokens.slice(i + 1)].join('_');
        // (`realizefn`: QEMU's word for the function that does the verb, `fx_cpu_realizefn`/`fx_cpu_unrealizefn`)
        const fn = token.endsWith('fn') ? 'fn' : '';
        const verb = fn ? token.slice(0, -2) : token;
        if (verb === family.acquire) {
          out.push({ role: 'acquire', names: family.release.map((r) => swap(r + fn)) });
        } else if (family.release.includes(verb)) {
          out.push({ role: 'release', names: [swap(family.acquire + fn)] });
        }
      });
    }
    return out;
  }

  isSharedPredicate(name: string): boolean {
    return this.sharedPatterns.some((re) => re.test(name));
  }

  isListInsert(callee: string): boolean {
    return this.listInsert.has(callee);
  }

  isListRemove(callee: string): boolean {
    return this.listRemove.has(callee);
  }
}
