-- Marquee catalog, version 4: descriptive metadata, tags and the technical line of every version (issue 10).
-- Everything comes from the section listings Marquee already reads: no extra request per item.

-- Descriptive metadata on the item itself: one row per item stays one row (a side table would double the
-- rows a full sync writes). NULL where Plex sent nothing.
ALTER TABLE items ADD COLUMN summary TEXT;
ALTER TABLE items ADD COLUMN tagline TEXT;
ALTER TABLE items ADD COLUMN content_rating TEXT;
ALTER TABLE items ADD COLUMN studio TEXT;
ALTER TABLE items ADD COLUMN original_title TEXT;
ALTER TABLE items ADD COLUMN title_sort TEXT;
-- Movies: Plex's editionTitle ("Director's Cut").
ALTER TABLE items ADD COLUMN edition TEXT;
-- Ratings 0-10 as Plex sends them, with their source (Plex's ratingImage/audienceRatingImage, e.g.
-- rottentomatoes://image.rating.ripe, imdb://image.rating, themoviedb://image.rating).
ALTER TABLE items ADD COLUMN critic_rating REAL;
ALTER TABLE items ADD COLUMN critic_rating_image TEXT;
ALTER TABLE items ADD COLUMN audience_rating REAL;
ALTER TABLE items ADD COLUMN audience_rating_image TEXT;

-- Genres, labels, collections, countries, directors, writers and actors: one row per distinct (kind, name).
-- Tags are never deleted with their items: a tag without links costs a few bytes and keeps ids stable.
CREATE TABLE tags (
  id   INTEGER PRIMARY KEY,
  kind TEXT    NOT NULL CHECK (kind IN ('genre', 'label', 'collection', 'country', 'director', 'writer', 'actor')),
  name TEXT    NOT NULL,
  UNIQUE (kind, name)
);

-- Which item carries which tag; position keeps the listing's order (the first actor is the lead).
-- No index on tag_id: like external_ids, random inserts into it would multiply what a full sync writes.
CREATE TABLE item_tags (
  item_id  INTEGER NOT NULL REFERENCES items (id) ON DELETE CASCADE,
  tag_id   INTEGER NOT NULL REFERENCES tags (id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  PRIMARY KEY (item_id, tag_id)
) WITHOUT ROWID;

-- One row per version (Plex's Media) of a movie or episode; its parts are media_files rows of the same
-- media_index (size, duration and container per part live there).
CREATE TABLE media_versions (
  item_id            INTEGER NOT NULL REFERENCES items (id) ON DELETE CASCADE,
  media_index        INTEGER NOT NULL,
  -- Plex's videoResolution: sd, 480, 576, 720, 1080, 4k.
  resolution         TEXT,
  width              INTEGER,
  height             INTEGER,
  video_codec        TEXT,
  video_profile      TEXT,
  -- Plex's videoFrameRate: 24p, NTSC, PAL, …
  frame_rate         TEXT,
  aspect_ratio       REAL,
  -- kbit/s.
  bitrate            INTEGER,
  audio_codec        TEXT,
  audio_channels     INTEGER,
  audio_profile      TEXT,
  container          TEXT,
  duration_ms        INTEGER,
  -- 'dolby-vision', 'hdr10' or 'hlg' from the video stream; NULL when unknown (listings carry no streams).
  hdr                TEXT,
  -- JSON arrays of ISO 639-2 codes from the streams; NULL when unknown (listings carry no streams).
  audio_languages    TEXT,
  subtitle_languages TEXT,
  PRIMARY KEY (item_id, media_index)
) WITHOUT ROWID;
