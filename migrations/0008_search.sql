-- Marquee catalog: title search (issue 10). An FTS5 index over every item's title and original title, so a
-- search over 150,000 titles answers in milliseconds, by word prefix ("star w" finds "Star Wars") and without
-- regard to case or diacritics ("amelie" finds "Amélie").
--
-- External content: the index stores no copy of the titles (they stay in items; rowid = items.id). Kept
-- current by triggers on items, so every write path (a sync's pages, a live batch, a removal, a server's
-- cascade) keeps it without knowing about it. Measured on a full sync of 10,000 movies, 2,000 shows and
-- 100,000 episodes (README "Performance"): the triggers add about the cost of tokenizing each title once.
CREATE VIRTUAL TABLE items_fts USING fts5(
  title,
  original_title,
  content = 'items',
  content_rowid = 'id',
  tokenize = 'unicode61 remove_diacritics 2'
);

INSERT INTO items_fts (rowid, title, original_title) SELECT id, title, original_title FROM items;

CREATE TRIGGER items_fts_insert AFTER INSERT ON items BEGIN
  INSERT INTO items_fts (rowid, title, original_title) VALUES (new.id, new.title, new.original_title);
END;

CREATE TRIGGER items_fts_delete AFTER DELETE ON items BEGIN
  INSERT INTO items_fts (items_fts, rowid, title, original_title) VALUES ('delete', old.id, old.title, old.original_title);
END;

-- Only when a searched column changed: a sync rewrites an updated item's every column, mostly with its title
-- unchanged.
CREATE TRIGGER items_fts_update AFTER UPDATE OF title, original_title ON items
WHEN old.title IS NOT new.title OR old.original_title IS NOT new.original_title BEGIN
  INSERT INTO items_fts (items_fts, rowid, title, original_title) VALUES ('delete', old.id, old.title, old.original_title);
  INSERT INTO items_fts (rowid, title, original_title) VALUES (new.id, new.title, new.original_title);
END;
