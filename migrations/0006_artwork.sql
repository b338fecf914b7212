-- Marquee catalog: the index of the artwork cache (issue 10). The images themselves are files named by the
-- SHA-256 of their bytes under the app's data folder (main/artwork); this table says which file answers which
-- request, for which state of the item, and when it was last shown (LRU eviction under a size cap).
-- In the catalog rather than an index file beside the images: removing an item removes its rows in the same
-- transaction (ON DELETE CASCADE), a crash never leaves a half-written index, and "is the image still current"
-- is one join with the item it belongs to.
CREATE TABLE artwork_cache (
  -- The item whose image this is (an episode's poster is its show's: see main/artwork/source.ts).
  item_id      INTEGER NOT NULL REFERENCES items (id) ON DELETE CASCADE,
  role         TEXT    NOT NULL CHECK (role IN ('poster', 'background')),
  -- The size bucket asked of Plex's transcoder (device pixels).
  width        INTEGER NOT NULL,
  height       INTEGER NOT NULL,
  -- The item's state when the image was fetched (rating key and Plex's updatedAt): another state evicts it.
  item_stamp   TEXT    NOT NULL,
  -- SHA-256 (hex) of the bytes: the file's name. Identical images share one file.
  hash         TEXT    NOT NULL,
  bytes        INTEGER NOT NULL,
  content_type TEXT    NOT NULL,
  -- Epoch seconds, kept to about a minute (a scroll does not write a row per frame).
  last_used_at INTEGER NOT NULL,
  PRIMARY KEY (item_id, role, width, height)
) WITHOUT ROWID;

CREATE INDEX artwork_cache_by_last_use ON artwork_cache (last_used_at);
CREATE INDEX artwork_cache_by_hash ON artwork_cache (hash);
