// browse:artist — an adapter over main/usecases/music-browse.ts. A read: it works while a job runs (WAL).
import { browseArtist } from '../../usecases/music-browse.js';
import type { HandlerContext, RequestHandlers } from './types.js';

type MusicHandlers = Pick<RequestHandlers, 'browse:artist'>;

export function musicHandlers({ usecases }: HandlerContext): MusicHandlers {
  return { 'browse:artist': (input) => browseArtist(usecases, input.artistId) };
}
