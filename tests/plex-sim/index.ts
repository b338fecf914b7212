// Public entry of the simulated Plex Media Server (see server.ts for the HTTP side, library.ts for the data).
export { startPlexSim, htmlErrorBody, PLEX_SIM_VERSION } from './server.js';
export type { PlexSim, PlexSimOptions, SimFault, SimRequestLog } from './server.js';
export { createSimLibrary, PlexSimError, SIM_TYPE_NUMBER, SIM_LIBRARY_METHODS, DEFAULT_LIBRARY_SIZE } from './library.js';
export type {
  SimItem, SimItemFields, SimItemType, SimLibrary, SimLibrarySpec, SimLocation, SimMedia, SimPart, SimSection, SimSectionType,
} from './library.js';
