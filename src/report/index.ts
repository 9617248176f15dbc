// The HTML report of a run folder and the local read-only server for it.
export { serveRun, parseRequestPath, LOOPBACK } from './serveRun.ts';
export type { RunServer } from './serveRun.ts';
