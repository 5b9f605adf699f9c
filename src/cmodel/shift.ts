/**
 * Copies of model data with every line number moved by `delta`: the model
 * of an item that lines were inserted or deleted above. Objects the model
 * shares (a condition that is also a call's guard, a call that is also a
 * gate's) stay shared in the copy.
 */

/** The model's line-number fields (see types.ts). */
const LINE_KEYS = new Set(['line', 'endLine', 'startLine', 'bodyStartLine', 'stmtLine', 'stmtEndLine', 'declLine', 'labelLine']);

function shiftValue(value: unknown, delta: number, memo: Map<object, unknown>): unknown {
  if (value === null || typeof value !== 'object') return value;
  const done = memo.get(value);
  if (done !== undefined) return done;
  if (Array.isArray(value)) {
    const out: unknown[] = new Array(value.length);
    memo.set(value, out);
    for (let i = 0; i < value.length; i++) out[i] = shiftValue(value[i], delta, memo);
    return out;
  }
  const out: Record<string, unknown> = {};
  memo.set(value, out);
  for (const key of Object.keys(value)) {
    const v = (value as Record<string, unknown>)[key];
    out[key] = typeof v === 'number' && LINE_KEYS.has(key) ? v + delta : shiftValue(v, delta, memo);
  }
  return out;
}

export function shiftLines<T>(value: T, delta: number, memo = new Map<object, unknown>()): T {
  return shiftValue(value, delta, memo) as T;
}
