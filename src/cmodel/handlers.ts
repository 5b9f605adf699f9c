/**
 * Handler switches: one setter that installs callbacks when handed a
 * function of the file and takes them away when handed NULL in their place
 * (`fx_set_fd_handler(fd, fx_read, NULL, s)` ...
 * `fx_set_fd_handler(fd, NULL, NULL, NULL)`, `fx_notifier_set_handler(&e,
 * fx_event)` ... `(&e, NULL)`). Like a toggle (toggles.ts) the two calls are
 * a pair no name shows, and a handler left installed on state that is gone
 * is the classic use after free of an event loop. So the model names each
 * side apart: `fx_set_fd_handler__fn_4` installs, `fx_set_fd_handler__null_4`
 * takes away (the number is the argument count). Unlike a toggle the
 * arguments stay whole: which of them are callbacks differs from call to
 * call (a write handler alone, a read handler alone), and a message shows
 * the call as written.
 *
 * Only what the file shows is read: an argument names a function when the
 * file defines one of that name, which is where QEMU keeps the callbacks it
 * installs. A call handed its callbacks through variables says neither and
 * keeps its plain name.
 */
import type { CCall, CFunction } from './types.js';

/** Words of a setter's name that say it installs callbacks. */
const CALLBACK_WORDS = new Set(['handler', 'handlers', 'notifier', 'callback', 'callbacks', 'cb', 'hook', 'hooks']);

/**
 * Is the function one that installs callbacks and takes them away by the
 * same name: a `set` name about handlers (`fx_set_fd_handler`,
 * `fx_chr_set_handlers`, `fx_ctx_set_event_notifier`). Adders and
 * registrars (`fx_add_change_handler`) return what their own remover takes:
 * their names already pair.
 */
export function isHandlerSetter(callee: string): boolean {
  const name = callee.replace(/\s+/g, '');
  if (!/^[A-Za-z_]\w*$/.test(name) || /^[A-Z][A-Z0-9_]*$/.test(name)) return false;
  const words = name.toLowerCase().split('_');
  return words.includes('set') && words.some((w) => CALLBACK_WORDS.has(w));
}

const HANDLER_NAME = /^([A-Za-z_]\w*?)__(fn|null)_(\d+)$/;

/** What a handler switch's modelled name says: the setter, whether it installs, and its argument count. */
export function handlerOf(name: string): { base: string; on: boolean; arity: number } | null {
  const m = HANDLER_NAME.exec(name);
  return m ? { base: m[1] as string, on: m[2] === 'fn', arity: Number(m[3]) } : null;
}

const NOTHING = /^(NULL|\(\s*\w+\s*\*?\s*\)\s*NULL|0)$/;
/** What a call that clears may hand after its first NULL: NULLs, and flags (`true`, `0`, `G_PRIORITY_DEFAULT`). */
const LITERAL = /^(NULL|\(\s*\w+\s*\*?\s*\)\s*NULL|true|false|-?\d+|[A-Z][A-Z0-9_]*)$/;

/** The function an argument names, as written (`fx_read`, `&fx_read`, `(IOHandler *)fx_read`), or null. */
function namedFunction(arg: string): string | null {
  const m = /^(?:\(\s*\w+\s*\*?\s*\)\s*)?&?\s*([A-Za-z_]\w*)$/.exec(arg.trim());
  return m ? (m[1] as string) : null;
}

/** How a call of a handler setter reads on its own: installing (with the positions of its callbacks), clearing, or either. */
type Reading = { side: 'fn'; at: number[] } | { side: 'null' } | { side: 'unsure'; nulls: number[] };

/**
 * Read one call of a handler setter: installing when one of its arguments
 * (or an arm of a `?:` choice in one) is a function the file defines, or
 * when none is NULL (`fx_set_irq_notifier(id, &s->notifier)`); clearing
 * when the arguments from the first NULL on are all NULL or literals
 * (`fx_set_fd_handler(fd, NULL, NULL, NULL)`, `fx_chr_set_handlers(&s->chr,
 * NULL, NULL, NULL, true)`); else unsure (`(fd, NULL, NULL, s)` keeps its
 * opaque, `(fd, cb, NULL, s)` installs a callback it was handed).
 */
function readCall(args: readonly string[], fileFunctions: ReadonlySet<string>): Reading {
  const names = (arg: string) => arg.split(/[?:]/).map((a) => namedFunction(a.replace(/^\(|\)$/g, '')));
  const at = args.flatMap((a, i) => (names(a).some((n) => n !== null && fileFunctions.has(n)) ? [i] : []));
  if (at.length > 0) return { side: 'fn', at };
  const first = args.findIndex((a) => NOTHING.test(a.trim()));
  if (first < 0) return { side: 'fn', at: [] };
  if (first > 0 && args.slice(first).every((a) => LITERAL.test(a.trim()))) return { side: 'null' };
  return { side: 'unsure', nulls: args.flatMap((a, i) => (NOTHING.test(a.trim()) ? [i] : [])) };
}

/**
 * Does `clear` take away what `install` puts in place: the same arguments, but NULL where `install` has something
 * (`(fd, NULL, NULL, s)` against `(fd, cb, NULL, s)`)?
 */
function undoes(clear: readonly string[], install: readonly string[]): boolean {
  if (clear.length !== install.length) return false;
  let cleared = false;
  for (let i = 0; i < clear.length; i++) {
    const c = (clear[i] as string).replace(/\s+/g, '');
    const v = (install[i] as string).replace(/\s+/g, '');
    if (NOTHING.test(c)) cleared ||= !NOTHING.test(v);
    else if (c !== v) return false;
  }
  return cleared;
}

/**
 * Name the handler switches of a file's functions by side (in place):
 * `__fn_N` installs, `__null_N` clears. An unsure call clears when it has
 * NULL where an install of the same setter in the file puts a function of
 * it, or where another of its calls on the same arguments puts something
 * (`(fd, NULL, NULL, s)` against `(fd, fx_read, NULL, s)` or `(fd, cb,
 * NULL, s)`); that other call then installs. Run once the whole file is
 * read: a callback is often defined below its installer.
 */
export function nameHandlerSwitches(functions: readonly CFunction[]): void {
  const defined = new Set<string>();
  for (const f of functions) if (f.name) defined.add(f.name);
  const unsure: { call: CCall; nulls: number[]; key: string }[] = [];
  // per setter and argument count: the positions where the file's installs put its functions, and every call
  const installedAt = new Map<string, Set<number>>();
  const calls = new Map<string, CCall[]>();
  for (const f of functions) {
    for (const c of f.calls) {
      // items the edit left alone are shared with the image before: named already
      if (handlerOf(c.callee) || !isHandlerSetter(c.callee) || c.args.length < 2) continue;
      const key = `${c.callee.replace(/\s+/g, '')}_${c.args.length}`;
      const list = calls.get(key) ?? [];
      list.push(c);
      calls.set(key, list);
      const r = readCall(c.args, defined);
      if (r.side === 'unsure') {
        unsure.push({ call: c, nulls: r.nulls, key });
        continue;
      }
      if (r.side === 'fn') {
        const set = installedAt.get(key) ?? new Set<number>();
        for (const i of r.at) set.add(i);
        installedAt.set(key, set);
      }
      c.callee = `${c.callee.replace(/\s+/g, '')}__${r.side}_${c.args.length}`;
    }
  }
  const sides = new Map<CCall, 'fn' | 'null'>();
  for (const { call, nulls, key } of unsure) {
    const install = installedAt.get(key);
    const others = (calls.get(key) ?? []).filter((o) => o !== call);
    if ((install && nulls.some((i) => install.has(i))) || others.some((o) => undoes(call.args, o.args))) sides.set(call, 'null');
    else if (others.some((o) => undoes(o.args, call.args))) sides.set(call, 'fn');
  }
  for (const [call, side] of sides) call.callee = `${call.callee.replace(/\s+/g, '')}__${side}_${call.args.length}`;
}

/** Is an argument of a handler's off call a NULL or 0 (a position it clears, not the object it acts on)? */
export function clearsPosition(arg: string): boolean {
  return NOTHING.test(arg.trim()) || arg.trim() === 'false';
}
