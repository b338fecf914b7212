// Public entry of the simulated Plex Media Server.
//
//   const sim = await startPlexSim({ seed: 7, library: { movies: 10_000, shows: 2_000, episodes: 100_000 } });
//   await fetch(`${sim.url}/library/sections`, { headers: { 'X-Plex-Token': sim.token } });
//   sim.library.addEpisode(showKey, 1);                 // in-process mutations (library.ts)
//   sim.addFault({ match: /\/all/, kind: 'status', status: 503, times: 1 });
//   sim.requests                                        // every request, token redacted
//   await sim.close();
//
// server.ts: HTTP, paging, auth, faults, control API; listing.ts: filter and sort semantics;
// library.ts: data model, generator, mutations; encode.ts: XML/JSON; cli.ts: `npm run plex:sim`.
export { startPlexSim, htmlErrorBody, PLEX_SIM_VERSION } from './server.js';
export type { PlexSim, PlexSimOptions, SimFault, SimRequestLog } from './server.js';
export { createSimLibrary, PlexSimError, SIM_TYPE_NUMBER, SIM_LIBRARY_METHODS, DEFAULT_LIBRARY_SIZE } from './library.js';
export type {
  SimItem,
  SimItemFields,
  SimItemType,
  SimLibrary,
  SimLibrarySpec,
  SimLocation,
  SimMedia,
  SimPart,
  SimSection,
  SimSectionType,
} from './library.js';
export { NOTIFICATIONS_PATH, NotificationHub } from './notifications.js';
export type { SimNotificationOptions, SimSocketLog } from './notifications.js';
export type { SimChange } from './library.js';
export { richMetadataOf, audioProfileOf, videoProfileOf, streamFactsOf, SIM_TAG_ELEMENTS } from './rich.js';
export type { SimRichMetadata, SimRichOverride, SimStreamFacts, SimTagElement } from './rich.js';
export { PHOTO_TRANSCODE_PATH, colourOf, solidPng } from './photo.js';
export type { SimPhotoOptions, SimPhotoStats } from './photo.js';
