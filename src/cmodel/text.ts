/**
 * Text helpers of the C model: normalizing snippets (comments removed,
 * whitespace collapsed) and blanking attribute-like QEMU/GLib macros before
 * parsing. Pure functions over strings; no parser needed.
 */

/**
 * Collapse whitespace runs to one space and drop comments, keeping string and
 * character literals as written. Never throws (unterminated literals and
 * comments run to the end of the text).
 */
export function normalizeC(text: string): string {
  let out = '';
  let pendingSpace = false;
  const n = text.length;
  let i = 0;
  const emit = (s: string): void => {
    if (pendingSpace && out.length > 0) out += ' ';
    pendingSpace = false;
    out += s;
  };
  while (i < n) {
    const ch = text.charCodeAt(i);
    // whitespace: space, tab, newline, cr, vertical tab, form feed
    if (ch === 32 || (ch >= 9 && ch <= 13)) {
      pendingSpace = true;
      i++;
      continue;
    }
    if (ch === 47 /* / */ && i + 1 < n) {
      const next = text.charCodeAt(i + 1);
      if (next === 42 /* * */) {
        const end = text.indexOf('*/', i + 2);
        i = end < 0 ? n : end + 2;
        pendingSpace = true;
        continue;
      }
      if (next === 47) {
        const end = text.indexOf('\n', i + 2);
        i = end < 0 ? n : end;
        pendingSpace = true;
        continue;
      }
    }
    if (ch === 34 /* " */ || ch === 39 /* ' */) {
      let j = i + 1;
      while (j < n) {
        const c = text.charCodeAt(j);
        if (c === 92 /* \ */) {
          j += 2;
          continue;
        }
        if (c === ch || c === 10) break;
        j++;
      }
      j = Math.min(j + 1, n);
      emit(text.slice(i, j));
      i = j;
      continue;
    }
    // a run of ordinary characters
    let j = i + 1;
    while (j < n) {
      const c = text.charCodeAt(j);
      if (c === 32 || (c >= 9 && c <= 13) || c === 34 || c === 39 || c === 47) break;
      j++;
    }
    emit(text.slice(i, j));
    i = j;
  }
  return out;
}

/**
 * Attribute-like macros that tree-sitter-c cannot parse where QEMU puts them
 * (`static void coroutine_fn f(...)`, `Error **errp G_GNUC_UNUSED`,
 * `g_autofree char *p = NULL;`). They carry no meaning for the model, so they
 * are replaced by spaces of the same length before parsing: every offset,
 * line and column stays the same, and texts are still taken from the
 * original file image.
 */
export const ATTRIBUTE_MACROS: readonly string[] = [
  'G_GNUC_UNUSED',
  'QEMU_AUTO_VFREE',
  'G_GNUC_WARN_UNUSED_RESULT',
  'G_GNUC_NULL_TERMINATED',
  'G_GNUC_MALLOC',
  'G_GNUC_CONST',
  'G_GNUC_PURE',
  'G_GNUC_NO_INLINE',
  'G_GNUC_DEPRECATED',
  'G_NORETURN',
  'G_GNUC_NORETURN',
  'G_GNUC_INTERNAL',
  'G_GNUC_FALLTHROUGH',
  'QEMU_NORETURN',
  'QEMU_PACKED',
  'QEMU_WARN_UNUSED_RESULT',
  'QEMU_ALWAYS_INLINE',
  'QEMU_FLATTEN',
  'QEMU_DISABLE_CFI',
  'QEMU_SENTINEL',
  'QEMU_UNUSED_FUNC',
  'QEMU_UNUSED_VAR',
  // a local left out of -ftrivial-auto-var-init (`QEMU_UNINITIALIZED uint8_t buf[4096];`)
  'QEMU_UNINITIALIZED',
  'QEMU_NONSTRING',
  'QEMU_MAY_ALIAS',
  'QEMU_COLD',
  'QEMU_SANITIZE_THREAD',
  'QEMU_SANITIZE_ADDRESS',
  'coroutine_fn',
  'coroutine_mixed_fn',
  'no_coroutine_fn',
  'g_autofree',
  'TSA_NO_TSA',
  'GRAPH_RDLOCK',
  'GRAPH_WRLOCK',
  'GRAPH_UNLOCKED',
  'GRAPH_RDLOCK_PTR',
  'GRAPH_WRLOCK_PTR',
  'GRAPH_UNLOCKED_PTR',
];

/** Attribute macros with a short argument list: `G_GNUC_PRINTF(1, 2)`. */
export const ATTRIBUTE_MACROS_WITH_ARGS: readonly string[] = [
  'G_GNUC_PRINTF',
  'GCC_FMT_ATTR',
  'G_GNUC_SCANF',
  'G_GNUC_FORMAT',
  'G_GNUC_ALLOC_SIZE',
  'G_GNUC_ALLOC_SIZE2',
  'QEMU_ERROR',
  'QEMU_ALIGNED',
  'TSA_REQUIRES',
  'TSA_REQUIRES_SHARED',
  'TSA_EXCLUDES',
  'TSA_ACQUIRE',
  'TSA_ACQUIRE_SHARED',
  'TSA_RELEASE',
  'TSA_RELEASE_SHARED',
  'TSA_ASSERT',
  'TSA_ASSERT_SHARED',
  'TSA_GUARDED_BY',
  'TSA_PT_GUARDED_BY',
];

const BARE_RE = new RegExp(`\\b(?:${ATTRIBUTE_MACROS.join('|')})\\b`, 'g');
const ARGS_RE = new RegExp(`\\b(?:${ATTRIBUTE_MACROS_WITH_ARGS.join('|')})[ \\t]*\\([^()\\n]*\\)`, 'g');
/** GNU attributes, with one level of nested parentheses: `__attribute__((aligned(16)))`. */
const GNU_ATTR_RE = /\b__attribute__[ \t]*\(\((?:[^()\n]|\([^()\n]*\))*\)\)/g;
const QUICK_RE = new RegExp(`${[...ATTRIBUTE_MACROS, ...ATTRIBUTE_MACROS_WITH_ARGS, '__attribute__'].join('|')}`);

function spaces(s: string): string {
  return s.replace(/[^\n]/g, ' ');
}

/** `text` with attribute macros replaced by spaces (same length, same lines). */
export function blankAttributeMacros(text: string): string {
  if (!QUICK_RE.test(text)) return text;
  return text.replace(ARGS_RE, spaces).replace(GNU_ATTR_RE, spaces).replace(BARE_RE, spaces);
}

/** Is the name spelled like a macro (`QLIST_FOREACH`, `RCU_READ_LOCK_GUARD`)? */
export function looksLikeMacro(name: string): boolean {
  return /^[A-Z_][A-Z0-9_]*$/.test(name) && /[A-Z]/.test(name);
}

/** Macros whose block is a loop body: `QLIST_FOREACH(x, &l, next) { ... }`. */
export function isLoopMacro(name: string): boolean {
  return /(?:^|_)(?:FOREACH|FOR_EACH)(?:_|$)/i.test(name);
}

/** Macros whose block is run once in a hidden for(): `WITH_RCU_READ_LOCK_GUARD() { ... }`. */
export function isScopeMacro(name: string): boolean {
  return /^WITH_[A-Z0-9_]*$/.test(name);
}
