#!/usr/bin/env node
// Launcher of the CLI bundle build/cli/pairlint.js (made by `npm run build`,
// which `npm ci` runs through `prepare`): one file to read and compile
// instead of a hundred ES modules to resolve.
import './v8-flags.js';
import module from 'node:module';

// Node 22.1 and newer: V8 keeps the compiled code of the bundle on disk
// (os.tmpdir()/node-compile-cache; NODE_DISABLE_COMPILE_CACHE=1 turns it
// off), so a hook's next run skips compiling it. Older Node has no such
// function and compiles every time, as before.
if (typeof module.enableCompileCache === 'function') {
  try {
    module.enableCompileCache();
  } catch {
    /* a cache that cannot be written costs only the time it would have saved */
  }
}

import('../build/cli/pairlint.js')
  .then((cli) => cli.main(process.argv.slice(2)))
  .then((code) => { process.exitCode = code; })
  .catch((err) => {
    process.stderr.write(`pairlint: internal error: ${err && err.message ? err.message : err}\n`);
    process.exitCode = 2;
  });
