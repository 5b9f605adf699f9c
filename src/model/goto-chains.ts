/**
 * Where control goes after a label, read off the exits of one function:
 * the shape of C's shared exits. `err: undo(); goto done;` placed after the
 * function's `return` jumps back to `done:`, the single exit that releases
 * what the function holds; that backward jump is not a loop, and an exit
 * that goes to `err:` is released at `done:`.
 */
import type { CExit, CFunction } from '../cmodel/types.js';

/** The first exit that always leaves the code after `line` (not under any condition), if any. */
function nextUnconditionalExit(fn: CFunction, line: number): CExit | undefined {
  let first: CExit | undefined;
  for (const e of fn.exits) {
    if (e.line <= line || e.guards.length > 0 || e.inLoop) continue;
    if (e.kind !== 'return' && e.kind !== 'goto') continue;
    if (!first || e.line < first.line) first = e;
  }
  return first;
}

/**
 * The lines control runs from `label` on, as ranges: from the label to the
 * first exit that always leaves, then on from the label that exit jumps to,
 * and so on (each label once). Code after an unconditional `return` is not
 * reached by falling through.
 */
export function reachedFromLabel(fn: CFunction, labelLine: number): { from: number; to: number }[] {
  const ranges: { from: number; to: number }[] = [];
  const seen = new Set<number>();
  let at: number | undefined = labelLine;
  while (at !== undefined && !seen.has(at)) {
    seen.add(at);
    const exit = nextUnconditionalExit(fn, at);
    ranges.push({ from: at, to: exit ? exit.line : fn.endLine });
    at = exit?.kind === 'goto' ? exit.labelLine : undefined;
  }
  return ranges;
}

/**
 * A backward `goto` forms a loop only when falling through from its label
 * can come back to it: false when an unconditional exit between the label
 * and the jump always leaves first (a shared exit's tail jumping back to it)
 * and no jump on the way leads past that exit.
 */
export function jumpCanLoop(fn: CFunction, jump: CExit): boolean {
  if (jump.labelLine === undefined || jump.labelLine >= jump.line) return false;
  const labelLine = jump.labelLine;
  const exit = nextUnconditionalExit(fn, labelLine);
  if (!exit || exit.line >= jump.line) return true;
  if (exit.kind === 'goto' && exit.labelLine !== undefined && exit.labelLine > labelLine && exit.labelLine <= jump.line) return true;
  // a jump between the label and that exit to code past it (towards the jump) can still come back
  return fn.exits.some(
    (e) => e.kind === 'goto' && e.line > labelLine && e.line < exit.line && e.labelLine !== undefined && e.labelLine > exit.line && e.labelLine <= jump.line,
  );
}
