/**
 * Lists and loops in the balance model, for comparing what two sides do to the
 * same objects: which list head and link field an insert or a removal uses,
 * and which array an index loop walks with which bound.
 */
import type { CCall, CCondition, CFunction } from '../cmodel/types.js';
import { fieldChain } from './fields.js';

export interface ListOp {
  call: CCall;
  /** LIST, TAILQ, SIMPLEQ, SLIST */
  kind: string;
  /** the head's field chain (`&s->pending` → pending), null for QLIST_REMOVE (no head) */
  head: string | null;
  /** the element as written, whitespace-collapsed */
  elm: string;
  /** the link field */
  link: string;
}

const norm = (s: string | undefined) => (s ?? '').replace(/\s+/g, '');
const chainText = (s: string | undefined) => fieldChain(s)?.join('.') ?? null;

/** A QEMU list macro call as head, element and link (QLIST/QTAILQ/QSIMPLEQ/QSLIST insert and remove), or null. */
export function listOp(call: CCall): { op: 'insert' | 'remove'; list: ListOp } | null {
  const a = call.args;
  const kind = /^Q(LIST|TAILQ|SIMPLEQ|SLIST)_/.exec(call.callee)?.[1] ?? '';
  if (/^Q(LIST|TAILQ|SIMPLEQ|SLIST)_INSERT_(HEAD|TAIL)$/.test(call.callee) && a.length >= 3) {
    return { op: 'insert', list: { call, kind, head: chainText(a[0]), elm: norm(a[1]), link: norm(a[a.length - 1]) } };
  }
  if (call.callee === 'QLIST_REMOVE' && a.length === 2) return { op: 'remove', list: { call, kind, head: null, elm: norm(a[0]), link: norm(a[1]) } };
  if (/^Q(TAILQ|SIMPLEQ|SLIST)_REMOVE$/.test(call.callee) && a.length >= 3) {
    return { op: 'remove', list: { call, kind, head: chainText(a[0]), elm: norm(a[1]), link: norm(a[a.length - 1]) } };
  }
  return null;
}

export function listOps(fns: Iterable<CFunction>, op: 'insert' | 'remove'): ListOp[] {
  const out: ListOp[] = [];
  for (const fn of fns) for (const call of fn.calls) {
    const l = listOp(call);
    if (l && l.op === op) out.push(l.list);
  }
  return out;
}

export interface IndexLoop {
  cond: CCondition;
  index: string;
  /** the bound of `i < B` / `i <= B`, whitespace-collapsed */
  bound: string;
  fn: CFunction;
}

/** Loops counting an index up to a bound (`for (i = 0; i < s->nregs; i++)`). */
export function indexLoops(fn: CFunction): IndexLoop[] {
  const out: IndexLoop[] = [];
  for (const cond of fn.conditions) {
    if (cond.kind !== 'for' || !cond.loop) continue;
    const index = cond.loop.index;
    const m = new RegExp(`^${index}\\s*<=?\\s*([^=].*)$`).exec(cond.normalized);
    if (!m) continue;
    out.push({ cond, index, bound: norm(m[1]), fn });
  }
  return out;
}

/** The arrays (field chains) a loop's calls index with its index (`s->regs[i]`, `s->vqs + i`), with the call. */
export function indexedArrays(loop: IndexLoop): { array: string; call: CCall }[] {
  const out: { array: string; call: CCall }[] = [];
  const i = loop.index;
  const subscript = new RegExp(`^&?(.+)\\[\\s*${i}\\s*\\](.*)$`);
  const plus = new RegExp(`^(.+?)\\s*\\+\\s*${i}$`);
  for (const call of loop.fn.calls) {
    if (!call.guards.some((g) => g.condition === loop.cond && !g.negated)) continue;
    for (const arg of [...call.args, ...(call.result !== undefined ? [call.result] : [])]) {
      const t = arg.trim();
      const m = subscript.exec(t) ?? plus.exec(t);
      if (!m) continue;
      const chain = chainText(m[1]);
      if (chain) out.push({ array: chain, call });
    }
  }
  // `s->queues[i] = new(...)`: a value stored into the array by index (the call's result is not kept for an element)
  for (const st of loop.fn.statements) {
    if (st.line <= loop.cond.endLine || st.line > loop.cond.stmtEndLine) continue;
    const target = /^(\S+)\s*=\s(?!=)/.exec(st.normalized)?.[1] ?? '';
    const m = subscript.exec(target.trim());
    const chain = m ? chainText(m[1]) : null;
    const call = loop.fn.calls.find((c) => c.line === st.line);
    if (chain && call) out.push({ array: chain, call });
  }
  return out;
}
