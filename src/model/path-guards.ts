/**
 * The conditions a call runs under, from its side's root: the `if` guards of
 * each call on the way (root → helper → ... → the call), and the case of a
 * switch the call itself stands in (not the default). Loops say how often, not whether;
 * NULL tests of the call's own object and failure checks say the object is
 * there, not which objects a side handles: neither counts.
 */
import type { CCall, CExit, CFunction, CGuard } from '../cmodel/types.js';
import type { Program } from './program.js';
import type { CallSite } from './reach.js';
import { escapeRegExp } from '../regex-escape.js';

/** `p == NULL`, `p != NULL`: whether the object is there. */
const NULL_COMPARISON = /(==|!=)\s*NULL\b|\bNULL\s*(==|!=)/;
/** Variables that hold a failure: a test of them is an error path. */
const ERROR_VARS = new Set(['ret', 'rc', 'r', 'err', 'error', 'local_err', 'errp']);

/** The operands a condition compares with NULL (`s->rom_path` of `s->rom_path != NULL && x`). */
function nullTested(normalized: string): string[] {
  const out: string[] = [];
  for (const m of normalized.matchAll(/([\w>.-]+)\s*(?:==|!=)\s*NULL\b|\bNULL\s*(?:==|!=)\s*([\w>.-]+)/g)) out.push((m[1] ?? m[2] ?? '').replace(/\s+/g, ''));
  return out;
}

/**
 * Does the guard decide which objects the side handles? A NULL test decides only when what it tests is not what
 * `call` takes: `if (s->timer != NULL) timer_del(s->timer)` asks whether the object is there, `if (s->rom_path !=
 * NULL)` around the add of `&s->rom` asks whether the device has one, a property.
 */
function decides(g: CGuard, call?: CCall, atSite = false): boolean {
  const c = g.condition;
  // (a case of a switch, not the default, decides too, in the function that makes the call: `case FX_EVT_PCI:`
  // runs for that value only; on the way there a switch is a dispatcher, an event callback's `case OPENED:`, and
  // the function it calls may be reached another way too)
  if (c.kind === 'switch') return atSite && (g.caseValues?.length ?? 0) > 0 && !(g.caseValues ?? []).includes('default');
  if (c.kind !== 'if' && c.kind !== 'ternary') return false;
  if (NULL_COMPARISON.test(c.normalized)) {
    const tested = nullTested(c.normalized);
    const args = (call?.args ?? []).map((a) => a.replace(/\s+/g, '').replace(/^&/, ''));
    const takes = (t: string) => args.some((a) => a === t || a.startsWith(`${t}->`) || a.startsWith(`${t}.`) || new RegExp(`\\(${escapeRegExp(t)}\\)$`).test(a));
    if (call === undefined || tested.length === 0 || tested.some(takes)) return false;
  }
  return !(c.names.length > 0 && c.names.every((n) => ERROR_VARS.has(n)));
}

export function pathGuards(program: Program, site: CallSite): CGuard[] {
  const out: CGuard[] = [];
  for (let i = 0; i + 1 < site.via.length; i++) {
    const caller = program.lookup(site.via[i] as string, site.path);
    const next = site.via[i + 1] as string;
    const call = caller?.fn.calls.find((c) => c.callee === next || c.args.includes(next));
    if (call) out.push(...call.guards.filter((g) => decides(g, call)));
  }
  out.push(...site.call.guards.filter((g) => decides(g, site.call, true)));
  return out;
}

/**
 * The early exits a call runs after, from its side's root: `if (cond) return;`
 * before the call (not around it) in each function on the way. The call runs
 * only when each such condition did not hold, so the side does test it, as
 * much as an `if` around the call would (the same filter: not a NULL test,
 * not a failure check). `keep` picks the exits that count (an error exit
 * leaves a side that never completed, which its other side never meets).
 */
export function exitGuards(program: Program, site: CallSite, keep: (fn: CFunction, exit: CExit, guard: CGuard) => boolean = () => true): CGuard[] {
  const out: CGuard[] = [];
  const steps: { fn: CFunction; call: CCall }[] = [];
  for (let i = 0; i + 1 < site.via.length; i++) {
    const caller = program.lookup(site.via[i] as string, site.path);
    const next = site.via[i + 1] as string;
    const call = caller?.fn.calls.find((c) => c.callee === next || c.args.includes(next));
    if (caller && call) steps.push({ fn: caller.fn, call });
  }
  steps.push({ fn: site.fn, call: site.call });
  for (const { fn, call } of steps) {
    for (const exit of fn.exits) {
      // (a `continue` before the call in the loop the call is in skips it on that pass as a return would)
      const skipsPass = exit.kind === 'continue' && exit.inLoop && call.inLoop;
      if ((!skipsPass && (exit.kind !== 'return' || exit.inLoop)) || exit.line >= call.line) continue;
      const own = exit.guards[exit.guards.length - 1];
      if (!own || own.condition.stmtEndLine >= call.line) continue;
      // on the call's way: the exit's outer conditions are the call's too
      const outer = exit.guards.slice(0, -1);
      if (!outer.every((g) => call.guards.some((c) => c.condition === g.condition && c.negated === g.negated))) continue;
      if (decides(own, call) && keep(fn, exit, own)) out.push(own);
    }
  }
  return out;
}
