// What a handler module gets, and the shape of what it returns: some of the contract's request handlers.
import type { RequestInput, RequestName, RequestOutput } from '../../../shared/ipc.js';
import type { UseCaseDeps } from '../../usecases/deps.js';
import type { JobController } from '../jobs.js';

/** A handler over synchronous use cases (catalog reads and writes) answers at once; dispatch awaits either. */
export type RequestHandler<N extends RequestName> = (input: RequestInput<N>) => RequestOutput<N> | Promise<RequestOutput<N>>;
export type RequestHandlers = { [N in RequestName]: RequestHandler<N> };

export interface HandlerContext {
  /** The use cases' dependencies, with the job controller's BUSY check. */
  usecases: UseCaseDeps;
  jobs: JobController;
}
