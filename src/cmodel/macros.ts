/**
 * QEMU macro shapes tree-sitter-c parses oddly.
 *
 * Block macros: `QLIST_FOREACH(x, &l, next) { ... }` and
 * `WITH_RCU_READ_LOCK_GUARD() { ... }` parse as an expression_statement
 * holding the call with a MISSING `;`, followed by the block as the next
 * sibling statement. The walker pairs them: the block is visited as the
 * macro's body (a loop body for FOREACH macros).
 */
import type { Node } from 'web-tree-sitter';
import { isLoopMacro, isScopeMacro } from './text.js';

const STATEMENT_TYPES = new Set([
  'compound_statement',
  'expression_statement',
  'if_statement',
  'switch_statement',
  'while_statement',
  'do_statement',
  'for_statement',
  'return_statement',
  'break_statement',
  'continue_statement',
  'goto_statement',
  'labeled_statement',
  'attributed_statement',
]);

export function isStatement(node: Node): boolean {
  return STATEMENT_TYPES.has(node.type);
}

/** The macro call of an expression_statement missing its `;` (`QLIST_FOREACH(...)` before `{`). */
export function macroHeaderCall(stmt: Node): Node | null {
  if (stmt.type !== 'expression_statement') return null;
  const n = stmt.childCount;
  if (n < 2) return null;
  const last = stmt.child(n - 1);
  if (!last || !last.isMissing || last.type !== ';') return null;
  const first = stmt.child(0);
  if (!first || first.type !== 'call_expression') return null;
  const fn = first.childForFieldName('function');
  return fn && fn.type === 'identifier' ? first : null;
}

/**
 * The macro header a statement ends with: the statement itself, or the last
 * statement of an if/else/loop body without braces
 * (`if (x) QLIST_FOREACH(...) {`).
 */
export function trailingMacroHeader(stmt: Node): Node | null {
  let cur: Node | null = stmt;
  for (let guard = 0; cur && guard < 256; guard++) {
    switch (cur.type) {
      case 'expression_statement':
        return macroHeaderCall(cur) ? cur : null;
      case 'if_statement':
        cur = cur.childForFieldName('alternative') ?? cur.childForFieldName('consequence');
        break;
      case 'else_clause':
      case 'labeled_statement':
        cur = lastNamed(cur);
        break;
      case 'while_statement':
      case 'for_statement':
        cur = cur.childForFieldName('body');
        break;
      default:
        return null;
    }
  }
  return null;
}

function lastNamed(node: Node): Node | null {
  for (let i = node.namedChildCount - 1; i >= 0; i--) {
    const c = node.namedChild(i);
    if (c && c.type !== 'comment') return c;
  }
  return null;
}

export type MacroBlockKind = 'loop' | 'scope' | 'block';

export function macroBlockKind(name: string): MacroBlockKind {
  if (isLoopMacro(name)) return 'loop';
  if (isScopeMacro(name)) return 'scope';
  return 'block';
}

/** Macro name of a header statement found by trailingMacroHeader. */
export function macroName(header: Node): string {
  const call = macroHeaderCall(header);
  const fn = call?.childForFieldName('function');
  return fn ? fn.text : '';
}
