-- Marquee catalog, version 1. Forward-only: never edit once released; add 0002_… instead.
-- Every row is scoped by server: two servers with the same ratingKeys never collide.
-- Timestamps are epoch seconds. Plex timestamps (added_at, updated_at, watermark) are the server's clock.

CREATE TABLE settings (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

CREATE TABLE servers (
  id                 INTEGER PRIMARY KEY,
  name               TEXT    NOT NULL UNIQUE COLLATE NOCASE,
  url                TEXT    NOT NULL,
  machine_identifier TEXT,
  -- Encrypted by the secret store (key file or Electron safeStorage); never the clear token.
  token_ciphertext   TEXT,
  active             INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
  created_at         INTEGER NOT NULL,
  last_sync_at       INTEGER
);

CREATE TABLE libraries (
  id                 INTEGER PRIMARY KEY,
  server_id          INTEGER NOT NULL REFERENCES servers (id) ON DELETE CASCADE,
  section_key        TEXT    NOT NULL,
  uuid               TEXT,
  title              TEXT    NOT NULL,
  -- Plex section type: movie and show are synced; artist, photo, … are listed only.
  type               TEXT    NOT NULL,
  enabled            INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
  -- JSON array of the section's root folders on the server.
  locations          TEXT    NOT NULL DEFAULT '[]',
  -- Set when the server's section list no longer has this library; its items are kept.
  missing_since      INTEGER,
  -- Plex's section change counter as decimal text (may exceed 2^53), compared for equality only.
  content_changed_at TEXT,
  -- Highest updatedAt/addedAt imported so far: the next incremental sync asks for changes after it.
  watermark          INTEGER,
  last_sync_at       INTEGER,
  last_full_sync_at  INTEGER,
  last_sync_status   TEXT CHECK (last_sync_status IN ('ok', 'failed', 'cancelled')),
  last_sync_error    TEXT,
  -- JSON of the last LibrarySyncReport.
  last_sync_report   TEXT,
  UNIQUE (server_id, section_key)
);

CREATE TABLE path_mappings (
  id           INTEGER PRIMARY KEY,
  server_id    INTEGER NOT NULL REFERENCES servers (id) ON DELETE CASCADE,
  -- NULL: the mapping applies to every library of the server.
  library_id   INTEGER REFERENCES libraries (id) ON DELETE CASCADE,
  plex_prefix  TEXT    NOT NULL,
  local_prefix TEXT    NOT NULL,
  created_at   INTEGER NOT NULL
);
CREATE INDEX path_mappings_server ON path_mappings (server_id);

-- One row per movie, show, season and episode; kind-specific columns live in the tables below.
CREATE TABLE items (
  id          INTEGER PRIMARY KEY,
  server_id   INTEGER NOT NULL REFERENCES servers (id) ON DELETE CASCADE,
  library_id  INTEGER NOT NULL REFERENCES libraries (id) ON DELETE CASCADE,
  kind        TEXT    NOT NULL CHECK (kind IN ('movie', 'show', 'season', 'episode')),
  rating_key  TEXT    NOT NULL,
  -- The primary Plex GUID as received (plex://…, com.plexapp.agents.…://…, local://…).
  guid        TEXT,
  title       TEXT    NOT NULL,
  year        INTEGER,
  added_at    INTEGER,
  updated_at  INTEGER,
  -- Hash of everything stored for the item: an unchanged item is not rewritten.
  fingerprint TEXT    NOT NULL,
  synced_at   INTEGER NOT NULL,
  UNIQUE (server_id, rating_key)
);
CREATE INDEX items_library_kind ON items (library_id, kind);

CREATE TABLE movies (
  item_id                 INTEGER PRIMARY KEY REFERENCES items (id) ON DELETE CASCADE,
  originally_available_at TEXT,
  duration_ms             INTEGER
);

CREATE TABLE shows (
  item_id     INTEGER PRIMARY KEY REFERENCES items (id) ON DELETE CASCADE,
  -- Episode and season counts as Plex reports them.
  leaf_count  INTEGER,
  child_count INTEGER
);

CREATE TABLE seasons (
  item_id       INTEGER PRIMARY KEY REFERENCES items (id) ON DELETE CASCADE,
  show_id       INTEGER NOT NULL REFERENCES items (id) ON DELETE CASCADE,
  season_number INTEGER
);
CREATE INDEX seasons_show ON seasons (show_id);

CREATE TABLE episodes (
  item_id                 INTEGER PRIMARY KEY REFERENCES items (id) ON DELETE CASCADE,
  show_id                 INTEGER REFERENCES items (id) ON DELETE CASCADE,
  season_id               INTEGER REFERENCES items (id) ON DELETE SET NULL,
  season_number           INTEGER,
  -- NULL for episodes Plex has no number for.
  episode_number          INTEGER,
  originally_available_at TEXT,
  duration_ms             INTEGER
);
CREATE INDEX episodes_show ON episodes (show_id);
CREATE INDEX episodes_season ON episodes (season_id);

-- Every file of a movie or episode: several media (versions) × several parts (stacked files).
CREATE TABLE media_files (
  id          INTEGER PRIMARY KEY,
  item_id     INTEGER NOT NULL REFERENCES items (id) ON DELETE CASCADE,
  media_index INTEGER NOT NULL,
  part_index  INTEGER NOT NULL,
  plex_path   TEXT    NOT NULL,
  -- plex_path seen from this computer through the path mappings; equal to plex_path when unmapped.
  local_path  TEXT    NOT NULL,
  mapped      INTEGER NOT NULL CHECK (mapped IN (0, 1)),
  size        INTEGER,
  duration_ms INTEGER,
  container   TEXT,
  UNIQUE (item_id, media_index, part_index)
);
CREATE INDEX media_files_unmapped ON media_files (mapped) WHERE mapped = 0;

-- External ids in export form: imdb tt0111161, tmdb 278, tvdb 81189, plex movie/5d776….
-- No index on (provider, value): random inserts into it made a 100,000-episode import write 3x the data.
-- A lookup by value scans the table (milliseconds at 300,000 rows); a reader may add its own index.
CREATE TABLE external_ids (
  item_id  INTEGER NOT NULL REFERENCES items (id) ON DELETE CASCADE,
  provider TEXT    NOT NULL CHECK (provider IN ('imdb', 'tmdb', 'tvdb', 'plex')),
  value    TEXT    NOT NULL,
  PRIMARY KEY (item_id, provider)
) WITHOUT ROWID;
