// Worker threads do not inherit tsx's loader in Node 20: register it, then run the TypeScript
// module the parent named (workerData.module, a path relative to this folder).
import { register } from 'tsx/esm/api';
import { workerData } from 'node:worker_threads';

register();
await import(new URL(workerData.module, import.meta.url).href);
