/**
 * The per-path balance of one function: for each exit (a return, a goto to a
 * label, a break out of a loop, the fall-through at the end), the acquires made on the way to it and
 * whether each is released on that path (before the exit, or after the label
 * a goto jumps to), keyed by object, with the conditions under which the
 * exit is taken. Built from the C model only: a call is on the path to an
 * exit when the exit runs only after it (every condition guarding the call
 * also guards the exit) and comes after it.
 */
import type { CCall, CCondition, CExit, CFunction, CGuard } from '../cmodel/types.js';
import type { PrimitiveMatch } from '../pairs/table.js';
import { guardsCover, sameCases } from './skips.js';
import { objectOf } from './objects.js';
import { reachedFromLabel } from './goto-chains.js';

export interface PathAcquire {
  call: CCall;
  match: PrimitiveMatch;
  /** the object it works on (its field chain, else its first argument, else its stored value), for keys and messages */
  object: string;
  /** later calls in the function that release the same object */
  releases: CCall[];
}

export interface ExitPath {
  exit: CExit | null;
  /** the exit's line; for the fall-through, the function's last line */
  line: number;
  /** the conditions under which it is taken, outermost first */
  when: readonly CGuard[];
  /** acquires on the way to this exit */
  acquired: PathAcquire[];
  /** of those, the ones no release on this path undoes */
  held: PathAcquire[];
}

export interface FunctionPaths {
  fn: CFunction;
  acquires: PathAcquire[];
  exits: ExitPath[];
}

/** The object of an acquire, as text. */
export function objectKey(call: CCall): string {
  const chain = objectOf(call);
  if (chain) return chain.join('.');
  if (call.result !== undefined) return call.result.replace(/\s+/g, '');
  return (call.args[0] ?? '').replace(/\s+/g, '');
}

/** Is `call` on every path to `exit` (the exit is reached only after the call ran)? */
export function onPathTo(call: CCall, exit: CExit): boolean {
  return call.line < exit.line && guardsCover(storedGuards(call), exit.guards);
}

/**
 * The guards under which a call's value is stored: a call in an arm of a choice whose value is stored
 * (`file = name ? fopen(name, "rb") : NULL;`) stores on every path through the statement, the value being
 * nothing when the other arm is chosen; the choice's own test guards the call, not the store.
 */
function storedGuards(call: CCall): readonly CGuard[] {
  if (call.result === undefined) return call.guards;
  let end = call.guards.length;
  while (end > 0 && call.guards[end - 1]?.condition.kind === 'ternary') end--;
  return end === call.guards.length ? call.guards : call.guards.slice(0, end);
}

/**
 * Can `call` have run when `exit` is taken, on some path? It comes before the
 * exit, and each condition guarding it that does not also guard the exit is a
 * statement that closed before the exit (an `if` block or a loop body the
 * path may have gone through) whose block does not itself leave right after
 * the call (`if (x) { take(); return 0; }` holds nothing past the block).
 * `onPathTo` is the certain case; this is the possible one: a conditional
 * `take()` is still held on a later error exit when its condition was true.
 */
export function mayHoldAt(fn: CFunction, call: CCall, exit: CExit): boolean {
  if (call.line >= exit.line) return false;
  for (const g of call.guards) {
    const same = exit.guards.find((o) => o.condition === g.condition && o.negated === g.negated);
    // another case of the same switch: not on the way
    if (same && !sameCases(same, g)) return false;
    if (same) continue;
    // the exit is in another branch of the same statement, or inside it: not after the call's block
    if (g.condition.stmtEndLine >= exit.line) return false;
    const leavesBlock = fn.exits.some((e) => {
      const last = e.guards[e.guards.length - 1];
      return e.line > call.line && last !== undefined && last.condition === g.condition && last.negated === g.negated;
    });
    if (leavesBlock) return false;
  }
  return true;
}

/** Is the guard a test that the release's own plain argument holds something (`if (p)`, `p != NULL`, `fd >= 0`)? */
function testsOwnArgument(release: CCall, g: CGuard): boolean {
  if (g.negated || g.condition.kind !== 'if') return false;
  const test = g.condition.normalized.trim();
  return release.args.some((a) => {
    const v = a.trim();
    return /^\w+$/.test(v) && new RegExp(`^(${v}|${v}\\s*!=\\s*NULL|NULL\\s*!=\\s*${v}|${v}\\s*>=\\s*0)$`).test(test);
  });
}

/**
 * Is one of `releases` on the path that leaves by `exit`: before it, or after
 * the label a goto jumps to, or where that label's code jumps on to (`err:
 * ...; goto done;` after the return, `done:` releasing it), or after the loop
 * a break leaves?
 */
export function releasedOnPath(fn: CFunction, releases: readonly CCall[], exit: CExit): boolean {
  // (a test of the released value itself, `if (buf) { unmap(buf, ...); }`, holds whenever there is something to release)
  if (releases.some((r) => r.line < exit.line && guardsCover(r.guards.filter((g) => !testsOwnArgument(r, g)), exit.guards))) return true;
  // a break out of a loop (or a switch) goes on after it: whatever comes there may release it
  const after = exit.kind === 'break' ? (exit.loopEnd ?? exit.switchEnd) : undefined;
  if (after !== undefined) return releases.some((r) => r.line > after);
  // a continue goes on to the next pass: nothing after it in the body runs, and what comes after the loop
  // is too late for what this pass took (the next pass takes it again)
  if (exit.kind === 'continue') return false;
  if (exit.kind === 'goto' && exit.labelLine !== undefined) {
    const label = exit.labelLine;
    if (releases.some((r) => r.line > label)) return true;
    return reachedFromLabel(fn, label).some(({ from, to }) => releases.some((r) => r.line > from && r.line < to));
  }
  return false;
}

/** The loop whose pass a `continue` ends: its innermost guard that is a loop ending where the continue's body does. */
function passOf(exit: CExit): CCondition | null {
  for (let i = exit.guards.length - 1; i >= 0; i--) {
    const c = (exit.guards[i] as CGuard).condition;
    if ((c.kind === 'for' || c.kind === 'while') && c.stmtEndLine === exit.loopEnd) return c;
  }
  return null;
}

/**
 * Is `a` one of two fills of the same variable, one in each branch of an `if`/`else` (`if (!chr) { name =
 * g_strdup_printf(...); } else { name = g_strdup_printf(...); }`), with `exit` after that statement on the path
 * the two branches join? Then the variable holds what one of them made whichever branch ran.
 */
function joinedOnPath(acquires: readonly PathAcquire[], a: PathAcquire, exit: CExit): boolean {
  const value = a.call.result?.trim();
  const g = a.call.guards[a.call.guards.length - 1];
  if (value === undefined || !g || g.condition.kind !== 'if' || exit.line <= g.condition.stmtEndLine) return false;
  const outer = a.call.guards.slice(0, -1);
  if (!guardsCover(outer, exit.guards)) return false;
  return acquires.some((b) => {
    const h = b.call.guards[b.call.guards.length - 1];
    return (
      b !== a && b.call.result?.trim() === value && h !== undefined && h.condition === g.condition && h.negated !== g.negated &&
      b.call.guards.length === a.call.guards.length && guardsCover(b.call.guards.slice(0, -1), outer)
    );
  });
}

/**
 * The per-path balance of `fn`: `classify` says which calls are acquires (with
 * their pair), `releasesOf` which later calls release an acquire's object.
 */
export function functionPaths(
  fn: CFunction,
  classify: (call: CCall) => PrimitiveMatch | null,
  releasesOf: (acquire: CCall, match: PrimitiveMatch, later: readonly CCall[]) => CCall[],
): FunctionPaths {
  const acquires: PathAcquire[] = [];
  for (const call of fn.calls) {
    const match = classify(call);
    if (!match || match.role !== 'acquire') continue;
    const later = fn.calls.filter((c) => c.line > call.line);
    acquires.push({ call, match, object: objectKey(call), releases: releasesOf(call, match, later) });
  }
  const exits: ExitPath[] = [];
  for (const exit of fn.exits) {
    // a break out of a loop leaves the loop's body: a path of its own when nothing after the loop releases;
    // a continue ends a pass: a path for what that pass took in the body
    const pass = exit.kind === 'continue' && exit.loopEnd !== undefined ? passOf(exit) : null;
    // a loop with no condition (`for (;;)`, a FOREACH) guards nothing: its pass is told by its lines
    const start = exit.kind === 'continue' && !pass ? exit.loopStart : undefined;
    const breaksOut = exit.kind === 'break' && (exit.loopEnd !== undefined || exit.switchEnd !== undefined);
    if (exit.kind !== 'return' && exit.kind !== 'goto' && !breaksOut && !pass && start === undefined) continue;
    const inPass = (a: PathAcquire) =>
      pass ? a.call.guards.some((g) => g.condition === pass) : start !== undefined ? a.call.inLoop && a.call.line > start : true;
    const acquired = acquires.filter((a) => (onPathTo(a.call, exit) || joinedOnPath(acquires, a, exit)) && inPass(a));
    exits.push({ exit, line: exit.line, when: exit.guards, acquired, held: acquired.filter((a) => !releasedOnPath(fn, a.releases, exit)) });
  }
  const end = { kind: 'return', line: fn.endLine, guards: [], inLoop: false } as CExit;
  const acquired = acquires.filter((a) => a.call.guards.length === 0);
  exits.push({ exit: null, line: fn.endLine, when: [], acquired, held: acquired.filter((a) => !releasedOnPath(fn, a.releases, end)) });
  return { fn, acquires, exits };
}
