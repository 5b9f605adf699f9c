/**
 * Conditions and guards: the CCondition of an if/while/for/do/switch/ternary,
 * with the names and callees it tests.
 */
import type { Node } from 'web-tree-sitter';
import type { CCondition, CGuard, ConditionKind } from './types.js';
import { endLine, innerOfParens, normText, startLine, type Source } from './nodes.js';
import { normalizeC } from './text.js';

/** Callee text of a call_expression: the name, or the normalized expression (`ops->dma_map`). */
export function calleeText(src: Source, call: Node): string {
  const fn = call.childForFieldName('function');
  if (!fn) return '';
  if (fn.type === 'identifier') return src.text.slice(fn.startIndex, fn.endIndex);
  return normText(src, fn);
}

interface NameSets {
  names: string[];
  identifiers: string[];
  callees: string[];
}

const NAME_TYPES = ['identifier', 'field_identifier', 'call_expression', 'concatenated_string'];

/**
 * Identifiers, field identifiers and callees in a subtree, deduplicated, in
 * source order (one query; `HWADDR_PRIx` inside a string concatenation is
 * not a name).
 */
export function collectNames(src: Source, root: Node): NameSets {
  const names: string[] = [];
  const identifiers: string[] = [];
  const callees: string[] = [];
  const seenN = new Set<string>();
  const seenI = new Set<string>();
  const seenC = new Set<string>();
  let stringEnd = -1;
  for (const n of root.descendantsOfType(NAME_TYPES)) {
    if (!n) continue;
    if (n.startIndex < stringEnd) continue;
    const t = n.type;
    if (t === 'concatenated_string') {
      stringEnd = n.endIndex;
      continue;
    }
    if (t === 'call_expression') {
      const c = calleeText(src, n);
      if (c && !seenC.has(c)) {
        seenC.add(c);
        callees.push(c);
      }
      continue;
    }
    const s = src.text.slice(n.startIndex, n.endIndex);
    if (!s) continue;
    if (!seenN.has(s)) {
      seenN.add(s);
      names.push(s);
    }
    if (t === 'identifier' && !seenI.has(s)) {
      seenI.add(s);
      identifiers.push(s);
    }
  }
  return { names, identifiers, callees };
}

/**
 * Build the condition of a statement. `expr` is the condition node as the
 * grammar gives it (a parenthesized_expression for if/while/do/switch, the
 * bare expression for for/ternary); `stmt` is the whole statement.
 */
export function buildCondition(src: Source, kind: ConditionKind, expr: Node, stmt: Node): CCondition {
  const inner = innerOfParens(expr);
  let text = '';
  let line = startLine(expr);
  let last = endLine(expr);
  if (inner) {
    text = src.text.slice(inner.first.startIndex, Math.max(inner.first.startIndex, inner.last.endIndex)).trim();
    line = startLine(inner.first);
    last = endLine(inner.last);
  }
  const sets = collectNames(src, expr);
  return {
    kind,
    text,
    normalized: normalizeC(text),
    names: sets.names,
    identifiers: sets.identifiers,
    callees: sets.callees,
    line,
    endLine: Math.max(line, last),
    stmtLine: startLine(stmt),
    stmtEndLine: endLine(stmt),
  };
}

export function guard(condition: CCondition, negated: boolean, caseValues?: string[]): CGuard {
  return caseValues ? { condition, negated, caseValues } : { condition, negated };
}

/** Does any guard test `name` (as a plain identifier)? */
export function guardsTest(guards: readonly CGuard[], name: string): boolean {
  for (const g of guards) {
    const ids = g.condition.identifiers ?? g.condition.names;
    if (ids.includes(name)) return true;
  }
  return false;
}
