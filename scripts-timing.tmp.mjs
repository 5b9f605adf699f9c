const T = {};
function wrap(obj, name, label) { const orig = obj[name]; obj[name] = function (...a) { const t = performance.now(); try { return orig.apply(this, a); } finally { T[label] = (T[label] || 0) + performance.now() - t; } }; }
function wrapAsync(obj, name, label) { const orig = obj[name]; obj[name] = async function (...a) { const t = performance.now(); try { return await orig.apply(this, a); } finally { T[label] = (T[label] || 0) + performance.now() - t; } }; }
const { Walker } = await import('/work/main/build/src/cmodel/walker.js');
const { ParsedImage } = await import('/work/main/build/src/cmodel/image.js');
const { Parser } = await import('/work/main/node_modules/web-tree-sitter/tree-sitter.js');
const { ModelCache } = await import('/work/main/build/src/engine/model-cache.js');
const { ChangedFile } = await import('/work/main/build/src/engine/changed-file.js');
const prep = await import('/work/main/build/src/cmodel/prepare.js');
wrap(Walker.prototype, 'runItem', 'walk');
wrap(ParsedImage.prototype, 'next', 'next');
wrap(ParsedImage, 'parse', 'fullparse');
wrap(Parser.prototype, 'parse', 'tsparse');
wrap(ModelCache.prototype, 'get', 'cache.get');
const rules = (await import('/work/main/build/rules/index.js'));
for (const r of rules.RULES) wrap(r, 'check', 'rules');
const { main } = await import('/work/main/build/src/cli/main.js');
const [A, B] = process.argv.slice(2);
const t = performance.now();
const code = await main([`${A}..${B}`, '-C', '/tmp/bh', '--format', 'json'], { stdout() {}, stderr(s) { process.stderr.write(s); }, readStdin: () => Buffer.alloc(0), env: process.env, cwd: process.cwd(), isTTY: false });
T.total = performance.now() - t;
console.log(Object.fromEntries(Object.entries(T).map(([k, v]) => [k, Math.round(v)])));
