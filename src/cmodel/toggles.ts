/**
 * Toggle calls: one function that turns a state on with a boolean literal
 * and off with its opposite (`fx_dirty_log_change(FX_LOG, true)` ...
 * `fx_dirty_log_change(FX_LOG, false)`, `fx_discard_require(true)`). The
 * two calls are a pair no name shows, so the model names each side apart:
 * the callee gets the literal, its place and the argument count
 * (`fx_dirty_log_change__true_1_2`), and the literal leaves the arguments,
 * which keep only what the call acts on. Everything that pairs calls by
 * name (morphology, usage evidence, the rules) then sees an acquire
 * (`true`) and its release (`false`); what needs the real call (a helper's
 * definition, a fix's text, a message) reads it back from the name.
 */

import { handlerOf, isHandlerSetter } from './handlers.js';

/** What a toggle's name says of its call. */
export interface Toggle {
  /** a boolean literal switches it (`f__true_1_2`), or callbacks handed or NULL (`f__fn_4`, handlers.ts) */
  kind: 'literal' | 'handler';
  /** the function called */
  base: string;
  /** the literal: true turns the state on (the acquire), false off (the release) */
  on: boolean;
  /** where the literal stands among the arguments (0-based); -1 for a handler switch, whose arguments stay whole */
  index: number;
  /** how many arguments the call has, the literal included */
  arity: number;
}

const TOGGLE_NAME = /^([A-Za-z_](?:\w|->|\.)*?)__(true|false)_(\d+)_(\d+)$/;

/**
 * Words of a name that says it switches a state (`fx_set_enabled`,
 * `fx_log_change`, `fx_discard_require`). A literal handed to any other
 * function is an option, not a switch: `fx_opt_get_bool(o, "x", true)` is a
 * default, `fx_init_chip(s, io, true)` says which chip, `fx_free_xfer(s, x,
 * false)` which direction.
 */
const SWITCH_WORDS = new Set([
  'set', 'enable', 'enabled', 'disable', 'disabled', 'change', 'require', 'required', 'block', 'blocked', 'switch',
  'toggle', 'mod', 'update', 'use', 'used', 'mark', 'log', 'allow', 'inhibit', 'mask', 'pause', 'suspend', 'hold',
]);

/**
 * The name and arguments a call is modelled with: a plain function called
 * with exactly one `true` or `false` among its arguments is a toggle; any
 * other call keeps its callee and arguments; so is a slot of a class or ops
 * table (`k->set_guest_notifiers(qbus->parent, n, true)`). Macros (all
 * capitals) are not toggled: they declare or assert, they do not switch state.
 */
export function toggleCall(callee: string, args: readonly string[]): { callee: string; args: string[] } | null {
  // a function, or a slot of a class or ops table (`k->set_guest_notifiers(qbus->parent, n, true)`)
  const name = callee.replace(/\s+/g, '');
  if (!/^[A-Za-z_]\w*(?:(?:->|\.)[A-Za-z_]\w*)*$/.test(name) || /^[A-Z][A-Z0-9_]*$/.test(name)) return null;
  const last = name.split(/->|\./).at(-1) as string;
  if (!last.toLowerCase().split('_').some((w) => SWITCH_WORDS.has(w))) return null;
  // a setter of callbacks is switched by its callbacks, named once the file is read (handlers.ts)
  if (isHandlerSetter(name)) return null;
  let index = -1;
  for (let i = 0; i < args.length; i++) {
    const a = (args[i] as string).trim();
    if (a !== 'true' && a !== 'false') continue;
    // two literals (`fx_set(vq, true, true)`): which one is the switch is a guess
    if (index >= 0) return null;
    index = i;
  }
  if (index < 0) return null;
  const on = (args[index] as string).trim() === 'true';
  return { callee: `${name}__${on}_${index}_${args.length}`, args: args.filter((_, i) => i !== index) };
}

/** The toggle a modelled callee name stands for, or null for any other name. */
export function toggleOf(name: string): Toggle | null {
  const m = TOGGLE_NAME.exec(name);
  if (!m) {
    const h = handlerOf(name);
    return h ? { kind: 'handler', base: h.base, on: h.on, index: -1, arity: h.arity } : null;
  }
  const index = Number(m[3]);
  const arity = Number(m[4]);
  if (index >= arity) return null;
  return { kind: 'literal', base: m[1] as string, on: m[2] === 'true', index, arity };
}

/** The function a modelled callee calls: a toggle's base, any other name itself. */
export function calleeBase(name: string): string {
  return toggleOf(name)?.base ?? name;
}

/** The other side of a toggle (`f__true_1_2` ↔ `f__false_1_2`), or null for a name that is none. */
export function flippedToggle(name: string): string | null {
  const t = toggleOf(name);
  if (!t) return null;
  if (t.kind === 'handler') return `${t.base}__${t.on ? 'null' : 'fn'}_${t.arity}`;
  return `${t.base}__${!t.on}_${t.index}_${t.arity}`;
}

/**
 * A modelled callee as a reader writes it, for messages: a toggle as its
 * call with the literal in place and the other arguments elided
 * (`fx_change(…, false)`), any other name unchanged.
 */
export function displayCallee(name: string): string {
  const t = toggleOf(name);
  if (!t) return name;
  if (t.kind === 'handler') return `${t.base}(${t.on ? '…' : '…, NULL'})`;
  return callSource(name, Array.from({ length: t.arity - 1 }, () => '…'));
}

/** Every toggle name in a text (a rendered message) as a reader writes it; a following `()` is the call's own. */
export function displayToggles(text: string): string {
  if (!text.includes('__')) return text;
  return text.replace(/\b([A-Za-z_]\w*?__(?:(?:true|false)_\d+_\d+|(?:fn|null)_\d+))\b(\(\))?/g, (whole, name: string) => (toggleOf(name) ? displayCallee(name) : whole));
}

/** A modelled call as the C text spells it (`fx_log_change(FX_LOG, false)` for a toggle), arguments joined by `sep`. */
export function callSource(callee: string, args: readonly string[], sep = ', '): string {
  const t = toggleOf(callee);
  if (!t) return `${callee}(${args.join(sep)})`;
  if (t.kind === 'handler') return `${t.base}(${args.join(sep)})`;
  const all = [...args];
  all.splice(t.index, 0, String(t.on));
  return `${t.base}(${all.join(sep)})`;
}
