/**
 * File names in diff headers: git's C-style quoting ("a/foo\tbar.c",
 * "a/caf\303\251.c"), the `diff --git a/X b/Y` line, and the names of
 * `--- `/`+++ ` lines with or without a timestamp.
 */

const C_ESCAPES: Record<string, number> = {
  a: 7,
  b: 8,
  t: 9,
  n: 10,
  v: 11,
  f: 12,
  r: 13,
  '"': 34,
  '\\': 92,
};

const utf8 = new TextDecoder('utf-8');
const encoder = new TextEncoder();

/**
 * Read a C-quoted name at the start of `s` (which starts with `"`).
 * Returns the name and the index just past the closing quote, or null when
 * the quote is not closed or an escape is invalid.
 */
export function readQuoted(s: string): { value: string; end: number } | null {
  const bytes: number[] = [];
  for (let i = 1; i < s.length; i++) {
    const c = s[i] as string;
    if (c === '"') return { value: utf8.decode(Uint8Array.from(bytes)), end: i + 1 };
    if (c !== '\\') {
      const code = c.charCodeAt(0);
      if (code < 0x80) bytes.push(code);
      else for (const b of encoder.encode(c)) bytes.push(b);
      continue;
    }
    const e = s[i + 1];
    if (e === undefined) return null;
    const simple = C_ESCAPES[e];
    if (simple !== undefined) {
      bytes.push(simple);
      i++;
      continue;
    }
    const oct = s.slice(i + 1, i + 4);
    if (/^[0-3][0-7][0-7]$/.test(oct)) {
      bytes.push(parseInt(oct, 8));
      i += 3;
      continue;
    }
    return null;
  }
  return null;
}

/** Unquote a whole name when it is C-quoted; otherwise return it as is. */
export function unquoteName(s: string): string {
  if (!s.startsWith('"')) return s;
  const q = readQuoted(s);
  return q && q.end === s.length ? q.value : s;
}

/** git's one-letter prefixes: a/ b/ (default), i/ w/ c/ o/ (diff.mnemonicPrefix), 1/ 2/ (--no-index). */
const GIT_PREFIX = /^[abciwo12]\//;

/** Strip git's `a/`-style prefix from a name from a git diff. */
export function stripGitPrefix(name: string): string {
  return GIT_PREFIX.test(name) ? name.slice(2) : name;
}

/**
 * The two names of `diff --git <a> <b>` (prefixes stripped), or null when
 * they cannot be told apart. Names with spaces are not quoted by git, so an
 * unquoted line is split where both halves name the same file (what git
 * itself does); renames and copies carry their names on other lines.
 */
export function parseGitHeaderNames(rest: string): { oldName: string; newName: string } | null {
  if (rest.startsWith('"')) {
    const a = readQuoted(rest);
    if (!a || rest[a.end] !== ' ') return null;
    const tail = rest.slice(a.end + 1);
    const b = tail.startsWith('"') ? readQuoted(tail) : { value: tail, end: tail.length };
    if (!b || b.end !== tail.length || b.value === '') return null;
    return { oldName: stripGitPrefix(a.value), newName: stripGitPrefix(b.value) };
  }
  const q = rest.indexOf(' "');
  if (q > 0 && rest.endsWith('"')) {
    const b = readQuoted(rest.slice(q + 1));
    if (b && q + 1 + b.end === rest.length) {
      return { oldName: stripGitPrefix(rest.slice(0, q)), newName: stripGitPrefix(b.value) };
    }
  }
  // Same name on both sides: "a/X b/X" split in the middle.
  if ((rest.length - 1) % 2 === 0) {
    const mid = (rest.length - 1) / 2;
    if (rest[mid] === ' ') {
      const a = stripGitPrefix(rest.slice(0, mid));
      const b = stripGitPrefix(rest.slice(mid + 1));
      if (a === b && a !== '') return { oldName: a, newName: b };
    }
  }
  // Different names (a rename without rename lines): split before the second prefix.
  const m = / [abciwo12]\//.exec(rest.slice(1));
  const at = m ? m.index + 1 : rest.indexOf(' ');
  if (at <= 0) return null;
  return { oldName: stripGitPrefix(rest.slice(0, at)), newName: stripGitPrefix(rest.slice(at + 1)) };
}

export interface TraditionalName {
  /** the name as written (unquoted), null for /dev/null */
  name: string | null;
  /** the timestamp after the name, '' when none */
  timestamp: string;
}

// A trailing `2021-01-02 03:04:05.000000000 +0100` after spaces (diff without a TAB).
const TRAILING_DATE = /\s+(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d+)?(?: ?[+-]\d{4})?)$/;

/** Name of a `--- <name>[\t<timestamp>]` / `+++ ...` line (the part after the marker and space). */
export function parseTraditionalName(rest: string): TraditionalName {
  let name: string;
  let timestamp = '';
  if (rest.startsWith('"')) {
    const q = readQuoted(rest);
    if (q) {
      name = q.value;
      timestamp = rest.slice(q.end).trim();
    } else {
      name = rest.trim();
    }
  } else {
    const tab = rest.indexOf('\t');
    if (tab >= 0) {
      name = rest.slice(0, tab);
      timestamp = rest.slice(tab + 1).trim();
    } else {
      // Only look at the end of the line: no backtracking over long names.
      const tailStart = Math.max(0, rest.length - 64);
      const m = TRAILING_DATE.exec(rest.slice(tailStart));
      if (m && m[1] !== undefined) {
        name = rest.slice(0, tailStart + m.index);
        timestamp = m[1];
      } else {
        name = rest;
      }
    }
    name = name.trimEnd();
  }
  return { name: name === '/dev/null' ? null : name, timestamp };
}

/** GNU diff -N marks a missing side with the epoch (in local time) as its timestamp. */
export function isEpochTimestamp(ts: string): boolean {
  const m = /^(\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)(?:\.\d+)? ?([+-])(\d\d)(\d\d)$/.exec(ts);
  if (!m) return false;
  const n = m.map(Number);
  const local = Date.UTC(n[1] as number, (n[2] as number) - 1, n[3], n[4], n[5], n[6]);
  const offset = ((n[8] as number) * 60 + (n[9] as number)) * 60000 * (m[7] === '-' ? -1 : 1);
  return local - offset === 0;
}

/**
 * Names of a traditional (non-git) diff, patch -p1 style: the first path
 * component is dropped when the two sides differ in it (`a/x` `b/x`,
 * `qemu.orig/x` `qemu/x`) or, with one side missing, when it is a git-like
 * one-letter prefix. `hw/x.c.orig` `hw/x.c` keeps its components.
 */
export function stripTraditional(oldName: string | null, newName: string | null): {
  oldName: string | null;
  newName: string | null;
} {
  const first = (n: string): string => (n.includes('/') ? n.slice(0, n.indexOf('/')) : '');
  const rest = (n: string): string => n.slice(n.indexOf('/') + 1);
  if (oldName !== null && newName !== null) {
    const fa = first(oldName);
    const fb = first(newName);
    if (fa !== '' && fb !== '' && fa !== fb) return { oldName: rest(oldName), newName: rest(newName) };
    return { oldName, newName };
  }
  const strip = (n: string | null): string | null => (n !== null && GIT_PREFIX.test(n) ? n.slice(2) : n);
  return { oldName: strip(oldName), newName: strip(newName) };
}
