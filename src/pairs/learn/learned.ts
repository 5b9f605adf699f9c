/**
 * The learned pair table: usage evidence (evidence.ts) summed over the files
 * of the code base under review, then judged. Data only, JSON-serializable
 * (it is cached on disk by tree, see cache.ts).
 *
 * What is kept (thresholds read off the pairs history and the corpus, see
 * README "Learned pairs"):
 * - a pair morphology proposes, with at least one evidence site: the pairs
 *   bugs hit are often used once, and requiring two sites loses real ones;
 *   but not when the code releases under MIN_MORPHOLOGY_CONFIDENCE of the
 *   acquire's calls (a bit or a mask set and cleared now and then is state),
 *   nor when the code calls its release before another release of the same
 *   acquire on the same object (a step: `timer_del` before `timer_free`);
 * - a pair no name shows (`g_malloc`/`g_free`), only with evidence in paired
 *   functions (a release slot or release-named function releasing the field
 *   the acquire side stored) and a confidence of at least MIN_ROLE_CONFIDENCE:
 *   raw co-occurrence is mostly producer → consumer; or with evidence in one
 *   function only, when the release disposes of the whole value (isDisposer)
 *   for at least MIN_DISPOSER_CONFIDENCE of the acquire's calls, or is a plain
 *   heap free for at least MIN_HEAP_FREE_CONFIDENCE of them, at MIN_HEAP_FREE_SITES sites or more;
 *   or with a value kept in a field released in a teardown of its file
 *   (evidence.ts storedValueEvidence) at MIN_STORED_VALUE_SITES sites or more,
 *   for a maker that is no getter nor macro.
 * A name the table knows no pair of takes its variants' pairs (asAcquire): the
 * shorter name it extends by qualifying words, or else the same verb after the
 * same stem.
 */
import type { CFileModel, CFunction } from '../../cmodel/types.js';
import { fileEvidence, type EvidenceSite, type FileEvidence, type PairEvidence } from './evidence.js';
import { qualifiedPrefixes, releaseCandidates, releasesFamily, variantFamilies } from './morphology.js';

/** Share of an evidence-only acquire's calls that must show its release. */
export const MIN_ROLE_CONFIDENCE = 0.2;

/**
 * Share of a morphology pair's acquire calls that must show its release. On the pairs history's last tree the
 * pairs below it were a bit set/clear (1 of 67 calls), a config-mask set/clear (1 of 38) and a string duplicate
 * whose frees are mostly elsewhere (1 of 39, and the heap table has it); the next lowest, real pairs, stand at
 * 17 %: a reference count and an address space.
 */
export const MIN_MORPHOLOGY_CONFIDENCE = 0.05;

/**
 * Share of an acquire's calls whose value the same function hands to a disposer, for a pair only that use
 * shows (`fd = fx_open_dev(...); ... close(fd)`): a value most of whose makers dispose of it is a resource.
 */
export const MIN_DISPOSER_CONFIDENCE = 0.5;

/**
 * For a plain heap free (`g_free`), which a looked-up element also meets after it is unlinked: the share of the
 * acquire's calls whose value the same function frees, and how many such sites, before the value counts as made
 * for its caller (`path = fx_find_file(...); ...; g_free(path)`). A lookup is called far more often than its
 * elements are freed; a function that hands out new memory has nearly every caller free it.
 */
export const MIN_HEAP_FREE_CONFIDENCE = 0.8;
export const MIN_HEAP_FREE_SITES = 3;

/**
 * For a value kept in a field and released, in another function of its file named for releasing, by a call no name
 * pairs with its maker (evidence.ts storedValueEvidence: `s->watch = fx_add_watch(...)`, `g_source_remove(s->watch)`
 * in an unrealize): the sites that must show it, across the tree, before the pair counts. One such site is a field
 * reused for another value as often as a resource.
 */
export const MIN_STORED_VALUE_SITES = 2;

/** Acquire calls whose value their own function frees (each once, however many paths free it). */
const heapFreeSites = (p: { sites?: number }): number => p.sites ?? 0;

/** Evidence sites of a pair, of every kind. */
const siteCount = (p: PairEvidence): number => p.sameFunction + p.pairedFunctions + (p.sameFile ?? 0);

/** The plain frees any heap pointer goes to. */
const isPlainFree = (name: string): boolean => /^(g_|qemu_v?)?free$/.test(name);

/**
 * A release named for disposing of a whole value (`close`, `qemu_close`, `object_unref`, `fx_ctx_destroy`, and
 * C's stream `fclose`, `qemu_fclose`): its last word says so, or its last but one, followed by the kind of value
 * (`fx_unref_device`, `fx_destroy_context`; library APIs put the verb first). Not a word that names no value
 * (`fx_unref_all`, `fx_close_cb`, `fx_destroy_notify`). Not a free: a lookup whose element a function frees after
 * unlinking it (`e = fx_find(...); ...; g_free(e)`) made nothing, and heap memory has its own entries (heapAllocations).
 */
export const isDisposer = (name: string): boolean =>
  (/(^|_)(f?close|unref|destroy)(_[a-z][a-z0-9]*)?$/.test(name) || isTypedFree(name)) && !/_(all|cb|callback|notify|notifier|handler|fn|func|event|request|async|later|done|begin|start|end|bh)$/.test(name);
/**
 * A free of one kind of value (`g_strfreev`, `g_list_free_full`, `qapi_free_FxInfo`, `fx_table_free`): it says what
 * it disposes of, unlike the plain frees any pointer goes to (`g_free`, `free`), which a looked-up element also
 * meets after it is unlinked.
 */
export const isTypedFree = (name: string): boolean => /(^|_)(str)?(free|freev|free_full)$|^qapi_free_\w+$|_freev$/.test(name) && !/^(g_|qemu_|)free$/.test(name);
/** An upper-case macro (`QTAILQ_FIRST`, a cast) reads or converts a value; it makes none. */
export const isMacro = (name: string): boolean => /^[A-Z_][A-Z0-9_]*$/.test(name);

/**
 * A name that says it looks a value up (`fx_get_wfd`, `fx_bus_get_handler`): what a field keeps from it is most
 * often owned elsewhere, and a release of that field undoes another maker (on the learned table, a getter's stored
 * value was released by an unrelated call as often as by its own undo).
 */
const isGetter = (name: string): boolean => name.split('_').includes('get');
/** Examples kept per pair over the whole tree. */
const EXAMPLES = 3;

export interface LearnedPair {
  acquire: string;
  release: string;
  /** proposed by name morphology (else by usage alone) */
  morphology: boolean;
  /** evidence sites: the release undoes the acquire's object */
  support: number;
  sameFunction: number;
  pairedFunctions: number;
  /** releases in other functions of the acquire's file, by mirror names on the same field (evidence.ts sameFileEvidence) */
  sameFile?: number;
  /** calls of the acquire in the code base */
  acquireCalls: number;
  /** support / acquireCalls, at most 1 */
  confidence: number;
  examples: EvidenceSite[];
  /** set when the pair is inferred for a variant of a learned acquire (`timer_new_ns` from `timer_new_ms`/`timer_free`): that acquire */
  variantOf?: string;
  /** set when the pair is carried over by forwarders (learned.ts forwardedPairs): the pair it comes from, `A/R` */
  forwardedVia?: string;
}

export interface LearnedData {
  /** sum of the files' evidence */
  calls: Record<string, number>;
  pairs: Record<string, PairEvidence>;
  files: number;
  /** functions that check for themselves, by how many files define them so */
  safe?: Record<string, number>;
  /** releases made always against a conditional acquire, by how many paired sites do so (evidence.ts unguardedRelease) */
  unguarded?: Record<string, number>;
  /** constructor wrappers, `W\0C` → how many files define W so (evidence.ts wrappedCall) */
  wrappers?: Record<string, number>;
  /** forwarders, `F\0C` → how many files define F so (evidence.ts forwardedCall) */
  forwards?: Record<string, number>;
  /** `F\0k` → how many files define F to release what its parameter k names (evidence.ts disposedParameters) */
  disposes?: Record<string, number>;
  /** `F\0bool` or `F\0status` → how many files define F, handed `Error **`, to answer so */
  reports?: Record<string, number>;
  /** `R\0L` → how many functions call release-named R on an object L gives back later (evidence.ts releaseSteps) */
  steps?: Record<string, number>;
  /** candidate Error readers, `F\0C1...` → how many files define F so (evidence.ts errorReaders) */
  errorReaders?: Record<string, number>;
  /** functions declared never to return → how many files declare them so (evidence.ts noReturn) */
  noReturn?: Record<string, number>;
}

/** Paired sites that release always against a conditional acquire, from which on a release counts as safe by use. */
export const UNGUARDED_SITES = 2;

export function emptyLearnedData(): LearnedData {
  return { calls: {}, pairs: {}, files: 0 };
}

export function addEvidence(data: LearnedData, ev: FileEvidence): void {
  data.files++;
  if (ev.safe) {
    data.safe ??= {};
    for (const name of ev.safe) data.safe[name] = (data.safe[name] ?? 0) + 1;
  }
  if (ev.unguarded) {
    data.unguarded ??= {};
    for (const name of ev.unguarded) data.unguarded[name] = (data.unguarded[name] ?? 0) + 1;
  }
  if (ev.wrappers) {
    data.wrappers ??= {};
    for (const w of ev.wrappers) data.wrappers[w] = (data.wrappers[w] ?? 0) + 1;
  }
  if (ev.forwards) {
    data.forwards ??= {};
    for (const w of ev.forwards) data.forwards[w] = (data.forwards[w] ?? 0) + 1;
  }
  if (ev.disposes) {
    data.disposes ??= {};
    for (const d of ev.disposes) data.disposes[d] = (data.disposes[d] ?? 0) + 1;
  }
  if (ev.reports) {
    data.reports ??= {};
    for (const r of ev.reports) data.reports[r] = (data.reports[r] ?? 0) + 1;
  }
  if (ev.errorReaders) {
    data.errorReaders ??= {};
    for (const r of ev.errorReaders) data.errorReaders[r] = (data.errorReaders[r] ?? 0) + 1;
  }
  if (ev.noReturn) {
    data.noReturn ??= {};
    for (const name of ev.noReturn) data.noReturn[name] = (data.noReturn[name] ?? 0) + 1;
  }
  if (ev.steps) {
    data.steps ??= {};
    for (const st of ev.steps) data.steps[st] = (data.steps[st] ?? 0) + 1;
  }
  for (const [callee, n] of Object.entries(ev.calls)) data.calls[callee] = (data.calls[callee] ?? 0) + n;
  for (const [key, p] of Object.entries(ev.pairs)) {
    const into = data.pairs[key];
    if (!into) {
      data.pairs[key] = { ...p, examples: p.examples.slice(0, EXAMPLES) };
      continue;
    }
    into.sameFunction += p.sameFunction;
    into.pairedFunctions += p.pairedFunctions;
    if (p.sameFile !== undefined) into.sameFile = (into.sameFile ?? 0) + p.sameFile;
    if (p.sites !== undefined) into.sites = (into.sites ?? 0) + p.sites;
    for (const e of p.examples) if (into.examples.length < EXAMPLES) into.examples.push(e);
  }
}

/**
 * Take a file's evidence back out (the functions a commit changed, as they
 * were before it): calls and sites drop, and a pair no site shows any more
 * goes. Returns whether a pair's support changed.
 */
export function subtractEvidence(data: LearnedData, ev: FileEvidence): boolean {
  let changed = false;
  for (const name of ev.safe ?? []) {
    const left = (data.safe?.[name] ?? 0) - 1;
    if (data.safe && left > 0) data.safe[name] = left;
    else if (data.safe) delete data.safe[name];
    changed = true;
  }
  for (const w of ev.wrappers ?? []) {
    const left = (data.wrappers?.[w] ?? 0) - 1;
    if (data.wrappers && left > 0) data.wrappers[w] = left;
    else if (data.wrappers) delete data.wrappers[w];
    changed = true;
  }
  for (const w of ev.forwards ?? []) {
    const left = (data.forwards?.[w] ?? 0) - 1;
    if (data.forwards && left > 0) data.forwards[w] = left;
    else if (data.forwards) delete data.forwards[w];
    changed = true;
  }
  for (const d of ev.disposes ?? []) {
    const left = (data.disposes?.[d] ?? 0) - 1;
    if (data.disposes && left > 0) data.disposes[d] = left;
    else if (data.disposes) delete data.disposes[d];
    changed = true;
  }
  for (const r of ev.reports ?? []) {
    const left = (data.reports?.[r] ?? 0) - 1;
    if (data.reports && left > 0) data.reports[r] = left;
    else if (data.reports) delete data.reports[r];
  }
  for (const r of ev.errorReaders ?? []) {
    const left = (data.errorReaders?.[r] ?? 0) - 1;
    if (data.errorReaders && left > 0) data.errorReaders[r] = left;
    else if (data.errorReaders) delete data.errorReaders[r];
    changed = true;
  }
  for (const st of ev.steps ?? []) {
    const left = (data.steps?.[st] ?? 0) - 1;
    if (data.steps && left > 0) data.steps[st] = left;
    else if (data.steps) delete data.steps[st];
    changed = true;
  }
  for (const name of ev.unguarded ?? []) {
    const left = (data.unguarded?.[name] ?? 0) - 1;
    if (data.unguarded && left > 0) data.unguarded[name] = left;
    else if (data.unguarded) delete data.unguarded[name];
    changed = true;
  }
  for (const [callee, n] of Object.entries(ev.calls)) {
    const left = (data.calls[callee] ?? 0) - n;
    if (left > 0) data.calls[callee] = left;
    else delete data.calls[callee];
  }
  for (const [key, p] of Object.entries(ev.pairs)) {
    const from = data.pairs[key];
    if (!from) continue;
    changed = true;
    from.sameFunction = Math.max(0, from.sameFunction - p.sameFunction);
    from.pairedFunctions = Math.max(0, from.pairedFunctions - p.pairedFunctions);
    if (p.sameFile !== undefined && from.sameFile !== undefined) from.sameFile = Math.max(0, from.sameFile - p.sameFile);
    if (p.sites !== undefined && from.sites !== undefined) from.sites = Math.max(0, from.sites - p.sites);
    if (siteCount(from) === 0) {
      delete data.pairs[key];
      continue;
    }
    const gone = new Set(p.examples.map(siteKey));
    from.examples = from.examples.filter((e) => !gone.has(siteKey(e)));
  }
  return changed;
}

/** What `LearnedPairs.forget` takes back: the touched functions of a pre-image, or (only null) the whole file. */
export interface PendingForget {
  model: CFileModel;
  only: ReadonlySet<string> | null;
}

const versionKey = (path: string, fn: string) => `${path}\u0000${fn}`;

/** A function's calls without their lines: what its evidence depends on, and not where it sits in the file. */
function callsSignature(fn: CFunction): string {
  return fn.calls.map((c) => `${c.callee}(${c.args.join(',')})${c.result ?? ''}`).join(';');
}

const siteKey = (e: EvidenceSite) => `${e.path}\u0000${e.fn}\u0000${e.line}\u0000${e.releaseFn}\u0000${e.releaseLine}`;

/**
 * The learned pairs of a code base, following it as a run reads more of it:
 * each commit's touched functions add what they show, and what they showed
 * before the commit is taken back once the commit has been checked, so a
 * pair whose last use a commit removed is not asked of later commits.
 */
export class LearnedPairs {
  private readonly data: LearnedData;
  private byAcquire: Map<string, LearnedPair[]> | null = null;
  private byRelease: Map<string, LearnedPair[]> | null = null;
  /** family (`timer_new`) → kept pairs of an acquire of it whose release undoes the whole family (`timer_free`) */
  private byFamily: Map<string, LearnedPair[]> | null = null;
  /** W → C of the constructor wrappers (rebuilt with the other indexes) */
  private wrapperIndex: Map<string, string> | null = null;
  /** F → C and C → [F] of the forwarders (rebuilt with the other indexes) */
  private forwardIndex: { to: Map<string, string>; from: Map<string, string[]> } | null = null;
  /** the resolved Error readers (readsErrorOnly), null until asked after a change */
  private errorReaderSet: Set<string> | null = null;
  private readonly variants = new Map<string, readonly LearnedPair[]>();
  /** paths whose whole file was read: later images add only their touched functions */
  private readonly read = new Set<string>();
  /** path and function → the calls of the version of it last observed (see pendingForget) */
  private readonly versions = new Map<string, string>();
  /** bumped whenever the table may have changed */
  version = 0;

  constructor(
    data: LearnedData = emptyLearnedData(),
    private readonly isNonResource: (name: string) => boolean = () => false,
    readPaths: Iterable<string> = [],
  ) {
    this.data = data;
    for (const p of readPaths) this.read.add(p);
  }

  /** Add what a file model shows: the whole file the first time a path is seen, then the functions in `touched`. */
  /** Has the whole of this path been read (from the base tree, or an earlier image)? */
  hasRead(path: string): boolean {
    return this.read.has(path);
  }

  observe(model: CFileModel, touched: ReadonlySet<string>): void {
    const whole = !this.read.has(model.path);
    if (!whole && touched.size === 0) return;
    this.read.add(model.path);
    // the version of each touched function the table now holds (pendingForget compares with it)
    for (const fn of model.functions) if (touched.has(fn.name)) this.versions.set(versionKey(model.path, fn.name), callsSignature(fn));
    const ev = fileEvidence(model, this.isNonResource, whole ? undefined : touched);
    addEvidence(this.data, ev);
    // only new sites can add a pair (call counts move confidences, which a later index picks up)
    if (ev.errorReaders) this.errorReaderSet = null;
    if (Object.keys(ev.pairs).length === 0 && !ev.safe && !ev.unguarded && !ev.wrappers && !ev.forwards) return;
    this.byAcquire = this.byRelease = this.byFamily = null;
    this.wrapperIndex = null;
    this.forwardIndex = null;
    this.version++;
  }

  /**
   * What a commit's change of one file will take back once the commit is
   * checked (`forget`): the touched functions as they were before it, or the
   * whole file when it is deleted or renamed. Decided before the post-image
   * is observed. A function the table already holds in another version than
   * this pre-image (a commit on a merged branch that changed it from the same
   * base) is not taken back: its old version left the table once already.
   */
  pendingForget(pre: CFileModel, post: CFileModel | null, touched: ReadonlySet<string>): PendingForget | null {
    if (!this.read.has(pre.path)) return null;
    if (!post || post.path !== pre.path) return { model: pre, only: null };
    const only = new Set<string>();
    for (const fn of pre.functions) {
      if (!touched.has(fn.name)) continue;
      const held = this.versions.get(versionKey(pre.path, fn.name));
      if (held === undefined || held === callsSignature(fn)) only.add(fn.name);
    }
    return only.size > 0 ? { model: pre, only } : null;
  }

  /** The commit is checked: take back what `pendingForget` decided. */
  forget(pending: PendingForget): void {
    const { model, only } = pending;
    if (only === null) this.read.delete(model.path);
    const ev = fileEvidence(model, this.isNonResource, only ?? undefined);
    if (ev.errorReaders) this.errorReaderSet = null;
    if (!subtractEvidence(this.data, ev)) return;
    this.byAcquire = this.byRelease = this.byFamily = null;
    this.wrapperIndex = null;
    this.forwardIndex = null;
    this.version++;
  }

  /** Every constructor wrapper, by name. */
  wrappers(): { wrapper: string; wraps: string }[] {
    return Object.keys(this.data.wrappers ?? {})
      .map((k) => k.split('\u0000') as [string, string])
      .map(([wrapper, wraps]) => ({ wrapper, wraps }))
      .sort((a, b) => a.wrapper.localeCompare(b.wrapper));
  }

  /** Does the code call `step` on an object that `release` gives back later in the same function (a stop before a free)? */
  precedes(step: string, release: string): boolean {
    return (this.data.steps?.[`${step}\u0000${release}`] ?? 0) > 0;
  }

  private forwardMaps(): { to: Map<string, string>; from: Map<string, string[]> } {
    if (!this.forwardIndex) {
      const to = new Map<string, string>();
      const from = new Map<string, string[]>();
      for (const k of Object.keys(this.data.forwards ?? {})) {
        const [f, c] = k.split('\u0000') as [string, string];
        // two definitions that forward to different calls (one per target, say) name no one call
        if (to.has(f) && to.get(f) !== c) {
          to.set(f, '');
          continue;
        }
        to.set(f, c);
      }
      for (const [f, c] of to) {
        if (c === '') to.delete(f);
        else from.set(c, [...(from.get(c) ?? []), f]);
      }
      this.forwardIndex = { to, from };
    }
    return this.forwardIndex;
  }

  /**
   * Pairs the forwarders carry over (evidence.ts forwardedCall): a kept pair of two forwarders
   * (`fx_add_exit_notifier`/`fx_remove_exit_notifier`) is a pair of the calls they forward to
   * (`notifier_list_add`/`notifier_remove`), and a forwarder of a paired acquire that has no pair of its own
   * (`fx_register_shutdown_notifier`, which only forwards to `notifier_list_add`) is undone by that call's
   * undo. Each such pair keeps the evidence of the pair it comes from, and says through which forwarders.
   */
  private forwardedPairs(kept: readonly LearnedPair[]): LearnedPair[] {
    const { to, from } = this.forwardMaps();
    if (to.size === 0) return [];
    const key = (a: string, r: string) => `${a}\u0000${r}`;
    const have = new Set(kept.map((p) => key(p.acquire, p.release)));
    const acquires = new Set(kept.map((p) => p.acquire));
    const out: LearnedPair[] = [];
    const add = (p: LearnedPair, acquire: string, release: string, via: string) => {
      if (acquire === release || have.has(key(acquire, release)) || this.isNonResource(acquire) || this.isNonResource(release)) return;
      have.add(key(acquire, release));
      out.push({ ...p, acquire, release, forwardedVia: via });
    };
    const inner = (name: string) => {
      let n = name;
      for (let depth = 0; depth < 3 && to.has(n); depth++) n = to.get(n) as string;
      return n;
    };
    const base: LearnedPair[] = [...kept];
    for (const p of kept) {
      const a = inner(p.acquire);
      const r = inner(p.release);
      // both sides forward: one side alone would pair a call with the other side's own pair (`fx_get_reg` with
      // the ioctl `fx_put_reg` forwards to)
      if (a !== p.acquire && r !== p.release) {
        const before = out.length;
        add(p, a, r, `${p.acquire}/${p.release}`);
        if (out.length > before) base.push(out[out.length - 1] as LearnedPair);
      }
    }
    // (not the release's other forwarders: `notifier_remove` is forwarded to by the removers of every list,
    // and which of them undoes this forwarder's registration the forwarding does not show)
    for (const p of base) {
      const via = p.forwardedVia ?? `${p.acquire}/${p.release}`;
      // a forwarder named for acquiring (`fx_register_shutdown_notifier`): a realize that forwards to a register, or a
      // name for a value (`fx_model_name`), is no acquire of what the call takes
      for (const f of from.get(p.acquire) ?? []) if (!acquires.has(f) && releaseCandidates(f).length > 0) add(p, f, p.release, via);
    }
    return out;
  }

  /**
   * Does the code base define `name`, handed `Error **`, to answer with a status (0 when done) and never with a
   * bool, so that a test of its value alone (`if (fx_open(&err))`) is a test of its failure?
   */
  reportsStatus(name: string): boolean {
    return (this.data.reports?.[`${name}\u0000status`] ?? 0) > 0 && (this.data.reports?.[`${name}\u0000bool`] ?? 0) === 0;
  }

  /** Does the code base define `name` handed `Error **` at all, so that how it answers is known (bool or status)? */
  reportsKnown(name: string): boolean {
    return (this.data.reports?.[`${name}\u0000status`] ?? 0) > 0 || (this.data.reports?.[`${name}\u0000bool`] ?? 0) > 0;
  }

  /** Does the code base define `name` to release what its parameter `k` names (evidence.ts disposedParameters)? */
  releasesArgument(name: string, k: number): boolean {
    return (this.data.disposes?.[`${name}\u0000${k}`] ?? 0) > 0;
  }

  /** The callee a constructor wrapper hands back what it made (one definition's worth is enough), or null. */
  wrapped(name: string): string | null {
    const w = this.data.wrappers;
    if (!w) return null;
    this.wrapperIndex ??= new Map(Object.keys(w).map((k) => k.split('\u0000') as [string, string]));
    return this.wrapperIndex.get(name) ?? null;
  }

  /** Every kept pair, most supported first. */
  pairs(): LearnedPair[] {
    const out: LearnedPair[] = [];
    // names a mirror pair already speaks for (`open`/`close`, `start`/`stop`): a synonym pair on either
    // name (`open`/`stop` on the same channel) is a neighbour in the same code, not an undo
    const mirrored = new Set<string>();
    for (const p of Object.values(this.data.pairs)) {
      if (p.morphology && !p.synonym && siteCount(p) > 0) mirrored.add(p.acquire).add(p.release);
    }
    // a release several acquires of one stem claim only as a synonym (`fx_start`, `fx_prepare_for_x` → `fx_end`)
    // says which is its acquire no better than chance: none of them is kept
    const synonymClaims = new Map<string, number>();
    for (const p of Object.values(this.data.pairs)) {
      if (p.synonym && siteCount(p) > 0) synonymClaims.set(p.release, (synonymClaims.get(p.release) ?? 0) + 1);
    }
    for (const p of Object.values(this.data.pairs)) {
      if (p.synonym && (mirrored.has(p.acquire) || mirrored.has(p.release) || (synonymClaims.get(p.release) ?? 0) > 1)) continue;
      const support = siteCount(p);
      const acquireCalls = Math.max(this.data.calls[p.acquire] ?? 0, support);
      const confidence = Math.min(1, support / Math.max(1, acquireCalls));
      const kept = p.morphology
        ? support >= 1 && confidence >= MIN_MORPHOLOGY_CONFIDENCE
        : (p.pairedFunctions >= 1 && confidence >= MIN_ROLE_CONFIDENCE) ||
          ((p.sameFile ?? 0) >= MIN_STORED_VALUE_SITES && confidence >= MIN_ROLE_CONFIDENCE && !isMacro(p.acquire) && !isGetter(p.acquire)) ||
          (p.sameFunction >= 1 && confidence >= MIN_DISPOSER_CONFIDENCE && isDisposer(p.release) && !isMacro(p.acquire)) ||
          (heapFreeSites(p) >= MIN_HEAP_FREE_SITES && heapFreeSites(p) / Math.max(1, this.data.calls[p.acquire] ?? 0, heapFreeSites(p)) >= MIN_HEAP_FREE_CONFIDENCE && isPlainFree(p.release) && !isMacro(p.acquire));
      if (!kept || this.isNonResource(p.acquire) || this.isNonResource(p.release)) continue;
      out.push({
        acquire: p.acquire,
        release: p.release,
        morphology: p.morphology,
        support,
        sameFunction: p.sameFunction,
        pairedFunctions: p.pairedFunctions,
        ...(p.sameFile ? { sameFile: p.sameFile } : {}),
        acquireCalls,
        confidence,
        examples: p.examples,
      });
    }
    // a release the code calls before another release of the same acquire, on the same object (`timer_del(s->t);
    // timer_free(s->t);`), is a step on the way (it stops the timer), not what gives the acquire back
    // A pair its names propose is a step only before another release its names propose: a release the role model
    // alone pairs with the acquire (`irq = fx_msi_alloc(...); ... fx_irq_free(...)`, where fx_irq_free undoes
    // another acquire, fx_irq_claim) says nothing of which of the two gives the acquire back
    const releasesOf = new Map<string, LearnedPair[]>();
    for (const p of out) releasesOf.set(p.acquire, [...(releasesOf.get(p.acquire) ?? []), p]);
    // evidence between unpaired functions of a file is the weakest kind: a release its other evidence would not keep
    // is kept only where no other release of the acquire has evidence of its own (`timer_del()` in many stop
    // functions, while teardowns pair `timer_new_ns()` with `timer_free()`)
    const strong = (p: LearnedPair) => p.sameFunction + p.pairedFunctions;
    const keptWithoutFile = (p: LearnedPair) => strong(p) >= 1 && strong(p) / Math.max(1, p.acquireCalls) >= MIN_MORPHOLOGY_CONFIDENCE;
    const firm = out.filter(
      (p) => !(p.sameFile && !keptWithoutFile(p) && (releasesOf.get(p.acquire) ?? []).some((l) => l.release !== p.release && strong(l) > 0)),
    );
    const kept = this.data.steps
      ? firm.filter((p) => !(releasesOf.get(p.acquire) ?? []).some((l) => l.release !== p.release && (l.morphology || !p.morphology) && this.precedes(p.release, l.release)))
      : firm;
    return [...kept, ...this.forwardedPairs(kept)].sort((a, b) => b.support - a.support || a.acquire.localeCompare(b.acquire) || a.release.localeCompare(b.release));
  }

  private index(): void {
    if (this.byAcquire && this.byRelease && this.byFamily) return;
    this.byAcquire = new Map();
    this.byRelease = new Map();
    this.byFamily = new Map();
    this.variants.clear();
    for (const p of this.pairs()) {
      if (p.morphology) {
        for (const family of variantFamilies(p.acquire)) {
          if (!releasesFamily(family, p.release)) continue;
          const f = this.byFamily.get(family) ?? [];
          f.push(p);
          this.byFamily.set(family, f);
        }
      }
      // a name that is itself released by some pair is no acquire (get/put chains: x_get → x_put → ...)
      const a = this.byAcquire.get(p.acquire) ?? [];
      a.push(p);
      this.byAcquire.set(p.acquire, a);
      const r = this.byRelease.get(p.release) ?? [];
      r.push(p);
      this.byRelease.set(p.release, r);
    }
  }

  /**
   * Pairs in which `name` is the acquire; for a name the code base shows no
   * pair of, those of the shorter acquire it extends by qualifying words
   * (`fx_register_ram_global` gets `fx_register_ram`'s `fx_unregister_ram`),
   * or else those of its variants (`timer_new_ns` gets `timer_new_ms`'s
   * `timer_free`): the same acquire verb after the same stem, with a release
   * of the stem alone, so the words after the verb cannot matter to it.
   */
  asAcquire(name: string): readonly LearnedPair[] {
    this.index();
    const own = this.byAcquire!.get(name);
    if (own) return own;
    let inferred = this.variants.get(name);
    if (!inferred) {
      const seen = new Set<string>();
      const found: LearnedPair[] = [];
      // a release of a pair of its own (`fx_init_done` as the end of `fx_init_begin`) is no variant acquire
      const released = this.byRelease!.has(name);
      // a name that extends an acquire the code pairs by qualifying words (`fx_add_blocker_normal`,
      // `fx_register_ram_global`): its undo is the shorter name's (`fx_del_blocker`, `fx_unregister_ram`), the nearest
      // relative, before the wider family of every name with the same verb after the same stem
      if (!released && !this.isNonResource(name)) {
        for (const prefix of qualifiedPrefixes(name, true)) {
          const own = this.byAcquire!.get(prefix);
          if (!own) continue;
          for (const p of own) found.push({ ...p, acquire: name, variantOf: p.acquire });
          break;
        }
      }
      for (const family of found.length > 0 || released || this.isNonResource(name) ? [] : variantFamilies(name)) {
        for (const p of this.byFamily!.get(family) ?? []) {
          if (p.acquire === name || seen.has(p.release)) continue;
          seen.add(p.release);
          found.push({ ...p, acquire: name, variantOf: p.acquire });
        }
      }
      inferred = found;
      this.variants.set(name, inferred);
    }
    return inferred;
  }

  /**
   * Does the code base define `name` as a function that checks for itself (evidence.ts checksForItself), or
   * call it as one: always, in at least UNGUARDED_SITES paired functions whose partners acquire only under a
   * condition (evidence.ts unguardedRelease; its definition may lie outside the tree under review)?
   */
  checksForItself(name: string): boolean {
    return (this.data.safe?.[name] ?? 0) > 0 || (this.data.unguarded?.[name] ?? 0) >= UNGUARDED_SITES;
  }

  /**
   * Does the code base define `name` as a function that keeps nothing of the `Error *` it is handed: declared
   * `const Error *`, or only testing it and handing it to calls that read only (`readsOnly`: what the table knows
   * without the code, error_get_pretty() and the like) or are such functions themselves
   * (`fx_terminate(err)` → `migrate_set_error(s, err)`, declared `const Error *`)?
   */
  readsErrorOnly(name: string, readsOnly: (name: string) => boolean): boolean {
    if (this.errorReaderSet === null) {
      const candidates = new Map<string, string[][]>();
      for (const key of Object.keys(this.data.errorReaders ?? {})) {
        const [fn, ...callees] = key.split('\u0000') as [string, ...string[]];
        candidates.set(fn, [...(candidates.get(fn) ?? []), callees]);
      }
      const readers = new Set<string>();
      // (least fixed point: a function that hands the Error only to itself, or round a cycle, is no reader)
      for (let grew = true; grew; ) {
        grew = false;
        for (const [fn, defs] of candidates) {
          if (readers.has(fn)) continue;
          if (defs.some((callees) => callees.every((c) => readers.has(c) || readsOnly(c)))) {
            readers.add(fn);
            grew = true;
          }
        }
      }
      this.errorReaderSet = readers;
    }
    return this.errorReaderSet.has(name);
  }

  /** Does the code base declare `name` never to return (`G_NORETURN void hw_error(...)`)? */
  endsProgram(name: string): boolean {
    return (this.data.noReturn?.[name] ?? 0) > 0;
  }

  /** Pairs in which `name` is the release. */
  asRelease(name: string): readonly LearnedPair[] {
    this.index();
    return this.byRelease!.get(name) ?? [];
  }
}
