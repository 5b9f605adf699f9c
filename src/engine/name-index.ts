/**
 * A cheap index of the functions a C file may define, from one lexical scan
 * (no parse): every identifier followed by `(` at brace depth 0, outside
 * comments, literals and preprocessor directives. A function definition's
 * name is such an identifier (its declarator sits at depth 0, before the
 * body's brace), so the index holds every name the C model would find
 * defined, and more (prototypes, file-scope macro calls). The lint loop uses
 * it to decide whether a context file of a pathspec range (see
 * src/git/pathspec.ts) holds the other half of a move, before reading it
 * into a model.
 *
 * Conditional groups are followed as in outside-functions.ts: every branch
 * of an `#if` group starts from the depth at `#if` and must end at the same
 * depth (a group without `#else` at the depth at `#if`). When that does not hold (or the depth goes below 0, or a comment or
 * a group is left open), the scan proves nothing and `mayDefine` falls back
 * to any occurrence of `name (` in the text.
 */

import { escapeRegExp } from '../regex-escape.js';

const NL = 10;
const CR = 13;
const SLASH = 47;
const STAR = 42;
const BACKSLASH = 92;
const QUOTE = 34;
const APOS = 39;
const HASH = 35;
const LBRACE = 123;
const RBRACE = 125;
const LPAREN = 40;

function isIdentStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;
}

function isIdent(c: number): boolean {
  return isIdentStart(c) || (c >= 48 && c <= 57);
}

function isBlank(c: number): boolean {
  return c === 32 || c === 9 || c === CR || c === 12 || c === 11;
}

/**
 * Identifiers followed by `(` at brace depth 0 (white space and comments
 * between them allowed); null when the scan proves nothing for this text.
 */
export function depthZeroCallNames(text: string): Set<string> | null {
  const n = text.length;
  const names = new Set<string>();
  let depth = 0;
  /** code seen on the current line: a '#' after it is not a directive */
  let code = false;
  /** an identifier at depth 0 waiting for its '(' */
  let pending: string | null = null;
  const groups: { depth: number; endDepth: number; ended: boolean }[] = [];
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === NL) {
      code = false;
      i++;
      continue;
    }
    if (isBlank(c)) {
      i++;
      continue;
    }
    if (c === SLASH && text.charCodeAt(i + 1) === STAR) {
      const end = text.indexOf('*/', i + 2);
      if (end < 0) return null;
      i = end + 2;
      continue;
    }
    if (c === SLASH && text.charCodeAt(i + 1) === SLASH) {
      // to the end of the line; a backslash before the newline continues it
      let j = i + 2;
      for (;;) {
        const nl = text.indexOf('\n', j);
        if (nl < 0) {
          j = n;
          break;
        }
        let b = nl - 1;
        if (b >= j && text.charCodeAt(b) === CR) b--;
        if (b >= j && text.charCodeAt(b) === BACKSLASH) {
          j = nl + 1;
          continue;
        }
        j = nl;
        break;
      }
      i = j;
      continue;
    }
    if (c === HASH && !code) {
      // a directive: its name, then skip to the end of the line (and its continuations)
      let j = i + 1;
      while (j < n && isBlank(text.charCodeAt(j))) j++;
      let k = j;
      while (k < n && isIdent(text.charCodeAt(k))) k++;
      const name = text.slice(j, k);
      if (name === 'if' || name === 'ifdef' || name === 'ifndef') {
        groups.push({ depth, endDepth: 0, ended: false });
      } else if (name === 'elif' || name === 'else' || name === 'elifdef' || name === 'elifndef' || name === 'endif') {
        const g = groups[groups.length - 1];
        if (!g) return null;
        if (!g.ended) {
          // a group without #else has an empty branch, which keeps the depth at #if
          if (name === 'endif' && depth !== g.depth) return null;
          g.ended = true;
          g.endDepth = depth;
        } else if (g.endDepth !== depth) {
          return null;
        }
        if (name === 'endif') groups.pop();
        else depth = g.depth;
      }
      pending = null;
      for (;;) {
        const nl = text.indexOf('\n', k);
        if (nl < 0) {
          i = n;
          break;
        }
        let b = nl - 1;
        if (b >= k && text.charCodeAt(b) === CR) b--;
        // a comment inside a directive may hide a backslash; a continued line goes on
        if (b >= k && text.charCodeAt(b) === BACKSLASH) {
          k = nl + 1;
          continue;
        }
        i = nl;
        break;
      }
      continue;
    }
    code = true;
    if (c === QUOTE || c === APOS) {
      let j = i + 1;
      while (j < n) {
        const d = text.charCodeAt(j);
        if (d === BACKSLASH) {
          j += 2;
          continue;
        }
        if (d === c || d === NL) break;
        j++;
      }
      if (j >= n || text.charCodeAt(j) === NL) return null;
      pending = null;
      i = j + 1;
      continue;
    }
    if (isIdentStart(c)) {
      let j = i + 1;
      while (j < n && isIdent(text.charCodeAt(j))) j++;
      pending = depth === 0 ? text.slice(i, j) : null;
      i = j;
      continue;
    }
    if (c === LPAREN) {
      if (pending !== null) names.add(pending);
    } else if (c === LBRACE) {
      depth++;
    } else if (c === RBRACE) {
      depth--;
      if (depth < 0) return null;
    }
    pending = null;
    i++;
  }
  if (depth !== 0 || groups.length > 0) return null;
  return names;
}

/**
 * May `text` define a function named one of `names`? Never false for a
 * file whose C model defines one of them (see the file comment); true also
 * for some files that only declare or mention one.
 */
export function mayDefineAny(text: string, names: ReadonlySet<string>): boolean {
  if (names.size === 0) return false;
  // most context files do not mention any of the names at all: no scan
  const mentioned = [...names].filter((name) => text.includes(name));
  if (mentioned.length === 0) return false;
  const index = depthZeroCallNames(text);
  if (index) return mentioned.some((name) => index.has(name));
  return mentioned.some((name) => new RegExp(`(?<![\\w$])${escapeRegExp(name)}\\s*\\(`).test(text));
}
