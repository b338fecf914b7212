-- The opt-in detail pass (issue 10): HDR / Dolby Vision and audio and subtitle languages come only with each
-- Part's streams, which only full metadata carries (`/library/metadata/{a,b,c}`), never a listing. The pass asks
-- for them in the background and remembers here which items it has done, so it resumes where it stopped.
-- One row per detailed item: the item's fingerprint and updatedAt at that moment. An item whose fingerprint has
-- moved since (the listing changed it, and the sync rewrote its versions without streams) is done again.
CREATE TABLE item_details (
  item_id     INTEGER PRIMARY KEY REFERENCES items (id) ON DELETE CASCADE,
  fingerprint TEXT    NOT NULL,
  -- The item's updatedAt (epoch seconds, NULL when Plex sent none) when it was detailed.
  updated_at  INTEGER,
  -- Epoch seconds.
  detailed_at INTEGER NOT NULL
);
