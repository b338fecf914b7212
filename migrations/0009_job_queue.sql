-- One queue per catalog (issue 9), across every process that opens it: the desktop app and its sync worker,
-- `marquee watch`, any number of CLIs. One row per job that waits or runs: syncs, show imports, live changes,
-- and catalog edits. At most one row is 'running' at a time: that job alone writes. It replaces job_lock
-- (0002), which only knew "one job runs, everything else is refused".
--
-- Turn order: short edits (priority 0) first, then a long job that yielded, then the rest by id (FIFO). A long
-- job checks at its safe points (between pages and libraries) whether an edit waits, and if so yields: its
-- row goes to 'yielded', the edit runs, then the job resumes. Rows of dead owners (pid gone on this host, or a
-- heartbeat older than a minute) are deleted by the next writer that looks. Times are epoch milliseconds.
CREATE TABLE job_queue (
  id               INTEGER PRIMARY KEY AUTOINCREMENT,
  -- Random per ticket: tells the owning connection from every other one, even in the same process.
  ticket           TEXT    NOT NULL UNIQUE,
  kind             TEXT    NOT NULL CHECK (kind IN ('sync', 'import', 'live', 'edit')),
  -- What it works on, in words: 'every active server', 'server "Home"', 'change path mappings'.
  label            TEXT    NOT NULL,
  -- Who owns it: 'marquee' (the CLI), 'marquee watch', 'the Marquee app'.
  program          TEXT    NOT NULL,
  pid              INTEGER NOT NULL,
  host             TEXT    NOT NULL,
  -- 0: a short edit, which runs at the next safe point of a running job; 1: a long job, in turn.
  priority         INTEGER NOT NULL CHECK (priority IN (0, 1)),
  state            TEXT    NOT NULL DEFAULT 'waiting' CHECK (state IN ('waiting', 'running', 'yielded')),
  enqueued_at      INTEGER NOT NULL,
  started_at       INTEGER,
  -- Refreshed every few seconds by the owner, waiting or running: a row that stops being refreshed is gone.
  heartbeat_at     INTEGER NOT NULL,
  -- Set by `marquee jobs cancel` or the app; the owner stops at its next safe point (or while waiting).
  cancel_requested INTEGER NOT NULL DEFAULT 0 CHECK (cancel_requested IN (0, 1))
);

-- The one writer, enforced by SQLite itself.
CREATE UNIQUE INDEX job_queue_one_running ON job_queue (state) WHERE state = 'running';

DROP TABLE job_lock;
