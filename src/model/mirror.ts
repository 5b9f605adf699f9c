/**
 * Is a skip mirrored on the other side? Only by the same predicate, on the
 * path to the matching release: a condition that guards the release call,
 * an exit taken before it, or a flag that gates it, in the release's
 * function or in any function on the chain from the side's root to it, that
 * tests every name the skip tests (the functions it calls, the fields it
 * reads, and the other distinctive names). A name the other side tests
 * elsewhere, for another purpose (an alignment check on the same kind of
 * region), mirrors nothing.
 */
import type { CCall, CCondition, CFunction } from '../cmodel/types.js';
import type { Program } from './program.js';
import type { CallSite } from './reach.js';
import { COMMON_NAMES } from './predicate.js';
import { conditionalExits, exitSkipsCall } from './skips.js';

/** What a skip's condition tests: the functions it calls, the fields it reads, its distinctive plain names. */
export function skipPredicateNames(condition: CCondition, fn: CFunction): string[] {
  const plain = new Set(condition.identifiers ?? []);
  const local = new Set([...fn.gates.map((g) => g.flag), ...(fn.params ?? [])]);
  const fields = condition.names.filter((n) => !plain.has(n) && !COMMON_NAMES.has(n) && !condition.callees.includes(n));
  const others = [...plain].filter((n) => !COMMON_NAMES.has(n) && !local.has(n) && !condition.callees.includes(n) && !/^[A-Z0-9_]+$/.test(n));
  return [...new Set([...condition.callees, ...fields, ...others])];
}

/** Conditions deciding whether `call` runs in `fn`: its guards, exits before it, flags gating it. */
function conditionsBefore(fn: CFunction, call: CCall): { condition: CCondition; values: string[] }[] {
  const out: { condition: CCondition; values: string[] }[] = [];
  for (const g of call.guards) out.push({ condition: g.condition, values: [] });
  for (const { exit, guard } of conditionalExits(fn)) {
    if (exitSkipsCall(exit, call)) out.push({ condition: guard.condition, values: [] });
  }
  for (const gate of fn.gates) {
    if (!gate.gatedCalls.some((c) => c.line === call.line)) continue;
    for (const a of gate.assignments) {
      // `if (p) { flag = false; }` skips under p; `flag = !p;` computes it from p; `if (p) { flag = aligned; }`
      // decides how, not whether: only the first two mirror
      const g = a.guards[a.guards.length - 1];
      if (g && FALSY.test(a.value.trim())) out.push({ condition: g.condition, values: [] });
      out.push({ condition: emptyCondition(), values: [a.value] });
    }
    if (gate.initValue) out.push({ condition: emptyCondition(), values: [gate.initValue] });
  }
  return out;
}

function emptyCondition(): CCondition {
  return { kind: 'if', text: '', normalized: '', names: [], callees: [], line: 0, endLine: 0, stmtLine: 0, stmtEndLine: 0 };
}

const FALSY = /^(false|0|NULL)$/;
const word = (text: string, w: string) => new RegExp(`(^|[^A-Za-z0-9_])${w}([^A-Za-z0-9_]|$)`).test(text);

/** Names a condition tests, with those of the program's functions it calls (a predicate helper, one level). */
function testedNames(program: Program, path: string, c: { condition: CCondition; values: string[] }): Set<string> {
  const names = new Set<string>([...c.condition.names, ...c.condition.callees]);
  for (const v of c.values) for (const m of v.matchAll(/[A-Za-z_]\w*/g)) names.add(m[0]);
  for (const callee of c.condition.callees) {
    const helper = program.lookup(callee, path);
    if (!helper) continue;
    for (const cond of helper.fn.conditions) for (const n of [...cond.names, ...cond.callees]) names.add(n);
    for (const exit of helper.fn.exits) if (exit.value) for (const m of exit.value.matchAll(/[A-Za-z_]\w*/g)) names.add(m[0]);
  }
  return names;
}

/** Does the path from the other side's root to `site` test every name in `names`, in one condition? */
export function mirroredOnPath(program: Program, site: CallSite, names: readonly string[]): boolean {
  if (names.length === 0) return true;
  const steps: { fn: CFunction; call: CCall; path: string }[] = [{ fn: site.fn, call: site.call, path: site.path }];
  for (let i = 0; i + 1 < site.via.length; i++) {
    const caller = program.lookup(site.via[i] as string, site.path);
    const next = site.via[i + 1] as string;
    const call = caller?.fn.calls.find((c) => c.callee === next || c.args.includes(next) || c.args.includes(`&${next}`));
    if (caller && call) steps.push({ fn: caller.fn, call, path: caller.path });
  }
  for (const step of steps) {
    for (const c of conditionsBefore(step.fn, step.call)) {
      const tested = testedNames(program, step.path, c);
      if (names.every((n) => tested.has(n) || c.values.some((v) => word(v, n)))) return true;
    }
  }
  return false;
}
