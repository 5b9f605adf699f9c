#!/usr/bin/env node
// Launcher of the CLI bundle build/cli/pairlint.js (made by `npm run build`,
// which `npm ci` runs through `prepare`): one file to read and compile
// instead of a hundred ES modules to resolve.
import './v8-flags.js';
import module from 'node:module';

// Node 22.1+: keep V8's compiled code of the bundle on disk (in the OS temp
// directory, or $NODE_COMPILE_CACHE) so the next run does not compile it again.
if (typeof module.enableCompileCache === 'function') {
  try { module.enableCompileCache(); } catch { /* no cache: compile as before */ }
}

import('../build/cli/pairlint.js')
  .then((cli) => cli.main(process.argv.slice(2)))
  .then((code) => { process.exitCode = code; })
  .catch((err) => {
    process.stderr.write(`pairlint: internal error: ${err && err.message ? err.message : err}\n`);
    process.exitCode = 2;
  });
