/**
 * Usage evidence for pairs, read off one C file model: where the code itself
 * undoes what a call set up. A candidate pair (acquire A, release R) gets a
 * site when R is applied to the object A produced or was given:
 *
 * - later in the same function (an unwind, a temporary): the object is the
 *   same text (`fd`, `&s->lock`), or both calls take no argument
 *   (`rcu_read_lock()` ... `rcu_read_unlock()`);
 * - in the paired function (a callback slot pair such as `.realize` /
 *   `.unrealize`, or two functions whose names pair by morphology): the same
 *   field chain without its base (`s->timer` in one, `d->timer` in the other).
 *
 * R must be proposed by morphology for A (morphology.ts), or, for a pair no
 * name shows (`g_malloc`/`g_free`), R must carry a release verb and A's value
 * must be what R releases: the role model that keeps producer → consumer
 * chains (`x = lookup(); use(x)`) out.
 */
import { withoutCasts } from '../../cmodel/casts.js';
import { noReturnDeclarations } from '../../cmodel/noreturn.js';
import { isErrorExit } from '../../cmodel/error-exits.js';
import type { CCall, CExit, CFileModel, CFunction, CGuard } from '../../cmodel/types.js';
import { hasReleaseVerb, releaseCandidates, releaseSynonyms } from './morphology.js';
import { clearsPosition } from '../../cmodel/handlers.js';
import { toggleOf } from '../../cmodel/toggles.js';
import { escapeRegExp } from '../../regex-escape.js';

export type EvidenceKind = 'same-function' | 'paired-functions' | 'same-file';

export interface EvidenceSite {
  path: string;
  /** the function that acquires */
  fn: string;
  line: number;
  /** the function that releases (the same one for same-function evidence) */
  releaseFn: string;
  releaseLine: number;
  kind: EvidenceKind;
}

export interface PairEvidence {
  acquire: string;
  release: string;
  /** proposed by morphology (else by the role model alone) */
  morphology: boolean;
  /** proposed only as a synonym (the acquire's stem with another release verb): kept where no mirror pair speaks */
  synonym?: true;
  sameFunction: number;
  pairedFunctions: number;
  /** releases in another function of the file that no slot or name pairs with the acquiring one (mirror names only) */
  sameFile?: number;
  /**
   * acquire calls whose value a later call of the same function releases (each counted once, however many of its
   * paths release it: `sameFunction` counts releases), for the heap-free criterion's confidence (learned.ts)
   */
  sites?: number;
  /** a few sites, for `pairlint pairs` */
  examples: EvidenceSite[];
}

export interface FileEvidence {
  path: string;
  /** calls per callee in this file: the denominator of confidence */
  calls: Record<string, number>;
  /** by `acquire\0release` */
  pairs: Record<string, PairEvidence>;
  /** functions defined here that check for themselves (see checksForItself) */
  safe?: string[];
  /**
   * releases a paired function makes always while its partner makes the acquire only under a condition
   * (one entry a site): the code base calling it as safe without its acquire (see unguardedRelease)
   */
  unguarded?: string[];
  /** constructor wrappers defined here, `W\0C`: W hands its caller what one call of C made (see wrappedCall) */
  wrappers?: string[];
  /** forwarders defined here, `F\0C`: F's body is one call of C handed F's own parameters (see forwardedCall) */
  forwards?: string[];
  /** functions defined here that release what a parameter names, `F\0k` (see disposedParameters) */
  disposes?: string[];
  /** functions defined here handed `Error **`, `F\0bool` or `F\0status`: how each answers (cmodel reports) */
  reports?: string[];
  /**
   * `R\0L` (one entry a function): R, named for releasing, is called on an object that L, also named for releasing,
   * gives back later in the same function (`timer_del(s->t); timer_free(s->t);`): R is a step before the release
   */
  steps?: string[];
  /**
   * functions defined here that keep nothing of an `Error *` they are handed, `F\0C1\0C2...` (one entry a
   * function): declared `const Error *` (no calls listed), or only testing it and handing it to C1, C2... (F reads
   * only when they all do; learned.ts resolves that across the code base)
   */
  errorReaders?: string[];
  /** functions this file declares or defines never to return (`G_NORETURN void hw_error(...)`): a call to one ends its path */
  noReturn?: string[];
}

/** Sites kept per pair and file, for examples. */
const EXAMPLES_PER_FILE = 3;

/** An argument as the object it names: casts, `&` and whitespace dropped. */
function objectText(arg: string): string {
  let text = uncast(arg.replace(/\s+/g, ''));
  text = text.replace(/^\((?:const)?\w+\**\)/, '').replace(/^&/, '');
  return text;
}

/** An argument that receives an error (`errp`, `&local_err`, `&error_abort`). */
const ERROR_ARG = /^(errp|&\w*err\w*|&error_\w+)$/;

/** Texts that name no object of their own. */
const NOT_AN_OBJECT = /^(NULL|true|false|-?\d\w*|errp|&?local_err|opaque|"[^"]*")$/;

/** The field chain after the base variable (`s->dev.timer` → dev.timer), or null. */
function chainOf(text: string): string | null {
  const plain = text.replace(/\[[^\]]*\]/g, '');
  if (!/^\w+((->|\.)\w+)+$/.test(plain)) return null;
  return plain.split(/->|\./).slice(1).join('.');
}

function sameChain(a: string, b: string): boolean {
  if (a === b) return true;
  const [short, long] = a.length <= b.length ? [a, b] : [b, a];
  return long.endsWith('.' + short);
}

interface AcquireObject {
  /** texts the release may name within one function */
  texts: string[];
  /** field chains the release may name in a paired function */
  chains: string[];
  /** no argument and no value: a call on global state (`rcu_read_lock()`) */
  none: boolean;
  /** the call's value is the object (`p = g_malloc(n)`) */
  produced: boolean;
  /** string constants it is given: the key of a registry by name (`register_x(dev, "fx-ram", ...)`) */
  names?: string[];
  /** objects of the file handed by address (`&vmstate_fx_dev`, `&fx_reset_ops`): the key of a registry by description */
  statics?: string[];
  /** every argument, for a call that produces nothing and takes two or more: a registration keyed by all of them */
  tuple?: string[];
  /** the objects it is given, in any place (not an error out-parameter, a constant or NULL): a context may come first */
  given: string[];
  /** the variables a member of the structure it returned by value was copied into (`mr = section.mr;`) */
  memberCopies?: string[];
}

function acquireObject(call: CCall): AcquireObject {
  const texts: string[] = [];
  const chains: string[] = [];
  // what a switch returns says whether it could switch (`ret = fx_discard_disable(true); if (ret) ...`): a status,
  // not the object it switched, which its other arguments name (none: a global state)
  const result = toggleOf(call.callee) ? undefined : call.result;
  if (result) {
    const r = objectText(result);
    texts.push(r);
    const c = chainOf(r);
    if (c) chains.push(c);
  }
  const first = call.args[0];
  if (first !== undefined) {
    const t = objectText(first);
    if (!NOT_AN_OBJECT.test(t)) {
      texts.push(t);
      const c = chainOf(t);
      if (c) chains.push(c);
    }
  }
  // a context first and the object after it, by address (`fx_listener_register(s, &s->smram_listener, ...)`)
  if (chains.length === 0) {
    const byAddress = call.args.slice(1).find((a) => a.trim().startsWith('&') && chainOf(objectText(a)) !== null);
    if (byAddress !== undefined) {
      const t = objectText(byAddress);
      texts.push(t);
      chains.push(chainOf(t) as string);
    }
  }
  const names = call.args.map((a) => a.trim()).filter((a) => STRING_KEY.test(a));
  const statics = call.args.map((a) => a.replace(/\s+/g, '')).filter((a) => STATIC_KEY.test(a) && !NOT_AN_OBJECT.test(a));
  // a registration keyed by all it is given (`fx_register_reset(fx_reset, s)`): the same arguments undo it
  const tuple = call.args.length >= 2 && !result ? call.args.map(objectText) : null;
  const given = call.args.filter((a) => !ERROR_ARG.test(a.replace(/\s+/g, ''))).map(objectText).filter((t) => t !== '' && !NOT_AN_OBJECT.test(t));
  return {
    texts,
    chains,
    given,
    none: call.args.length === 0 && !result,
    produced: result !== undefined,
    ...(names.length > 0 ? { names } : {}),
    ...(statics.length > 0 ? { statics } : {}),
    ...(tuple !== null ? { tuple } : {}),
    ...(call.memberCopies ? { memberCopies: call.memberCopies } : {}),
  };
}

/** A string constant of some length: a name something is registered under, not a format or an empty string. */
const STRING_KEY = /^"[\w.:/-]{3,}"$/;

/**
 * An object handed by address under a name of two words or more (`&vmstate_fx_dev`): in QEMU's style a description
 * of the file's own (a state, an ops table), which a registry keys on; a local's address is rarely named so in both
 * functions of a pair.
 */
const STATIC_KEY = /^&[A-Za-z][A-Za-z0-9]*(_[A-Za-z0-9]+)+$/;

/**
 * Does a release's argument name the value a call produced: the same text, or a member of a structure the call
 * returned by value (`section = fx_find(...)`, `fx_unref(section.mr)`: the only handle such a value has). Not a
 * member through a pointer (`fx_free(p->buf)` frees a part of what `p = fx_new()` made, not it).
 */
function namesProducedValue(arg: string, produced: string): boolean {
  if (produced === '') return false;
  return arg === produced || (arg.startsWith(produced + '.') && /^\w+$/.test(arg.slice(produced.length + 1)));
}

/** Only the value the call produced (`s->buf = g_malloc(n)` → buf), for pairs no name shows. */
function producedObject(call: CCall): AcquireObject {
  const r = call.result !== undefined ? objectText(call.result) : null;
  const c = r !== null ? chainOf(r) : null;
  return { texts: r !== null ? [r] : [], chains: c !== null ? [c] : [], given: [], none: false, produced: r !== null };
}

function releasesWithin(obj: AcquireObject, release: CCall): boolean {
  if (obj.none) return release.args.length === 0;
  if (release.args.length === 0) return false;
  // (texts[0] is the produced value when there is one; a member of it copied into a variable names it too:
  // `mr = section.mr; ... fx_unref(mr)`)
  if (release.args.some((a) => {
    const t = objectText(a);
    return obj.texts.includes(t) || (obj.produced && namesProducedValue(t, obj.texts[0] as string)) || (obj.memberCopies?.includes(t) ?? false);
  })) return true;
  // a call that makes nothing of its own, handed a context first and the object after it (`fx_create_channels(bus,
  // dev, &err)`), is undone by a release handed only objects it was given (`fx_free_channels(dev)`)
  return !obj.produced && release.args.every((a) => obj.given.includes(objectText(a)));
}

function releasesAcross(obj: AcquireObject, release: CCall): boolean {
  // the same registry key in the paired function (`unregister_x(dev, "fx-ram", s)`, `fx_unregister(dev, &vmstate_fx_dev, s)`)
  if (obj.names && release.args.some((a) => obj.names!.includes(a.trim()))) return true;
  if (obj.statics && release.args.some((a) => obj.statics!.includes(a.replace(/\s+/g, '')))) return true;
  // the same arguments, all of them (`fx_unregister_reset(fx_reset, s)`)
  const tuple = obj.tuple;
  if (tuple && release.args.length === tuple.length && release.args.every((a, i) => objectText(a) === tuple[i])) return true;
  if (obj.chains.length === 0) return false;
  return release.args.some((a) => {
    const c = chainOf(objectText(a));
    return c !== null && obj.chains.some((x) => sameChain(x, c));
  });
}

/**
 * Does `release`, later in the same function, undo what `acquire` took: the
 * same object text (its value or its first argument), or no argument on
 * either (global state such as an RCU read section)?
 */
export function releasesSameObjectWithin(acquire: CCall, release: CCall): boolean {
  return releasesWithin(acquireObject(acquire), release);
}

/**
 * Does `release`, in another function, undo what `acquire` took: the same field chain without its base
 * (`s->timer` and `d->timer`), or the same registry key?
 */
export function releasesSameObjectAcross(acquire: CCall, release: CCall): boolean {
  return releasesAcross(acquireObject(acquire), release);
}

/** The texts naming what `call` acquired: the variable or field its value went to, and its first argument. */
export function acquiredObjectTexts(call: CCall): string[] {
  return acquireObject(call).texts;
}

/**
 * `R\0L` for each two calls named for releasing, R before L, on the same object (first argument) in `fn`, once a
 * function: R leaves the object for L to give back (`timer_del(s->t)` stops the timer `timer_free(s->t)` frees).
 */
function releaseSteps(fn: CFunction): string[] {
  const releases = fn.calls.filter((c) => isPlainCall(c) && c.args[0] !== undefined && hasReleaseVerb(c.callee));
  if (releases.length < 2) return [];
  const out = new Set<string>();
  releases.forEach((r, i) => {
    const object = objectText(r.args[0] as string);
    if (NOT_AN_OBJECT.test(object)) return;
    for (const l of releases.slice(i + 1)) if (l.callee !== r.callee && l.line > r.line && objectText(l.args[0] as string) === object) out.add(`${r.callee}\u0000${l.callee}`);
  });
  return [...out];
}

/** The names of a function's instance: its first parameter and the locals cast from it (`FxState *s = FX(dev);`). */
function instanceNames(fn: CFunction): Set<string> {
  const first = fn.params?.[0];
  const out = new Set<string>();
  if (first === undefined) return out;
  out.add(first);
  for (const a of fn.paramAliases ?? []) if (a.param === first) out.add(a.name);
  return out;
}

/**
 * Is what the call returns only a status (`ret = fx_start(s, errp); if (!ret) ...; return ret;`): a plain local no
 * other call is handed, except to report it? Then the call makes no object of its own; it works on what it is handed.
 */
function statusOnly(fn: CFunction, call: CCall): boolean {
  const v = call.result?.trim() ?? '';
  if (!/^\w+$/.test(v) || call.resultLocal !== true) return false;
  return !fn.calls.some((c) => c !== call && !/error|warn|trace|report|printf/.test(c.callee) && c.args.some((a) => a.trim() === v));
}

/** Does the acquire take its function's instance and the release its own function's instance (the same object)? */
function bothInstances(acquireFn: CFunction, acquire: CCall, releaseFn: CFunction, release: CCall): boolean {
  const first = acquire.args[0];
  // the instance after a context (`fx_create_channels(bus, dev, &err)` in realize), undone by a release handed
  // the instance alone (`fx_free_channels(dev)` in unrealize)
  if (
    release.args.length === 1 && instanceNames(releaseFn).has(objectText(release.args[0] as string)) &&
    (acquire.result === undefined || statusOnly(acquireFn, acquire)) &&
    acquire.args.slice(1).some((a) => instanceNames(acquireFn).has(objectText(a)))
  )
    return true;
  // the instance both hand last, as the opaque of a registration keyed by more (`register_x_live(id, ..., &handlers,
  // vdev)` in an init, `unregister_x(VMSTATE_IF(vdev->dev), "x", vdev)` in its deinit)
  const lastA = acquire.args.at(-1);
  const lastR = release.args.at(-1);
  // (where both sides carry a key of one kind, a name or a description of the file, the keys decide: `fx-log`
  // registered beside an unregistered `fx-ram` is no evidence)
  const carries = (c: CCall, re: RegExp) => c.args.some((a) => re.test(a.replace(/\s+/g, '')));
  const keyed = (re: RegExp) => carries(acquire, re) && releaseFn.calls.some((c) => c.callee === release.callee && carries(c, re));
  if (
    !keyed(STRING_KEY) && !keyed(STATIC_KEY) &&
    acquire.args.length >= 2 && release.args.length >= 2 && lastA !== undefined && lastR !== undefined &&
    objectText(lastA) === objectText(lastR) && instanceNames(acquireFn).has(objectText(lastA)) && instanceNames(releaseFn).has(objectText(lastR)) &&
    (acquire.result === undefined || statusOnly(acquireFn, acquire)) &&
    // not where the release side also makes a release that keeps more of the acquire's words (`vmstate_unregister_ram`
    // beside `vmstate_unregister` for `vmstate_register_ram`): that one is its counterpart
    !releaseFn.calls.some((c) => c.callee !== release.callee && c.callee.split('_').length > release.callee.split('_').length && releaseCandidates(acquire.callee).includes(c.callee))
  )
    return true;
  if (first === undefined || (acquire.result !== undefined && !statusOnly(acquireFn, acquire)) || !instanceNames(acquireFn).has(objectText(first))) return false;
  const own = instanceNames(releaseFn);
  if (release.args[0] === undefined || !own.has(objectText(release.args[0]))) return false;
  // and nothing else, or the same else: `fx_add_prop(OBJECT(dev), "a", ...)` is undone by no
  // `fx_del_prop(OBJECT(dev), "b")`, and a call keyed by more than its instance says by what
  // (an error the acquire reports through, `&local_err` or `errp`, is no key)
  const keys = acquire.args.filter((a) => !/^&?\s*\w*err\w*$/.test(a.trim()));
  return release.args.length === keys.length && release.args.every((a, i) => i === 0 || objectText(a) === objectText(keys[i] as string));
}

/** Function pairs of a file, once per model (a commit's post-image is the next commit's pre-image). */
const pairedMemo = new WeakMap<CFileModel, [string, string][]>();

/** Function pairs of a file: callback slots whose field names pair, and functions whose names pair. */
export function pairedFunctions(model: CFileModel): [string, string][] {
  let memo = pairedMemo.get(model);
  if (!memo) pairedMemo.set(model, (memo = findPairedFunctions(model)));
  return memo;
}

function findPairedFunctions(model: CFileModel): [string, string][] {
  const out = new Map<string, [string, string]>();
  const defined = new Set(model.functions.map((f) => f.name));
  const add = (a: string, r: string) => {
    if (a !== r && defined.has(a) && defined.has(r)) out.set(`${a}\u0000${r}`, [a, r]);
  };
  const groups = new Map<string, Map<string, string>>();
  model.initializers.forEach((init, i) => {
    const key = init.type !== null ? `#${i}` : `var:${init.functionName ?? ''}:${init.variable ?? i}`;
    const fields = groups.get(key) ?? new Map<string, string>();
    for (const f of init.fields) fields.set(f.field, f.value);
    groups.set(key, fields);
  });
  for (const fields of groups.values()) {
    for (const [field, value] of fields) {
      // a bare `.get`/`.set` slot is an accessor, as in sides.ts
      if (field === 'get' || field === 'set') continue;
      for (const candidate of releaseCandidates(field)) {
        const release = fields.get(candidate);
        if (release) add(value, release);
      }
    }
  }
  for (const name of defined) for (const candidate of releaseCandidates(name)) add(name, candidate);
  return [...out.values()];
}

function record(
  ev: FileEvidence,
  acquire: string,
  release: string,
  proposal: { morphology: boolean; synonym?: true },
  site: EvidenceSite,
  firstOfAcquire = false,
): void {
  const key = `${acquire}\u0000${release}`;
  let p = ev.pairs[key];
  if (!p) ev.pairs[key] = p = { acquire, release, morphology: proposal.morphology, ...(proposal.synonym ? { synonym: true as const } : {}), sameFunction: 0, pairedFunctions: 0, examples: [] };
  if (site.kind === 'same-function' && firstOfAcquire) p.sites = (p.sites ?? 0) + 1;
  if (site.kind === 'same-function') p.sameFunction++;
  else if (site.kind === 'same-file') p.sameFile = (p.sameFile ?? 0) + 1;
  else p.pairedFunctions++;
  if (p.examples.length < EXAMPLES_PER_FILE) p.examples.push(site);
}

/** Is (A, R) a candidate: proposed by morphology, or R releases what A produced (the role model)? */
function candidate(acquire: CCall, release: CCall, proposed: ReadonlySet<string>): { morphology: boolean; synonym?: true } | null {
  if (release.callee === acquire.callee || !/^\w+$/.test(release.callee)) return null;
  if (proposed.has(release.callee)) return mirrors(acquire.callee).has(release.callee) ? { morphology: true } : { morphology: true, synonym: true };
  if (acquire.result !== undefined && hasReleaseVerb(release.callee) && !hasReleaseVerb(acquire.callee)) return { morphology: false };
  return null;
}

const mirrorMemo = new Map<string, ReadonlySet<string>>();
function mirrors(name: string): ReadonlySet<string> {
  let set = mirrorMemo.get(name);
  if (!set) {
    set = new Set(releaseCandidates(name));
    if (mirrorMemo.size > 200_000) mirrorMemo.clear();
    mirrorMemo.set(name, set);
  }
  return set;
}

const proposedMemo = new Map<string, ReadonlySet<string>>();
function proposed(name: string): ReadonlySet<string> {
  let set = proposedMemo.get(name);
  if (!set) {
    set = new Set(releaseSynonyms(name));
    if (proposedMemo.size > 200_000) proposedMemo.clear();
    proposedMemo.set(name, set);
  }
  return set;
}

const isPlainCall = (c: CCall) => /^\w+$/.test(c.callee);

/**
 * A call handed back its own value (`p = g_realloc(p, n)`, `s->v = g_renew(T, s->v, n)`) resizes what it was given:
 * for a pair no name shows, no acquire there, whatever it makes when handed nothing. (A pair its names propose keeps
 * such a call: `s->voice = fx_open_in(card, s->voice, ...)` reopens what its close gives back.)
 */
const resizes = (c: CCall): boolean => c.result !== undefined && c.args.some((a) => objectText(a) === objectText(c.result as string));

/**
 * Does a switch's `false` undo its `true` (toggles.ts): the same other arguments, each the same text (in another
 * function, the same field chain whatever its base, or each side's own instance), and, in one function, not the
 * other branch of the same test (`if (x) { f(s, true); } else { f(s, false); }` sets a state, it does not undo one).
 * A bool handed to any function with a state word in its name is not always a switch (`fx_set_irq(s, true)` on one
 * line and `(s, false)` for another line's IRQ); the whole argument list is what tells one state from another.
 */
function switchedBack(acquire: CCall, release: CCall, across: boolean): boolean {
  if (acquire.args.length !== release.args.length) return false;
  // a handler taken away is handed NULL where callbacks and their opaque stood: what it acts on is the rest
  const handler = toggleOf(acquire.callee)?.kind === 'handler';
  const kept = handler ? release.args.flatMap((a, i) => (clearsPosition(a) ? [] : [i])) : acquire.args.map((_, i) => i);
  if (handler && kept.length === 0) return false;
  const acquireArgs = kept.map((i) => acquire.args[i] as string);
  const releaseArgs = kept.map((i) => release.args[i] as string);
  const same = acquireArgs.every((a, i) => {
    const x = objectText(a);
    const y = objectText(releaseArgs[i] as string);
    if (x === y) return true;
    if (!across) return false;
    const cx = chainOf(x);
    return cx !== null && cx === chainOf(y);
  });
  if (!same && !across) return false;
  if (!same) {
    // across functions: only the first argument may name each side's own instance (`s` and `d`)
    if (!acquireArgs.slice(1).every((a, i) => objectText(a) === objectText(releaseArgs[i + 1] as string))) return false;
    if (!/^\w+$/.test(objectText(acquireArgs[0] as string)) || !/^\w+$/.test(objectText(releaseArgs[0] as string))) return false;
  }
  if (across) return true;
  return !acquire.guards.some((g) => release.guards.some((h) => h.condition === g.condition && h.negated !== g.negated));
}

/** Is the variable the acquire filled given another value before the release (by a call or a store)? */
function refilled(fn: CFunction, acquire: CCall, release: CCall): boolean {
  const v = acquire.result?.trim();
  if (v === undefined) return false;
  const between = (line: number) => line > acquire.line && line < release.line;
  // (not a fill in the other branch of the acquire's own `if`: `if (p) { fd = fx_fd_param(...); } else { fd = open(...); }`)
  const exclusive = (guards: CCall['guards']) => acquire.guards.some((g) => guards.some((h) => h.condition === g.condition && h.negated !== g.negated));
  return (
    fn.calls.some((c) => between(c.line) && c.result?.trim() === v && !exclusive(c.guards)) ||
    fn.stores.some((st) => between(st.line) && st.target.trim() === v && !exclusive(st.guards))
  );
}

/**
 * The evidence in one file model. With `only`, only the functions named
 * there are read (the functions a commit touched: the rest of the file was
 * read from an earlier image); their paired functions are read as partners.
 */
/** Tests of a parameter `p`: absent (`!p`, `p == NULL`, `!*p`, `!p->field`) and present (`p`, `*p`, `p != NULL`, `p->field`). */
function parameterTests(param: string, fields = true): { absent: RegExp; present: RegExp } {
  const p = escapeRegExp(param);
  const subject = fields ? `(\\*\\s*${p}|${p}(\\s*->\\s*\\w+)?)` : `(\\*\\s*${p}|${p})`;
  return {
    absent: new RegExp(`^(!\\s*${subject}|${subject}\\s*==\\s*NULL|NULL\\s*==\\s*${subject})$`),
    present: new RegExp(`^(${subject}|${subject}\\s*!=\\s*NULL)$`),
  };
}

/**
 * Does a function check for itself whether there is anything to release: it
 * returns at once when its first parameter (or what it points to, or a field
 * of it that records the acquire; or a later parameter, or what that points to) is not there (`if (!listener->address_space)
 * { return; }`), or does all it does under a test that it is (`if (*reasonp)
 * { ... }`)? Called for something never acquired, it does nothing, so a
 * release that is one undoes nothing that was skipped.
 */
/** A name that releases by its words (`fx_unref`, `fx_buf_free`, `g_free`): what a disposer's body calls. */
const releasesByName = (name: string): boolean => /^(g_|qemu_v?)?free$/.test(name) || hasReleaseVerb(name);

/**
 * The parameters whose object a function releases whatever happens: a call at its own level, under no test but one
 * of that parameter and after no exit under another test, named for releasing, on the parameter or a field of it
 * (`fx_buffer_reset(FxBuffer *b) { g_free(b->data); b->data = NULL; }`, `fx_realize_and_unref(dev, ...) {
 * fx_realize(dev, ...); fx_unref(dev); }`). A call of such a function releases what its caller hands it there.
 */
export function disposedParameters(fn: CFunction): number[] {
  const params = fn.params ?? [];
  if (fn.hasErrors || params.length === 0) return [];
  const out: number[] = [];
  params.forEach((param, k) => {
    const ofParam = (arg: string) => {
      // through cast macros (`OBJECT(dev)`) and an address (`&b->data`)
      const t = withoutCasts(arg.replace(/\s+/g, '')).replace(/^&/, '');
      return t === param || t.startsWith(`${param}->`) || t.startsWith(`${param}.`);
    };
    const onlyOnParam = (guards: readonly CGuard[]) => guards.every((g) => g.condition.names.includes(param));
    const releases = fn.calls.some(
      (c) =>
        isPlainCall(c) && onlyOnParam(c.guards) && !c.inLoop && releasesByName(c.callee) && c.args.length > 0 && ofParam(c.args[0] as string) &&
        !fn.exits.some((e) => e.line < c.line && !onlyOnParam(e.guards)),
    );
    if (releases) out.push(k);
  });
  return out;
}

export function checksForItself(fn: CFunction): boolean {
  const params = fn.params ?? [];
  if (params.length === 0 || fn.calls.length === 0) return false;
  let firstCall = Infinity;
  for (const c of fn.calls) if (c.line < firstCall) firstCall = c.line;
  // the shapes first (cheap), the tests of the parameter only for a function that has one
  const early = fn.exits.filter((e) => e.kind === 'return' && e.guards.length === 1 && e.line < firstCall && !e.guards[0]!.negated);
  const allGuarded = fn.calls.every((c) => c.guards[0] !== undefined && !c.guards[0].negated);
  if (early.length === 0 && !allGuarded) return false;
  // the first parameter, also through a field of it; a later one (`fx_unwatch(s, &s->watch)` handing `**watch`)
  // only itself or what it points to
  return params.slice(0, 3).some((param, i) => {
    const tests = parameterTests(param, i === 0);
    if (early.some((e) => tests.absent.test(e.guards[0]!.condition.normalized.trim()))) return true;
    return allGuarded && fn.calls.every((c) => tests.present.test(c.guards[0]!.condition.normalized.trim()));
  });
}

/**
 * Does the partner function release always what the acquiring function takes only under a condition (the
 * acquire in an `if` or a `?:`, or after an early return that is no error exit)? Where the code base does
 * that, it calls the release as safe to call for what was never acquired. An error return before the acquire
 * (`if (!s->chr) { error_setg(errp, ...); return; }` in a realize) does not count: the partner runs only
 * after the acquiring function succeeded, so it never sees that path.
 */
export function unguardedRelease(acquireFn: CFunction, acquire: CCall, releaseFn: CFunction, release: CCall): boolean {
  const skippedBefore = (e: CExit) =>
    e.kind === 'return' && e.line < acquire.line && e.guards.length > 0 && !isErrorExit(acquireFn, e, e.guards[e.guards.length - 1] as CGuard);
  // a loop's test repeats the acquire, it does not skip it (`for (i = 0; i < n; i++) add(&s->port[i].mr)`)
  const conditional = acquire.guards.some((g) => !LOOP_KINDS.has(g.condition.kind)) || acquireFn.exits.some(skippedBefore);
  if (!conditional || !releasesTheAcquired(acquire, release)) return false;
  return release.guards.length === 0 && !release.inLoop && !releaseFn.exits.some((e) => (e.kind === 'return' || e.kind === 'goto') && e.line < release.line);
}

const LOOP_KINDS: ReadonlySet<string> = new Set(['for', 'while', 'do']);

/**
 * Does the release name only fields the acquire took or produced? Every field chain among its arguments is one
 * of the acquire's (`del_subregion(sysmem, &s->io)` after `add_subregion(sysmem, 0, &s->io)`), not another
 * object in the same container (`&s->mmio`): a release of something else says nothing about this acquire.
 */
function releasesTheAcquired(acquire: CCall, release: CCall): boolean {
  const taken = [...acquire.args, ...(acquire.result !== undefined ? [acquire.result] : [])].map((a) => chainOf(objectText(a))).filter((c): c is string => c !== null);
  const named = release.args.map((a) => chainOf(objectText(a))).filter((c): c is string => c !== null);
  return named.length > 0 && named.every((c) => taken.some((t) => sameChain(t, c)));
}

/** A value with its upper-case casts taken off (`PCI_DEVICE(dev)` → `dev`, `DEVICE(object_new(t))` → `object_new(t)`). */
function uncast(text: string): string {
  let t = text.trim();
  for (let m = /^[A-Z_][A-Z0-9_]*\((.*)\)$/s.exec(t); m; m = /^[A-Z_][A-Z0-9_]*\((.*)\)$/s.exec(t)) t = (m[1] as string).trim();
  return t;
}

/**
 * The call a constructor wrapper hands back: every return of `fn` that gives its caller something (not
 * NULL) returns what one call of the same callee made, directly (`return fx_new_multi(devfn, name);`) or
 * through a local filled once (`dev = fx_new(name); ...; return FX_DEVICE(dev);`) that the function keeps
 * no other hold of (no field stores it, no list takes it). Then `fn` acquires what that callee acquires,
 * and the caller owns it. Null for anything else.
 */
function wrappedCall(fn: CFunction): string | null {
  const returned = fn.exits.filter((e) => e.kind === 'return' && e.value !== undefined);
  // a function that returns numbers, errnos or truth values (`return -EINVAL;`, `return 0;`, `return true;`)
  // hands back a status, not an object: `ret = fx_init(...); return ret;` passes on a status
  if (returned.some((e) => /^(-\s*\w+|\d+|true|false)$/.test((e.value as string).trim()))) return null;
  const values = returned.filter((e) => !/^(NULL)$/.test((e.value as string).trim()));
  if (values.length === 0) return null;
  let inner: string | null = null;
  for (const e of values) {
    const v = uncast(e.value as string);
    let callee: string | null = null;
    const direct = /^(\w+)\(/.exec(v);
    if (direct && v.endsWith(')') && fn.calls.some((c) => c.line <= e.line && c.endLine >= e.line && c.callee === direct[1])) callee = direct[1] as string;
    else if (/^\w+$/.test(v)) {
      // the calls that fill it: a cast macro around the call (`FX_DEVICE(object_new(name))`) is not another fill
      const all = fn.calls.filter((c) => c.resultLocal === true && c.result?.trim() === v && c.line < e.line);
      const fills = all.length > 1 ? all.filter((c) => !/^[A-Z_][A-Z0-9_]*$/.test(c.callee)) : all;
      if (fills.length !== 1) return null;
      // a local compared with a number (`if (ret < 0)`) holds a status
      if (fn.conditions.some((c) => (c.identifiers ?? c.names).includes(v) && new RegExp(`\\b${v}\\s*(<|>|<=|>=)\\s*-?\\d`).test(c.normalized))) return null;
      if (fn.stores.some((st) => uncast(st.value) === v)) return null;
      if (fn.calls.some((c) => /_INSERT_/.test(c.callee) && c.args.some((a) => uncast(a) === v))) return null;
      const fill = fills[0] as CCall;
      // `dev = FX_DEVICE(object_new(name))`: the cast's argument is the call that made it
      const cast = /^[A-Z_][A-Z0-9_]*$/.test(fill.callee) ? /^(\w+)\(/.exec(uncast(fill.args[0] ?? '')) : null;
      callee = cast ? (cast[1] as string) : fill.callee;
    }
    if (callee === null || (inner !== null && inner !== callee) || !/^\w+$/.test(callee)) return null;
    inner = callee;
  }
  return inner !== null && inner !== fn.name && !hasReleaseVerb(inner) && !hasReleaseVerb(fn.name) ? inner : null;
}

/** Calls that do nothing to an object: a trace point, an assertion. */
const BYSTANDER = /^(trace_\w+|assert|g_assert\w*|qemu_log\w*)$/;

/**
 * The call a forwarder makes: `fn`'s body is one call (besides trace points and assertions), with no test, no
 * store and no other exit than handing back that call's value, and the call is handed one of `fn`'s own
 * parameters as it came (`void fx_add_exit_notifier(Notifier *n) { notifier_list_add(&exit_notifiers, n); }`).
 * Then `fn` does what that call does to the object: registering it takes what the call takes, and the
 * call's undo undoes it. Null for anything else.
 */
function forwardedCall(fn: CFunction): string | null {
  const params = fn.params ?? [];
  if (params.length === 0 || fn.conditions.length > 0 || fn.stores.length > 0) return null;
  const calls = fn.calls.filter((c) => !BYSTANDER.test(c.callee));
  if (calls.length !== 1) return null;
  const call = calls[0] as CCall;
  if (!isPlainCall(call) || call.callee === fn.name || /^[A-Z_][A-Z0-9_]*$/.test(call.callee)) return null;
  if (fn.exits.some((e) => e.kind !== 'return' || (e.value !== undefined && !e.value.trim().startsWith(`${call.callee}(`)))) return null;
  return call.args.some((a) => params.includes(objectText(a))) ? call.callee : null;
}

/** `fn` as a candidate reader of the Errors it is handed (see FileEvidence.errorReaders), or nothing. */
function errorReader(fn: CFunction): string[] {
  const params = fn.errorParams ?? [];
  if (params.length === 0) return [];
  const callees = new Set<string>();
  for (const p of params) {
    if (p.isConst) continue;
    if (p.handedTo === null) return [];
    for (const c of p.handedTo) if (c !== fn.name) callees.add(c);
  }
  return [[fn.name, ...[...callees].sort()].join('\u0000')];
}

/**
 * What one file shows of pairs and of the functions it defines. `text`, the file's text, adds its
 * noreturn declarations (a commit's touched files are observed without it: the base tree told them).
 */
export function fileEvidence(model: CFileModel, isNonResource: (name: string) => boolean, only?: ReadonlySet<string>, text?: string): FileEvidence {
  const ev: FileEvidence = { path: model.path, calls: {}, pairs: {} };
  if (text !== undefined) {
    const noReturn = noReturnDeclarations(text);
    if (noReturn.length > 0) ev.noReturn = noReturn;
  }
  const wanted = (fn: CFunction) => only === undefined || only.has(fn.name);
  const seen = new Set<string>();
  const fns = model.functions.filter((fn) => {
    if (seen.has(fn.name) || !wanted(fn)) return false;
    seen.add(fn.name);
    return true;
  });
  const safe = fns.filter(checksForItself).map((fn) => fn.name);
  if (safe.length > 0) ev.safe = safe;
  const steps = fns.flatMap(releaseSteps);
  if (steps.length > 0) ev.steps = steps;
  const errorReaders = fns.flatMap(errorReader);
  if (errorReaders.length > 0) ev.errorReaders = errorReaders;
  const wrappers = fns.flatMap((fn) => {
    const inner = wrappedCall(fn);
    return inner ? [`${fn.name}\u0000${inner}`] : [];
  });
  if (wrappers.length > 0) ev.wrappers = wrappers;
  const forwards = fns.flatMap((fn) => {
    const inner = forwardedCall(fn);
    return inner ? [`${fn.name}\u0000${inner}`] : [];
  });
  if (forwards.length > 0) ev.forwards = forwards;
  const disposes = fns.flatMap((fn) => disposedParameters(fn).map((k) => `${fn.name}\u0000${k}`));
  if (disposes.length > 0) ev.disposes = disposes;
  const reports = fns.flatMap((fn) => (fn.reports ? [`${fn.name}\u0000${fn.reports}`] : []));
  if (reports.length > 0) ev.reports = reports;
  // calls are counted (confidence's denominator) for what could be an acquire: a name with an acquire
  // verb, or a call whose value some call of the file stores; not for every callee of the file
  const counted = new Set<string>();
  for (const fn of fns) for (const c of fn.calls) if (isPlainCall(c) && (c.result !== undefined || proposed(c.callee).size > 0)) counted.add(c.callee);
  for (const fn of fns) {
    const calls = fn.calls.filter(isPlainCall);
    // where each callee is called, and which calls carry a release verb: the only later calls that can
    // be a candidate release (see candidate()), so each acquire looks at those and not at every call after it
    const at = new Map<string, number[]>();
    const releaseVerbAt: number[] = [];
    calls.forEach((c, j) => {
      const list = at.get(c.callee);
      if (list) list.push(j);
      else at.set(c.callee, [j]);
      if (hasReleaseVerb(c.callee)) releaseVerbAt.push(j);
    });
    calls.forEach((acquire, i) => {
      if (counted.has(acquire.callee)) ev.calls[acquire.callee] = (ev.calls[acquire.callee] ?? 0) + 1;
      if (isNonResource(acquire.callee)) return;
      // a value kept in a `g_autofree` variable is freed by its scope: the code frees it with g_free() as surely
      // as by a call (`g_autofree char *path = NULL; path = fx_find_file(...);`), one heap-free site
      if (acquire.autoFreed && !hasReleaseVerb(acquire.callee)) {
        record(ev, acquire.callee, 'g_free', { morphology: false }, {
          path: model.path, fn: fn.name, line: acquire.line, releaseFn: fn.name, releaseLine: fn.endLine, kind: 'same-function',
        }, true);
      }
      const names = proposed(acquire.callee);
      const later = new Set<number>();
      for (const n of names) for (const j of at.get(n) ?? []) if (j > i) later.add(j);
      if (acquire.result !== undefined && !hasReleaseVerb(acquire.callee)) for (const j of releaseVerbAt) if (j > i) later.add(j);
      if (later.size === 0) return;
      const obj = acquireObject(acquire);
      const released = new Set<string>();
      for (const j of [...later].sort((x, y) => x - y)) {
        const release = calls[j] as CCall;
        if (release.line < acquire.line) continue;
        const c = candidate(acquire, release, names);
        if (!c || isNonResource(release.callee) || (!c.morphology && resizes(acquire))) continue;
        // the role model: what R releases is the value A produced (and still holds: not a variable filled
        // again on the way, `res = fx_find(...); ...; res = g_new0(...); ...; g_free(res)`)
        if (c.morphology ? !releasesWithin(obj, release) : !release.args.some((a) => namesProducedValue(objectText(a), objectText(acquire.result ?? ''))) || refilled(fn, acquire, release)) continue;
        if (toggleOf(acquire.callee) && !switchedBack(acquire, release, false)) continue;
        record(ev, acquire.callee, release.callee, c, {
          path: model.path, fn: fn.name, line: acquire.line, releaseFn: fn.name, releaseLine: release.line, kind: 'same-function',
        }, !released.has(release.callee));
        released.add(release.callee);
      }
    });
  }
  for (const [a, r] of pairedFunctions(model)) {
    if (only !== undefined && !only.has(a) && !only.has(r)) continue;
    const acquireFn = model.functionByName(a);
    const releaseFn = model.functionByName(r);
    if (!acquireFn || !releaseFn) continue;
    const releases = releaseFn.calls.filter(isPlainCall);
    for (const acquire of acquireFn.calls) {
      if (!isPlainCall(acquire) || isNonResource(acquire.callee)) continue;
      const names = proposed(acquire.callee);
      const obj = acquireObject(acquire);
      for (const release of releases) {
        const c = candidate(acquire, release, names);
        if (!c || isNonResource(release.callee) || (!c.morphology && resizes(acquire))) continue;
        // (or, for a pair names propose, each side's own instance: `register_x(OBJECT(dev))` in realize and
        // `unregister_x(OBJECT(dev))` in unrealize name the one device both are handed)
        // (or, for a pair names propose, nothing on either side: a global state such as a switch with no object,
        // `fx_discard_disable(true)` in an enable and `(false)` in its disable)
        if (
          !releasesAcross(c.morphology ? obj : producedObject(acquire), release) &&
          !(c.morphology && bothInstances(acquireFn, acquire, releaseFn, release)) &&
          !(c.morphology && obj.none && release.args.length === 0)
        )
          continue;
        if (toggleOf(acquire.callee) && !switchedBack(acquire, release, true)) continue;
        record(ev, acquire.callee, release.callee, c, {
          path: model.path, fn: a, line: acquire.line, releaseFn: r, releaseLine: release.line, kind: 'paired-functions',
        });
        // read off whole files only (the base tree, a file first seen): a change's own functions must not vouch
        // for the release it leaves unguarded
        if (only === undefined && unguardedRelease(acquireFn, acquire, releaseFn, release)) (ev.unguarded ??= []).push(release.callee);
      }
    }
  }
  sameFileEvidence(model, isNonResource, ev, only);
  definedPairs(model, isNonResource, ev, only);
  return ev;
}

/** Verbs of an API that adds something to a registry or a container (definedPairs). */
const REGISTRATION_VERBS = new Set(['add', 'register', 'attach', 'insert', 'connect', 'subscribe', 'bind', 'install', 'hook']);

/**
 * An API whose file defines both sides: a function and its mirror by name (`fx_add_ctx_notifier` /
 * `fx_remove_ctx_notifier`, not a synonym), named for adding or registering, taking the same parameters, two or more, in
 * the same order. The
 * definitions show the pair where no caller of the tree uses it yet (a partial tree, a new API); one site, counted
 * with the same-file kind, so that a release with evidence of its own use outranks it.
 */
function definedPairs(model: CFileModel, isNonResource: (name: string) => boolean, ev: FileEvidence, only?: ReadonlySet<string>): void {
  for (const fn of model.functions) {
    const params = fn.params ?? [];
    // a registration keyed by what it is handed (two parameters or more), named for adding or registering something:
    // not a callback pair (`fx_init`/`fx_finalize`, `fx_start`/`fx_stop`, reached through slots) nor an accessor
    // (`fx_get_reg`/`fx_put_reg`)
    if (params.length < 2 || hasReleaseVerb(fn.name) || isNonResource(fn.name)) continue;
    if (!fn.name.split('_').some((w) => REGISTRATION_VERBS.has(w))) continue;
    for (const name of mirrors(fn.name)) {
      if (only !== undefined && !only.has(fn.name) && !only.has(name)) continue;
      const release = model.functionByName(name);
      if (!release || release === fn || isNonResource(name)) continue;
      const theirs = release.params ?? [];
      if (theirs.length !== params.length || !theirs.every((p, i) => p === params[i])) continue;
      record(ev, fn.name, name, { morphology: true }, {
        path: model.path, fn: fn.name, line: fn.startLine, releaseFn: name, releaseLine: release.startLine, kind: 'same-file',
      });
    }
  }
}

/**
 * Evidence between two functions of one file that no slot or name pairs: a release whose name mirrors the acquire's
 * (`fx_peer_register` / `fx_peer_unregister`, not a synonym) on the same field chain (`&vd->peer` in a helper that
 * registers, `&vd->peer` in the disconnect that unregisters), made in a function named for releasing. The names,
 * the field and the teardown say it; the functions need not be a pair (a registration in a helper, its undo in a
 * teardown the chardev calls).
 */
function sameFileEvidence(model: CFileModel, isNonResource: (name: string) => boolean, ev: FileEvidence, only?: ReadonlySet<string>): void {
  // the role model: a release made inside a function named for releasing (a disconnect, a destructor), not a stop in
  // a handler that starts the same thing again later (`timer_del()` in a register write)
  const byCallee = new Map<string, { call: CCall; fn: CFunction }[]>();
  for (const fn of model.functions) {
    if (!hasReleaseVerb(fn.name)) continue;
    for (const call of fn.calls) {
      if (!isPlainCall(call) || !hasReleaseVerb(call.callee)) continue;
      const list = byCallee.get(call.callee);
      if (list) list.push({ call, fn });
      else byCallee.set(call.callee, [{ call, fn }]);
    }
  }
  if (byCallee.size === 0) return;
  const paired = new Set(pairedFunctions(model).flatMap(([a, r]) => [`${a}\u0000${r}`, `${r}\u0000${a}`]));
  // the same releases by the last word of the field they are handed (`g_source_remove(s->watch)` → watch), for
  // values kept in a field that no name pairs with their release (see storedValueEvidence)
  const byField = new Map<string, { call: CCall; fn: CFunction; chain: string }[]>();
  // the makers whose values each field (by its last word) keeps, across the file
  const makers = new Map<string, Set<string>>();
  for (const fn of model.functions) {
    for (const call of fn.calls) {
      if (call.result === undefined || !isPlainCall(call)) continue;
      const chain = chainOf(objectText(call.result));
      if (chain === null) continue;
      const tail = chain.slice(chain.lastIndexOf('.') + 1);
      const set = makers.get(tail);
      if (set) set.add(call.callee);
      else makers.set(tail, new Set([call.callee]));
    }
  }
  for (const list of byCallee.values()) {
    for (const entry of list) {
      for (const arg of entry.call.args) {
        const chain = chainOf(objectText(arg));
        if (chain === null) continue;
        const tail = chain.slice(chain.lastIndexOf('.') + 1);
        const at = byField.get(tail);
        if (at) at.push({ ...entry, chain });
        else byField.set(tail, [{ ...entry, chain }]);
      }
    }
  }
  for (const fn of model.functions) {
    if (hasReleaseVerb(fn.name)) continue;
    for (const acquire of fn.calls) {
      if (!isPlainCall(acquire) || toggleOf(acquire.callee)) continue;
      if (acquire.result !== undefined && !resizes(acquire)) storedValueEvidence(ev, model.path, fn, acquire, byField, makers, paired, isNonResource, only);
      // the cheap tests first: most calls have no mirror release in the file
      let candidates: { call: CCall; fn: CFunction }[] | null = null;
      for (const name of mirrors(acquire.callee)) {
        const list = byCallee.get(name);
        if (list) (candidates ??= []).push(...list);
      }
      if (candidates === null || isNonResource(acquire.callee)) continue;
      let chains: string[] | null = null;
      for (const { call: release, fn: other } of candidates) {
        if (other === fn || paired.has(`${fn.name}\u0000${other.name}`)) continue;
        if (only !== undefined && !only.has(fn.name) && !only.has(other.name)) continue;
        if (isNonResource(release.callee)) continue;
        chains ??= acquireObject(acquire).chains;
        if (chains.length === 0) break;
        const own = chains;
        const released = release.args.map((a) => chainOf(objectText(a))).filter((c): c is string => c !== null);
        if (!released.some((c) => own.some((x) => sameChain(x, c)))) continue;
        record(ev, acquire.callee, release.callee, { morphology: true }, {
          path: model.path, fn: fn.name, line: acquire.line, releaseFn: other.name, releaseLine: release.line, kind: 'same-file',
        });
      }
    }
  }
}

/**
 * A value kept in a field (`s->watch = fx_add_watch(...)`) and handed, in another function of the file named for
 * releasing (an unrealize, a close event), to a call named for releasing on the same field
 * (`g_source_remove(s->watch)`): the role model's evidence for a pair no name shows (a GLib source id, a file
 * descriptor). Recorded once per acquire site and release callee, and only for a field the file fills from this
 * maker alone; learned.ts keeps such a pair only when more than one site shows it.
 */
function storedValueEvidence(
  ev: FileEvidence,
  path: string,
  fn: CFunction,
  acquire: CCall,
  byField: ReadonlyMap<string, { call: CCall; fn: CFunction; chain: string }[]>,
  makers: ReadonlyMap<string, ReadonlySet<string>>,
  paired: ReadonlySet<string>,
  isNonResource: (name: string) => boolean,
  only?: ReadonlySet<string>,
): void {
  const chain = chainOf(objectText(acquire.result as string));
  if (chain === null) return;
  const tail = chain.slice(chain.lastIndexOf('.') + 1);
  const candidates = byField.get(tail);
  if (!candidates || hasReleaseVerb(acquire.callee) || isNonResource(acquire.callee)) return;
  // a field the file fills from several makers (`b->host = fx_vmalloc(...)`, `= fx_map_block(...)`) says not which
  // of them a release of it undoes
  if ((makers.get(tail)?.size ?? 0) > 1) return;
  const names = proposed(acquire.callee);
  const done = new Set<string>();
  for (const { call: release, fn: other, chain: released } of candidates) {
    if (other === fn || done.has(release.callee) || names.has(release.callee) || !sameChain(chain, released)) continue;
    if (paired.has(`${fn.name}\u0000${other.name}`)) continue;
    if (only !== undefined && !only.has(fn.name) && !only.has(other.name)) continue;
    // an undo that reports failure (`fx_unplug(s->handler, dev, errp)`) is an operation on the value, not its disposal;
    // one handed another object besides (`fx_release_buf(s->con, &d->buf)`) takes the field as its context
    if (isNonResource(release.callee) || release.args.some((a) => ERROR_ARG.test(a.trim()))) continue;
    if (release.args.some((a) => chainOf(objectText(a)) !== released && /->|\.|&/.test(a))) continue;
    done.add(release.callee);
    record(ev, acquire.callee, release.callee, { morphology: false }, {
      path, fn: fn.name, line: acquire.line, releaseFn: other.name, releaseLine: release.line, kind: 'same-file',
    });
  }
}
