// Turns the Plex client's retries into 'waiting' progress ("waiting for Plex… attempt 2 of 4"), for the
// library being synced, so a slow server never reads as "0 items/s".
import type { SyncProgress } from '../../shared/domain.js';
import type { PlexRetryInfo } from '../plex/client.js';

export class WaitingReporter {
  private place = { index: 0, total: 0, libraryTitle: '' };

  constructor(private readonly onProgress: ((event: SyncProgress) => void) | undefined) {}

  /** The library now being synced (before the first one: the server's own checks, with an empty title). */
  enter(index: number, total: number, libraryTitle: string): void {
    this.place = { index, total, libraryTitle };
  }

  /** The client option for one server's client. */
  forServer(serverName: string): (retry: PlexRetryInfo) => void {
    return (retry) => {
      this.onProgress?.({
        kind: 'waiting',
        ...this.place,
        serverName,
        attempt: retry.attempt,
        maxAttempts: retry.maxAttempts,
        reason: retry.reason,
        retryInSeconds: Math.round(retry.retryInMs / 100) / 10,
      });
    };
  }
}
