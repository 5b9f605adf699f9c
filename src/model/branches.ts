/**
 * Two-branch ifs whose branches are the two sides of a pair:
 * `if (perm & IOMMU_RW) { ...dma_map... } else { ...dma_unmap... }`,
 * `if (started) { ...init... } else { ...uninit... }`.
 */
import type { CCall, CCondition, CExit, CFunction, CGuard } from '../cmodel/types.js';

export interface Branches {
  condition: CCondition;
  /** calls and exits in the then-branch (guard not negated) */
  then: { calls: CCall[]; exits: CExit[] };
  /** calls and exits in the else-branch */
  else: { calls: CCall[]; exits: CExit[] };
}

function sameCondition(a: CCondition, b: CCondition): boolean {
  return a.line === b.line && a.stmtLine === b.stmtLine && a.normalized === b.normalized;
}

function branchOf(guards: readonly CGuard[], cond: CCondition): 'then' | 'else' | null {
  const g = guards.find((x) => sameCondition(x.condition, cond));
  if (!g) return null;
  return g.negated ? 'else' : 'then';
}

/** Every if with calls in both branches. */
export function twoBranchIfs(fn: CFunction): Branches[] {
  const out: Branches[] = [];
  for (const cond of fn.conditions) {
    if (cond.kind !== 'if') continue;
    const b: Branches = { condition: cond, then: { calls: [], exits: [] }, else: { calls: [], exits: [] } };
    for (const call of fn.calls) {
      const side = branchOf(call.guards, cond);
      if (side) b[side].calls.push(call);
    }
    for (const exit of fn.exits) {
      const side = branchOf(exit.guards, cond);
      if (side) b[side].exits.push(exit);
    }
    if (b.then.calls.length > 0 && b.else.calls.length > 0) out.push(b);
  }
  return out;
}

/** Does any guard of a call or exit in this branch (below the branch condition) mention one of `names`? */
export function branchTests(branch: { calls: CCall[]; exits: CExit[] }, names: readonly string[], cond: CCondition): boolean {
  const items = [...branch.calls, ...branch.exits];
  for (const item of items) {
    for (const g of item.guards) {
      if (sameCondition(g.condition, cond)) continue;
      if (names.some((n) => g.condition.callees.includes(n) || g.condition.names.includes(n))) return true;
    }
  }
  return branch.calls.some((c) => names.includes(c.callee));
}

/**
 * Words of a parameter that says which side of a pair its caller wants (`bool enable`, `bool assign`, `int on`,
 * `bool started`): a function that tests it alone and does something in both branches holds both sides, whatever
 * the calls in them are named (`fx_set_handlers(..., handlers)` in one, `(..., NULL)` in the other).
 */
const SIDE_WORDS = new Set([
  'enable', 'enabled', 'assign', 'add', 'start', 'started', 'on', 'map', 'attach', 'connect', 'connected', 'plug',
  'register', 'active', 'activate', 'running', 'set', 'install', 'open', 'grab', 'insert', 'up',
]);

/** Is the branch condition one parameter of `fn` alone (or its negation) whose name says which side is wanted? */
export function sideParameter(fn: CFunction, cond: CCondition): string | null {
  const m = /^!?\s*(\w+)$/.exec(cond.normalized);
  if (!m) return null;
  const name = m[1] as string;
  if (!(fn.params ?? []).includes(name)) return null;
  return name.toLowerCase().split('_').some((w) => SIDE_WORDS.has(w)) ? name : null;
}
