import { readFileSync } from 'node:fs';

/**
 * The version from package.json. The package root is one level above src/
 * (tests run the sources) or two above build/src/ (the compiled modules); the
 * bundles replace this module with the version itself (scripts/bundle.mjs).
 */
export function packageVersion(): string {
  for (const rel of ['../package.json', '../../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(rel, import.meta.url), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'pairlint' && pkg.version) return pkg.version;
    } catch {
      // not at this level
    }
  }
  return '0.0.0';
}
