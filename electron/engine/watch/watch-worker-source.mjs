// Worker threads do not inherit the tsx loader of the thread that starts them: register it
// here, then run the TypeScript worker. Only used from source; the app runs the bundled worker.
import { register } from 'tsx/esm/api';

register();
await import('./watch-worker.ts');
