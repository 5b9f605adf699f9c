/**
 * The parts of a condition joined by `||` or `&&` at its top level (outside
 * parentheses): `!a || (b && c)` → `!a`, `(b && c)`. One reading for every
 * part of the model that asks which alternatives or conjuncts a test has.
 */

/** The parts of `text` joined by `op` (`|` for `||`, `&` for `&&`) at its top level; none when it has no such join. */
export function topLevelParts(text: string, op: '|' | '&'): string[] {
  const out: string[] = [];
  let depth = 0;
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '(') depth++;
    else if (ch === ')') depth--;
    else if (depth === 0 && ch === op && text[i + 1] === op) {
      out.push(text.slice(from, i).trim());
      from = i + 2;
      i++;
    }
  }
  if (out.length === 0) return [];
  out.push(text.slice(from).trim());
  return out;
}

/** The alternatives of a test joined by `||` at its top level (none when it has no top-level `||`). */
export function disjuncts(text: string): string[] {
  return topLevelParts(text, '|');
}

/** The conjuncts of a test joined by `&&` at its top level (none when it has no top-level `&&`). */
export function conjuncts(text: string): string[] {
  return topLevelParts(text, '&');
}
