/**
 * `npm run layout`: prints the folder-level import graph of src/ and rules/
 * (folder → the folders it imports from), then its cycles, the imports that
 * go up the layers, and what rules/ imports against the rule API. Exit 1 when there is either. The same check
 * runs as test/layout/layout.test.ts.
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { folderCycles, layoutGraph, ruleOffences, upwardImports } from './layout-graph.js';

const ROOT = resolve(fileURLToPath(new URL('../../', import.meta.url)));
const graph = layoutGraph(ROOT);
const width = Math.max(...[...graph.folders.keys()].map((f) => f.length));
for (const [folder, targets] of graph.folders) console.log(`${folder.padEnd(width)} → ${targets.join(' ') || '(nothing)'}`);
const cycles = folderCycles(graph.folders);
const upward = upwardImports(graph.folders);
const offences = ruleOffences(ROOT, graph);
console.log(cycles.length === 0 ? '\nfolder cycles: none' : `\nfolder cycles:\n${cycles.map((c) => `  {${c.join(', ')}}`).join('\n')}`);
console.log(upward.length === 0 ? 'layers: every import goes down' : `layers:\n${upward.map((u) => `  ${u}`).join('\n')}`);
console.log(offences.length === 0 ? 'rules: types only from src/, src/model only through the rule API, no summaryOf' : `rules:\n${offences.map((o) => `  ${o}`).join('\n')}`);
process.exitCode = cycles.length === 0 && upward.length === 0 && offences.length === 0 ? 0 : 1;
