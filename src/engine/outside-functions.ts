/**
 * Which lines of a C file are surely outside every function definition, from
 * one lexical scan of the text (no parse): a commit whose changed lines are
 * all such lines touches no function, so rules that look only at the
 * functions a commit touched have nothing to look at, and no C model needs
 * to be built for it (a header move, an #include, a comment, a macro between
 * functions).
 *
 * A line is surely outside when it holds no code (only white space,
 * comments, or a preprocessor directive and its continuation lines), it
 * starts at brace depth 0, and it comes between top-level items: the last
 * code at depth 0 before it ended a declaration (`;`) or a block (`}`), or
 * there is none. A function definition runs from its first token to its
 * closing brace, so no such line can lie inside one: its header has no `;`
 * and its body is at depth 1 or more.
 *
 * The scan skips comments, string and character literals and directives.
 * Conditional groups (`#if` / `#elif` / `#else` / `#endif`) are checked:
 * every branch of a group must leave the same depth and state, and the next
 * branch starts from the state at `#if`. A file where that does not hold,
 * where the depth goes below 0, or that ends inside a block, a comment or a
 * group, proves nothing: the answer is then "not outside" for every line.
 */

import type { FileImages } from '../images/types.js';
import type { FileDiff } from '../series/model.js';

const NL = 10;
const CR = 13;
const SPACE = 32;
const TAB = 9;
const FF = 12;
const VT = 11;
const SLASH = 47;
const STAR = 42;
const BACKSLASH = 92;
const QUOTE = 34;
const APOS = 39;
const HASH = 35;
const LBRACE = 123;
const RBRACE = 125;
const SEMI = 59;

interface Group {
  depth: number;
  between: boolean;
  /** the state at the end of the first branch, once it ended */
  endDepth: number;
  endBetween: boolean;
  ended: boolean;
}

/**
 * For each 1-based line of `text`, whether it is surely outside every
 * function definition; null when the scan proves nothing for this file.
 */
export function linesOutsideFunctions(text: string): Uint8Array | null {
  let lineCount = 1;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lineCount++;
  const out = new Uint8Array(lineCount + 1);
  return scan(text, (line, ok) => {
    out[line] = ok ? 1 : 0;
    return true;
  })
    ? out
    : null;
}

/**
 * The scan: `visit(line, outside)` for each line in order, until it returns
 * false. True when the scan went to the end and the file is sound (the
 * answers hold); false when visit stopped it or the file proves nothing.
 */
function scan(text: string, visit: (line: number, outside: boolean) => boolean): boolean {
  const n = text.length;
  let stopped = false;
  let line = 1;
  let depth = 0;
  let between = true;
  /** state at the start of the current line */
  let lineStartOk = true;
  /** code seen on the current line (outside comments and directives) */
  let code = false;
  let inBlockComment = false;
  let inDirective = false;
  const groups: Group[] = [];
  let i = 0;

  const endLine = () => {
    if (!visit(line, lineStartOk && !code)) stopped = true;
    line++;
    code = false;
    lineStartOk = depth === 0 && between;
  };

  const directive = (start: number): boolean => {
    // the directive's name, after '#' and blanks
    let j = start + 1;
    while (j < n && (text.charCodeAt(j) === SPACE || text.charCodeAt(j) === TAB)) j++;
    let k = j;
    while (k < n) {
      const c = text.charCodeAt(k);
      if (!((c >= 97 && c <= 122) || (c >= 65 && c <= 90))) break;
      k++;
    }
    const name = text.slice(j, k);
    if (name === 'if' || name === 'ifdef' || name === 'ifndef') {
      groups.push({ depth, between, endDepth: 0, endBetween: false, ended: false });
    } else if (name === 'elif' || name === 'else' || name === 'elifdef' || name === 'elifndef' || name === 'endif') {
      const g = groups[groups.length - 1];
      if (!g) return false;
      if (!g.ended) {
        g.ended = true;
        g.endDepth = depth;
        g.endBetween = between;
      } else if (g.endDepth !== depth || g.endBetween !== between) {
        return false;
      }
      if (name === 'endif') {
        groups.pop();
      } else {
        depth = g.depth;
        between = g.between;
      }
    }
    return true;
  };

  while (i < n) {
    if (stopped) return false;
    const c = text.charCodeAt(i);
    if (inBlockComment) {
      if (c === STAR && text.charCodeAt(i + 1) === SLASH) {
        inBlockComment = false;
        i += 2;
        continue;
      }
      if (c === NL) endLine();
      i++;
      continue;
    }
    if (c === NL) {
      // a directive ends at a newline not escaped by a backslash (a CR before it is part of the escape)
      if (inDirective) {
        let b = i - 1;
        if (b >= 0 && text.charCodeAt(b) === CR) b--;
        if (b < 0 || text.charCodeAt(b) !== BACKSLASH) inDirective = false;
      }
      endLine();
      i++;
      continue;
    }
    if (c === SLASH && text.charCodeAt(i + 1) === STAR) {
      inBlockComment = true;
      i += 2;
      continue;
    }
    if (c === SLASH && text.charCodeAt(i + 1) === SLASH) {
      // to the end of the line; a backslash before the newline continues the comment
      let j = i + 2;
      for (;;) {
        const nl = text.indexOf('\n', j);
        if (nl < 0) {
          j = n;
          break;
        }
        let b = nl - 1;
        if (b >= 0 && text.charCodeAt(b) === CR) b--;
        if (b >= j && text.charCodeAt(b) === BACKSLASH) {
          // the comment goes on: the next line holds no code of its own
          i = nl;
          endLine();
          j = nl + 1;
          continue;
        }
        j = nl;
        break;
      }
      i = j;
      continue;
    }
    if (inDirective) {
      i++;
      continue;
    }
    if (c === SPACE || c === TAB || c === CR || c === FF || c === VT) {
      i++;
      continue;
    }
    if (c === HASH && !code) {
      // a directive: '#' first on its line (after blanks)
      if (!directive(i)) return false;
      inDirective = true;
      i++;
      continue;
    }
    code = true;
    if (c === QUOTE || c === APOS) {
      let j = i + 1;
      while (j < n) {
        const d = text.charCodeAt(j);
        if (d === BACKSLASH) {
          if (text.charCodeAt(j + 1) === NL) {
            // an escaped newline inside a literal
            i = j + 1;
            endLine();
            code = true;
          }
          j += 2;
          continue;
        }
        if (d === c || d === NL) break;
        j++;
      }
      if (j >= n || text.charCodeAt(j) === NL) return false;
      // at depth 0, a literal is code that is not an item's end
      if (depth === 0) between = false;
      i = j + 1;
      continue;
    }
    if (c === LBRACE) {
      depth++;
      between = false;
    } else if (c === RBRACE) {
      depth--;
      if (depth < 0) return false;
      if (depth === 0) between = true;
    } else if (depth === 0) {
      between = c === SEMI;
    }
    i++;
  }
  if (stopped || inBlockComment || depth !== 0 || groups.length > 0) return false;
  return visit(line, lineStartOk && !code);
}

/** Are all `lines` (1-based) of `text` surely outside every function definition? */
export function allOutsideFunctions(text: string, lines: Iterable<number>): boolean {
  const wanted = Int32Array.from(lines).sort();
  if (wanted.length === 0) return true;
  let k = 0;
  // stops at the first changed line that is not surely outside (most commits: in the first hunk)
  const sound = scan(text, (line, ok) => {
    if (k < wanted.length && (wanted[k] as number) < line) return false;
    while (k < wanted.length && wanted[k] === line) {
      if (!ok) return false;
      k++;
    }
    return true;
  });
  return sound && k === wanted.length;
}

/**
 * Could the line hold no code? Blank, or starting with a directive, a
 * comment or a comment's `*` (the scan decides); anything else starts with
 * code, unless it is inside a block comment or a directive's continuation,
 * where answering no only costs the skip.
 */
function mayHoldNoCode(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === SPACE || c === TAB || c === CR || c === FF || c === VT) continue;
    return c === HASH || c === SLASH || c === STAR;
  }
  return true;
}

/**
 * Does the diff change only lines that are surely outside every function of
 * its images (added lines in the post-image, removed lines in the
 * pre-image)? The lines are those ChangedFile.added / removed hold.
 */
export function changesOutsideFunctions(diff: FileDiff, images: FileImages): boolean {
  const added: number[] = [];
  const removed: number[] = [];
  for (const hunk of diff.hunks) {
    for (const line of hunk.lines) {
      if (line.kind !== '+' && line.kind !== '-') continue;
      // a line that starts with code is not outside (no scan needed): most commits stop here
      if (!mayHoldNoCode(line.text)) return false;
      if (line.kind === '+' && line.newLine !== undefined) added.push(line.newLine);
      if (line.kind === '-' && line.oldLine !== undefined) removed.push(line.oldLine);
    }
  }
  if (added.length > 0 && (!images.post || !allOutsideFunctions(images.post.text, added))) return false;
  if (removed.length > 0 && (!images.pre || !allOutsideFunctions(images.pre.text, removed))) return false;
  return true;
}
