/**
 * esbuild bundles of pairlint: one ESM file with every module it imports,
 * and the two wasm files beside it (src/cmodel/loader.ts finds them there).
 * Used for the GitHub Action (scripts/build-action.mjs, dist/) and the CLI
 * (scripts/build-cli.mjs, build/cli/). The output is deterministic: same
 * sources, same esbuild, same bytes. Two modules that read package.json
 * relative to their own file (which means nothing inside a bundle) are
 * replaced by constants taken from package.json at build time.
 */
import { build } from 'esbuild';
import { chmodSync, copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** The wasm files copied beside the bundle: [package specifier, file name in OUTDIR]. */
export const WASM_FILES = [
  ['web-tree-sitter/tree-sitter.wasm', 'tree-sitter.wasm'],
  ['tree-sitter-c/tree-sitter-c.wasm', 'tree-sitter-c.wasm'],
];


export function resolvePackageFile(spec) {
  const require = createRequire(join(ROOT, 'package.json'));
  try {
    return require.resolve(spec);
  } catch {
    // packages whose "exports" do not list the wasm: find the package root via its package.json
    const [scopeOrName, ...rest] = spec.split('/');
    const pkgJson = require.resolve(`${scopeOrName}/package.json`);
    return join(dirname(pkgJson), ...rest);
  }
}

/** esbuild plugin: replace modules that locate package.json from import.meta.url. */
function packageConstants() {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  const homepage = typeof pkg.homepage === 'string' && /^https?:\/\//.test(pkg.homepage) ? pkg.homepage : null;
  const stubs = new Map([
    [resolve(ROOT, 'src/version.ts'), `export function packageVersion() { return ${JSON.stringify(pkg.version)}; }\n`],
    [resolve(ROOT, 'src/report/project.ts'), `export function projectHomepage() { return ${JSON.stringify(homepage)}; }\n`],
  ]);
  return {
    name: 'pairlint-package-constants',
    setup(b) {
      b.onLoad({ filter: /[\\/]src[\\/](version|report[\\/]project)\.ts$/ }, (args) => {
        const contents = stubs.get(resolve(args.path));
        return contents === undefined ? undefined : { contents, loader: 'js' };
      });
    },
  };
}

/**
 * Bundle `entry` (relative to the repository) into `outfile` in `outdir`,
 * with `header` (comment lines) on top, and copy the wasm files beside it.
 */
export async function bundle({ entry, outdir, outfile, header }) {
  mkdirSync(outdir, { recursive: true });
  const result = await build({
    absWorkingDir: ROOT,
    entryPoints: [entry],
    outfile: join(outdir, outfile),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    minify: false,
    sourcemap: false,
    legalComments: 'eof',
    charset: 'utf8',
    logLevel: 'warning',
    // bundled CommonJS (commander) requires node builtins: give the ESM bundle a real require
    banner: {
      js:
        header +
        "import { createRequire as __pairlintCreateRequire } from 'node:module';\n" +
        'const require = __pairlintCreateRequire(import.meta.url);',
    },
    plugins: [packageConstants()],
  });
  if (result.errors.length > 0) throw new Error('esbuild failed');
  for (const [spec, name] of WASM_FILES) {
    copyFileSync(resolvePackageFile(spec), join(outdir, name));
    chmodSync(join(outdir, name), 0o644);
  }
  return join(outdir, outfile);
}
