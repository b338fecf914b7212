// Entry of the sync worker thread in the Electron build (out/main/sync-worker.js). The logic is Electron-free
// in main/app/sync-worker.ts, where Node tests run it through a tsx bootstrap.
import { startSyncWorker } from '../app/sync-worker.js';

startSyncWorker();
