-- Marquee catalog: music and audiobooks (issue 10). Artist libraries nest artist → album → track as show
-- libraries nest show → season → episode; an audiobook is an album (the book) whose artist is the author.

-- items.kind gains artist, album and track. SQLite cannot alter a CHECK constraint: the table is rebuilt
-- (foreign keys are off during migrations; migrate.ts checks them before commit). Every column of 0001 and
-- 0004 is copied; a later migration that adds items columns must come after this one.
CREATE TABLE items_new (
  id                    INTEGER PRIMARY KEY,
  server_id             INTEGER NOT NULL REFERENCES servers (id) ON DELETE CASCADE,
  library_id            INTEGER NOT NULL REFERENCES libraries (id) ON DELETE CASCADE,
  kind                  TEXT    NOT NULL CHECK (kind IN ('movie', 'show', 'season', 'episode', 'artist', 'album', 'track')),
  rating_key            TEXT    NOT NULL,
  guid                  TEXT,
  title                 TEXT    NOT NULL,
  year                  INTEGER,
  added_at              INTEGER,
  updated_at            INTEGER,
  fingerprint           TEXT    NOT NULL,
  synced_at             INTEGER NOT NULL,
  summary               TEXT,
  tagline               TEXT,
  content_rating        TEXT,
  studio                TEXT,
  original_title        TEXT,
  title_sort            TEXT,
  edition               TEXT,
  critic_rating         REAL,
  critic_rating_image   TEXT,
  audience_rating       REAL,
  audience_rating_image TEXT,
  UNIQUE (server_id, rating_key)
);
INSERT INTO items_new (id, server_id, library_id, kind, rating_key, guid, title, year, added_at, updated_at, fingerprint,
  synced_at, summary, tagline, content_rating, studio, original_title, title_sort, edition, critic_rating,
  critic_rating_image, audience_rating, audience_rating_image)
SELECT id, server_id, library_id, kind, rating_key, guid, title, year, added_at, updated_at, fingerprint,
  synced_at, summary, tagline, content_rating, studio, original_title, title_sort, edition, critic_rating,
  critic_rating_image, audience_rating, audience_rating_image
FROM items;
DROP TABLE items;
ALTER TABLE items_new RENAME TO items;
CREATE INDEX items_library_kind ON items (library_id, kind);

-- external_ids.provider gains asin (Audible/Amazon, from the Audnexus agent's GUIDs) and mbid (MusicBrainz).
CREATE TABLE external_ids_new (
  item_id  INTEGER NOT NULL REFERENCES items (id) ON DELETE CASCADE,
  provider TEXT    NOT NULL CHECK (provider IN ('imdb', 'tmdb', 'tvdb', 'plex', 'asin', 'mbid')),
  value    TEXT    NOT NULL,
  PRIMARY KEY (item_id, provider)
) WITHOUT ROWID;
INSERT INTO external_ids_new (item_id, provider, value) SELECT item_id, provider, value FROM external_ids;
DROP TABLE external_ids;
ALTER TABLE external_ids_new RENAME TO external_ids;

-- Like shows: Plex's counts as it reports them (artists in listings usually carry neither).
CREATE TABLE artists (
  item_id     INTEGER PRIMARY KEY REFERENCES items (id) ON DELETE CASCADE,
  leaf_count  INTEGER,
  child_count INTEGER
);

-- Like seasons: an album (an audiobook's book) of one artist (the author); year as Plex lists it.
CREATE TABLE albums (
  item_id   INTEGER PRIMARY KEY REFERENCES items (id) ON DELETE CASCADE,
  artist_id INTEGER NOT NULL REFERENCES items (id) ON DELETE CASCADE,
  year      INTEGER
);
CREATE INDEX albums_artist ON albums (artist_id);

-- Like episodes: disc number is Plex's parentIndex, track number its index (python-plexapi audio.py Track).
CREATE TABLE tracks (
  item_id      INTEGER PRIMARY KEY REFERENCES items (id) ON DELETE CASCADE,
  artist_id    INTEGER REFERENCES items (id) ON DELETE CASCADE,
  album_id     INTEGER REFERENCES items (id) ON DELETE SET NULL,
  disc_number  INTEGER,
  track_number INTEGER,
  duration_ms  INTEGER
);
CREATE INDEX tracks_artist ON tracks (artist_id);
CREATE INDEX tracks_album ON tracks (album_id);
