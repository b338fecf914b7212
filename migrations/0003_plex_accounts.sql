-- Plex accounts ("Sign in with Plex"), the connections plex.tv lists for each server, and the chosen one.
-- New tables and added columns only.

CREATE TABLE accounts (
  id               INTEGER PRIMARY KEY,
  -- plex.tv's account uuid: signing in again as the same person updates this row.
  plex_uuid        TEXT    NOT NULL UNIQUE,
  plex_id          INTEGER,
  username         TEXT    NOT NULL,
  email            TEXT,
  avatar_url       TEXT,
  -- Encrypted by the secret store; NULL once signed out (the row stays so its servers keep their link).
  token_ciphertext TEXT,
  signed_in_at     INTEGER,
  created_at       INTEGER NOT NULL
);

-- NULL for servers added by address and token (the advanced path).
ALTER TABLE servers ADD COLUMN account_id INTEGER REFERENCES accounts (id) ON DELETE SET NULL;
-- 1 owned by the account, 0 shared with it (no file paths), NULL unknown (added by address).
ALTER TABLE servers ADD COLUMN owned INTEGER CHECK (owned IN (0, 1));
-- 1 after the server refused its token (401): its data is kept, its syncs are skipped until a new sign-in.
ALTER TABLE servers ADD COLUMN needs_signin INTEGER NOT NULL DEFAULT 0 CHECK (needs_signin IN (0, 1));
ALTER TABLE servers ADD COLUMN needs_signin_since INTEGER;
-- The connection chosen by the last probe (also written to url, which the sync engine reads).
ALTER TABLE servers ADD COLUMN connection_uri TEXT;
ALTER TABLE servers ADD COLUMN connection_latency_ms INTEGER;
ALTER TABLE servers ADD COLUMN connection_checked_at INTEGER;

CREATE TABLE server_connections (
  id                INTEGER PRIMARY KEY,
  server_id         INTEGER NOT NULL REFERENCES servers (id) ON DELETE CASCADE,
  uri               TEXT    NOT NULL,
  protocol          TEXT    NOT NULL CHECK (protocol IN ('http', 'https')),
  address           TEXT    NOT NULL,
  port              INTEGER NOT NULL,
  local             INTEGER NOT NULL CHECK (local IN (0, 1)),
  relay             INTEGER NOT NULL CHECK (relay IN (0, 1)),
  ipv6              INTEGER NOT NULL CHECK (ipv6 IN (0, 1)),
  -- Outcome of the latest probe: when it last answered as the server, or why it did not (a ProbeFailureCode).
  last_ok_at        INTEGER,
  last_latency_ms   INTEGER,
  last_failure_code TEXT,
  last_checked_at   INTEGER,
  UNIQUE (server_id, uri)
);
CREATE INDEX server_connections_server ON server_connections (server_id);
