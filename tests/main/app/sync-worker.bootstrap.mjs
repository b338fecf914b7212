// Worker-thread entry for Node tests: registers tsx in this thread so the TypeScript sync worker
// (main/app/sync-worker.ts) loads as is. Electron runs the bundled out/main/sync-worker.js instead.
import { register } from 'tsx/esm/api';

register();
const { startSyncWorker } = await import('../../../main/app/sync-worker.ts');
startSyncWorker();
