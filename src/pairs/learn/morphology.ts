/**
 * Name morphology: which names could undo which. A verb anywhere in a name
 * (`memory_region_add_subregion`, `qemu_mutex_lock`, `timer_new_ns`,
 * `g_new0`, `mmap`) proposes the names with its release verbs in its place,
 * with and without the words after it (`timer_new_ns` → `timer_free_ns`,
 * `timer_free`). Morphology only proposes: the code under review must show
 * the pair in use (evidence.ts) before anything relies on it.
 */
import verbsData from './verbs.json' with { type: 'json' };
import { flippedToggle, toggleOf } from '../../cmodel/toggles.js';

interface VerbPair {
  acquire: string;
  release: string[];
}

const VERBS: readonly VerbPair[] = (verbsData as { verbs: VerbPair[] }).verbs;
/** Words whose last letters spell a verb and that are no verb (`send`, `input`, `block`): no prefix reading in them. */
const ORDINARY_WORDS: ReadonlySet<string> = new Set((verbsData as { ordinaryWords?: { words?: string[] } }).ordinaryWords?.words ?? []);
const RELEASE_OF = new Map<string, string[]>();
const RELEASE_VERBS = new Set<string>();
const ACQUIRE_VERBS = new Set(VERBS.map((v) => v.acquire));
for (const v of VERBS) {
  RELEASE_OF.set(v.acquire, [...(RELEASE_OF.get(v.acquire) ?? []), ...v.release]);
  for (const r of v.release) RELEASE_VERBS.add(r);
}

/**
 * Verbs whose words after them name what is got or set, not a variant:
 * `memory_region_get_ram_ptr` is no counterpart of `memory_region_unref`.
 */
const KEEPS_TAIL = new Set(['get', 'set']);

/** Most letters a token may carry before its verb and still count (`mmap` = m + map). */
const MAX_VERB_PREFIX = 2;

function swapAt(tokens: readonly string[], i: number, to: string, keepTail: boolean): string {
  return [...tokens.slice(0, i), to, ...(keepTail ? tokens.slice(i + 1) : [])].join('_');
}

/** Words that make a name a question about state (`fx_is_range_plugged`, `fx_has_mapped`): no acquire or release. */
const PREDICATE = new Set(['is', 'has', 'was', 'can', 'should', 'needs']);
const isPredicate = (tokens: readonly string[]) => tokens.some((t) => PREDICATE.has(t));

/**
 * A name with an acquire verb and one of its own release verbs
 * (`fx_notify_map_unmap`, `fx_add_del_range`) does either, as told: it is
 * no acquire of the name with the release verb alone.
 */
function doesBoth(tokens: readonly string[]): boolean {
  const words = new Set(tokens.map((t) => t.replace(/\d+$/, '')));
  for (const w of words) if ((RELEASE_OF.get(w) ?? []).some((r) => words.has(r))) return true;
  return false;
}

const memo = new Map<string, readonly string[]>();
const MEMO_LIMIT = 200_000;

/**
 * Release names morphology proposes for an acquire name (none for a name
 * with no acquire verb). A name may carry several verbs; each proposes.
 */
export function releaseCandidates(name: string): readonly string[] {
  let out = memo.get(name);
  if (out) return out;
  // a switch turned on by `true` is turned off by `false`, whatever its words (`fx_discard_disable(true)`)
  const toggle = toggleOf(name);
  if (toggle) {
    out = toggle.on ? [flippedToggle(name) as string] : [];
    memo.set(name, out);
    return out;
  }
  const found = new Set<string>();
  const tokens = name.split('_');
  if (isPredicate(tokens) || doesBoth(tokens)) {
    memo.set(name, []);
    return [];
  }
  tokens.forEach((token, i) => {
    if (token === '') return;
    // a library's camelCase word (`openConnection`, `eglCreateContext`): its verbs read by their words, the name's casing kept
    const words = camelWords(token);
    if (words) {
      for (const release of camelReleases(words)) found.add(swapAt(tokens, i, release, true));
      return;
    }
    // `realizefn`: QEMU's word for a function that does the verb (`fx_cpu_realizefn` / `fx_cpu_unrealizefn`)
    if (/^[a-z]+fn$/.test(token) && RELEASE_OF.has(token.slice(0, -2))) {
      for (const release of RELEASE_OF.get(token.slice(0, -2)) ?? []) found.add(swapAt(tokens, i, `${release}fn`, true));
      return;
    }
    // `new0`, `alloc0`: a digit after the verb names a variant, not another verb
    const bare = token.replace(/\d+$/, '');
    // `unmap` holds `map`, `unref` holds `ref`: a release verb is no acquire
    if (RELEASE_VERBS.has(bare)) return;
    // `trylock`: an attempt at the verb is undone as the verb is (`qemu_mutex_trylock` / `qemu_mutex_unlock`)
    if (/^try[a-z]+$/.test(bare)) for (const release of RELEASE_OF.get(bare.slice(3)) ?? []) found.add(swapAt(tokens, i, release, true));
    for (let p = 0; p <= (ORDINARY_WORDS.has(bare) ? 0 : Math.min(MAX_VERB_PREFIX, bare.length - 2)); p++) {
      const prefix = bare.slice(0, p);
      const releases = RELEASE_OF.get(bare.slice(p));
      if (!releases) continue;
      for (const release of releases) {
        found.add(swapAt(tokens, i, prefix + release, true));
        if (i < tokens.length - 1 && !KEEPS_TAIL.has(bare.slice(p))) found.add(swapAt(tokens, i, prefix + release, false));
        // g_new0 → g_free: the variant digit goes with the verb
        if (bare !== token) found.add(swapAt(tokens, i, prefix + release, true).replace(/_$/, ''));
      }
    }
  });
  // a one-word name with its verb glued to a noun (`opendir` → `closedir`, `openlog` → `closelog`)
  for (const release of gluedReleases(tokens)) found.add(release);
  found.delete(name);
  out = [...found];
  if (memo.size >= MEMO_LIMIT) memo.clear();
  memo.set(name, out);
  return out;
}

/** The words of a camelCase token (`openConnection` → open, Connection), or null for a token with none. */
function camelWords(token: string): string[] | null {
  if (!/[a-z0-9][A-Z]/.test(token)) return null;
  return token.split(/(?<=[a-z0-9])(?=[A-Z])/);
}

/** The camelCase words with each acquire verb swapped for its releases, in the verb's casing, with and without the words after it. */
function camelReleases(words: readonly string[]): string[] {
  const out: string[] = [];
  words.forEach((word, j) => {
    const bare = word.toLowerCase();
    if (RELEASE_VERBS.has(bare)) return;
    for (const release of RELEASE_OF.get(bare) ?? []) {
      const cased = word[0] === (word[0] as string).toUpperCase() ? release[0]?.toUpperCase() + release.slice(1) : release;
      out.push([...words.slice(0, j), cased, ...words.slice(j + 1)].join(''));
      if (j < words.length - 1 && j > 0 && !KEEPS_TAIL.has(bare)) out.push([...words.slice(0, j), cased].join(''));
    }
  });
  return out;
}

/** Endings that inflect a verb (`stopped`, `closing`, `openers`) rather than name what it acts on. */
const INFLECTION = /^(ing|ed|ped|ted|ned|led|ded|ers|ment|able)$/;

/** The verb of a one-word name and the noun glued after it (`opendir` → open, dir), for verbs of `verbs`. */
function gluedVerb(tokens: readonly string[], verbs: Iterable<string>): { verb: string; noun: string } | null {
  if (tokens.length !== 1) return null;
  const word = tokens[0] as string;
  for (const verb of verbs) {
    if (verb.length < 4 || !word.startsWith(verb)) continue;
    const noun = word.slice(verb.length);
    if (noun.length >= 3 && /^[a-z]+$/.test(noun) && !INFLECTION.test(noun)) return { verb, noun };
  }
  return null;
}

function gluedReleases(tokens: readonly string[]): string[] {
  const glued = gluedVerb(tokens, RELEASE_OF.keys());
  if (glued) return (RELEASE_OF.get(glued.verb) ?? []).map((r) => r + glued.noun);
  // a short prefix that says how, before the glued verb (`fdopendir` opens a directory from a descriptor): the
  // plain release (`closedir`), or the same prefix with it
  const word = tokens.length === 1 ? (tokens[0] as string) : '';
  for (let p = 1; p <= MAX_VERB_PREFIX && word.length - p >= 7; p++) {
    const inner = gluedVerb([word.slice(p)], RELEASE_OF.keys());
    if (inner) return (RELEASE_OF.get(inner.verb) ?? []).flatMap((r) => [r + inner.noun, word.slice(0, p) + r + inner.noun]);
  }
  return [];
}

/** Does the name carry a release verb as one of its words (`g_free`, `object_unref`, `qemu_close`)? */
export function hasReleaseVerb(name: string): boolean {
  let known = releaseVerbMemo.get(name);
  if (known === undefined) {
    known = false;
    // a switch is named for switching, not for releasing: its `false` releases only what its own `true` took,
    // which only its learned pair says (`fx_set_enabled(s, false)` may start a slow path no acquire opened)
    const tokens = toggleOf(name) ? [] : name.split('_');
    for (const token of isPredicate(tokens) ? [] : tokens) {
      if (RELEASE_VERBS.has(token)) known = true;
      // (a camelCase word read by its words: `closeConnection`, `eglDestroyContext`)
      if (camelWords(token)?.some((w) => RELEASE_VERBS.has(w.toLowerCase()))) known = true;
      for (let p = 1; !known && !ORDINARY_WORDS.has(token) && p <= MAX_VERB_PREFIX && p < token.length - 2; p++) if (RELEASE_VERBS.has(token.slice(p))) known = true;
      // a free of a vector or of a kind of string (`g_strfreev`, `qemu_vfree`)
      if (/^\w*freev?$/.test(token)) known = true;
      // a one-word name with the verb glued to a noun (`closedir`)
      if (!known && gluedVerb(tokens, RELEASE_VERBS) !== null) known = true;
      if (known) break;
    }
    if (releaseVerbMemo.size >= MEMO_LIMIT) releaseVerbMemo.clear();
    releaseVerbMemo.set(name, known);
  }
  return known;
}
const releaseVerbMemo = new Map<string, boolean>();

/**
 * Do two names carry a pair's verbs, whatever their other words
 * (`fx_container_region_add` and `fx_listener_region_del`, `vq_start` and
 * `dev_stop`)? A word of `acquire` is an acquire verb whose release verbs
 * include a word of `release`.
 */
export function verbsPair(acquire: string, release: string): boolean {
  if (toggleOf(acquire) || toggleOf(release)) return flippedToggle(acquire) === release && toggleOf(acquire)?.on === true;
  const releaseWords = new Set(release.split('_'));
  for (const token of acquire.split('_')) {
    const bare = token.replace(/\d+$/, '');
    if (RELEASE_VERBS.has(bare)) continue;
    if ((RELEASE_OF.get(bare) ?? []).some((r) => releaseWords.has(r))) return true;
  }
  return false;
}

/** Does morphology propose `release` as an undo of `acquire` (`fx_region_add` and `fx_region_del`)? */
export function namesPair(acquire: string, release: string): boolean {
  return releaseCandidates(acquire).includes(release);
}

/**
 * Does `name` give back what `acquire` takes, by its words: the acquire's stem (the words before its first
 * acquire verb, `fx_queue` of `fx_queue_pop`) followed by words with a release verb (`fx_queue_detach_elem`)?
 * Broader than releaseSynonyms (words may follow the verb), so only for a value the caller holds in its own
 * variable and hands to that call.
 */
export function stemRelease(acquire: string, name: string): boolean {
  if (toggleOf(acquire) || toggleOf(name)) return verbsPair(acquire, name);
  const tokens = acquire.split('_');
  const first = isPredicate(tokens) || doesBoth(tokens) ? -1 : tokens.findIndex((t, i) => i > 0 && ACQUIRE_VERBS.has(t.replace(/\d+$/, '')) && !KEEPS_TAIL.has(t));
  if (first <= 0) return false;
  const stem = `${tokens.slice(0, first).join('_')}_`;
  return name.startsWith(stem) && hasReleaseVerb(name.slice(stem.length));
}

const synonymMemo = new Map<string, readonly string[]>();

/**
 * Release names a call's name proposes, for mining call pairs: its
 * `releaseCandidates`, and the words before its first acquire verb (a stem,
 * `fx_tree` of `fx_tree_map_alloc`) with any release verb (`fx_tree_remove`):
 * an API picks one verb per side, not always the mirror of the other's. Only
 * for calls, whose pairs usage evidence must still confirm; function and
 * slot names pair by their mirror verbs alone (`fx_dev_realize` is no
 * partner of `fx_dev_finalize`).
 */
export function releaseSynonyms(name: string): readonly string[] {
  let out = synonymMemo.get(name);
  if (out) return out;
  const found = new Set(releaseCandidates(name));
  // a switch's only undo is its own opposite
  const tokens = toggleOf(name) ? [] : name.split('_');
  const first = isPredicate(tokens) || doesBoth(tokens) ? -1 : tokens.findIndex((t, i) => i > 0 && ACQUIRE_VERBS.has(t.replace(/\d+$/, '')) && !KEEPS_TAIL.has(t));
  if (first > 0) {
    const stem = tokens.slice(0, first).join('_');
    for (const release of RELEASE_VERBS) found.add(`${stem}_${release}`);
  }
  // a name qualified by words after its verb and object (`register_fx_live`, `fx_add_blocker_normal`): the undo
  // of the shorter name may be all the API has (`unregister_fx`, `fx_del_blocker`)
  for (const prefix of qualifiedPrefixes(name, true)) for (const release of releaseCandidates(prefix)) found.add(release);
  found.delete(name);
  out = [...found];
  if (synonymMemo.size >= MEMO_LIMIT) synonymMemo.clear();
  synonymMemo.set(name, out);
  return out;
}

/**
 * The families a name's acquire verbs put it in (`timer_new_ns` → `timer_new`):
 * the words up to and including each acquire verb after a stem, the verb
 * without its variant digit. Names of one family differ only in the words
 * after the verb (`timer_new_ms`, `timer_new_ns`, `g_new0`), which name a
 * variant of the same acquire, not another resource; get and set name what
 * is got or set (KEEPS_TAIL), so they form no family.
 */
export function variantFamilies(name: string): readonly string[] {
  // asked for every callee the table is asked about, again after each change of the table
  let out = familyMemo.get(name);
  if (out) return out;
  const tokens = name.split('_');
  const found: string[] = [];
  if (!toggleOf(name) && !isPredicate(tokens) && !doesBoth(tokens)) {
    tokens.forEach((token, i) => {
      const bare = token.replace(/\d+$/, '');
      if (i === 0 || !ACQUIRE_VERBS.has(bare) || KEEPS_TAIL.has(bare)) return;
      found.push([...tokens.slice(0, i), bare].join('_'));
    });
  }
  out = found;
  if (familyMemo.size >= MEMO_LIMIT) familyMemo.clear();
  familyMemo.set(name, out);
  return out;
}
const familyMemo = new Map<string, readonly string[]>();

/**
 * Does `release` undo a whole family (`timer_free` for `timer_new`): the
 * family's stem with one of its verb's release verbs, and no words after it?
 */
export function releasesFamily(family: string, release: string): boolean {
  const cut = family.lastIndexOf('_');
  const stem = family.slice(0, cut);
  const verb = family.slice(cut + 1);
  return (RELEASE_OF.get(verb) ?? []).some((r) => release === `${stem}_${r}`);
}

/**
 * The shorter names a name extends by words that qualify how, not what (`fx_add_blocker_normal` →
 * `fx_add_blocker`, `fx_add_subregion_overlap` → `fx_add_subregion`): one or two trailing words, none of them a
 * verb, after a prefix that carries an acquire verb. Longest first.
 */
export function qualifiedPrefixes(name: string, verbFirst = false): readonly string[] {
  if (toggleOf(name)) return [];
  const tokens = name.split('_');
  const out: string[] = [];
  for (let cut = tokens.length - 1; cut >= Math.max(2, tokens.length - 2); cut--) {
    const tail = tokens.slice(cut);
    if (tail.some((t) => t === '' || ACQUIRE_VERBS.has(t.replace(/\d+$/, '')) || RELEASE_VERBS.has(t) || KEEPS_TAIL.has(t))) break;
    const head = tokens.slice(0, cut);
    // (with `verbFirst`, also a verb that leads the name, followed by what it acts on: `register_fx` of `register_fx_live`)
    if (!head.some((t, i) => (i > 0 || (verbFirst && head.length >= 2)) && ACQUIRE_VERBS.has(t.replace(/\d+$/, '')) && !KEEPS_TAIL.has(t))) continue;
    out.push(head.join('_'));
  }
  return out;
}
