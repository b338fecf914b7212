-- The catalog's job lock: at most one sync or show import at a time across every process that opens the
-- catalog (the desktop app, its sync worker, any number of CLIs). One row while a job runs, none otherwise.
-- Catalog edits (servers, libraries, mappings) check it in the same write transaction as the edit, so an edit
-- is either refused naming the job or applied before the job reads the mappings: never half applied.
-- Times are epoch milliseconds of the holder's clock.
CREATE TABLE job_lock (
  id           INTEGER PRIMARY KEY CHECK (id = 1),
  -- Random per acquisition: tells the holding connection from every other one, even in the same process.
  holder       TEXT    NOT NULL,
  pid          INTEGER NOT NULL,
  host         TEXT    NOT NULL,
  -- Who holds it, for the refusal message: 'marquee' (the CLI) or 'the Marquee app'.
  program      TEXT    NOT NULL,
  kind         TEXT    NOT NULL CHECK (kind IN ('sync', 'import')),
  -- What the job works on, in words: 'every active server', 'server "Home"', …
  target       TEXT    NOT NULL,
  started_at   INTEGER NOT NULL,
  -- Refreshed every few seconds while the job runs: a holder that stops refreshing it is gone.
  heartbeat_at INTEGER NOT NULL
);
