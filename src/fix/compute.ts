/**
 * The fix stage: for a finding whose repair is mechanical and local, the edit
 * that makes it, computed from the finding's locations (primary, function,
 * related) and the post-image's text and C model. It runs after the rules and
 * reads no rule's internals; a fix whose anchor (the statement it mirrors,
 * the place it goes, the names it needs in scope) cannot be found is not
 * offered.
 */
import type { Finding } from '../rule/finding.js';
import type { CCall, CFileModel, CFunction } from '../cmodel/types.js';
import type { PairTable } from '../pairs/table.js';
import type { Fix, FixEdit } from '../rule/fix.js';
import { clearsPosition } from '../cmodel/handlers.js';
import { calleeBase, callSource, displayToggles, toggleOf } from '../cmodel/toggles.js';

export interface FixContext {
  /** post-image text of a C file of the commit, null when the commit does not touch it */
  text(path: string): string | null;
  /** its C model */
  model(path: string): CFileModel | null;
  /** names of the functions of the file (for name families) */
  knownNames(path: string): ReadonlySet<string>;
  /** is this post-image line inside a hunk of the commit's diff of the file? */
  inHunk(path: string, line: number): boolean;
  pairs: PairTable;
}

const INDENT = '    ';
const KEYWORDS = new Set(['sizeof', 'NULL', 'true', 'false', 'return', 'if', 'else', 'struct', 'const', 'unsigned', 'int', 'char', 'void', 'bool']);

export function lineAt(text: string, line: number): string | null {
  let start = 0;
  for (let n = 1; n < line; n++) {
    const next = text.indexOf('\n', start);
    if (next < 0) return null;
    start = next + 1;
  }
  if (start > text.length || (start === text.length && line > 1)) return null;
  const end = text.indexOf('\n', start);
  return end < 0 ? text.slice(start) : text.slice(start, end);
}

function linesAt(text: string, from: number, to: number): string[] | null {
  const out: string[] = [];
  for (let n = from; n <= to; n++) {
    const l = lineAt(text, n);
    if (l === null) return null;
    out.push(l);
  }
  return out;
}

const indentOf = (line: string) => /^[ \t]*/.exec(line)?.[0] ?? '';

/** Plain identifiers an expression reads (not fields after `->`/`.`, not called names, not keywords). */
export function identifiersOf(expr: string): string[] {
  const out = new Set<string>();
  const stripped = expr.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, '""');
  const re = /(->|\.)?\s*\b([A-Za-z_]\w*)\b(\s*\()?/g;
  for (let m = re.exec(stripped); m; m = re.exec(stripped)) {
    if (m[1] || m[3] || KEYWORDS.has(m[2] as string)) continue;
    out.add(m[2] as string);
  }
  return [...out];
}

/**
 * Can these names be used in `fn` at `line`? Each must be a parameter of it,
 * or written as a word in its lines above `line` (a declaration or an earlier
 * use), which is what a reviewer checks by eye.
 */
function inScope(fn: CFunction, text: string, names: readonly string[], line: number): boolean {
  const above = linesAt(text, fn.startLine, Math.max(fn.startLine, line - 1))?.join('\n') ?? '';
  return names.every((n) => fn.params?.includes(n) || new RegExp(`\\b${n}\\b`).test(above));
}

function edit(ctx: FixContext, file: string, text: string, line: number, endLine: number, replacement: string): FixEdit | null {
  const old = linesAt(text, line, endLine);
  if (!old) return null;
  let inHunk = true;
  for (let n = line; n <= endLine; n++) if (!ctx.inHunk(file, n)) inHunk = false;
  return { file, line, endLine, old: old.map((l) => l + '\n').join(''), text: replacement, inHunk };
}

/** Insert `lines` (already indented) before line `line`: a replacement of that line by the lines and itself. */
function insertBefore(ctx: FixContext, file: string, text: string, line: number, lines: string[]): FixEdit | null {
  const anchor = lineAt(text, line);
  if (anchor === null) return null;
  return edit(ctx, file, text, line, line, lines.map((l) => l + '\n').join('') + anchor + '\n');
}

/** Is the statement of this call the call alone (`name(args);`), nothing stored? */
function isCallStatement(call: CCall, text: string): boolean {
  if (call.result) return false;
  const lines = linesAt(text, call.line, call.endLine);
  if (!lines) return false;
  const joined = lines.join('\n').trim();
  return joined.startsWith(calleeBase(call.callee)) && /\)\s*;\s*(\/\*.*\*\/\s*)?$/.test(joined) && !/;\s*\S/.test(joined.replace(/;\s*(\/\*.*\*\/\s*)?$/, ''));
}

const callAt = (fn: CFunction, line: number, pred?: (c: CCall) => boolean) =>
  fn.calls.find((c) => c.line <= line && line <= c.endLine && (!pred || pred(c))) ?? null;

function negate(pred: string): string {
  const t = pred.trim();
  // an identifier, a field or a call: `!x`, `!s->f`, `!f(a, b)`; anything else in parentheses
  if (/^[A-Za-z_][\w]*(\s*(->|\.)\s*[A-Za-z_]\w*)*(\s*\((?:[^()]|\([^()]*\))*\))?$/.test(t)) return `!${t}`;
  return `!(${t})`;
}

/** (a) skip-asymmetry: the acquire side's new test, mirrored before the release on the other side. */
function mirrorSkip(f: Finding, ctx: FixContext): Fix | null {
  if (!f.function) return null;
  const model = ctx.model(f.file);
  const text = ctx.text(f.file);
  const fn = model?.functionByName(f.function);
  if (!model || !text || !fn) return null;
  const end = f.endLine ?? f.line;
  const cond = fn.conditions.find((c) => c.kind === 'if' && c.stmtLine >= f.line && c.stmtLine <= end) ?? null;
  if (!cond) return null;
  const pred = cond.normalized.trim();
  for (const rel of f.related) {
    if (!rel.function || rel.function === f.function) continue;
    const rModel = ctx.model(rel.file);
    const rText = ctx.text(rel.file);
    const rFn = rModel?.functionByName(rel.function);
    if (!rModel || !rText || !rFn) continue;
    const call = callAt(rFn, rel.line);
    if (!call) continue;
    const names = identifiersOf(pred);
    // 1. the release runs under a local flag (`if (try_unmap)`): clear the flag for what the acquire side skips
    const gateNames = new Set(rFn.gates.map((g) => g.flag));
    const flagGuard = [...call.guards].reverse().find((g) => !g.negated && g.condition.kind === 'if' && gateNames.has(g.condition.normalized));
    if (flagGuard) {
      const at = flagGuard.condition.stmtLine;
      const ind = indentOf(lineAt(rText, at) ?? '');
      if (!inScope(rFn, rText, names, at)) return null;
      const e = insertBefore(ctx, rel.file, rText, at, [`${ind}if (${pred}) {`, `${ind}${INDENT}${flagGuard.condition.normalized} = false;`, `${ind}}`]);
      return e
        ? { kind: 'mirror-skip', description: `In ${rel.function}(), clear ${flagGuard.condition.normalized} when \`${pred}\` (the test ${f.function}() now skips on), so ${displayToggles(`${call.callee}()`)} is skipped too`, edits: [e] }
        : null;
    }
    // 2. the release is a statement of its own: run it only when the acquire side did not skip
    if (isCallStatement(call, rText)) {
      const lines = linesAt(rText, call.line, call.endLine);
      if (!lines || !inScope(rFn, rText, names, call.line)) return null;
      const ind = indentOf(lines[0] as string);
      const body = lines.map((l) => (l.trim() === '' ? '' : INDENT + l));
      const e = edit(ctx, rel.file, rText, call.line, call.endLine, [`${ind}if (${negate(pred)}) {`, ...body, `${ind}}`].map((l) => l + '\n').join(''));
      return e ? { kind: 'mirror-skip', description: `In ${rel.function}(), call ${displayToggles(`${call.callee}()`)} only when not \`${pred}\`, as ${f.function}() skips its counterpart then`, edits: [e] } : null;
    }
    return null;
  }
  return null;
}

/** an argument that is no object: a literal, NULL, a flag, an error pointer */
const NOT_AN_OBJECT = /^(NULL|true|false|-?[0-9][\w.]*|'.*'|".*"|errp|&?local_err|&err|sizeof\b.*|[A-Z][A-Z0-9_]*)$/;

const ALLOCATOR = /(alloc|malloc|new|dup|create)/;

const RELEASE_WORDS = /(unref|free|unregister|cleanup|destroy|unparent|close|uninit|fini|_del|_remove|unmap|_put)/;

/** A call that gives something back: a release in the pair table or a name family, or named like one. */
function isRelease(callee: string, path: string, ctx: FixContext): boolean {
  if (ctx.pairs.isNonResource(callee)) return false;
  const m = ctx.pairs.primitiveOrFamily(callee, ctx.knownNames(path)) ?? ctx.pairs.anyPrimitive(callee);
  return m ? m.role === 'release' : RELEASE_WORDS.test(callee);
}

/** (b) call-asymmetry: the release the other side lacks, where it releases its other resources. */
function addRelease(f: Finding, ctx: FixContext): Fix | null {
  if (!f.function) return null;
  const isAcquire = (path: string) => (c: CCall) => {
    const m = ctx.pairs.primitiveOrFamily(c.callee, ctx.knownNames(path)) ?? ctx.pairs.anyPrimitive(c.callee);
    return m?.role === 'acquire';
  };
  // the acquire is at the primary location (an acquire added), or the primary is a new release side
  // and the acquire is a related location in another function
  const locations = [{ file: f.file, line: f.line, function: f.function }, ...f.related];
  let acquire: CCall | null = null;
  let acquireAt: (typeof locations)[number] | null = null;
  for (const loc of locations) {
    const fnAt = loc.function ? ctx.model(loc.file)?.functionByName(loc.function) : null;
    acquire = fnAt ? callAt(fnAt, loc.line, isAcquire(loc.file)) : null;
    if (acquire) {
      acquireAt = loc;
      break;
    }
  }
  if (!acquire || !acquireAt) return null;
  const model = ctx.model(acquireAt.file);
  const match = ctx.pairs.primitiveOrFamily(acquire.callee, ctx.knownNames(acquireAt.file)) ?? ctx.pairs.anyPrimitive(acquire.callee);
  if (!model || !match || match.counterparts.length === 0) return null;
  const rel = acquireAt === locations[0] ? f.related.find((r) => r.function && r.function !== f.function) : locations[0];
  if (!rel || !rel.function) return null;
  const rModel = ctx.model(rel.file);
  const rText = ctx.text(rel.file);
  const rFn = rModel?.functionByName(rel.function);
  if (!rModel || !rText || !rFn) return null;
  // the release name, and how many arguments it takes, from a call of it in the file when there is one
  const example = (name: string) => rModel.functions.flatMap((g) => g.calls).find((c) => c.callee === name) ?? model.functions.flatMap((g) => g.calls).find((c) => c.callee === name);
  const release = match.counterparts.find((n) => example(n)) ?? match.counterparts[0];
  if (!release || /[^\w]/.test(release)) return null;
  const sample = example(release);
  // the object: what an allocation returns (`s->buf = g_malloc0(...)`), else what the acquire is given
  // (`r = event_notifier_init(&n, 0)` stores a return code, not the object)
  const objects = acquire.args.filter((a) => !NOT_AN_OBJECT.test(a.trim()));
  const allocates = acquire.result !== undefined && (ALLOCATOR.test(acquire.callee) || objects.length === 0 || sample?.args[0] === acquire.result);
  // a switch is turned off as it was turned on, on the same arguments (`fx_set_mapped(s->mem, false)`)
  const toggle = toggleOf(release);
  let args: string[];
  // a handler is taken away by NULL where its callbacks stood (where the file's own call has NULL, when it has one)
  if (toggle?.kind === 'handler')
    args = acquire.args.map((a, i) => (sample && sample.args.length === acquire.args.length ? (clearsPosition(sample.args[i] as string) ? (sample.args[i] as string) : a) : model.functionByName(a.trim().replace(/^&/, '')) ? 'NULL' : a));
  else if (toggle) args = acquire.args;
  else if (allocates && acquire.result && (!sample || sample.args.length === 1)) args = [acquire.result];
  else {
    const arity = sample ? sample.args.length : objects.length >= 1 ? 1 : 0;
    // past two arguments which one is which is a guess (map(c, iova, size, vaddr) / unmap(c, iova, size, iotlb)): no fix
    if (arity === 0 || arity > 2 || arity > objects.length) return null;
    args = objects.slice(0, arity);
  }
  const call = `${callSource(release, args)};`;
  // where the release side releases its other resources: before its first unconditional release
  const releasing = rFn.calls.find((c) => c.guards.length === 0 && !c.inLoop && isRelease(c.callee, rel.file, ctx));
  let at: number;
  let ind: string;
  // an element taken off its list (`QLIST_REMOVE(obj, link)`) is freed right after
  const unlinked = args.length === 1 ? rFn.calls.find((c) => ctx.pairs.isListRemove(c.callee) && c.args[0] === args[0]) : undefined;
  if (unlinked && isCallStatement(unlinked, rText)) {
    at = unlinked.endLine + 1;
    ind = indentOf(lineAt(rText, unlinked.line) ?? '');
  } else if (releasing && isCallStatement(releasing, rText)) {
    at = releasing.line;
    ind = indentOf(lineAt(rText, at) ?? '');
  } else if (!releasing) {
    // nothing released yet: at the end of the body, when it does not end in a jump
    at = rFn.endLine;
    if ((lineAt(rText, at) ?? '').trim() !== '}') return null;
    const last = [...(linesAt(rText, rFn.bodyStartLine, at - 1) ?? [])].reverse().find((l) => l.trim() !== '') ?? '';
    if (/^\s*(return|goto)\b/.test(last) || /^\s*[A-Za-z_]\w*:\s*$/.test(last)) return null;
    ind = indentOf(lineAt(rText, at) ?? '') + INDENT;
  } else return null;
  if (!inScope(rFn, rText, args.flatMap(identifiersOf), at)) return null;
  const e = insertBefore(ctx, rel.file, rText, at, [`${ind}${call}`]);
  return e
    ? { kind: 'add-release', description: `In ${rel.function}(), call ${call.slice(0, -1)} to undo the ${displayToggles(`${acquire.callee}()`)} that ${acquireAt.function ?? f.function}() makes`, edits: [e] }
    : null;
}

/** (c) error-path-leak: the release the unwind lacks, copied from the normal release path, before the jump. */
function unwindRelease(f: Finding, ctx: FixContext): Fix | null {
  if (!f.function) return null;
  const model = ctx.model(f.file);
  const text = ctx.text(f.file);
  const fn = model?.functionByName(f.function);
  if (!model || !text || !fn) return null;
  const end = f.endLine ?? f.line;
  const exit = [...fn.exits].reverse().find((x) => x.line >= f.line && x.line <= end && (x.kind === 'return' || x.kind === 'goto')) ?? null;
  if (!exit) return null;
  // the normal path's release: a related location with a call that is a statement of its own
  for (const rel of [...f.related].reverse()) {
    if (!rel.function) continue;
    const rText = ctx.text(rel.file);
    const rFn = ctx.model(rel.file)?.functionByName(rel.function);
    // the normal path may be another function (uninit) or this one's own teardown of an earlier object
    if (!rText || !rFn || (rFn === fn && rel.line >= f.line && rel.line <= end)) continue;
    const call = callAt(rFn, rel.line, (c) => isRelease(c.callee, rel.file, ctx));
    if (!call || !isCallStatement(call, rText)) continue;
    const lines = linesAt(rText, call.line, call.endLine);
    if (!lines) return null;
    const stmt = lines.map((l) => l.trim()).join(' ');
    // already there: nothing mechanical to add
    if (fn.calls.some((c) => c.callee === call.callee && c.line > f.line && c.line < exit.line)) return null;
    // mirror the normal path's order against the releases the unwind already makes
    const unwind = fn.calls.filter((c) => c.line > f.line && c.line < exit.line && c.guards.length > 0);
    const later = unwind.find((u) => {
      const there = rFn.calls.find((c) => c.callee === u.callee);
      return there !== undefined && there.line > call.line && isCallStatement(u, text);
    });
    const at = later ? later.line : exit.line;
    const ind = indentOf(lineAt(text, at) ?? '');
    if (!inScope(fn, text, identifiersOf(stmt), at)) return null;
    const e = insertBefore(ctx, f.file, text, at, [`${ind}${stmt}`]);
    return e ? { kind: 'unwind-release', description: `On this error path of ${f.function}(), also call ${displayToggles(`${call.callee}()`)} as ${rel.function}() does`, edits: [e] } : null;
  }
  return null;
}

const BY_RULE: Readonly<Record<string, (f: Finding, ctx: FixContext) => Fix | null>> = {
  'skip-asymmetry': mirrorSkip,
  'call-asymmetry': addRelease,
  'error-path-leak': unwindRelease,
};

/** The fix for a finding, or null when its kind has none or its anchor cannot be found. */
export function computeFix(f: Finding, ctx: FixContext): Fix | null {
  const compute = BY_RULE[f.ruleId];
  if (!compute || f.diffOnly) return null;
  return compute(f, ctx);
}
