/**
 * used-after-release: a function frees a heap value and later, on the same path, reads through it again
 * (`g_free(info); trace_fx_probe(dev->name, info->index);`) with nothing storing a new value in between: the commit
 * moved a free above a last use, or added a use after the free. Also a variable of the file released and left set
 * while another function of the file tests it for being there; or a new goto to an unwind that frees a value the
 * function linked into a list on the way.
 */
import type { CCall, CCondition, CExit, CFunction, CGuard } from '../src/cmodel/types.js';
import type { NoOptions, Rule, RuleContext } from '../src/rule/rule.js';
import type { PairTable } from '../src/pairs/table.js';
import type { ChangedFile, CommitSummary, FunctionChange, ModelService } from '../src/rule/model.js';

const MESSAGES = {
  used:
    '{{fn}}() uses `{{object}}` here (`{{use}}`) after {{release}}() freed it ({{file}}:{{releaseLine}}), ' +
    'and nothing stores a new value in `{{object}}` in between: a use after free on this path. Read what it needs ' +
    'before the {{release}}(), or free it after this last use.',
  usedReleased:
    '{{fn}}() uses `{{object}}` here (`{{use}}`) after {{release}}() gave back what {{acquire}}() made of it ' +
    '({{file}}:{{releaseLine}}), and nothing stores a new value in `{{object}}` in between: it reads memory the ' +
    'function no longer holds on this path. Read what it needs before the {{release}}(), or release it after this last use.',
  freedInWalk:
    '{{fn}}() frees `{{variable}}` with {{release}}() inside `{{walk}}(...)` ({{file}}:{{walkLine}}), which walks the ' +
    'list with `{{variable}}`, and the loop goes on after it: its next step reads the link out of the element just ' +
    'freed (a use after free). Use `{{safe}}`, which reads the link first, or leave the loop after the free.',
  usedAlias:
    '{{fn}}() uses `{{alias}}` here (`{{use}}`), which it pointed into `{{object}}` (`{{alias}} = {{value}}`, ' +
    '{{file}}:{{aliasLine}}), after {{release}}() gave back what {{acquire}}() made of `{{object}}` ({{file}}:{{releaseLine}}): ' +
    'where it was set so, it reads memory the function no longer holds. Use it before the {{release}}(), or release ' +
    'after this last use.',
  usedClosed:
    '{{fn}}() uses `{{object}}` here (`{{use}}`) after {{release}}() closed it ({{file}}:{{releaseLine}}), and nothing ' +
    'gives it a new value in between: it keeps or hands on a descriptor that is closed (and that the next open may ' +
    'reuse for another file). Use it before the {{release}}(), or leave after the close.',
  usedAfterDrop:
    '{{fn}}() now reads through `{{object}}` here (`{{use}}`) after {{release}}() gave it back ' +
    '({{file}}:{{releaseLine}}): {{fn}}() was handed it (`{{handed}}`) and took no reference of its own, so when that ' +
    'release was the last one this reads freed memory. Read what it needs before the {{release}}() (into a local), ' +
    'and use that after it.',
  usedMoved:
    '{{fn}}() now gives back `{{object}}` with {{release}}() ({{file}}:{{releaseLine}}) before this use (`{{use}}`), ' +
    'which came before that release until this commit: it now reads through what the function no longer holds (freed ' +
    'memory, when its reference was the last). Make this use before {{release}}() again.',
  usedInHelper:
    '{{fn}}() calls {{helper}}() here, handing it `{{base}}`, after {{release}}() released `{{object}}` ' +
    '({{file}}:{{releaseLine}}), and {{helper}}() uses that field (`{{use}}`, {{helperPath}}:{{useLine}}) with ' +
    'nothing storing a new value in `{{object}}` in between: a use after free on this path. Call {{helper}}() before ' +
    'the {{release}}(), or release after it.',
  afterTableRemove:
    '{{fn}}() uses `{{object}}` here (`{{text}}`) after {{remove}}() at {{file}}:{{removeLine}} took it out of ' +
    '`{{table}}`, whose value destroy function {{destroy}}() gives it back with {{inner}}() ({{file}}:{{innerLine}}): ' +
    '{{fn}}() found it in the table ({{file}}:{{lookupLine}}) and holds no reference of its own, so this reads what ' +
    'may be freed already. Read what it needs before the removal, or take it out with g_hash_table_steal().',
  removedHere: '{{remove}}() takes `{{object}}` out of the table here, and {{destroy}}() gives it back',
  dangling:
    '{{fn}}() now releases `{{object}}` with {{release}}() and leaves it pointing to what it released, while ' +
    '{{tester}}() decides by `{{test}}` ({{file}}:{{testLine}}) whether `{{object}}` is there: after this release it ' +
    'takes the freed value for a live one. Set `{{object}} = NULL` after the {{release}}().',
  linked:
    '{{fn}}() now jumps to {{label}} here, after {{insert}}() linked `{{object}}` into a list ({{file}}:{{insertLine}}), ' +
    'and {{label}} frees it with {{release}}() ({{file}}:{{releaseLine}}) without unlinking it: the list keeps a ' +
    'pointer to freed memory, and its next walk uses it. Unlink it before it is freed, or leave before {{insert}}() ' +
    'on this failure.',
  // related locations
  linkedHere: '{{insert}}() links `{{object}}` into a list here',
  freedAtLabel: '{{release}}() frees `{{object}}` here, after the label',
  freedHere: '{{release}}() frees `{{object}}` here',
  closedHere: '{{release}}() closes `{{object}}` here',
  releasedHere: '{{release}}() gives `{{object}}` back here',
  walksHere: '{{walk}}() walks the list with `{{variable}}` here, reading each next link from it',
  testedHere: '{{tester}}() tests `{{object}}` here to know whether it is there',
  helperUsesHere: '{{helper}}() uses `{{object}}` here',
};

type Ctx = RuleContext<NoOptions, keyof typeof MESSAGES>;

const squeeze = (t: string) => t.replace(/\s+/g, '');

/** GLib's and QAPI's frees of one kind of value, which free the value itself (`g_strfreev`, `qapi_free_FxInfo`). */
const GLIB_TYPED_FREE = /^(g_\w*free\w*|qapi_free_\w+)$/;

const escape = (t: string) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A place after a free where the freed value is read through: a call's arguments, a store, a returned value, a test. */
interface Use {
  release: CCall;
  /** for a pair's release of a pointer the function's own variable took from the pair's acquire: that acquire */
  acquire?: CCall;
  object: string;
  line: number;
  guards: readonly CGuard[];
  /** the text that reads through it */
  text: string;
  /** for a local the function pointed into the released memory (`buf = page + off`): that assignment */
  alias?: { variable: string; value: string; line: number };
  /** a descriptor closed, then stored or handed on whole */
  closed?: true;
}

/**
 * What a call frees, as the lvalue it names (`info`, `s->buf`): a heap value (g_free()), or a value of one kind
 * GLib or QAPI frees (g_strfreev(), qapi_free_FxInfo()). Not a call that clears what it frees
 * (`g_clear_pointer(&p, g_free)`: p is NULL after it).
 */
function freedObject(table: PairTable, call: CCall): string | null {
  // (not any function named for freeing: `fx_config_free(dev)` frees what the device holds, not the device)
  if (!(table.isHeapRelease(call.callee) || GLIB_TYPED_FREE.test(call.callee)) || call.args.length !== 1) return null;
  const object = squeeze(call.args[0] as string).replace(/^\((?:const)?\w+\**\)/, '');
  return /^\w+((->|\.)\w+)*$/.test(object) ? object : null;
}

/**
 * A release verb that says the memory itself goes away (unmap, free, destroy), not a reference or a slot given back;
 * and the C library's closes of a stream or a directory, which free the `FILE` or `DIR` they are handed.
 */
/** A name that sets a callback to run later rather than running it (`*_set_destroy_function`, `*_notify`). */
const INSTALLS = /(^|_)set_|_(function|func|fn|cb|notify|notifier|callback|handler)$/;

const MEMORY_GONE = /(^|_)(unmap|munmap|free|destroy)(_|$)|^(fclose|pclose|closedir)$/;

/**
 * What a pair's release gives back that the function's own variable took from the pair's acquire earlier
 * (`buf = dma_memory_map(...)` ... `dma_memory_unmap(as, buf, ...)`), when the release's name says the memory goes
 * away: the variable, and the acquire that filled it.
 */
function releasedPointer(table: PairTable, fn: CFunction, call: CCall): { object: string; acquire: CCall } | null {
  const m = table.anyPrimitive(call.callee);
  // (not one that installs a release for later, `pixman_image_set_destroy_function(img, fx_free_bits, NULL)`)
  if (m?.role !== 'release' || !MEMORY_GONE.test(call.callee) || INSTALLS.test(call.callee)) return null;
  for (const a of call.args) {
    const v = squeeze(a);
    if (!/^[A-Za-z_]\w*$/.test(v)) continue;
    const acquire = fn.calls.filter((c) => c.line < call.line && c.resultLocal === true && squeeze(c.result ?? '') === v && m.counterparts.includes(c.callee)).at(-1);
    if (acquire) return { object: v, acquire };
  }
  return null;
}

/** Is the base of a field (`s` of `s->fd`) handed to a call between two lines, which may store into the field? */
function handedHolder(fn: CFunction, object: string, from: number, to: number): boolean {
  const base = /^(\w+)(->|\.)/.exec(object)?.[1];
  if (base === undefined) return false;
  const names = new RegExp(`(^|[^\\w.>])&?${base}($|[^\\w])`);
  return fn.calls.some((c) => c.line > from && c.line < to && !REPORTS.test(c.callee) && c.args.some((a) => names.test(a.trim())));
}

/** The descriptor a close gives back (`close(s->fd)`, `qemu_close(fd)`), as the lvalue it names, or null. */
function closedDescriptor(call: CCall): string | null {
  if (!/^(qemu_)?close$/.test(call.callee) || call.args.length !== 1) return null;
  const object = squeeze(call.args[0] as string);
  return /^\w+((->|\.)\w+)*$/.test(object) ? object : null;
}

/** A free of the element a FOREACH loop walks with, after which the loop goes on to read its link. */
interface FreedInWalk {
  walk: CCall;
  free: CCall;
  variable: string;
}

/**
 * Frees (a heap free or a typed GLib free of the variable itself) of the element a list-walking macro that reads the
 * next link from the element holds (`QLIST_FOREACH(e, &l, next)`, not a `_SAFE` one, which read it first), inside
 * its body, with no exit that leaves the loop after the free in the free's block or an enclosing block of the body,
 * and no new value given to the variable after it: the loop's next step reads `e->next` from freed memory.
 */
function freedInWalks(table: PairTable, fn: CFunction): FreedInWalk[] {
  const out: FreedInWalk[] = [];
  for (const walk of fn.calls) {
    if (walk.loopBodyEnd === undefined || !/FOREACH/.test(walk.callee) || /SAFE/.test(walk.callee)) continue;
    const variable = squeeze(walk.args[0] ?? '');
    if (!/^\w+$/.test(variable)) continue;
    const end = walk.loopBodyEnd;
    const inBody = (line: number) => line > walk.endLine && line <= end;
    for (const free of fn.calls) {
      if (!inBody(free.line) || freedObject(table, free) !== variable) continue;
      // leaves the loop after the free, on the free's way (its block or one around it inside the body)
      const leaves = fn.exits.some(
        (e) => e.kind !== 'continue' && inBody(e.line) && e.line > free.line && e.guards.every((g) => free.guards.some((h) => h.condition === g.condition && h.negated === g.negated)),
      );
      if (leaves) continue;
      const setAgain = new RegExp(`^${variable}\\s*=[^=]`);
      if (fn.statements.some((st) => inBody(st.line) && st.line > free.line && setAgain.test(st.normalized))) continue;
      out.push({ walk, free, variable });
      break;
    }
  }
  return out;
}

/** Calls that only report or trace what they are handed (a pointer's value printed is no read of its memory). */
const REPORTS = /^(trace_|error_|warn_|info_report|qemu_log|printf|fprintf|g_debug|g_warning|assert)/;

/**
 * Uses after a pair's release of a pointer (`xen_unmap(dev, page, ...)`) of the locals the function pointed into
 * that memory between the acquire and the release (`buf = page + off`, `hdr = (FxHdr *)page`, `p = &page[n]`):
 * read through (`buf->len`, `buf[0]`) or handed as they are to a call that is no report or trace
 * (`send(nc, buf, len)`).
 */
function aliasUses(fn: CFunction, release: CCall, pointer: { object: string; acquire: CCall }): Use[] {
  const out: Use[] = [];
  const o = escape(pointer.object);
  const points = new RegExp(`^(\\(\\s*[\\w\\s]+\\*+\\s*\\)\\s*)?(${o}(\\s*[-+].*)?|&\\s*${o}\\s*\\[.*\\])$`);
  for (const a of fn.assignments ?? []) {
    const variable = a.target.trim();
    if (a.line <= pointer.acquire.line || a.line >= release.line || !/^\w+$/.test(variable) || variable === pointer.object) continue;
    if (!points.test(a.value.trim())) continue;
    for (const c of fn.calls) {
      if (c.line <= release.endLine || REPORTS.test(c.callee)) continue;
      if (c.args.some((x) => readsThrough(x, variable) || squeeze(x) === variable)) {
        out.push({ release, object: pointer.object, line: c.line, guards: c.guards, text: `${c.callee}(${c.args.join(', ')})`, acquire: pointer.acquire, alias: { variable, value: a.value.trim(), line: a.line } });
      }
    }
  }
  return out;
}

/** The guards around a condition's statement: those of anything inside it, up to the condition itself. */
function guardsOf(fn: CFunction, cond: CCondition): CGuard[] | null {
  for (const x of [...fn.calls, ...fn.stores, ...fn.exits]) {
    const at = x.guards.findIndex((g) => g.condition === cond);
    if (at >= 0) return x.guards.slice(0, at);
  }
  return null;
}

/** Does `text` read through `object` (`object->f`, `object[i]`), outside sizeof? */
function readsThrough(text: string, object: string): boolean {
  const plain = text.replace(/sizeof\s*\([^()]*\)/g, '').replace(/sizeof\s+\*?\s*[\w>.-]+/g, '');
  return new RegExp(`(^|[^\\w.>])${escape(object)}\\s*(->|\\[)`).test(plain);
}

/**
 * The conversions of a printf-style format argument, in order, one per argument they read (`*` widths too):
 * string literals joined, a macro between them read as the rest of one conversion (`"%" PRIx64` reads an integer).
 * Null when the argument is no format literal.
 */
function formatConversions(arg: string): string[] | null {
  const parts = arg.trim().match(/"(?:[^"\\]|\\.)*"|[A-Za-z_]\w*/g);
  if (!parts || !parts.some((x) => x.startsWith('"')) || parts.join('').length < arg.replace(/\s+/g, '').length) return null;
  const text = parts.map((x) => (x.startsWith('"') ? x.slice(1, -1) : 'd')).join('');
  const out: string[] = [];
  for (const m of text.matchAll(/%(?:\d+\$)?[-+ #0']*(\*|\d+)?(?:\.(\*|\d+))?(?:hh|h|ll|l|j|z|t|L)?([diouxXeEfFgGaAcspn%])/g)) {
    if (m[3] === '%') continue;
    if (m[1] === '*') out.push('*');
    if (m[2] === '*') out.push('*');
    out.push(m[3] as string);
  }
  return out;
}

/** Does the call hand the freed pointer itself to a `%s` of its format (`fx_printf(NULL, 1, "%s\n", val)`)? */
function printsString(call: CCall, object: string): boolean {
  for (let k = 0; k < call.args.length; k++) {
    const conversions = formatConversions(call.args[k] as string);
    if (!conversions) continue;
    return call.args.slice(k + 1).some((a, j) => squeeze(a) === object && conversions[j] === 's');
  }
  return false;
}

/** A point on the function's way, for mayHoldAt: where the use stands. */
const pointAt = (line: number, guards: readonly CGuard[], inLoop: boolean): CExit => ({ kind: 'return', line, guards: [...guards], inLoop });

/**
 * Does something between the free and `line` give `object` a new value (`info = NULL`, `info = fx_get(...)`,
 * `fx_query(dev, &info)`)? Anywhere between them, on any path: a finding needs the stale value on every way.
 */
function refilled(fn: CFunction, object: string, from: number, line: number): boolean {
  const between = (l: number) => l > from && l < line;
  const assigned = new RegExp(`(^|[^\\w.>])${escape(object)}\\s*=[^=]`);
  if (fn.statements.some((st) => between(st.line) && assigned.test(st.assignment ?? st.normalized))) return true;
  if (fn.stores.some((st) => between(st.line) && squeeze(st.target) === object)) return true;
  if (fn.calls.some((c) => between(c.line) && (squeeze(c.result ?? '') === object || c.args.some((a) => squeeze(a) === `&${object}`)))) return true;
  // a loop that walks it over a list or a range again (`QTAILQ_FOREACH_SAFE(r, &s->free, next, tmp)`, `for (p = s->first; ...)`)
  if (fn.calls.some((c) => between(c.line) && /FOREACH/.test(c.callee) && squeeze(c.args[0] ?? '') === object)) return true;
  return fn.conditions.some((c) => between(c.line) && c.loop?.index === object);
}

/** The first read through each freed value after its free, on the same path. */
function usesAfterRelease(model: ModelService, table: PairTable, fn: CFunction): Use[] {
  const out: Use[] = [];
  for (const release of fn.calls) {
    const pointer = freedObject(table, release) === null ? releasedPointer(table, fn, release) : null;
    const closed = freedObject(table, release) === null && pointer === null ? closedDescriptor(release) : null;
    const object = freedObject(table, release) ?? pointer?.object ?? closed;
    if (object === null) continue;
    // the free's own block ends the process after it (`g_strfreev(parts); exit(EXIT_FAILURE);`)
    if (fn.calls.some((c) => c.line > release.line && model.endsProgram(c.callee) && model.guardsCover(c.guards, release.guards) && model.guardsCover(release.guards, c.guards))) continue;
    const candidates: Use[] = [];
    if (closed !== null) {
      // a descriptor is read by value: kept in a field or a variable, or handed whole to a call that is no report;
      // on the close's way (its own block does not leave first: `close(fd); return -EBADF;`)
      const leaves = (line: number) =>
        fn.exits.some((e) => (e.kind === 'return' || e.kind === 'goto' || e.kind === 'break' || e.kind === 'continue') && e.line > release.line && e.line < line && model.guardsCover(e.guards, release.guards) && model.guardsCover(release.guards, e.guards)) ||
        // a call between handed what holds the descriptor may open it anew (`close(s->fd); fx_setup(s, errp);`)
        handedHolder(fn, closed, release.line, line);
      for (const st of fn.stores) {
        if (st.line > release.endLine && squeeze(st.value) === closed && !leaves(st.line)) candidates.push({ release, object, line: st.line, guards: st.guards, text: `${st.target} = ${st.value}`, closed: true });
      }
      for (const c of fn.calls) {
        if (c.line > release.endLine && !REPORTS.test(c.callee) && c.args.some((a) => squeeze(a) === closed) && !leaves(c.line)) candidates.push({ release, object, line: c.line, guards: c.guards, text: `${c.callee}(${c.args.join(', ')})`, closed: true });
      }
    }
    for (const c of fn.calls) {
      if (closed !== null) break;
      if (c.line <= release.endLine) continue;
      const text = `${c.callee}(${c.args.join(', ')})`;
      // (or hands it to a `%s` of its format, which reads the string: `fx_printf("%s", val)`)
      if (c.args.some((a) => readsThrough(a, object)) || readsThrough(c.callee, object) || printsString(c, object)) candidates.push({ release, object, line: c.line, guards: c.guards, text });
      // (an opaque object its acquire made, a stream or a handle, is used by any call handed it whole that is no
      // report nor trace: `fclose(file); ... ferror(file)`)
      else if (pointer && c.args.some((a) => squeeze(a) === object) && !REPORTS.test(c.callee) && !table.isNonResource(c.callee) && table.anyPrimitive(c.callee) === null && !table.hasReleaseVerb(c.callee))
        candidates.push({ release, object, line: c.line, guards: c.guards, text });
    }
    for (const st of fn.stores) {
      if (closed !== null || st.line <= release.endLine) continue;
      if (readsThrough(st.target, object) || readsThrough(st.value, object)) candidates.push({ release, object, line: st.line, guards: st.guards, text: `${st.target} = ${st.value}` });
    }
    // (or copies the freed pointer into another variable that goes on to be used: `g_free(buf); data = buf;`)
    for (const a of fn.assignments ?? []) {
      if (closed !== null || a.line <= release.endLine || squeeze(a.value) !== object || a.target === object) continue;
      candidates.push({ release, object, line: a.line, guards: a.guards, text: `${a.target} = ${a.value}` });
    }
    for (const e of fn.exits) {
      if (e.line <= release.endLine || e.value === undefined) continue;
      if (readsThrough(e.value, object)) candidates.push({ release, object, line: e.line, guards: e.guards, text: `return ${e.value}` });
    }
    // (a test reads through it too: `if (cmd_fis[0] == FX_CMD)`)
    for (const cond of fn.conditions) {
      if (cond.line <= release.endLine || !readsThrough(cond.normalized, object)) continue;
      const guards = guardsOf(fn, cond);
      if (guards) candidates.push({ release, object, line: cond.line, guards, text: cond.normalized });
    }
    if (pointer) {
      for (const c of candidates) c.acquire = pointer.acquire;
      candidates.push(...aliasUses(fn, release, pointer));
    }
    const first = candidates
      .filter((u) => model.mayHoldAt(fn, release, pointAt(u.line, u.guards, release.inLoop)) && !refilled(fn, u.alias?.variable ?? object, release.line, u.line))
      .sort((a, b) => a.line - b.line)[0];
    if (first) out.push(first);
  }
  return out;
}

/** A use of a value the function found in a hash table after removing it from the table, whose destroy function releases it. */
interface TableUse {
  lookup: CCall;
  remove: CCall;
  variable: string;
  table: string;
  destroy: CFunction;
  inner: CCall;
  line: number;
  text: string;
}

/**
 * Values found in a hash table (`hd = g_hash_table_lookup(s->devs, key)`) and removed from it
 * (`g_hash_table_remove(s->devs, key)`), where the file made the table with a value destroy function that frees or
 * drops its argument (`object_unref(v)`), then read through on the removal's way (`hd->bus`, or handed whole to a
 * call that is no report), with no reference of the function's own taken and no new value between.
 */
function usesAfterTableRemove(model: ModelService, table: PairTable, fn: CFunction, functions: readonly CFunction[]): TableUse[] {
  const out: TableUse[] = [];
  for (const { lookup, remove, variable, table: tableArg } of model.removedFromTable(fn)) {
    const owned = model.tableValueRelease(functions, tableArg, (n) => table.freesHeapValue(n) || (table.anyPrimitive(n)?.role === 'release' && /(^|_)(unref|free|destroy|delete)(_|$)/.test(n)));
    if (!owned) continue;
    const counterparts = table.anyPrimitive(owned.inner.callee)?.counterparts ?? [];
    if (fn.calls.some((c) => c.line > lookup.line && counterparts.includes(c.callee) && c.args.some((a) => squeeze(model.withoutCasts(a)) === variable))) continue;
    const uses: { line: number; guards: readonly CGuard[]; text: string }[] = [];
    for (const c of fn.calls) {
      if (c.line <= remove.endLine) continue;
      const handed = c.args.some((a) => squeeze(a) === variable) && !REPORTS.test(c.callee) && !table.isNonResource(c.callee);
      if (handed || c.args.some((a) => readsThrough(a, variable))) uses.push({ line: c.line, guards: c.guards, text: `${c.callee}(${c.args.join(', ')})` });
    }
    for (const st of fn.stores) if (st.line > remove.endLine && (readsThrough(st.value, variable) || readsThrough(st.target, variable))) uses.push({ line: st.line, guards: st.guards, text: `${st.target} = ${st.value}` });
    const first = uses
      .filter((u) => model.mayHoldAt(fn, remove, pointAt(u.line, u.guards, remove.inLoop)) && !refilled(fn, variable, remove.line, u.line))
      .sort((a, b) => a.line - b.line)[0];
    if (first) out.push({ lookup, remove, variable, table: tableArg, destroy: owned.destroy, inner: owned.inner, line: first.line, text: first.text });
  }
  return out;
}

/** A call of a function of the program handed what holds a released field, whose body uses that field. */
interface HelperUse {
  release: CCall;
  object: string;
  base: string;
  call: CCall;
  helper: { fn: CFunction; path: string };
  /** the helper's first use of the field, on its own way in (under no test but of the field itself) */
  use: CCall;
}

/**
 * The field a release gives back whole (`g_free(s->buf)`, `timer_free(s->timer)`: a heap free, or a pair's release
 * named for the memory going away), as `base->field` of one plain variable; null otherwise.
 */
function releasedField(table: PairTable, call: CCall): { object: string; base: string; field: string } | null {
  const m = table.anyPrimitive(call.callee);
  const disposes = table.isHeapRelease(call.callee) || (m?.role === 'release' && MEMORY_GONE.test(call.callee));
  if (!disposes || call.args.length !== 1) return null;
  const object = squeeze(call.args[0] as string);
  const parts = /^(\w+)->(\w+)$/.exec(object);
  return parts ? { object, base: parts[1] as string, field: parts[2] as string } : null;
}

/**
 * A release of a field (`timer_free(s->timer)`), then, on the same way with nothing storing into the field between,
 * a call of a function of the program handed the holder itself (`fx_stop_timer(s)`) whose body uses the field under no
 * test but of the field itself (`timer_del(s->timer)`), before anything in it stores into the field: the helper reads
 * what was released. Not a helper that only reports, and not a helper's release of the field (released-twice's).
 */
function helperUses(model: ModelService, table: PairTable, fn: CFunction, program: readonly { fn: CFunction; path: string }[]): HelperUse[] {
  const out: HelperUse[] = [];
  for (const release of fn.calls) {
    const r = releasedField(table, release);
    if (!r) continue;
    for (const call of fn.calls) {
      if (call.line <= release.endLine || call.callee === fn.name) continue;
      const at = call.args.findIndex((a) => squeeze(a) === r.base);
      if (at < 0) continue;
      const helper = program.find((p) => p.fn.name === call.callee && !p.fn.hasErrors);
      const param = helper?.fn.params?.[at];
      if (!helper || param === undefined) continue;
      const inner = `${param}->${r.field}`;
      const storesFirst = (line: number) => helper.fn.stores.some((st) => st.line < line && squeeze(st.target) === inner);
      const testsOnly = (c: CCall) => c.guards.every((g) => g.condition.normalized.replace(/\s+/g, '').replace(/^!/, '') === inner);
      const use = helper.fn.calls.find(
        (c) =>
          !REPORTS.test(c.callee) &&
          // (a second disposal is released-twice's: a stop, `timer_del()`, is a use)
          !(table.anyPrimitive(c.callee)?.role === 'release' && MEMORY_GONE.test(c.callee)) &&
          !table.isHeapRelease(c.callee) &&
          c.args.some((a) => squeeze(a) === inner || readsThrough(a, inner)) &&
          testsOnly(c) &&
          !storesFirst(c.line),
      );
      if (!use) continue;
      if (!model.mayHoldAt(fn, release, pointAt(call.line, call.guards, release.inLoop)) || refilled(fn, r.object, release.line, call.line)) continue;
      out.push({ release, object: r.object, base: r.base, call, helper, use });
      break;
    }
  }
  return out;
}

/**
 * The field form: a release that disposes of an instance's field (`fx_hash_free(s->ctx)`) in a function that is no
 * teardown nor constructor, that nothing after it on the function's way sets or clears again, where a function of
 * the file fills that field with what the release's pair acquires and the function itself tests the field for being
 * there before the release (`if (s->ctx == NULL) { s->ctx = fx_hash_new(...); }`): its next call takes the freed
 * value for a live one.
 */
function danglingField(model: ModelService, table: PairTable, fn: CFunction, all: readonly CFunction[], release: CCall, object: string): Dangling | null {
  // a teardown (the object goes away with it) or a constructor (its failure takes the object away)
  // (QEMU's `fn` suffix too: `fx_machine_finalizefn` is a finalize)
  const teardownNamed = (name: string) => {
    const named = name.replace(/(?<=[a-z])fn$/, '');
    return table.hasReleaseVerb(named) || table.runsAfterFailure(named) || /(^|_)(exit|reset|init|realize|probe|setup|new|create)$/.test(named);
  };
  // (a helper named for releasing that a function of the file which is none calls, a bottom half or an event
  // handler, runs again while the instance lives: `fx_chardev_close_bh()` → `fx_destroy_parser(dev)`)
  // (a bottom half, a callback or an event handler runs while the instance lives, whatever its name says it handles)
  const runtime = (name: string) => !teardownNamed(name) || /_(bh|cb|handler|event|timer|notify)$/.test(name);
  const runtimeCaller = all.some((f) => f.name !== fn.name && runtime(f.name) && f.calls.some((c) => c.callee === fn.name));
  if (teardownNamed(fn.name) && !runtimeCaller) return null;
  // a release that disposes of what it is handed (a free, a destroy, a last unref, a delete), not a commit or a stop
  if (!table.freesHeapValue(release.callee) && !/(^|_)(free|destroy|unref|delete|close)(_|$)/.test(release.callee)) return null;
  const chain = model.fieldChain(object)?.join('.');
  if (!chain) return null;
  // an object the function made or found itself (`res = g_new0(...)`), not one it keeps across calls
  const base = /^(\w+)/.exec(object)?.[1] ?? '';
  if (fn.assignments?.some((a) => a.target === base && /^\(?\s*[a-z_]\w*\s*\(/.test(a.value.trim()) && !/^\(?\s*container_of\b/.test(a.value.trim()))) return null;
  const sameField = (t: string | undefined) => t !== undefined && model.fieldChain(t.replace(/^\s*&/, '').trim())?.join('.') === chain;
  // set or cleared again after it (`s->ctx = NULL`, `g_clear_pointer(&s->ctx, ...)`, a new value)
  // (on the release's own way: a block that returns after it does not reach the clearing further down)
  const onWay = (line: number, guards: readonly CGuard[]) => line > release.line && model.mayHoldAt(fn, release, pointAt(line, guards, release.inLoop));
  if (fn.stores.some((st) => onWay(st.line, st.guards) && sameField(st.target))) return null;
  if (fn.calls.some((c) => onWay(c.line, c.guards) && (sameField(c.result) || c.args.some((a) => a.trim().startsWith('&') && sameField(a))))) return null;
  const counterparts = table.anyPrimitive(release.callee)?.counterparts ?? [];
  const made = (c: CCall) => sameField(c.result) && (counterparts.includes(c.callee) || (table.freesHeapValue(release.callee) && table.isHeapAllocation(c.callee)));
  if (![fn, ...all].some((f) => f.calls.some(made))) return null;
  const tail = object.replace(/^[A-Za-z_]\w*/, '');
  const access = `[A-Za-z_]\\w*${escape(tail)}`;
  const flag = new RegExp(`(^|[^\\w.>])(!\\s*${access}(?![\\w(\\[.>-])|${access}\\s*(==|!=)\\s*NULL|${access}\\s*&&)|^${access}$`);
  // the function itself, before the release: its next call finds the stale value (a runtime path that runs again;
  // another function's test may be on a way the release never reaches, a failed setup)
  const test = fn.conditions.find((c) => c.line < release.line && flag.test(c.normalized.trim()));
  if (test) return { release, object, tester: fn, test: { line: test.line, text: test.normalized } };
  // ...or another function of the file that is no teardown tests it, where a function of the file also frees it
  // under no test before filling it again (`g_free(st->bpl); st->bpl = g_new(...)`): that free finds the stale value
  // and frees it a second time
  const tail2 = new RegExp(`^[A-Za-z_]\\w*${escape(tail)}$`);
  const refreesBeforeFill = all.some((f) => f !== fn && f.calls.some((c) => c.guards.length === 0 && c.callee === release.callee && c.args.length === 1 && tail2.test(squeeze(c.args[0] as string)) && f.calls.some((d) => d.line > c.line && made(d))));
  if (!refreesBeforeFill) return null;
  for (const other of all) {
    if (other === fn || table.hasReleaseVerb(other.name) || table.runsAfterFailure(other.name)) continue;
    const t = other.conditions.find((c) => flag.test(c.normalized.trim()));
    if (t) return { release, object, tester: other, test: { line: t.line, text: t.normalized } };
  }
  return null;
}

/** A release of a file-scope variable the function leaves set, and a test elsewhere that reads it as a flag. */
interface Dangling {
  release: CCall;
  object: string;
  tester: CFunction;
  test: { line: number; text: string };
}

/**
 * Releases (a heap free, or the release of a known pair) of a variable of the file (no function of it declares it or
 * is handed it, and one fills it with what the pair acquires), which nothing after the release on the function's
 * way sets again, where another function of the file tests that variable for being there (`if (!tables)`,
 * `tables && ...`): the released value looks live to it.
 */
function danglingReleases(model: ModelService, table: PairTable, fn: CFunction, all: readonly CFunction[]): Dangling[] {
  const out: Dangling[] = [];
  for (const release of fn.calls) {
    const frees = table.freesHeapValue(release.callee) || table.anyPrimitive(release.callee)?.role === 'release';
    const object = squeeze(release.args[0] ?? '');
    if (frees && release.args.length === 1 && /^[A-Za-z_]\w*(->\w+)+$/.test(object)) {
      const field = danglingField(model, table, fn, all, release, object);
      if (field) out.push(field);
      continue;
    }
    if (!frees || release.args.length !== 1 || !/^[A-Za-z_]\w*$/.test(object)) continue;
    // a variable of the file: no function of it has a parameter or a local of that name (`p`, `vdev` are each
    // function's own), and one of them fills it with what the release's pair acquires (`fx_pfs = g_hash_table_new(...)`)
    const declared = new RegExp(`^(const\\s+)?[A-Za-z_][\\w\\s]*[\\s*]${escape(object)}\\s*(=|;|,|\\[)`);
    if ([fn, ...all].some((f) => (f.params ?? []).includes(object) || f.statements.some((st) => declared.test(st.normalized)))) continue;
    const counterparts = table.anyPrimitive(release.callee)?.counterparts ?? [];
    const made = (c: CCall) =>
      squeeze(c.result ?? '') === object && (counterparts.includes(c.callee) || (table.freesHeapValue(release.callee) && table.isHeapAllocation(c.callee)));
    if (!all.some((f) => f.calls.some(made))) continue;
    const assigned = new RegExp(`(^|[^\\w.>])${escape(object)}\\s*=[^=]`);
    if (fn.statements.some((st) => st.line > release.line && assigned.test(st.normalized))) continue;
    const flag = new RegExp(`(^|[^\\w.>])(!\\s*${escape(object)}|${escape(object)}\\s*(==|!=)\\s*NULL|${escape(object)}\\s*&&)(?![\\w(])`);
    for (const other of all) {
      if (other === fn || other.name === fn.name) continue;
      const test = other.conditions.find((c) => flag.test(c.normalized) || c.normalized.trim() === object);
      if (test) {
        out.push({ release, object, tester: other, test: { line: test.line, text: test.normalized } });
        break;
      }
    }
  }
  return out;
}

/** A goto that leaves a heap value of the function linked into a list to an unwind that frees it. */
interface Linked {
  exit: CExit;
  object: string;
  insert: CCall;
  release: CCall;
}

/**
 * Gotos to an unwind that frees a heap value of the function (`g_free(rom)`, or a function of the program whose body
 * frees what it is handed: `rom_free(rom)`) while, on the way to the goto, the value was linked into a list (a list
 * insert macro, or a function of the program that inserts what it is handed: `rom_insert(rom)`) and nothing unlinked
 * it since.
 */
function linkedFrees(model: ModelService, table: PairTable, summary: CommitSummary, path: string, fn: CFunction): Linked[] {
  const out: Linked[] = [];
  // what a function of the program does to its parameter `k`: inserts it into a list, or frees it
  const paramOf = (callee: string, arg: number, does: (c: CCall, param: string) => boolean): boolean => {
    const def = summary.post.lookup(callee, path);
    const param = def?.fn.params?.[arg];
    return def !== null && def !== undefined && param !== undefined && def.fn.calls.some((c) => does(c, param));
  };
  const names = (c: CCall, v: string) => c.args.some((a) => squeeze(a).replace(/^\((?:const)?\w+\**\)/, '') === v);
  const inserts = (c: CCall, v: string) => {
    if (table.isListInsert(c.callee)) return names(c, v);
    const k = c.args.findIndex((a) => squeeze(a) === v);
    return k >= 0 && /^\w+$/.test(c.callee) && paramOf(c.callee, k, (d, p) => table.isListInsert(d.callee) && names(d, p));
  };
  const frees = (c: CCall, v: string) => {
    if (table.isHeapRelease(c.callee)) return c.args.length === 1 && squeeze(c.args[0] as string) === v;
    const k = c.args.findIndex((a) => squeeze(a) === v);
    return k >= 0 && /^\w+$/.test(c.callee) && paramOf(c.callee, k, (d, p) => table.isHeapRelease(d.callee) && d.args.length === 1 && squeeze(d.args[0] as string) === p);
  };
  const heapLocals = fn.calls.filter((c) => c.resultLocal === true && c.result !== undefined && /^\w+$/.test(c.result.trim()) && table.allocatesFromHeap(c.callee)).map((c) => ({ v: (c.result as string).trim(), made: c }));
  for (const exit of fn.exits) {
    if (exit.kind !== 'goto' || exit.labelLine === undefined || exit.labelLine <= exit.line) continue;
    // the unwind from the label to the function's next return after it
    const end = fn.exits.find((e) => e.kind === 'return' && e.line > (exit.labelLine as number))?.line ?? fn.endLine;
    for (const { v, made } of heapLocals) {
      if (made.line >= exit.line) continue;
      const release = fn.calls.find((c) => c.line > (exit.labelLine as number) && c.line < end && frees(c, v));
      if (!release) continue;
      // linked on the way to the goto (under no test the goto is not under), and not unlinked since
      const insert = fn.calls.filter((c) => c.line > made.line && c.line < exit.line && model.guardsCover(c.guards, exit.guards) && inserts(c, v)).at(-1);
      if (!insert) continue;
      // the goto is the link's own failure (`if (fx_connect(group)) { goto out; }`, or a test of what it returned):
      // nothing was linked on that path
      const own = exit.guards.some((g) => (insert.line >= g.condition.line && insert.endLine <= g.condition.endLine) || (insert.result !== undefined && (g.condition.identifiers ?? g.condition.names).includes(insert.result.trim())));
      if (own) continue;
      const unlinked = fn.calls.some((c) => c.line > insert.line && c.line < release.line && (table.isListRemove(c.callee) || table.hasReleaseVerb(c.callee)) && names(c, v) && !frees(c, v));
      if (unlinked) continue;
      // stored again on the way: another value
      if (fn.statements.some((st) => st.line > insert.line && st.line < exit.line && new RegExp(`^${escape(v)}\\s*=[^=]`).test(st.normalized))) continue;
      out.push({ exit, object: v, insert, release });
    }
  }
  return out;
}

/** A release the commit moved above a use of what it gives back. */
interface MovedAboveUse {
  release: CCall;
  object: string;
  line: number;
  text: string;
  /** a use the commit wrote after the release of what the function was handed (`opaque`), not a reorder */
  handed?: string;
}

/**
 * A release of a whole object held in a plain variable (`fx_aio_unref(acb)`, `object_unref(obj)`) and a use that
 * reads through the variable (`acb->blk`) after it on the same way, where the commit moved one of the two (the
 * release up, or the use down) and the use stood before the release in the pre-image: the reorder made the read
 * come after the give-back.
 */
function movedAboveUses(model: ModelService, table: PairTable, file: ChangedFile, fn: CFunction, pre: CFunction | null): MovedAboveUse[] {
  if (!pre || pre.hasErrors) return [];
  const out: MovedAboveUse[] = [];
  const same = (a: CCall, b: CCall) => a.callee === b.callee && a.args.length === b.args.length && a.args.every((x, i) => squeeze(x) === squeeze(b.args[i] as string));
  // where a call of the post-image stood before the commit: its own line, or the line of the same call the commit
  // deleted when it wrote this one (a move)
  const before = (c: CCall): number | null => {
    if (!file.added.has(c.line)) return file.postToPre(c.line);
    const moved = pre.calls.filter((o) => same(o, c) && file.removed.has(o.line));
    return moved.length === 1 && fn.calls.filter((x) => same(x, c)).length === 1 ? (moved[0] as CCall).line : null;
  };
  for (const release of fn.calls) {
    if (release.args.length !== 1) continue;
    // (named for disposing of a whole value, `*_unref`, `*_destroy`, `close`: the reorder is the evidence, whatever
    // the code base's confidence in its pair)
    if (!table.disposesWhole(release.callee) || table.anyPrimitive(release.callee)?.role === 'acquire') continue;
    const object = squeeze(release.args[0] as string).replace(/^[A-Z_][A-Z0-9_]*\((\w+)\)$/, '$1');
    if (!/^\w+$/.test(object)) continue;
    const releaseBefore = before(release);
    if (releaseBefore === null) continue;
    // what the function was handed (a parameter, or a local naming it: `FxAIOCB *acb = opaque;`) and took no
    // reference of its own on: its release may drop the last one
    const handed = fn.params?.includes(object) ? object : fn.paramAliases?.find((a) => a.name === object)?.param;
    const ownRef = fn.calls.some((c) => c.line < release.line && table.anyPrimitive(c.callee)?.role === 'acquire' && table.anyPrimitive(c.callee)?.counterparts.includes(release.callee) && c.args.some((a) => squeeze(model.withoutCasts(a)) === object));
    for (const c of fn.calls) {
      if (c.line <= release.endLine || !c.args.some((a) => readsThrough(a, object))) continue;
      // the commit moved one of the two: the release up, or the use down
      if (!file.added.has(release.line) && !file.added.has(c.line)) continue;
      const useBefore = before(c);
      if (!model.mayHoldAt(fn, release, pointAt(c.line, c.guards, release.inLoop)) || refilled(fn, object, release.line, c.line)) continue;
      if (useBefore === null || useBefore >= releaseBefore) {
        // or wrote a new use after the release of what it was handed, where no use of the pre-image came after it
        // (`blk_dec_in_flight(acb->s->blk)` where a local read before the unref was handed before)
        const preRelease = pre.calls.find((o) => o.line === releaseBefore);
        const preUseAfter = preRelease !== undefined && pre.calls.some((o) => o.line > preRelease.endLine && o.args.some((a) => readsThrough(a, object)));
        // (a release of the object itself: a reference dropped (`*_unref`, `*_put`) or a heap free of it; not
        // `fx_config_free(dev)`, which may free only what the device holds)
        const dropsItself = /(^|_)(unref|put)$/.test(release.callee) || table.isHeapRelease(release.callee) || GLIB_TYPED_FREE.test(release.callee);
        if (useBefore === null && dropsItself && file.added.has(c.line) && !file.added.has(release.line) && handed !== undefined && !ownRef && !preUseAfter && !REPORTS.test(c.callee)) {
          out.push({ release, object, line: c.line, text: `${c.callee}(${c.args.join(', ')})`, handed });
          break;
        }
        continue;
      }
      out.push({ release, object, line: c.line, text: `${c.callee}(${c.args.join(', ')})` });
      break;
    }
  }
  return out;
}

function checkFunction(ctx: Ctx, file: ChangedFile, change: FunctionChange): void {
  const fn = change.post;
  if (!fn || fn.hasErrors) return;
  const summary = ctx.model.summary();
  // a read after the same free in the pre-image is not the commit's
  const found = summary.introduced(fn, file, (f) => usesAfterRelease(ctx.model, ctx.pairs, f), (u, rename) => [`${u.alias ? `${u.alias.variable}@` : ''}${u.object}|${rename(u.release.callee)}`]);
  const fileFns = (image: 'pre' | 'post') => ctx.model.summary()[image].all().filter((p) => p.path === (image === 'post' ? file.path : (file.oldPath ?? file.path))).map((p) => p.fn);
  const dangling = summary.introduced(fn, file, (f) => danglingReleases(ctx.model, ctx.pairs, f, fileFns(f === fn ? 'post' : 'pre')), (d, rename) => [`${d.object}|${rename(d.release.callee)}`]);
  // (or the commit deleted the clearing that followed a release of the field: `fx_destroy(dev->p); dev->p = NULL;` lost
  // its second line when the code moved into a helper)
  const clearDeleted = (object: string) =>
    (file.pre?.functions ?? []).some((f) => f.stores.some((st) => squeeze(st.target) === object && /^(NULL|0)$/.test(st.value.trim()) && file.removed.has(st.line)));
  for (const d of dangling) {
    if (!file.added.has(d.release.line) && !clearDeleted(d.object)) continue;
    ctx.report({
      at: { file: file.path, line: d.release.line, endLine: d.release.endLine, function: fn.name },
      messageId: 'dangling',
      data: { fn: fn.name, object: d.object, release: d.release.callee, tester: d.tester.name, test: d.test.text, file: file.path, testLine: d.test.line },
      related: [{ file: file.path, line: d.test.line, function: d.tester.name, messageId: 'testedHere', data: { tester: d.tester.name, object: d.object } }],
      key: `dangling|${fn.name}|${d.object}|${d.release.callee}`,
      repair: { callees: [], functions: [fn.name], names: [d.object] },
    });
  }
  const tableUses = summary.introduced(fn, file, (f) => usesAfterTableRemove(ctx.model, ctx.pairs, f, fileFns(f === fn ? 'post' : 'pre')), (u) => [`table|${u.table}|${u.variable}`]);
  for (const u of tableUses) {
    ctx.report({
      at: { file: file.path, line: u.line, function: fn.name },
      messageId: 'afterTableRemove',
      data: {
        fn: fn.name,
        object: u.variable,
        text: u.text,
        remove: u.remove.callee,
        file: file.path,
        removeLine: u.remove.line,
        table: u.table,
        destroy: u.destroy.name,
        inner: u.inner.callee,
        innerLine: u.inner.line,
        lookupLine: u.lookup.line,
      },
      related: [{ file: file.path, line: u.remove.line, function: fn.name, messageId: 'removedHere', data: { remove: u.remove.callee, object: u.variable, destroy: u.destroy.name } }],
      key: `table-use|${fn.name}|${u.table}|${u.variable}`,
      repair: { callees: [], functions: [fn.name], names: [u.variable] },
    });
  }
  const linked = summary.introduced(fn, file, (f) => linkedFrees(ctx.model, ctx.pairs, summary, file.path, f), (l, rename) => [`${l.object}|${rename(l.insert.callee)}|${rename(l.release.callee)}`]);
  for (const l of linked) {
    if (!file.added.has(l.exit.line)) continue;
    const label = l.exit.label ?? 'the label';
    ctx.report({
      at: { file: file.path, line: l.exit.line, function: fn.name },
      messageId: 'linked',
      data: { fn: fn.name, label, insert: l.insert.callee, object: l.object, file: file.path, insertLine: l.insert.line, release: l.release.callee, releaseLine: l.release.line },
      related: [
        { file: file.path, line: l.insert.line, function: fn.name, messageId: 'linkedHere', data: { insert: l.insert.callee, object: l.object } },
        { file: file.path, line: l.release.line, function: fn.name, messageId: 'freedAtLabel', data: { release: l.release.callee, object: l.object } },
      ],
      key: `linked|${fn.name}|${l.object}|${l.insert.callee}`,
      repair: { callees: [l.release.callee], functions: [fn.name] },
    });
  }
  const program = (image: 'pre' | 'post') => ctx.model.summary()[image].all();
  const helperFound = summary.introduced(fn, file, (f) => helperUses(ctx.model, ctx.pairs, f, program(f === fn ? 'post' : 'pre')), (h, rename) => [`helper|${h.object}|${rename(h.release.callee)}|${rename(h.call.callee)}`]);
  for (const h of helperFound) {
    if (!file.addedIn(h.release.line, h.call.line)) continue;
    ctx.report({
      at: { file: file.path, line: h.call.line, endLine: h.call.endLine, function: fn.name },
      messageId: 'usedInHelper',
      data: {
        fn: fn.name,
        helper: h.call.callee,
        base: h.base,
        release: h.release.callee,
        object: h.object,
        file: file.path,
        releaseLine: h.release.line,
        use: `${h.use.callee}(${h.use.args.join(', ')})`.replace(/\s+/g, ' '),
        helperPath: h.helper.path,
        useLine: h.use.line,
      },
      related: [
        { file: file.path, line: h.release.line, function: fn.name, messageId: 'releasedHere', data: { release: h.release.callee, object: h.object } },
        { file: h.helper.path, line: h.use.line, function: h.helper.fn.name, messageId: 'helperUsesHere', data: { helper: h.helper.fn.name, object: `${h.helper.fn.params?.[h.call.args.findIndex((a) => squeeze(a) === h.base)] ?? h.base}->${h.object.split('->')[1]}` } },
      ],
      key: `used-in-helper|${fn.name}|${h.object}|${h.call.callee}`,
      repair: { callees: [h.release.callee], functions: [fn.name] },
    });
  }
  for (const u of movedAboveUses(ctx.model, ctx.pairs, file, fn, change.pre)) {
    // (a heap free the plain form names already)
    if (found.some((f) => f.release === u.release)) continue;
    ctx.report({
      at: { file: file.path, line: u.line, function: fn.name },
      ...(u.handed !== undefined
        ? { messageId: 'usedAfterDrop' as const, data: { fn: fn.name, object: u.object, release: u.release.callee, file: file.path, releaseLine: u.release.line, use: u.text, handed: u.handed } }
        : { messageId: 'usedMoved' as const, data: { fn: fn.name, object: u.object, release: u.release.callee, file: file.path, releaseLine: u.release.line, use: u.text } }),
      related: [{ file: file.path, line: u.release.line, function: fn.name, messageId: 'releasedHere', data: { release: u.release.callee, object: u.object } }],
      key: `used-moved|${fn.name}|${u.object}|${u.release.callee}`,
      repair: { callees: [u.release.callee], functions: [fn.name] },
    });
  }
  const walks = summary.introduced(fn, file, (f) => freedInWalks(ctx.pairs, f), (w) => [`walk|${w.walk.callee}|${w.variable}|${w.free.callee}`]);
  for (const w of walks) {
    // the commit wrote in the walk, or deleted there (a `break` after the free)
    const preFrom = file.postToPre(w.walk.line);
    const preTo = file.postToPre(w.walk.loopBodyEnd ?? w.free.line);
    if (!file.addedIn(w.walk.line, w.walk.loopBodyEnd ?? w.free.line) && !(preFrom !== null && preTo !== null && file.removedIn(preFrom, preTo))) continue;
    ctx.report({
      at: { file: file.path, line: w.free.line, endLine: w.free.endLine, function: fn.name },
      messageId: 'freedInWalk',
      data: { fn: fn.name, variable: w.variable, release: w.free.callee, walk: w.walk.callee, file: file.path, walkLine: w.walk.line, safe: `${w.walk.callee.replace(/FOREACH(?!_SAFE)/, 'FOREACH_SAFE')}` },
      related: [{ file: file.path, line: w.walk.line, function: fn.name, messageId: 'walksHere', data: { walk: w.walk.callee, variable: w.variable } }],
      key: `freed-in-walk|${fn.name}|${w.variable}|${w.walk.callee}`,
      repair: { callees: [], functions: [fn.name], names: [w.variable] },
    });
  }
  for (const u of found) {
    // the commit wrote the free, the read, or the way between them (also by deleting there: an exit after the free)
    const preRelease = file.postToPre(u.release.line);
    const preUse = file.postToPre(u.line);
    const deletedBetween = preRelease !== null && preUse !== null && preUse > preRelease && file.removedIn(preRelease + 1, preUse - 1);
    if (!file.addedIn(u.release.line, u.line) && !deletedBetween) continue;
    ctx.report({
      at: { file: file.path, line: u.line, function: fn.name },
      ...(u.acquire && u.alias
        ? {
            messageId: 'usedAlias' as const,
            data: {
              fn: fn.name,
              alias: u.alias.variable,
              value: u.alias.value,
              aliasLine: u.alias.line,
              object: u.object,
              use: u.text.replace(/\s+/g, ' '),
              release: u.release.callee,
              acquire: u.acquire.callee,
              file: file.path,
              releaseLine: u.release.line,
            },
            related: [{ file: file.path, line: u.release.line, function: fn.name, messageId: 'releasedHere' as const, data: { release: u.release.callee, object: u.object } }],
          }
        : u.closed
        ? {
            messageId: 'usedClosed' as const,
            data: { fn: fn.name, object: u.object, use: u.text.replace(/\s+/g, ' '), release: u.release.callee, file: file.path, releaseLine: u.release.line },
            related: [{ file: file.path, line: u.release.line, function: fn.name, messageId: 'closedHere' as const, data: { release: u.release.callee, object: u.object } }],
          }
        : u.acquire
        ? {
            messageId: 'usedReleased' as const,
            data: { fn: fn.name, object: u.object, use: u.text.replace(/\s+/g, ' '), release: u.release.callee, acquire: u.acquire.callee, file: file.path, releaseLine: u.release.line },
            related: [{ file: file.path, line: u.release.line, function: fn.name, messageId: 'releasedHere' as const, data: { release: u.release.callee, object: u.object } }],
          }
        : {
            messageId: 'used' as const,
            data: { fn: fn.name, object: u.object, use: u.text.replace(/\s+/g, ' '), release: u.release.callee, file: file.path, releaseLine: u.release.line },
            related: [{ file: file.path, line: u.release.line, function: fn.name, messageId: 'freedHere' as const, data: { release: u.release.callee, object: u.object } }],
          }),
      key: `used-after-release|${fn.name}|${u.object}|${u.release.callee}`,
      repair: { callees: [u.release.callee], functions: [fn.name] },
    });
  }
}

export const usedAfterRelease: Rule<NoOptions, keyof typeof MESSAGES> = {
  meta: {
    id: 'used-after-release',
    messages: MESSAGES,
    category: 'pair',
    severity: 'error',
    summary: 'A value the function freed is used again later on the same path, or a released variable of the file is left set while another function tests it',
    docs: {
      what:
        'A function frees a value (g_free() or another heap release, GLib\'s or QAPI\'s free of one kind of value such ' +
        'as g_strfreev() or qapi_free_FxInfo(); not any function named for freeing: `fx_config_free(dev)` may free what ' +
        'the device holds, not the device) and, later on a path the free is on (not when the free\'s block ends the ' +
        'process: `exit()`, `abort()`), uses the same lvalue (`info->index`, `s->buf[i]`: in a call\'s arguments, a store, a returned value, or a test; or the ' +
        'pointer itself handed to a `%s` of a call\'s format, `fx_printf("%s", val)`; not ' +
        'in sizeof) with nothing between them storing a new value in it (`info = NULL;`, a call filling it through ' +
        '`&info`). A pair\'s release whose name says the memory goes away (an unmap, a free, a destroy) of a pointer the ' +
        'function\'s own variable took from the pair\'s acquire counts as such a free (`fis = dma_memory_map(...)` ... ' +
        '`dma_memory_unmap(as, fis, ...)`); so does a local the function pointed into that memory between the two ' +
        '(`buf = page + off`, `hdr = (FxHdr *)page`), read through or handed as it is to a call that is no report or ' +
        'trace (`fx_send(nc, buf, len)`). Also a free of the element a list walk holds (`QLIST_FOREACH(e, &l, next)`, ' +
        'not a `_SAFE` walk, which reads the next link first) inside the walk\'s body, with no exit that leaves the ' +
        'loop after the free on its way and no new value for the element: the next step reads `e->next` from the freed ' +
        'element (the commit wrote in the walk, or deleted there: a `break` after the free). Not when the free\'s block leaves before the read, nor when the two stand in different branches of ' +
        'one condition; not when the pre-image read it after the same free already. Also a variable of the file (not ' +
        'the function\'s own, not a parameter) that the commit releases (a heap free or the release of a known pair) ' +
        'and leaves set, nothing after the release on the function\'s way storing into it, while another function of ' +
        'the file tests it for being there (`if (!fx_pfs)`, `fx_pfs && ...`): it takes the freed value for a live one. ' +
        'The same for a field of an instance (`fx_hash_free(s->ctx)`, a release that disposes: a free, a destroy, a last ' +
        'unref, a close) in a function that is no teardown nor constructor (no release verb in its name, no finalize, ' +
        'exit, reset, init, realize or probe) and did not make the object itself, set or cleared again nowhere on the ' +
        'release\'s way, where a function of the file fills it with the pair\'s acquire and the function itself tests it ' +
        'for being there before the release (`if (s->ctx == NULL) { s->ctx = fx_hash_new(...); }`): its next call takes ' +
        'the freed value for a live one; or, where the function does not test it, another function of the file that is ' +
        'no teardown tests it and a function of the file frees it under no test before filling it again (`g_free(st->bpl); ' +
        'st->bpl = g_new(...)`), which then frees the stale value a second time. ' +
        'Also a new goto to an unwind that frees a heap value of the function (itself or through a function of the ' +
        'program that frees what it is handed) after the value was linked into a list on the way and not unlinked since. ' +
        'And a release of a whole object in a plain variable (named for disposing of it: `fx_aio_unref(acb)`) with a use ' +
        'that reads through the variable after it, where the commit moved one of the two (the release up, or the use down: ' +
        '`fx_blk_dec_in_flight(acb->blk)` now after the unref) and the use came before the release in the pre-image; or ' +
        'the commit writes a new use through it after the release (no use of the pre-image came after it), where the ' +
        'variable is what the function was handed (a parameter, or a local naming it: `FxAIOCB *acb = opaque;`), the ' +
        'release drops the object itself (a name ending in unref or put, or a heap free of it) and the function took no ' +
        'reference of its own on it. ' +
        'And a descriptor closed (`close(st->fd)`) and then kept or handed on whole (`s->fd = st->fd;`) on the close\'s ' +
        'way, with nothing giving it a new value between (nor a call handed what holds it, `fx_reopen(st, errp)`); the ' +
        'commit wrote the close, the use, or the way between them ' +
        '(also by deleting an exit after the close). ' +
        'And a release of a field that disposes of it (`timer_free(s->tick)`, a heap free, or a pair\'s release named ' +
        'for the memory going away), then on the same way, with nothing storing into the field between, a call of a ' +
        'function of the program handed the holder itself (`fx_tick_stop(s)`) whose body uses that field (`timer_del(s->tick)`, ' +
        'under no test but of the field itself, before anything in it stores into the field; not a report, not a second ' +
        'disposal); the commit wrote the release, the call, or the way between. ' +
        'The C library\'s closes of a stream or a directory (`fclose()`, `pclose()`, `closedir()`) free what they are handed; an opaque object its acquire made (a stream, a handle) is used by any call handed it whole after the release that is no report, trace or call of a known pair (`fclose(file); ... ferror(file)`); a call that installs a release for later (`*_set_destroy_function()`) releases nothing. ' +
        'A value found in a hash table and read after the function removed it from the table (`g_hash_table_remove(s->devs, key); fx_unset(s, hd->bus)`), where the file made the table with a value destroy function that frees or drops its argument, with no reference of the function\'s own. ' +
        'A helper named for releasing counts as run-time code when a function of the file that is no teardown, or a bottom half, callback or event handler, calls it (`fx_redir_close_bh()` → `fx_redir_destroy_parser(dev)`); and the dangling form fires also when the commit deleted the clearing that followed the release (`dev->parser = NULL;` lost when the code moved into the helper). ' +
        'Copying the freed pointer into another variable after the free (`g_free(packed); ... data = packed;`) is a use too.',
      why:
        'The memory may be reused as soon as it is freed: the read returns garbage, or a write corrupts whatever ' +
        'took its place. A free moved up to share an exit, or a trace call added at the end of a function, is the ' +
        'usual way this comes in; the code still works in testing because the freed memory usually still holds the ' +
        'old bytes.',
      fix: 'Read what is needed before the free (into a local), or move the free after the last use.',
      bad: [
        'static int fx_dev_probe(FxDevice *fdev)',
        '{',
        '    struct fx_region_desc *info = NULL;',
        '',
        '    if (fx_query_region(fdev, FX_CFG_REGION, &info)) {',
        '        return -EINVAL;',
        '    }',
        '    fdev->cfg_size = info->size;',
        '-   trace_fx_dev_probe(fdev->name, info->index);',
        '    g_free(info);',
        '+   trace_fx_dev_probe(fdev->name, info->index);',
        '    return 0;',
        '}',
      ].join('\n'),
      good: [
        '    fdev->cfg_size = info->size;',
        '+   trace_fx_dev_probe(fdev->name, info->index);',
        '    g_free(info);',
        '    return 0;',
      ].join('\n'),
    },
  },
  create(context) {
    return {
      changedFunction(file, change) {
        if (!file.post) return;
        checkFunction(context, file, change);
      },
    };
  },
};
