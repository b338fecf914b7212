-- Marquee catalog: what a full sync pays per row (issue 10, "Costs that must hold"). Nothing changes in what
-- is stored; measured on the bench's 146,000-item import (README "Performance").

-- 1. The title index (0008) is filled a page at a time instead of a row at a time. The per-row insert trigger
--    ran a trigger program for each item; one `INSERT INTO items_fts … SELECT … WHERE id >= ? AND id < ?` per
--    page of new items costs about a third of that. The sync's ItemWriter is the only code that inserts items,
--    and it indexes each page's new rows in the page's own transaction, before any later statement of the page
--    could update or delete them, so the index is as current as before. Updates and deletions keep their
--    triggers (recreated below, with the table they belong to): they touch few rows.
DROP TRIGGER items_fts_insert;

-- 2. `CHECK (x IN ('a', 'b', …))` cost about 0.6 µs a row on multi-row INSERTs (0.2 s of a full sync for the
--    343,000 external ids alone); the same rule written as `x = 'a' OR x = 'b' …` costs next to nothing.
--    SQLite cannot alter a CHECK constraint: both tables are rebuilt as 0005 rebuilt them (foreign keys are off
--    during migrations; migrate.ts checks them before commit), with every column and index they have.
CREATE TABLE items_new (
  id                    INTEGER PRIMARY KEY,
  server_id             INTEGER NOT NULL REFERENCES servers (id) ON DELETE CASCADE,
  library_id            INTEGER NOT NULL REFERENCES libraries (id) ON DELETE CASCADE,
  kind                  TEXT    NOT NULL CHECK (kind = 'movie' OR kind = 'show' OR kind = 'season' OR kind = 'episode'
                                                OR kind = 'artist' OR kind = 'album' OR kind = 'track'),
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

-- The title index's triggers went with the old table (the index itself is keyed by id, which the copy kept).
-- A removal is told to the index only for an item it holds (items_fts_docsize has a row per indexed item): an
-- item written by another program without the index (repaired at the end of the next sync, title-index.ts)
-- must not feed FTS5 a 'delete' of something it never saw, which would corrupt it.
CREATE TRIGGER items_fts_delete AFTER DELETE ON items
WHEN EXISTS (SELECT 1 FROM items_fts_docsize WHERE id = old.id) BEGIN
  INSERT INTO items_fts (items_fts, rowid, title, original_title) VALUES ('delete', old.id, old.title, old.original_title);
END;

-- Only when a searched column changed: a sync rewrites an updated item's every column, mostly with its title
-- unchanged.
CREATE TRIGGER items_fts_update AFTER UPDATE OF title, original_title ON items
WHEN old.title IS NOT new.title OR old.original_title IS NOT new.original_title BEGIN
  INSERT INTO items_fts (items_fts, rowid, title, original_title)
  SELECT 'delete', old.id, old.title, old.original_title WHERE EXISTS (SELECT 1 FROM items_fts_docsize WHERE id = old.id);
  INSERT INTO items_fts (rowid, title, original_title) VALUES (new.id, new.title, new.original_title);
END;

CREATE TABLE external_ids_new (
  item_id  INTEGER NOT NULL REFERENCES items (id) ON DELETE CASCADE,
  provider TEXT    NOT NULL CHECK (provider = 'imdb' OR provider = 'tmdb' OR provider = 'tvdb' OR provider = 'plex'
                                   OR provider = 'asin' OR provider = 'mbid'),
  value    TEXT    NOT NULL,
  PRIMARY KEY (item_id, provider)
) WITHOUT ROWID;
INSERT INTO external_ids_new (item_id, provider, value) SELECT item_id, provider, value FROM external_ids;
DROP TABLE external_ids;
ALTER TABLE external_ids_new RENAME TO external_ids;
