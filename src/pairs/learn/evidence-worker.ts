/**
 * A mining worker (worker_threads): models the C files it is sent and
 * answers with each file's evidence. Parsing is most of mining and each file
 * is modelled alone, so files spread over workers with nothing shared; the
 * main thread keeps reading blobs, the store and the sums (mine.ts).
 *
 * Messages in: `{ nonResources }` once, then `{ id, path, text }` per file.
 * Messages out: `{ id, evidence }`, evidence null for a file the parser
 * cannot take (it teaches nothing, as in the main thread).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { buildFileModel, initCParser } from '../../cmodel/parse.js';
import { nonResourceTest } from '../table.js';
import { fileEvidence, type FileEvidence } from './evidence.js';

export interface EvidenceRequest {
  id: number;
  path: string;
  text: string;
}

export interface EvidenceReply {
  id: number;
  evidence: FileEvidence | null;
}

export interface EvidenceWorkerData {
  nonResources: string[];
}

const port = parentPort;
if (port) {
  const data = workerData as EvidenceWorkerData;
  const isNonResource = nonResourceTest(data.nonResources);
  const ready = initCParser();
  port.on('message', (req: EvidenceRequest) => {
    void ready.then(() => {
      let evidence: FileEvidence | null = null;
      try {
        evidence = fileEvidence(buildFileModel(req.path, req.text), isNonResource, undefined, req.text);
      } catch {
        evidence = null;
      }
      port.postMessage({ id: req.id, evidence } satisfies EvidenceReply);
    });
  });
}
