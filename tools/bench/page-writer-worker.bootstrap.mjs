// Writer-thread entry under tsx (the bench and the tests): registers tsx in this thread so the TypeScript writer
// (main/sync/page-writer-worker.ts) loads as is. The CLI and Electron run their built bundles instead.
import { register } from 'tsx/esm/api';

register();
const { startPageWriterWorker } = await import('../../main/sync/page-writer-worker.ts');
startPageWriterWorker();
