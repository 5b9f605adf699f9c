/**
 * The folder-level import graph of src/ and rules/, read from the source
 * files themselves (TypeScript's parser, so comments and strings never count
 * as imports). A folder is `src/<dir>` (its subfolders included), `rules`, or
 * `src` for the files directly in src/. The layout test and `npm run layout`
 * both use it: the data must flow one way, and rules must reach the model only
 * through the rule API.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';

/** One import statement (or dynamic import) of one file, resolved inside the repository. */
export interface ImportEdge {
  /** importing file, relative to the root, with `/` */
  from: string;
  /** imported file, relative to the root, with `/` (the .ts source of a .js specifier) */
  to: string;
  /** `import type` / `export type`, or every named binding type-only: erased at run time */
  typeOnly: boolean;
}

export interface LayoutGraph {
  files: string[];
  imports: ImportEdge[];
  /** folder → the folders it imports from (sorted), every folder present */
  folders: Map<string, string[]>;
}

/** The folders whose files may use each other freely; everything else must form no cycle. */
export function folderOf(file: string): string | null {
  const parts = file.split('/');
  if (parts[0] === 'rules') return 'rules';
  if (parts[0] !== 'src') return null;
  return parts.length === 2 ? 'src' : `src/${parts[1]}`;
}

function sourceFiles(root: string, dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory()) out.push(...sourceFiles(root, path));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) out.push(path);
  }
  return out.sort();
}

function isTypeOnlyImport(node: ts.ImportDeclaration | ts.ExportDeclaration): boolean {
  if (ts.isExportDeclaration(node)) {
    if (node.isTypeOnly) return true;
    const clause = node.exportClause;
    return clause !== undefined && ts.isNamedExports(clause) && clause.elements.length > 0 && clause.elements.every((e) => e.isTypeOnly);
  }
  const clause = node.importClause;
  if (clause === undefined) return false; // a side-effect import runs the module
  if (clause.isTypeOnly) return true;
  if (clause.name !== undefined) return false;
  const bindings = clause.namedBindings;
  return bindings !== undefined && ts.isNamedImports(bindings) && bindings.elements.length > 0 && bindings.elements.every((e) => e.isTypeOnly);
}

/** The module specifiers a file imports or re-exports, statically or with import(). */
function specifiersOf(path: string, text: string): { specifier: string; typeOnly: boolean }[] {
  const source = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const out: { specifier: string; typeOnly: boolean }[] = [];
  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier !== undefined && ts.isStringLiteral(node.moduleSpecifier)) {
      out.push({ specifier: node.moduleSpecifier.text, typeOnly: isTypeOnlyImport(node) });
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const arg = node.arguments[0];
      if (arg !== undefined && ts.isStringLiteralLike(arg)) out.push({ specifier: arg.text, typeOnly: false });
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
      out.push({ specifier: node.argument.literal.text, typeOnly: true });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return out;
}

/** The repository file a relative specifier names (`./x.js` is the source `./x.ts`). */
function resolveSpecifier(root: string, from: string, specifier: string): string | null {
  if (!specifier.startsWith('.')) return null;
  const target = resolve(root, dirname(from), specifier).replace(/\.js$/, '.ts');
  return relative(root, target).split(sep).join('/');
}

export function layoutGraph(root: string): LayoutGraph {
  const files = [...sourceFiles(root, 'src'), ...sourceFiles(root, 'rules')];
  const imports: ImportEdge[] = [];
  const folders = new Map<string, Set<string>>();
  for (const file of files) {
    const from = folderOf(file)!;
    if (!folders.has(from)) folders.set(from, new Set());
    for (const { specifier, typeOnly } of specifiersOf(file, readFileSync(join(root, file), 'utf8'))) {
      const to = resolveSpecifier(root, file, specifier);
      if (to === null) continue;
      imports.push({ from: file, to, typeOnly });
      const target = folderOf(to);
      if (target !== null && target !== from) folders.get(from)!.add(target);
    }
  }
  const sorted = new Map([...folders].sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, [...v].sort()]));
  return { files, imports, folders: sorted };
}

/** Strongly connected components of more than one folder (Tarjan): each is an import cycle. */
export function folderCycles(folders: ReadonlyMap<string, readonly string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  let next = 0;
  const connect = (v: string): void => {
    index.set(v, next);
    low.set(v, next);
    next++;
    stack.push(v);
    onStack.add(v);
    for (const w of folders.get(v) ?? []) {
      if (!index.has(w)) {
        connect(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, index.get(w)!));
      }
    }
    if (low.get(v) !== index.get(v)) return;
    const component: string[] = [];
    for (;;) {
      const w = stack.pop()!;
      onStack.delete(w);
      component.push(w);
      if (w === v) break;
    }
    if (component.length > 1) cycles.push(component.sort());
  };
  for (const v of folders.keys()) if (!index.has(v)) connect(v);
  return cycles;
}

/**
 * The folders from the bottom up: each imports only folders before it. Data
 * flows input → series → git/images → cmodel → pairs → model → rule API →
 * rules → engine (which runs the fix stage, so it imports src/fix) → report →
 * cli. `src` is the files directly in src/ (utilities every layer may use).
 */
export const LAYERS: readonly string[] = [
  'src',
  'src/series',
  'src/input',
  'src/git',
  'src/images',
  'src/cmodel',
  'src/pairs',
  'src/config',
  'src/model',
  'src/rule',
  'rules',
  'src/fix',
  'src/engine',
  'src/report',
  'src/audit',
  'src/b4',
  'src/cli',
  'src/action',
];

/** Imports that go up the layers (or reach a folder LAYERS does not place), one line each. */
export function upwardImports(folders: ReadonlyMap<string, readonly string[]>): string[] {
  const out: string[] = [];
  for (const [folder, targets] of folders) {
    const level = LAYERS.indexOf(folder);
    if (level < 0) out.push(`${folder} is not placed in LAYERS`);
    for (const target of targets) if (LAYERS.indexOf(target) >= level) out.push(`${folder} → ${target} goes up`);
  }
  return out;
}

/** The rule API's model service (ctx.model): rules reach src/model only through its types. */
export const RULE_API = 'src/rule/model.ts';

/**
 * What rules/ may not do: import src/model (its types come re-exported by
 * the rule API), import any value (not a type) from src/, or call summaryOf
 * (ctx.model answers for the commit). One line per offence.
 */
export function ruleOffences(root: string, graph: LayoutGraph): string[] {
  const offences: string[] = [];
  for (const edge of graph.imports) {
    if (folderOf(edge.from) !== 'rules') continue;
    if (folderOf(edge.to) === 'src/model') offences.push(`${edge.from} imports ${edge.to} (model types come from ${RULE_API})`);
    if (edge.to.startsWith('src/') && !edge.typeOnly) offences.push(`${edge.from} imports values from ${edge.to} (types only; ask ctx.model)`);
  }
  for (const file of graph.files) {
    if (folderOf(file) !== 'rules') continue;
    if (/\bsummaryOf\b/.test(readFileSync(join(root, file), 'utf8'))) offences.push(`${file} names summaryOf (ask ctx.model)`);
  }
  return offences;
}
