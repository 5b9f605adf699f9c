/**
 * The text tree-sitter parses: the file image with attribute macros blanked
 * and block-macro headers rewritten as `while` loops, keeping every offset
 * and line. Texts in the model always come from the original image.
 *
 * tree-sitter-c reads `QLIST_FOREACH(x, &l, next) {` as a call missing its
 * `;` at best, and at worst as a declaration with a macro type
 * (`CPU_FOREACH(t) {` after a case label) or as an assignment swallowing the
 * next statement (a FOREACH body without braces). A header that starts a
 * line and is followed by something other than `;` is rewritten:
 *
 *     QLIST_FOREACH(giommu, &c->list, next) {
 *     while        (giommu, &c->list, next) {
 *     WITH_RCU_READ_LOCK_GUARD() {
 *     while                 (1) {
 *
 * so its block parses as a loop body; the walker knows the offsets and
 * reports the macro, not a while loop.
 */
import { blankAttributeMacros, isLoopMacro, isScopeMacro, looksLikeMacro } from './text.js';

export interface BlockMacro {
  name: string;
  /** offset of the macro name */
  start: number;
  /** offset of the opening parenthesis */
  argsStart: number;
  /** offset just past the closing parenthesis */
  end: number;
  kind: 'loop' | 'scope';
}

export interface PreparedSource {
  /** the text to parse */
  text: string;
  /** rewritten headers by offset of their `while` */
  blockMacros: Map<number, BlockMacro>;
}

const HEADER_RE = /^[ \t]*([A-Za-z_][A-Za-z0-9_]*)[ \t]*\(/gm;
const QUICK_RE = /FOREACH|FOR_EACH|WITH_/i;

/** The offset of the quote that closes the string or character literal opening at `open` (or of the line's end, or `n`). */
function quotedEnd(text: string, open: number, n: number): number {
  const quote = text.charCodeAt(open);
  let j = open + 1;
  while (j < n) {
    const c = text.charCodeAt(j);
    if (c === 92) j += 2;
    else if (c === quote || c === 10) break;
    else j++;
  }
  return j;
}

/**
 * Offset just past the `)` matching the `(` at `open`, or -1 when the text
 * ends (or `limit` is reached) first, or a `;` comes first. A block-macro
 * header also stops at `{` or `}` (`braces: false`); a file-scope macro's
 * arguments may hold braces (`braces: true`).
 */
function matchParen(text: string, open: number, limit: number, braces = false): number {
  let depth = 0;
  const n = Math.min(text.length, limit);
  for (let i = open; i < n; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 40) depth++;
    else if (ch === 41) {
      depth--;
      if (depth === 0) return i + 1;
    } else if (ch === 34 || ch === 39) {
      i = quotedEnd(text, i, n);
    } else if (ch === 59 || (!braces && (ch === 123 || ch === 125))) {
      return -1; // ; (or a brace in a header): not a macro call
    }
  }
  return -1;
}

/** The first significant character at or after `from` (comments skipped). */
function nextSignificant(text: string, from: number): string {
  let i = from;
  const n = text.length;
  while (i < n) {
    const ch = text.charCodeAt(i);
    if (ch === 32 || (ch >= 9 && ch <= 13)) {
      i++;
      continue;
    }
    if (ch === 47 && text.charCodeAt(i + 1) === 42) {
      const e = text.indexOf('*/', i + 2);
      if (e < 0) return '';
      i = e + 2;
      continue;
    }
    if (ch === 47 && text.charCodeAt(i + 1) === 47) {
      const e = text.indexOf('\n', i + 2);
      if (e < 0) return '';
      i = e + 1;
      continue;
    }
    if (ch === 92 && (text.charCodeAt(i + 1) === 10 || text.charCodeAt(i + 1) === 13)) return '\\';
    return text[i] as string;
  }
  return '';
}

export function rewriteBlockMacros(text: string): PreparedSource {
  const blockMacros = new Map<number, BlockMacro>();
  if (!QUICK_RE.test(text)) return { text, blockMacros };
  const parts: string[] = [];
  let copied = 0;
  HEADER_RE.lastIndex = 0;
  for (let m = HEADER_RE.exec(text); m; m = HEADER_RE.exec(text)) {
    const name = m[1] as string;
    if (!looksLikeMacro(name)) continue;
    const loop = isLoopMacro(name);
    if (!loop && !isScopeMacro(name)) continue;
    const nameStart = m.index + m[0].indexOf(name);
    const open = m.index + m[0].length - 1;
    const close = matchParen(text, open, open + 4000);
    if (close < 0) continue;
    const next = nextSignificant(text, close);
    // a body must follow: not `;` (a statement macro), `\` (a #define body), an operator
    if (!/^[A-Za-z_{*(]$/.test(next)) continue;
    const argsText = text.slice(open, close);
    const headerLen = close - nameStart;
    let replacement: string;
    if (/^\(\s*\)$/.test(argsText)) {
      if (headerLen < 8) continue;
      replacement = 'while' + ' '.repeat(headerLen - 8) + '(1)';
    } else {
      if (name.length < 5) continue;
      replacement = 'while' + ' '.repeat(open - nameStart - 5) + argsText;
    }
    parts.push(text.slice(copied, nameStart), replacement);
    copied = close;
    blockMacros.set(nameStart, { name, start: nameStart, argsStart: open, end: close, kind: loop ? 'loop' : 'scope' });
    HEADER_RE.lastIndex = close;
  }
  if (blockMacros.size === 0) return { text, blockMacros };
  parts.push(text.slice(copied));
  return { text: parts.join(''), blockMacros };
}

/**
 * Ranges [from, to) of the text to blank: every character but line ends
 * becomes a space (with `cr`, a carriage return too, as offsetof's has been).
 */
type Blanks = [from: number, to: number, cr?: boolean][];

/**
 * The text with `ranges` blanked, built from slices: one pass, no array of
 * one-character strings (a 100 KB file made 100,000 of them, twice).
 * Overlapping ranges blank once.
 */
function applyBlanks(text: string, ranges: Blanks): string {
  if (ranges.length === 0) return text;
  ranges.sort((a, b) => a[0] - b[0]);
  const parts: string[] = [];
  let copied = 0;
  for (const [from, to, cr] of ranges) {
    const start = Math.max(from, copied);
    if (to <= start) continue;
    parts.push(text.slice(copied, start), text.slice(start, to).replace(cr ? /[^\n]/g : /[^\r\n]/g, ' '));
    copied = to;
  }
  parts.push(text.slice(copied));
  return parts.join('');
}

const FILE_MACRO_RE = /^([A-Za-z_][A-Za-z0-9_]*)[ \t]*\(/gm;
const REST_OF_LINE_RE = /^[ \t]*(?:\/\*.*?\*\/[ \t]*)*(?:\/\/.*)?(?:\r?\n|$)/;

/**
 * File-scope macro invocations without a semicolon, on lines of their own at
 * column 0: `type_init(f)`, `DEFINE_TYPES(t)`, `OBJECT_DECLARE_SIMPLE_TYPE(A, B)`,
 * `virtio_iommu_handle_req(map)`. tree-sitter glues them to the next
 * definition (the function after them gets the macro's name), so they are
 * blanked. A function header `foo(int x)` at column 0 is followed by `{` or
 * `;` and stays.
 */
function blankFileScopeMacroCalls(text: string, blanks: Blanks): void {
  FILE_MACRO_RE.lastIndex = 0;
  for (let m = FILE_MACRO_RE.exec(text); m; m = FILE_MACRO_RE.exec(text)) {
    const open = m.index + m[0].length - 1;
    const close = matchParen(text, open, open + 20000, true);
    if (close < 0) continue;
    FILE_MACRO_RE.lastIndex = close;
    if (!REST_OF_LINE_RE.test(text.slice(close, close + 400))) continue;
    const next = nextSignificant(text, close);
    if (next === '{' || next === ';' || next === ',' || next === '\\' || next === ')' || next === '=') continue;
    if (next !== '' && !/^[A-Za-z_#}]$/.test(next)) continue;
    blanks.push([m.index, close]);
  }
}

const OFFSETOF_RE = /\boffsetof[ \t]*\(/g;

/**
 * `offsetof(VRingUsed, ring[i])`: tree-sitter-c only takes a field name as
 * the member; the subscripts after the first comma are blanked.
 */
function fixOffsetof(text: string, blanks: Blanks): void {
  OFFSETOF_RE.lastIndex = 0;
  for (let m = OFFSETOF_RE.exec(text); m; m = OFFSETOF_RE.exec(text)) {
    const open = m.index + m[0].length - 1;
    const close = matchParen(text, open, open + 2000, true);
    if (close < 0) continue;
    const inner = text.slice(open, close);
    const comma = inner.indexOf(',');
    if (comma < 0 || inner.indexOf('[', comma) < 0) continue;
    // the characters at subscript depth > 0: from each '[' to its ']'
    let depth = 0;
    let from = -1;
    for (let i = open + comma; i < close - 1; i++) {
      const ch = text.charCodeAt(i);
      if (ch === 91 && depth++ === 0) from = i;
      if (ch === 93 && depth > 0 && --depth === 0) {
        blanks.push([from, i + 1, true]);
        from = -1;
      } else if (ch === 93 && depth <= 0) {
        depth--;
      }
    }
    if (depth > 0 && from >= 0) blanks.push([from, close - 1, true]);
  }
}

/** `__alignof__(expr)`: tree-sitter-c wants a type; `sizeof` takes both. */
function fixAlignof(text: string): string {
  if (text.indexOf('__alignof') < 0) return text;
  return text.replace(/\b__alignof__\b/g, 'sizeof     ').replace(/\b__alignof\b/g, 'sizeof   ');
}

/**
 * A type macro of two arguments in a declaration: `QLIST_HEAD(, VFIOGroup)
 * group_list;`, `typedef QTAILQ_HEAD(FxList, Fx) FxList;`. tree-sitter-c
 * takes one type in a macro type (`NAME(type)`), so the first argument and
 * its comma are blanked. Only when a declarator follows: `NAME(a, b) x;`
 * is no call.
 */
const TYPE_MACRO_RE = /\b[A-Z][A-Z0-9_]*\(([ \t]*[A-Za-z_]?\w*[ \t]*),[ \t]*[A-Za-z_]\w*[ \t]*\)(?=[ \t]*\**[ \t]*[A-Za-z_]\w*[ \t]*[;=[,)])/g;

function blankTypeMacroFirstArgs(text: string, blanks: Blanks): void {
  if (text.indexOf('_HEAD') < 0 && text.indexOf('_ENTRY') < 0) return;
  TYPE_MACRO_RE.lastIndex = 0;
  for (let m = TYPE_MACRO_RE.exec(text); m; m = TYPE_MACRO_RE.exec(text)) {
    const open = m.index + m[0].indexOf('(');
    blanks.push([open + 1, open + 2 + (m[1] as string).length]);
  }
}

/**
 * A type passed to a macro as an argument: `g_new0(struct fx_info, 1)`,
 * `container_of(hdr, struct fx_cap, header)`, `g_new0(FxRegion *, n)`,
 * `DEFINE_PROP_LINK(..., FxBackend *)`. tree-sitter-c reads an expression
 * there; the `struct`/`union`/`enum` keyword and the stars are blanked,
 * which leaves the type's name, an identifier. Not a type alone in
 * parentheses: `(struct fx *)p` is a cast.
 */
const TYPE_ARG_RE = /([(,])[ \t]*(?:(struct|union|enum)[ \t]+)?[A-Za-z_]\w*((?:[ \t]*\*)*)[ \t]*([,)])/g;

function blankTypeArguments(text: string, blanks: Blanks): void {
  TYPE_ARG_RE.lastIndex = 0;
  for (let m = TYPE_ARG_RE.exec(text); m; m = TYPE_ARG_RE.exec(text)) {
    const keyword = m[2];
    const stars = m[3] as string;
    // let the comma start the next match (`g_renew(Fx *, p, n)`)
    TYPE_ARG_RE.lastIndex = m.index + m[0].length - 1;
    if (!keyword && !/\*/.test(stars)) continue;
    // `(Fx *)` alone is a cast (or sizeof's type): only a type after a comma may close the list
    if (m[1] === '(' && m[4] === ')') continue;
    if (keyword) {
      const at = m.index + m[0].indexOf(keyword);
      blanks.push([at, at + keyword.length]);
    }
    if (/\*/.test(stars)) {
      const at = m.index + m[0].lastIndexOf(stars);
      blanks.push([at, at + stars.length]);
    }
  }
}

const CONDITIONAL_RE = /^[ \t]*#[ \t]*(?:if|ifdef|ifndef|elif|else|endif)\b/;

/**
 * Conditional directives inside parentheses or an initializer:
 * `error_append_hint(errp, "use a " #ifdef CONFIG_FX "or b " #endif
 * "device")`, `#ifdef CONFIG_FX` between the entries of a `Property fx[] =
 * {...}`. tree-sitter-c reads them between statements and declarations, not
 * inside an expression or an initializer list, so those lines are blanked
 * (both branches stay, as one expression or list). One pass over the text,
 * strings, characters and comments skipped; other directives are skipped
 * whole.
 */
function blankConditionalsInParens(text: string, blanks: Blanks): void {
  if (text.indexOf('#if') < 0) return;
  const n = text.length;
  let depth = 0;
  // braces open, each true when it opened an initializer (`= {`, or `{`/`,` `{` inside one)
  const braces: boolean[] = [];
  let initializers = 0;
  let last = 0;
  let lineStart = true;
  for (let i = 0; i < n; i++) {
    const ch = text.charCodeAt(i);
    if (lineStart) {
      lineStart = false;
      let j = i;
      while (j < n && (text.charCodeAt(j) === 32 || text.charCodeAt(j) === 9)) j++;
      if (text.charCodeAt(j) === 35) {
        // a directive, through its continuation lines
        let end = j;
        for (;;) {
          const nl = text.indexOf('\n', end);
          if (nl < 0) {
            end = n;
            break;
          }
          const before = text.charCodeAt(nl - 1) === 13 ? nl - 2 : nl - 1;
          end = nl;
          if (text.charCodeAt(before) !== 92) break;
          end = nl + 1;
        }
        if ((depth > 0 || initializers > 0) && CONDITIONAL_RE.test(text.slice(i, Math.min(end, i + 200)))) blanks.push([i, end]);
        i = end;
        lineStart = true;
        continue;
      }
    }
    if (ch === 10) {
      lineStart = true;
      continue;
    }
    if (ch === 32 || ch === 9 || ch === 13) continue;
    if (ch === 40) depth++;
    else if (ch === 41) depth = Math.max(0, depth - 1);
    else if (ch === 123) {
      // a function body at column 0 or a file-scope brace: whatever was open is over
      if (i === 0 || text.charCodeAt(i - 1) === 10) {
        depth = 0;
        braces.length = 0;
        initializers = 0;
      }
      const init = last === 61 || (initializers > 0 && (last === 123 || last === 44));
      braces.push(init);
      if (init) initializers++;
    } else if (ch === 125) {
      if (braces.pop()) initializers--;
      if (i === 0 || text.charCodeAt(i - 1) === 10) {
        depth = 0;
        braces.length = 0;
        initializers = 0;
      }
    } else if (ch === 34 || ch === 39) {
      i = quotedEnd(text, i, n);
    } else if (ch === 47 && text.charCodeAt(i + 1) === 42) {
      const e = text.indexOf('*/', i + 2);
      if (e < 0) return;
      i = e + 1;
      continue;
    } else if (ch === 47 && text.charCodeAt(i + 1) === 47) {
      const e = text.indexOf('\n', i + 2);
      if (e < 0) return;
      i = e - 1;
      continue;
    }
    last = ch;
  }
}

const CASE_RANGE_RE = /\bcase\b[^:;{}\n]*?(\.\.\.[^:;{}\n]*?)(?=:)/g;

/**
 * GNU case ranges (`case FX_BASE ... FX_BASE_END:`, `case 'a' ... 'z':`):
 * tree-sitter-c does not know them, and one makes its whole function a parse
 * error (a tenth of QEMU's files have one, register handlers most of all).
 * The `... END` part is blanked: the label reads as its first value.
 */
function blankCaseRanges(text: string, blanks: Blanks): void {
  if (text.indexOf('...') < 0) return;
  CASE_RANGE_RE.lastIndex = 0;
  for (let m = CASE_RANGE_RE.exec(text); m; m = CASE_RANGE_RE.exec(text)) {
    const from = m.index + m[0].length - (m[1] as string).length;
    blanks.push([from, m.index + m[0].length]);
  }
}

/** An `else` that ends its line, then (past blank lines) an `#endif`: the `#if` block's last statement's else. */
const DANGLING_ELSE_RE = /\belse[ \t]*(?:\/\*[^\n]*?\*\/[ \t]*)?\r?\n(?:[ \t]*\r?\n)*([ \t]*#[ \t]*endif\b[^\n]*)/g;

/**
 * An `if` under `#if` whose `else` runs on past the `#endif` into the code after it (`#if X if (a) {...} else
 * #endif if (b) {...}`, an `else if` only when X): tree-sitter-c reads the conditional block as a unit, so the
 * `else` has nothing to take and the whole function fails to parse. Blank that `#if` and its `#endif` (the code
 * inside stays, as if X held); not when the block has an `#else` or `#elif` (both sets of code would stay).
 */
function blankDanglingElseConditionals(text: string, blanks: Blanks): void {
  if (text.indexOf('#endif') < 0) return;
  DANGLING_ELSE_RE.lastIndex = 0;
  for (let m = DANGLING_ELSE_RE.exec(text); m; m = DANGLING_ELSE_RE.exec(text)) {
    const endifAt = m.index + m[0].length - (m[1] as string).length;
    // the matching `#if`: back over the lines, counting nested conditionals
    let depth = 0;
    let pos = text.lastIndexOf('\n', endifAt - 2);
    let ifAt = -1;
    while (pos >= 0) {
      const start = pos + 1;
      const end = text.indexOf('\n', start);
      const line = text.slice(start, end < 0 ? text.length : end);
      const d = /^[ \t]*#[ \t]*(if|ifdef|ifndef|elif|else|endif)\b/.exec(line);
      if (d) {
        const kw = d[1] as string;
        if (kw === 'endif') depth++;
        else if (depth > 0 && kw.startsWith('if')) depth--;
        else if (depth === 0 && (kw === 'else' || kw === 'elif')) break;
        else if (depth === 0) {
          ifAt = start;
          break;
        }
      }
      if (pos === 0) break;
      pos = text.lastIndexOf('\n', pos - 1);
    }
    if (ifAt < 0) continue;
    const ifEnd = text.indexOf('\n', ifAt);
    // a continued `#if` line (`... \`) is left alone
    if (ifEnd < 0 || text.slice(ifAt, ifEnd).trimEnd().endsWith('\\')) continue;
    blanks.push([ifAt, ifEnd], [endifAt, endifAt + (m[1] as string).length]);
  }
}

/**
 * Blank attribute macros, file-scope macro calls, what tree-sitter-c cannot
 * read as macro arguments (types) and the ends of case ranges, fix
 * offsetof/alignof, rewrite block-macro headers, and the `#if`/`#endif` around an
 * `else` that runs on past the `#endif`.
 */
export function prepareSource(text: string): PreparedSource {
  const t = fixAlignof(blankAttributeMacros(text));
  const blanks: Blanks = [];
  blankFileScopeMacroCalls(t, blanks);
  fixOffsetof(t, blanks);
  blankTypeMacroFirstArgs(t, blanks);
  blankTypeArguments(t, blanks);
  blankConditionalsInParens(t, blanks);
  blankCaseRanges(t, blanks);
  blankDanglingElseConditionals(t, blanks);
  return rewriteBlockMacros(applyBlanks(t, blanks));
}
