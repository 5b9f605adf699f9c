/**
 * Calls: callee and argument texts of a call_expression.
 */
import type { Node } from 'web-tree-sitter';
import type { CCall, CGuard } from './types.js';
import { calleeText } from './conditions.js';
import { toggleCall } from './toggles.js';
import { endLine, parentOf, startLine, statementStart, type Source } from './nodes.js';
import { normalizeC } from './text.js';

/**
 * Split the text of an argument list `( a, f(b, c), "x,y" )` on its top-level
 * commas. Text-based, so a group spanning several nodes (`struct foo` in
 * `container_of(p, struct foo, f)`, parsed as ERROR + identifier) stays one
 * argument. Comments are dropped, whitespace collapsed.
 */
export function splitArgs(text: string): string[] {
  let body = text.trim();
  if (body.startsWith('(')) body = body.slice(1);
  if (body.endsWith(')')) body = body.slice(0, -1);
  const out: string[] = [];
  let depth = 0;
  let from = 0;
  const n = body.length;
  for (let i = 0; i < n; i++) {
    const ch = body.charCodeAt(i);
    if (ch === 40 || ch === 91 || ch === 123) depth++; // ( [ {
    else if (ch === 41 || ch === 93 || ch === 125) depth--; // ) ] }
    else if (ch === 34 || ch === 39) {
      // skip a string or char literal
      let j = i + 1;
      while (j < n) {
        const c = body.charCodeAt(j);
        if (c === 92) j += 2;
        else if (c === ch || c === 10) break;
        else j++;
      }
      i = j;
    } else if (ch === 47 && i + 1 < n && body.charCodeAt(i + 1) === 42) {
      const e = body.indexOf('*/', i + 2);
      i = e < 0 ? n : e + 1;
    } else if (ch === 47 && i + 1 < n && body.charCodeAt(i + 1) === 47) {
      const e = body.indexOf('\n', i + 2);
      i = e < 0 ? n : e;
    } else if (ch === 44 && depth <= 0) {
      out.push(normalizeC(body.slice(from, i)));
      from = i + 1;
    }
  }
  const last = normalizeC(body.slice(from));
  if (last !== '' || out.length > 0) out.push(last);
  return out;
}

export function argTexts(src: Source, args: Node | null): string[] {
  if (!args) return [];
  return splitArgs(src.text.slice(args.startIndex, args.endIndex));
}

/** The variable or field a call's value is stored in: `x = f()`, `T *x = f()`, `n->addr = f()`. */
function resultOf(src: Source, node: Node): string | null {
  let parent = parentOf(node);
  if (!parent) return null;
  // `x = CAST(f())`: an ALL_CAPS cast macro (OBJECT(), VFIO_DEVICE()) around the sole argument passes the value on
  for (let arg: Node | null = parent; arg?.type === 'argument_list' && arg.namedChildCount === 1; ) {
    const cast: Node | null = parentOf(arg);
    const fn = cast?.type === 'call_expression' ? cast.childForFieldName('function') : null;
    if (!cast || !fn || fn.type !== 'identifier' || !/^[A-Z][A-Z0-9_]*$/.test(src.text.slice(fn.startIndex, fn.endIndex))) break;
    node = cast;
    parent = parentOf(cast);
    arg = parent;
  }
  if (!parent) return null;
  // `file = s->name ? fopen(s->name, "rb") : NULL;`: an arm of a choice whose other arm is nothing (NULL, -1)
  // hands the value on when it is chosen (the call's guard says when)
  if (parent.type === 'conditional_expression' && parent.childForFieldName('condition')?.id !== node.id) {
    const arms = [parent.childForFieldName('consequence'), parent.childForFieldName('alternative')];
    const other = arms.find((a) => a !== null && a.id !== node.id);
    const nothing = other ? src.text.slice(other.startIndex, other.endIndex).replace(/\s+/g, '') : '';
    if (arms.some((a) => a?.id === node.id) && /^(NULL|-1|\(\w+\*?\)NULL)$/.test(nothing)) {
      node = parent;
      parent = parentOf(parent);
      if (!parent) return null;
    }
  }
  if (parent.type === 'assignment_expression' && parent.childForFieldName('right')?.id === node.id) {
    const left = parent.childForFieldName('left');
    if (left?.type === 'identifier') return src.text.slice(left.startIndex, left.endIndex);
    // `*map = mmap(...)`: handed back through a pointer (objects.ts: such an object has no name here)
    if (left?.type === 'pointer_expression') return src.text.slice(left.startIndex, left.endIndex).replace(/\s+/g, '');
    // `s->irqs[i] = g_new(...)`: an element of an array, named with its index
    return left?.type === 'field_expression' || left?.type === 'subscript_expression' ? src.text.slice(left.startIndex, left.endIndex).replace(/\s+/g, '') : null;
  }
  if (parent.type === 'init_declarator' && parent.childForFieldName('value')?.id === node.id) {
    let d = parent.childForFieldName('declarator');
    while (d && d.type === 'pointer_declarator') d = d.childForFieldName('declarator');
    return d?.type === 'identifier' ? src.text.slice(d.startIndex, d.endIndex) : null;
  }
  return null;
}

/** GLib's scope cleanups: `g_autofree char *name = ...`, `g_autoptr(GArray) a = ...`, `g_auto(GStrv) v = ...`. */
export const AUTO_CLEANUP = /^\s*(g_autofree|g_autoptr\s*\(|g_auto\s*\()/;

/** Is the call's value stored in a variable its scope releases (a g_autofree or g_autoptr declaration)? */
function autoReleased(src: Source, node: Node): boolean {
  const up = parentOf(node);
  const decl = up?.type === 'init_declarator' ? parentOf(up) : null;
  // g_autofree is blanked before parsing (text.ts): read the declaration from where it starts in the image
  return decl?.type === 'declaration' && AUTO_CLEANUP.test(src.text.slice(statementStart(src, decl), decl.endIndex));
}

export function buildCall(src: Source, node: Node, guards: CGuard[], inLoop: boolean): CCall {
  const callee = calleeText(src, node);
  const args = argTexts(src, node.childForFieldName('arguments'));
  // a switch turned on or off by a literal is named for its side (toggles.ts)
  const toggled = toggleCall(callee, args);
  const call: CCall = {
    callee: toggled?.callee ?? callee,
    args: toggled?.args ?? args,
    line: startLine(node),
    endLine: endLine(node),
    guards,
    inLoop,
  };
  const result = resultOf(src, node);
  if (result !== null) call.result = result;
  if (result !== null && autoReleased(src, node)) call.autoReleased = true;
  return call;
}
