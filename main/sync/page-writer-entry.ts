// The writer thread's script as built: `npm run build` bundles this file next to the CLI's bundle
// (dist/main/cli/page-writer-worker.js), where the CLI finds it (main/cli/context.ts).
import { startPageWriterWorker } from './page-writer-worker.js';

startPageWriterWorker();
