// The one typed shape every Plex response is decoded into, whether the server answered XML or JSON.
// Real servers omit fields freely, so nearly everything is optional; ids are always strings.

export type PlexItemType = 'movie' | 'show' | 'season' | 'episode' | 'artist' | 'album' | 'track';

/** Plex's numeric `type=` values for `/library/sections/{key}/all`. */
export const PLEX_TYPE_NUMBER: Record<PlexItemType, number> = { movie: 1, show: 2, season: 3, episode: 4, artist: 8, album: 9, track: 10 };

export interface PlexIdentity {
  machineIdentifier: string;
  version?: string;
  claimed?: boolean;
  friendlyName?: string;
}

export interface PlexSection {
  key: string;
  /** 'movie' | 'show' | 'artist' | 'photo' or anything newer. */
  type: string;
  title: string;
  uuid?: string;
  agent?: string;
  scanner?: string;
  language?: string;
  updatedAt?: number;
  scannedAt?: number;
  /** A change counter, not a timestamp, and possibly beyond 2^53: kept as decimal text, compared for equality only. */
  contentChangedAt?: string;
  /** 0 visible, 1 hidden from home, 2 hidden everywhere: still a real library. */
  hidden?: number;
  /** Root folders on the server, in Plex's order. */
  locations: string[];
}

export interface PlexPart {
  id?: string;
  key?: string;
  /** Absolute path as the Plex server sees it (POSIX, drive-letter or UNC). */
  file?: string;
  size?: number;
  /** Milliseconds. */
  duration?: number;
  container?: string;
  /** The Part's `Stream` children: only full metadata (`/library/metadata/{key}`) carries them, never a listing. */
  streams?: PlexStream[];
}

/** One `Stream` of a Part (python-plexapi media.py MediaPartStream / VideoStream / AudioStream / SubtitleStream). */
export interface PlexStream {
  /** 1 video, 2 audio, 3 subtitle. */
  streamType?: number;
  /** ISO 639-2 (`eng`, `ger`). */
  languageCode?: string;
  /** Video streams: Dolby Vision present. */
  doviPresent?: boolean;
  /** Video streams: transfer characteristics; `smpte2084` is PQ (HDR10), `arib-std-b67` HLG. */
  colorTrc?: string;
}

/** A version of an item (python-plexapi media.py `Media`): the technical line of its files. */
export interface PlexMedia {
  id?: string;
  duration?: number;
  container?: string;
  videoResolution?: string;
  width?: number;
  height?: number;
  /** kbit/s. */
  bitrate?: number;
  aspectRatio?: number;
  audioChannels?: number;
  audioCodec?: string;
  audioProfile?: string;
  videoCodec?: string;
  videoProfile?: string;
  /** `24p`, `NTSC`, `PAL`: text, as Plex sends it. */
  videoFrameRate?: string;
  parts: PlexPart[];
}

/** Tag elements a listing carries on an item, by their element name. */
export type PlexTagElement = 'Genre' | 'Label' | 'Collection' | 'Country' | 'Director' | 'Writer' | 'Role';

/** A tag element of an item (`<Genre tag="Drama"/>`, JSON `Genre: [{tag: "Drama"}]`). */
export interface PlexTag {
  element: PlexTagElement;
  tag: string;
}

export interface PlexItem {
  ratingKey: string;
  /** A PlexItemType, or an unknown type kept so callers can skip it knowingly. */
  type: string;
  title: string;
  /** Primary GUID: `plex://…` for new agents, `com.plexapp.agents.…://…` for legacy ones. */
  guid?: string;
  /** The `Guid[]` array (`imdb://…`, `tmdb://…`, `tvdb://…`), present with includeGuids=1. */
  guids: string[];
  year?: number;
  originallyAvailableAt?: string;
  /** Episode number (episodes), season number (seasons), track number (tracks). */
  index?: number;
  /** Season number (episodes); disc number (tracks, python-plexapi audio.py Track.parentIndex). */
  parentIndex?: number;
  parentRatingKey?: string;
  parentTitle?: string;
  /** `/library/metadata/{season}/thumb/{stamp}` on episodes: the season's key even where hidden seasons drop parentRatingKey. */
  parentThumb?: string;
  grandparentRatingKey?: string;
  grandparentTitle?: string;
  /** Epoch seconds. */
  addedAt?: number;
  /** Epoch seconds; absent on items that were never refreshed. */
  updatedAt?: number;
  /** Episodes under a show or season. */
  leafCount?: number;
  /** Seasons under a show. */
  childCount?: number;
  librarySectionID?: string;
  librarySectionTitle?: string;
  duration?: number;
  summary?: string;
  tagline?: string;
  contentRating?: string;
  studio?: string;
  originalTitle?: string;
  titleSort?: string;
  /** Movies: the edition ("Director's Cut"); python-plexapi video.py Movie.editionTitle. */
  editionTitle?: string;
  /** Critic rating (0–10) and its source image (`rottentomatoes://image.rating.ripe`, `imdb://image.rating`). */
  rating?: number;
  ratingImage?: string;
  audienceRating?: number;
  audienceRatingImage?: string;
  /** Genre, Label, Collection, Country, Director, Writer and Role elements, in the listing's order. */
  tags?: PlexTag[];
  media: PlexMedia[];
  /** A show's folders (full metadata only). */
  locations: string[];
}

/** A decoded MediaContainer: its paging attributes, its items (PlexItem unless decoded otherwise) and its sections. */
export interface PlexContainer<I = PlexItem> {
  size?: number;
  totalSize?: number;
  offset?: number;
  /** Scalar attributes of the container itself (e.g. machineIdentifier, librarySectionID), as text. */
  attributes: Record<string, string>;
  /** Metadata / Video / Directory entries that carry a ratingKey (those the item decoder kept). */
  items: I[];
  /** How many such entries the answer held, kept or not: what paging counts. */
  entries: number;
  /** Directory entries without a ratingKey that look like library sections. */
  sections: PlexSection[];
}
