// Entry of a parallel builtin embedder's worker thread: workers do not inherit the tsx loader
// registered by bin/brain2music.js, so register it here before loading the TypeScript worker body.
import { register } from 'tsx/esm/api';

register();
await import('./builtinWorker.ts');
