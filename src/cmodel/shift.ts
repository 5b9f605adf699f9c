/**
 * Copies of model data with every line number moved by `delta`: the model
 * of an item that lines were inserted or deleted above. Objects the model
 * shares (a condition that is also a guard's, a call that is also a gate's)
 * stay shared in the copy. Written out field by field, as this runs for
 * every function below an edit on every commit of a range; the incremental
 * modelling test compares the result with models built from scratch, so a
 * line field added to types.ts and not moved here fails it.
 */
import type { CAssignment, CCall, CCondition, CExit, CFunction, CGate, CGuard, CInitializer } from './types.js';

class Shifter {
  private readonly conditions = new Map<CCondition, CCondition>();
  private readonly calls = new Map<CCall, CCall>();
  private readonly guardLists = new Map<readonly CGuard[], CGuard[]>();

  constructor(private readonly delta: number) {}

  condition(c: CCondition): CCondition {
    let out = this.conditions.get(c);
    if (!out) {
      const d = this.delta;
      out = { ...c, line: c.line + d, endLine: c.endLine + d, stmtLine: c.stmtLine + d, stmtEndLine: c.stmtEndLine + d };
      this.conditions.set(c, out);
    }
    return out;
  }

  guards(list: readonly CGuard[]): CGuard[] {
    if (list.length === 0) return list as CGuard[];
    // guard lists are shared between the calls and exits of one block
    let out = this.guardLists.get(list);
    if (!out) {
      out = list.map((g) => ({ ...g, condition: this.condition(g.condition) }));
      this.guardLists.set(list, out);
    }
    return out;
  }

  call(c: CCall): CCall {
    let out = this.calls.get(c);
    if (!out) {
      out = { ...c, line: c.line + this.delta, endLine: c.endLine + this.delta, guards: this.guards(c.guards) };
      if (c.loopBodyEnd !== undefined) out.loopBodyEnd = c.loopBodyEnd + this.delta;
      if (c.resultScopeEnd !== undefined) out.resultScopeEnd = c.resultScopeEnd + this.delta;
      this.calls.set(c, out);
    }
    return out;
  }

  exit(e: CExit): CExit {
    const out: CExit = { ...e, line: e.line + this.delta, guards: this.guards(e.guards) };
    if (e.labelLine !== undefined) out.labelLine = e.labelLine + this.delta;
    if (e.loopEnd !== undefined) out.loopEnd = e.loopEnd + this.delta;
    if (e.switchEnd !== undefined) out.switchEnd = e.switchEnd + this.delta;
    if (e.loopStart !== undefined) out.loopStart = e.loopStart + this.delta;
    return out;
  }

  assignment(a: CAssignment): CAssignment {
    return { ...a, line: a.line + this.delta, guards: this.guards(a.guards) };
  }

  gate(g: CGate): CGate {
    return {
      ...g,
      declLine: g.declLine + this.delta,
      assignments: g.assignments.map((a) => this.assignment(a)),
      gatedCalls: g.gatedCalls.map((c) => this.call(c)),
    };
  }

  fn(f: CFunction): CFunction {
    const d = this.delta;
    return {
      ...f,
      startLine: f.startLine + d,
      endLine: f.endLine + d,
      bodyStartLine: f.bodyStartLine + d,
      conditions: f.conditions.map((c) => this.condition(c)),
      calls: f.calls.map((c) => this.call(c)),
      exits: f.exits.map((e) => this.exit(e)),
      gates: f.gates.map((g) => this.gate(g)),
      labels: f.labels.map((l) => ({ ...l, line: l.line + d })),
      statements: f.statements.map((s) => ({ ...s, line: s.line + d, endLine: s.endLine + d })),
      stores: f.stores.map((s) => ({ ...s, line: s.line + d, guards: this.guards(s.guards) })),
      ...(f.assignments !== undefined ? { assignments: f.assignments.map((a) => this.assignment(a)) } : {}),
      ...(f.paramAliases !== undefined ? { paramAliases: f.paramAliases.map((a) => ({ ...a, line: a.line + d })) } : {}),
    };
  }

  initializer(i: CInitializer): CInitializer {
    const d = this.delta;
    return { ...i, line: i.line + d, fields: i.fields.map((f) => ({ ...f, line: f.line + d })) };
  }
}

/** A moved function: the function it was walked as, and how far it has moved since. */
const origins = new WeakMap<CFunction, { base: CFunction; delta: number }>();

/** The function `f` was walked as (itself unless it is a moved copy): same calls, other lines. */
export function walkedFunction(f: CFunction): CFunction {
  return origins.get(f)?.base ?? f;
}

/**
 * `f` moved `delta` lines. Its own lines move at once (line lookups need
 * them); its calls, exits, conditions and the rest are copied on first use:
 * most functions below an edit are never looked into before the next
 * commit moves them again. A function moved many times is copied from the
 * one that was walked, never through a chain of moves.
 */
export function movedFunction(f: CFunction, delta: number): CFunction {
  const origin = origins.get(f);
  const base = origin ? origin.base : f;
  const total = (origin ? origin.delta : 0) + delta;
  if (total === 0) return base;
  let full: CFunction | null = null;
  const inner = (): CFunction => (full ??= new Shifter(total).fn(base));
  const moved: CFunction = {
    name: base.name,
    startLine: base.startLine + total,
    endLine: base.endLine + total,
    bodyStartLine: base.bodyStartLine + total,
    isStatic: base.isStatic,
    hasErrors: base.hasErrors,
    get calls() {
      return inner().calls;
    },
    get exits() {
      return inner().exits;
    },
    get conditions() {
      return inner().conditions;
    },
    get gates() {
      return inner().gates;
    },
    get labels() {
      return inner().labels;
    },
    get statements() {
      return inner().statements;
    },
    get stores() {
      return inner().stores;
    },
    get assignments() {
      return inner().assignments;
    },
  };
  if (base.params !== undefined) moved.params = base.params;
  if (base.paramAliases !== undefined) moved.paramAliases = base.paramAliases.map((a) => ({ ...a, line: a.line + total }));
  if (base.errorLocals !== undefined) moved.errorLocals = base.errorLocals;
  if (base.errorParams !== undefined) moved.errorParams = base.errorParams;
  if (base.reports !== undefined) moved.reports = base.reports;
  origins.set(moved, { base, delta: total });
  return moved;
}

/**
 * `f` with its calls, conditions and the rest copied out (as a rule reading
 * them gets them), without keeping the copy in `f`: for writing a model out.
 */
export function materializedFunction(f: CFunction): CFunction {
  const origin = origins.get(f);
  return origin ? new Shifter(origin.delta).fn(origin.base) : f;
}

/** The functions and initializers of an item, moved `delta` lines. */
export function shiftItem(
  functions: readonly CFunction[],
  initializers: readonly CInitializer[],
  delta: number,
): { functions: CFunction[]; initializers: CInitializer[] } {
  const s = new Shifter(delta);
  return { functions: functions.map((f) => movedFunction(f, delta)), initializers: initializers.map((i) => s.initializer(i)) };
}
