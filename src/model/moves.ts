/**
 * Moved code in the balance model: a statement the commit deletes whole from a
 * function that, in the same commit, starts calling a function it did not call
 * before, was extracted into that callee (`for (i = 0; i < n; i++) {...}` in
 * `*_init` becomes `r = *_init_queues(dev);`), not edited. When the callee's
 * body is visible, it must carry the same text; when it is not (a file the
 * commit does not touch, an earlier commit of the series), the new call is
 * the evidence.
 */
import type { CFunction } from '../cmodel/types.js';
import { normalizeC } from '../cmodel/text.js';

export interface LineChanges {
  readonly added: ReadonlySet<number>;
  readonly removed: ReadonlySet<number>;
}

export interface CalleeTexts {
  /**
   * the texts (normalized conditions and statements) a function and its
   * helpers carry, or null when its body is not visible; `args`: what the new
   * call passes, for the callee's own texts read with its parameters bound
   * (see withArguments)
   */
  (name: string, args: readonly string[]): ReadonlySet<string> | null;
}

/**
 * `text` of a callee with each parameter named as the caller passes it: a
 * loop moved into a helper that takes its bound (`i < s->nqueues` becomes
 * `fx_stop_queues(s, s->nqueues)` with `i < n` inside) reads as the
 * loop it was. A field of the same name (`->nvqs`) is no parameter.
 */
export function withArguments(text: string, params: readonly string[], args: readonly string[]): string {
  const bound = new Map<string, string>();
  params.forEach((p, i) => {
    const arg = args[i];
    if (arg !== undefined && p !== '' && arg !== p) bound.set(p, normalizeC(arg));
  });
  if (bound.size === 0) return text;
  // (a parameter handed an address, `fx_lt_free(&s->lt[i])`, reads its fields as the caller did: `lt->t` is `s->lt[i].t`)
  // (held aside while the other parameters are named, so that a name in the caller's text is not read as one)
  const held: string[] = [];
  const addressed = text.replace(/(->\s*|\.\s*)?\b([A-Za-z_]\w*)\s*->/g, (m, member: string | undefined, name: string) => {
    const address = member === undefined && bound.has(name) ? /^&\s*([A-Za-z_][\w.>\s[\]-]*)$/.exec(bound.get(name) as string) : null;
    if (!address || /[-.>]\s*$/.test(address[1] as string)) return m;
    held.push(`${(address[1] as string).trim()}.`);
    return `\u0000${held.length - 1}\u0000`;
  });
  return addressed
    .replace(/(->\s*|\.\s*)?\b([A-Za-z_]\w*)\b/g, (m, member: string | undefined, name: string) =>
      member === undefined && bound.has(name) ? (bound.get(name) as string) : m,
    )
    .replace(/\u0000(\d+)\u0000/g, (_m, i: string) => held[Number(i)] as string);
}

/**
 * A text with the base variable of each field chain made alike (`i < host->nqueues`
 * and `i < h->nqueues` are one condition once moved into a helper that names its
 * parameter another way).
 */
export function baseless(text: string): string {
  return text.replace(/\b[A-Za-z_]\w*(?=\s*(->|\.)\s*[A-Za-z_])/g, (m, _sep, offset: number, all: string) => {
    const before = all.slice(0, offset);
    // only the first name of a chain (`a->b->c`: a), not the fields after it
    return /(->|\.)\s*$/.test(before) ? m : '@';
  });
}

/**
 * Did the commit delete the whole statement `first..last` of `preFn` (pre-image
 * lines)? Every line of it that carries code (a call, a condition, an exit, a
 * statement) is removed; a closing brace the diff happens to keep is no code.
 */
export function removedWhole(changes: LineChanges, preFn: CFunction, first: number, last: number): boolean {
  const code = new Set<number>();
  const inside = (l: number) => l >= first && l <= last;
  for (const c of preFn.calls) if (inside(c.line)) code.add(c.line);
  for (const c of preFn.conditions) if (inside(c.line)) code.add(c.line);
  for (const e of preFn.exits) if (inside(e.line)) code.add(e.line);
  for (const st of preFn.statements) if (inside(st.line)) code.add(st.line);
  code.add(first);
  for (const l of code) if (!changes.removed.has(l)) return false;
  return true;
}

/**
 * Was the pre-image statement `first..last` of `preFn`, carrying `text`, moved
 * out of the function into a callee `postFn` newly calls?
 */
export function extractedIntoCallee(
  changes: LineChanges,
  preFn: CFunction,
  postFn: CFunction,
  first: number,
  last: number,
  text: string,
  textsOf: CalleeTexts,
  isNonResource: (name: string) => boolean,
  compound: boolean,
): string | null {
  if (!removedWhole(changes, preFn, first, last)) return null;
  const before = new Set(preFn.calls.map((c) => c.callee));
  for (const call of postFn.calls) {
    if (!changes.added.has(call.line) || before.has(call.callee) || isNonResource(call.callee)) continue;
    if (!/^[A-Za-z_]\w*$/.test(call.callee) || call.callee === postFn.name) continue;
    const texts = textsOf(call.callee, call.args);
    if (texts !== null) {
      if (texts.has(text)) return call.callee;
      const wanted = baseless(text);
      if ([...texts].some((t) => baseless(t) === wanted)) return call.callee;
      continue;
    }
    // a body we cannot see: only a whole compound statement (a loop, an if) replaced by one call
    // standing where it stood counts; a single assignment or a call in a new loop is a rewrite
    if (compound && !call.inLoop && call.line <= postFn.endLine) return call.callee;
  }
  return null;
}

/** A subject that says the commit moves or renames code (`hw: move target-independent files to subdirectories`). */
const MOVES = /^(?:[\w./,+-]+(?:\s[\w./,+-]+)?:\s*)*(?:move|moving|rename|renaming)\b/i;

/**
 * Is `file` added whole by a commit that says it moves or renames code? Its old self is in a file the diff does not
 * show (a path a pathspec or a filtered history leaves out; git pairs the two only when both are in the diff), so
 * nothing in it is new: the rules, which judge what a commit introduces, have no pre-image to judge it against.
 */
export function movedInWhole(subject: string, file: { diff: { status: string; hunks: readonly { lines: readonly { kind: string }[] }[] } }): boolean {
  if (!MOVES.test(subject.trim()) || file.diff.status !== 'added') return false;
  // (only added lines: a file the commit writes from nothing)
  return file.diff.hunks.every((h) => h.lines.every((l) => l.kind === '+'));
}
