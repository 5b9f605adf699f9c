import { readFileSync } from 'node:fs';

/**
 * The version from package.json. The package root is two levels above
 * src/cli (tests run the sources) or three above build/src/cli (the built CLI).
 */
export function packageVersion(): string {
  for (const rel of ['../../package.json', '../../../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(rel, import.meta.url), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'pairlint' && pkg.version) return pkg.version;
    } catch {
      // not at this level
    }
  }
  return '0.0.0';
}
