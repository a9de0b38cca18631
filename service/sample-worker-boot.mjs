// Worker threads do not inherit tsx's loader in Node 20: register it, then run the TypeScript worker.
import { register } from 'tsx/esm/api';

register();
await import('./sample-worker.ts');
