/**
 * The synthetic history of `npm run bench` (workload b): C files of our own,
 * shaped like QEMU's listener files (MemoryListener callbacks region_add /
 * region_del that map/unmap and ref/unref, try_unmap gates, helper pairs,
 * plenty of ordinary functions around them), and a long series of commits
 * that edit functions on one or both sides of the pairs. Everything comes
 * from a seeded PRNG, so every run builds the same repository; the commits
 * are written with one `git fast-import` (no process per commit).
 */
import { spawnSync } from 'node:child_process';

/** mulberry32: small, fast, deterministic. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Rng = () => number;
const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)] as T;
const int = (rng: Rng, lo: number, hi: number): number => lo + Math.floor(rng() * (hi - lo + 1));

/** A top-level statement of a function body (one or more lines, indented 4). */
interface Stmt {
  lines: string[];
  /** added by a commit (may be removed again); the skeleton is never removed */
  added: boolean;
}

interface Fn {
  name: string;
  header: string[];
  decls: string[];
  body: Stmt[];
  /** the region_add / map side of a pair, the region_del / unmap side, or neither */
  side: 'acquire' | 'release' | null;
  /** the other function of the pair */
  partner: string | null;
}

interface Unit {
  fn?: Fn;
  /** a verbatim block (struct initializer, declarations) */
  text?: string[];
}

export interface GenFile {
  path: string;
  prefix: string;
  units: Unit[];
}

const S = (...lines: string[]): Stmt => ({ lines, added: false });

const PREDICATES = [
  'memory_region_is_ram_device(section->mr)',
  'memory_region_is_protected(section->mr)',
  'memory_region_has_ram_discard_manager(section->mr)',
  '!memory_region_is_ram(section->mr)',
  'section->readonly',
  'int128_get64(section->size) < qemu_real_host_page_size()',
  'memory_region_skip_iommu_map(section->mr)',
  'memory_region_is_romd(section->mr)',
];

const CALLEES = ['trace_event_a', 'qemu_log_mask', 'warn_report_once', 'object_ref', 'g_hash_table_insert', 'qemu_mutex_lock'];

function fillerFn(rng: Rng, prefix: string, k: number): Fn {
  const name = `${prefix}_${pick(rng, ['update', 'sync', 'flush', 'check', 'probe', 'walk', 'reset', 'query'])}_${pick(rng, ['state', 'range', 'window', 'table', 'entry', 'dirty', 'iova', 'notifier'])}_${k}`;
  const header = [`static int ${name}(${prefix.toUpperCase()}State *s, hwaddr iova, uint64_t size)`];
  const decls = ['    int ret = 0;', '    uint64_t i, n = size >> 12;'];
  const body: Stmt[] = [];
  const count = int(rng, 4, 9);
  for (let j = 0; j < count; j++) {
    switch (int(rng, 0, 5)) {
      case 0:
        body.push(S(`    if (!s->enabled_${j}) {`, `        return -EINVAL;`, `    }`));
        break;
      case 1:
        body.push(
          S(
            `    for (i = 0; i < n; i++) {`,
            `        ret = ${prefix}_table_update(s, iova + (i << 12), ${j});`,
            `        if (ret < 0) {`,
            `            error_report("${name}: update %" PRIu64 " failed: %d", i, ret);`,
            `            break;`,
            `        }`,
            `    }`,
          ),
        );
        break;
      case 2:
        body.push(
          S(
            `    switch (s->mode) {`,
            `    case ${prefix.toUpperCase()}_MODE_LEGACY:`,
            `        s->count_${j} += size;`,
            `        break;`,
            `    case ${prefix.toUpperCase()}_MODE_NESTED:`,
            `        s->count_${j} -= size;`,
            `        break;`,
            `    default:`,
            `        g_assert_not_reached();`,
            `    }`,
          ),
        );
        break;
      case 3:
        body.push(S(`    trace_${name}(iova, size, ${j});`));
        break;
      case 4:
        body.push(S(`    s->flags_${j} = (s->flags_${j} & ~0x${(j + 1).toString(16)}) | (size > 0x${(4096 << j).toString(16)});`));
        break;
      default:
        body.push(S(`    /*`, `     * Step ${j}: keep the shadow table in sync with the host view.`, `     */`, `    ${prefix}_shadow_sync(s, iova, size);`));
    }
  }
  body.push(S('    return ret;'));
  return { name, header, decls, body, side: null, partner: null };
}

/** region_add / region_del callbacks (with a helper on the add side), and their MemoryListener. */
function listenerPair(prefix: string, k: number): { fns: Fn[]; init: string[] } {
  const T = `${prefix.toUpperCase()}Container`;
  const add = `${prefix}_listener${k}_region_add`;
  const del = `${prefix}_listener${k}_region_del`;
  const helper = `${prefix}_container${k}_region_add`;
  const valid = `${prefix}_listener${k}_valid_section`;
  const validFn: Fn = {
    name: valid,
    header: [`static bool ${valid}(MemoryRegionSection *section)`],
    decls: [],
    body: [
      S(`    if (!memory_region_is_ram(section->mr) &&`, `        !memory_region_is_iommu(section->mr)) {`, `        return false;`, `    }`),
      S(`    return true;`),
    ],
    side: null,
    partner: null,
  };
  const helperFn: Fn = {
    name: helper,
    header: [`static void ${helper}(${T} *c, MemoryRegionSection *section)`],
    decls: ['    hwaddr iova = section->offset_within_address_space;', '    Int128 llsize = section->size;', '    void *vaddr;', '    int ret;'],
    body: [
      S(`    if (!${valid}(section)) {`, `        return;`, `    }`),
      S(`    memory_region_ref(section->mr);`),
      S(`    vaddr = memory_region_get_ram_ptr(section->mr) +`, `            section->offset_within_region;`),
      S(
        `    ret = vfio_container_dma_map(c->bcontainer, iova, int128_get64(llsize),`,
        `                                 vaddr, section->readonly, section->mr);`,
      ),
      S(`    if (ret) {`, `        error_report("${prefix}: dma map failed: %d", ret);`, `    }`),
    ],
    side: 'acquire',
    partner: del,
  };
  const addFn: Fn = {
    name: add,
    header: [`static void ${add}(MemoryListener *listener,`, `${' '.repeat(13 + add.length)}MemoryRegionSection *section)`],
    decls: [`    ${T} *c = container_of(listener, ${T}, listener);`],
    body: [S(`    ${helper}(c, section);`)],
    side: 'acquire',
    partner: del,
  };
  const delFn: Fn = {
    name: del,
    header: [`static void ${del}(MemoryListener *listener,`, `${' '.repeat(13 + del.length)}MemoryRegionSection *section)`],
    decls: [
      `    ${T} *c = container_of(listener, ${T}, listener);`,
      '    hwaddr iova = section->offset_within_address_space;',
      '    Int128 llsize = section->size;',
      '    bool try_unmap = true;',
      '    int ret;',
    ],
    body: [
      S(`    if (!${valid}(section)) {`, `        return;`, `    }`),
      S(`    if (memory_region_is_ram_device(section->mr)) {`, `        try_unmap = !(iova & c->pgmask);`, `    }`),
      S(
        `    if (try_unmap) {`,
        `        ret = vfio_container_dma_unmap(c->bcontainer, iova,`,
        `                                       int128_get64(llsize), NULL, false);`,
        `        if (ret) {`,
        `            error_report("${prefix}: dma unmap failed: %d", ret);`,
        `        }`,
        `    }`,
      ),
      S(`    memory_region_unref(section->mr);`),
    ],
    side: 'release',
    partner: add,
  };
  const init = [
    `static const MemoryListener ${prefix}_memory_listener${k} = {`,
    `    .name = "${prefix}${k}",`,
    `    .region_add = ${add},`,
    `    .region_del = ${del},`,
    `};`,
  ];
  return { fns: [validFn, helperFn, addFn, delFn], init };
}

/** A map/unmap helper pair (a name family). */
function mapPair(prefix: string, k: number): Fn[] {
  const map = `${prefix}_window${k}_map`;
  const unmap = `${prefix}_window${k}_unmap`;
  return [
    {
      name: map,
      header: [`static int ${map}(${prefix.toUpperCase()}State *s, hwaddr iova, uint64_t size)`],
      decls: ['    int ret;'],
      body: [
        S(`    ret = vhost_iova_tree_map_alloc(s->iova_tree, &s->map${k});`),
        S(`    if (ret != IOVA_OK) {`, `        return -ENOSPC;`, `    }`),
        S(`    ret = vhost_vdpa_dma_map(s->vdpa, iova, size, s->vaddr${k}, false);`),
        S(`    return ret;`),
      ],
      side: 'acquire',
      partner: unmap,
    },
    {
      name: unmap,
      header: [`static int ${unmap}(${prefix.toUpperCase()}State *s, hwaddr iova, uint64_t size)`],
      decls: ['    int ret;'],
      body: [
        S(`    ret = vhost_vdpa_dma_unmap(s->vdpa, iova, size);`),
        S(`    vhost_iova_tree_remove(s->iova_tree, s->map${k});`),
        S(`    return ret;`),
      ],
      side: 'release',
      partner: map,
    },
  ];
}

/** A file of about `targetLines` lines. */
export function makeFile(rng: Rng, path: string, prefix: string, targetLines: number, pairs: number): GenFile {
  const units: Unit[] = [
    {
      text: [
        '/*',
        ` * ${path}: generated by pairlint's benchmark (not QEMU code), shaped like a`,
        ' * QEMU listener file.',
        ' */',
        '',
        '#include "qemu/osdep.h"',
        '#include "system/memory.h"',
        `#include "${prefix}-internal.h"`,
      ],
    },
  ];
  const file: GenFile = { path, prefix, units };
  let k = 0;
  const fill = (n: number) => {
    for (let j = 0; j < n; j++) units.push({ fn: fillerFn(rng, prefix, k++) });
  };
  for (let p = 0; p < pairs; p++) {
    fill(int(rng, 2, 5));
    const lp = listenerPair(prefix, p);
    for (const fn of lp.fns) units.push({ fn });
    units.push({ text: lp.init });
    fill(int(rng, 1, 3));
    for (const fn of mapPair(prefix, p)) units.push({ fn });
  }
  while (renderFile(file).split('\n').length < targetLines) fill(1);
  return file;
}

function renderFn(fn: Fn): string[] {
  const out = [...fn.header, '{', ...fn.decls];
  if (fn.decls.length > 0) out.push('');
  fn.body.forEach((s, i) => {
    out.push(...s.lines);
    if (i < fn.body.length - 1 && (s.lines.length > 1 || (fn.body[i + 1]?.lines.length ?? 0) > 1)) out.push('');
  });
  out.push('}');
  return out;
}

export function renderFile(file: GenFile): string {
  const out: string[] = [];
  for (const u of file.units) {
    if (u.fn) out.push(...renderFn(u.fn));
    else if (u.text) out.push(...u.text);
    out.push('');
  }
  return out.join('\n');
}

function fns(file: GenFile): Fn[] {
  return file.units.flatMap((u) => (u.fn ? [u.fn] : []));
}

/** Index after the last statement that must stay first (the validity check), so guards go after it. */
function guardSlot(fn: Fn): number {
  return fn.body.length > 0 && fn.body[0]?.lines[0]?.includes('valid_section') ? 1 : 0;
}

/**
 * One commit's worth of edits to `files` (mutated in place); returns the
 * commit subject. Kinds: a new early return on one side of a pair, the same
 * check on both sides, a ref without an unref, a changed condition, an edited
 * ordinary function, a new function, removal of an earlier addition.
 */
export function editCommit(rng: Rng, files: GenFile[], n: number): string {
  const file = pick(rng, files);
  const all = fns(file);
  const paired = all.filter((f) => f.side !== null);
  const plain = all.filter((f) => f.side === null && !f.name.includes('valid_section'));
  const removable = all.filter((f) => f.body.some((s) => s.added));
  const addedCount = all.reduce((k, f) => k + f.body.filter((s) => s.added).length, 0);
  const pred = pick(rng, PREDICATES);
  const guard = (f: Fn): Stmt => ({
    lines: [`    if (${pred}) {`, `        return${f.header[0]?.startsWith('static int') ? ' 0' : ''};`, '    }'],
    added: true,
  });
  const roll = rng();
  let kind: 'one-side' | 'both-sides' | 'ref' | 'remove' | 'condition' | 'rework' | 'tweak' =
    roll < 0.15 ? 'one-side' : roll < 0.3 ? 'both-sides' : roll < 0.4 ? 'ref' : roll < 0.55 ? 'remove' : roll < 0.65 ? 'condition' : roll < 0.75 ? 'rework' : 'tweak';
  // keep files near their size: once a file carries enough additions, most additions become removals
  if (addedCount > 16 && kind !== 'condition' && kind !== 'rework' && rng() < 0.8) kind = 'remove';
  if (kind === 'remove' && removable.length === 0) kind = 'tweak';
  switch (kind) {
    case 'one-side': {
      const fn = pick(rng, paired);
      fn.body.splice(guardSlot(fn), 0, guard(fn));
      return `${file.prefix}: skip ${fn.name} when ${pred.replace(/\(.*/, '')} (${n})`;
    }
    case 'both-sides': {
      const fn = pick(rng, paired);
      const partner = all.find((f) => f.name === fn.partner);
      for (const f of partner ? [fn, partner] : [fn]) f.body.splice(guardSlot(f), 0, guard(f));
      return `${file.prefix}: skip both sides when ${pred.replace(/\(.*/, '')} (${n})`;
    }
    case 'ref': {
      const fn = pick(rng, paired);
      const at = int(rng, guardSlot(fn), fn.body.length - 1);
      fn.body.splice(at, 0, { lines: [`    ${fn.side === 'acquire' ? 'memory_region_ref' : 'memory_region_unref'}(section->mr);`], added: true });
      return `${file.prefix}: take a reference in ${fn.name} (${n})`;
    }
    case 'remove': {
      const fn = pick(rng, removable);
      const idx = fn.body.map((s, i) => (s.added ? i : -1)).filter((i) => i >= 0);
      fn.body.splice(pick(rng, idx), 1);
      return `${file.prefix}: drop a change to ${fn.name} (${n})`;
    }
    case 'condition': {
      const fn = pick(rng, plain);
      const stmt = fn.body.find((s) => /^    (if|for) \(.*\{$/.test(s.lines[0] ?? ''));
      if (stmt) stmt.lines[0] = `    if (${pred.replace(/section->mr/g, 's->mr').replace(/section->/g, 's->')} && s->nested${n % 7}) {`;
      else fn.body.splice(0, 0, { lines: [`    if (s->nested${n % 7}) {`, '        return -EBUSY;', '    }'], added: true });
      return `${file.prefix}: change a condition in ${fn.name} (${n})`;
    }
    case 'rework': {
      const at = int(rng, 1, file.units.length - 1);
      file.units.splice(at, 0, { fn: fillerFn(rng, file.prefix, 1000 + n) });
      // keep the file size stable: drop an ordinary function elsewhere
      const victims = file.units
        .map((u, i) => (u.fn && u.fn.side === null && !u.fn.name.includes('valid_section') && i !== at ? i : -1))
        .filter((i) => i >= 0);
      if (victims.length > 0) file.units.splice(pick(rng, victims), 1);
      return `${file.prefix}: rework a helper (${n})`;
    }
    case 'tweak': {
      const touched = int(rng, 1, 3);
      for (let t = 0; t < touched; t++) {
        const fn = pick(rng, plain);
        const at = int(rng, 0, Math.max(0, fn.body.length - 1));
        fn.body.splice(at, 0, { lines: [`    ${pick(rng, CALLEES)}(s, ${n}, ${t});`], added: true });
      }
      return `${file.prefix}: tweak ${touched} helper${touched > 1 ? 's' : ''} (${n})`;
    }
  }
}

export interface GeneratedRepo {
  dir: string;
  /** the root commit (all files), then one per edit */
  shas: string[];
  files: { path: string; lines: number }[];
}

/** Git with no user or system config, and fixed identities. */
export function gitEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const v of ['GIT_DIR', 'GIT_WORK_TREE', 'GIT_INDEX_FILE', 'GIT_OBJECT_DIRECTORY']) delete env[v];
  return {
    ...env,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_AUTHOR_NAME: 'Bench Author',
    GIT_AUTHOR_EMAIL: 'bench@example.org',
    GIT_COMMITTER_NAME: 'Bench Author',
    GIT_COMMITTER_EMAIL: 'bench@example.org',
  };
}

export function git(dir: string, args: string[], input?: string | Buffer): string {
  const r = spawnSync('git', args, { cwd: dir, input, env: gitEnv(), maxBuffer: 1 << 30, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

/** The base files of the benchmark repository (deterministic for a seed). */
export function baseFiles(seed: number): GenFile[] {
  const rng = prng(seed);
  return [
    makeFile(rng, 'hw/vfio/listener.c', 'vfio', 2500, 3),
    makeFile(rng, 'hw/virtio/vhost-vdpa.c', 'vdpa', 1800, 2),
    makeFile(rng, 'hw/vfio/container.c', 'vfc', 1300, 2),
    makeFile(rng, 'system/memory-listeners.c', 'mem', 1000, 1),
  ];
}

/** Build the repository in `dir` (empty): a root commit with every file, then `commits` edits. */
export function generateRepo(dir: string, commits: number, seed = 0x5eed): GeneratedRepo {
  git(dir, ['init', '-q', '-b', 'main']);
  const files = baseFiles(seed);
  const rng = prng(seed ^ 0x9e3779b9);
  const chunks: Buffer[] = [];
  const data = (s: string) => {
    const b = Buffer.from(s, 'utf8');
    chunks.push(Buffer.from(`data ${b.length}\n`), b, Buffer.from('\n'));
  };
  let clock = 1_700_000_000;
  const commit = (subject: string, changed: { path: string; text: string }[]) => {
    clock += 60;
    chunks.push(Buffer.from(`commit refs/heads/main\nauthor Bench Author <bench@example.org> ${clock} +0000\ncommitter Bench Author <bench@example.org> ${clock} +0000\n`));
    data(`${subject}\n\nGenerated by pairlint's benchmark.\n\nSigned-off-by: Bench Author <bench@example.org>\n`);
    for (const c of changed) {
      chunks.push(Buffer.from(`M 100644 inline ${c.path}\n`));
      data(c.text);
    }
    chunks.push(Buffer.from('\n'));
  };
  let trace = 'vfio_region_add(uint64_t iova) "iova 0x%"PRIx64\n';
  commit('Initial import', [...files.map((f) => ({ path: f.path, text: renderFile(f) })), { path: 'hw/vfio/trace-events', text: trace }]);
  const last = new Map(files.map((f) => [f.path, renderFile(f)]));
  for (let n = 1; n <= commits; n++) {
    const subject = editCommit(rng, files, n);
    const changed: { path: string; text: string }[] = [];
    for (const f of files) {
      const text = renderFile(f);
      if (text !== last.get(f.path)) {
        changed.push({ path: f.path, text });
        last.set(f.path, text);
      }
    }
    if (n % 10 === 0) {
      trace += `vfio_event_${n}(int x) "x %d"\n`;
      changed.push({ path: 'hw/vfio/trace-events', text: trace });
    }
    commit(subject, changed);
  }
  git(dir, ['fast-import', '--quiet'], Buffer.concat(chunks));
  git(dir, ['reset', '-q', '--hard', 'main']);
  const shas = git(dir, ['rev-list', '--reverse', 'main']).trim().split('\n');
  return { dir, shas, files: files.map((f) => ({ path: f.path, lines: renderFile(f).split('\n').length })) };
}
