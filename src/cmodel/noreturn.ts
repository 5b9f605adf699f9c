/**
 * Functions a file declares never to return: `G_NORETURN void hw_error(...)`,
 * `static G_NORETURN G_GNUC_PRINTF(2, 3)\nvoid fail(...)`, `_Noreturn void f(void)`,
 * `void __attribute__((noreturn)) f(void)`. The walker blanks these attribute
 * macros (text.ts) and the model keeps no prototypes, so the declarations are
 * read off the file's text: a call to such a function ends its path.
 */

/** An attribute that marks the declaration after it as never returning. */
const NORETURN_MARK = /\b(?:G_NORETURN|G_GNUC_NORETURN|QEMU_NORETURN|_Noreturn|__attribute__\s*\(\(\s*(?:__)?noreturn(?:__)?\s*\)\))/g;

/** A macro with arguments among a declaration's specifiers (`G_GNUC_PRINTF(2, 3)`): not the declared name. */
const ATTRIBUTE_CALL = /\b[A-Z][A-Z0-9_]*\s*\([^()]*\)/g;

/** Specifiers that stand before a declared name, but are no name of a function. */
const NOT_A_NAME = new Set(['static', 'inline', 'extern', 'void', 'const', 'unsigned', 'signed', 'struct', 'enum']);

/** Most characters read after a mark: a declaration's specifiers and name, not the function after it. */
const DECLARATION_REACH = 300;

/** The names of the functions `text` declares or defines never to return, in order of appearance. */
export function noReturnDeclarations(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(NORETURN_MARK)) {
    let rest = text.slice(m.index + m[0].length, m.index + m[0].length + DECLARATION_REACH);
    const end = rest.search(/[;{]/);
    if (end >= 0) rest = rest.slice(0, end);
    rest = rest.replace(ATTRIBUTE_CALL, ' ');
    const name = /\b([A-Za-z_]\w*)\s*\(/.exec(rest)?.[1];
    if (name && !NOT_A_NAME.has(name) && !out.includes(name)) out.push(name);
  }
  return out;
}
