/**
 * What a function does with an `Error *` it is handed (not an `Error **` it fills in): a function that only tests
 * it and hands it to other calls (`if (err) { migrate_set_error(s, err); }`) keeps nothing of it, and its caller
 * still owns the Error; one that frees, stores, returns or reports it takes it over. Read off the body's syntax
 * tree, for the pair knowledge to resolve across the code base (which of those other calls only read it).
 */
import type { Node } from 'web-tree-sitter';
import type { Source } from './nodes.js';

const TEST_OPERATORS = new Set(['!', '==', '!=', '&&', '||']);

/** Wrappers around a value that leave it the same value: `(err)`, `(Error *)err`. */
const SAME_VALUE = new Set(['parenthesized_expression', 'cast_expression']);

/** Statements whose condition is a test of the value (`if (err)`, `while (!err)`). */
const TESTING = new Set(['if_statement', 'while_statement', 'do_statement', 'for_statement']);

/**
 * The calls the body hands `name` to, when it does nothing with it besides (null when some use keeps it: an
 * assignment, a return, an initializer, a field, an address taken).
 */
export function errorParamHandedTo(src: Source, body: Node, name: string): string[] | null {
  const callees = new Set<string>();
  const stack: Node[] = [body];
  while (stack.length > 0) {
    const node = stack.pop() as Node;
    if (node.type === 'identifier') {
      if (src.text.slice(node.startIndex, node.endIndex) !== name) continue;
      const callee = useOf(src, node);
      if (callee === null) return null;
      if (callee !== '') callees.add(callee);
      continue;
    }
    for (const c of node.namedChildren) if (c) stack.push(c);
  }
  return [...callees].sort();
}

/** The callee a use hands the value to, '' for a test of it, null for any other use. */
function useOf(src: Source, id: Node): string | null {
  let n: Node = id;
  let parent = n.parent;
  while (parent && SAME_VALUE.has(parent.type)) {
    n = parent;
    parent = n.parent;
  }
  if (!parent) return null;
  if (parent.type === 'argument_list') {
    const call = parent.parent;
    const fn = call?.type === 'call_expression' ? call.childForFieldName('function') : null;
    return fn?.type === 'identifier' ? src.text.slice(fn.startIndex, fn.endIndex) : null;
  }
  if (parent.type === 'unary_expression' || parent.type === 'binary_expression') {
    const op = parent.childForFieldName('operator');
    return op && TEST_OPERATORS.has(src.text.slice(op.startIndex, op.endIndex)) ? '' : null;
  }
  if (TESTING.has(parent.type) || parent.type === 'conditional_expression') {
    return parent.childForFieldName('condition')?.id === n.id ? '' : null;
  }
  return null;
}
