-- 001 (PostgreSQL): the twin of ../001-initial.sql, table for table and column for column in the
-- same order, so a row's cells, its sealed column's associated data and the state digest are the
-- same bytes on the server as in the file. SQLite's INTEGER is bigint here, TEXT is text, BLOB is
-- bytea. Two things the file has without saying so are explicit here:
--   rowid  SQLite's row number, the insertion order the store lists rows in (store/dialect.ts);
--          an identity the server assigns, left out of a row's cells. Tables keyed by an integer
--          (vault_header, audit_entries, audit_checkpoints, merkle_frontier) are ordered by it.
--   log_head, schema_version and failed_unlocks  the server's own: the row every write transaction locks first
--          (ADR 0014), counting commits so a session sees another's (SQLite's data_version), and
--          the format number (SQLite's user_version).

CREATE TABLE schema_version (
  singleton integer PRIMARY KEY CHECK (singleton = 1),
  version   integer NOT NULL
);
INSERT INTO schema_version (singleton, version) VALUES (1, 0);

CREATE TABLE log_head (
  singleton integer PRIMARY KEY CHECK (singleton = 1),
  commits   bigint  NOT NULL
);
INSERT INTO log_head (singleton, commits) VALUES (1, 0);

-- Failed unlocks (the file keeps them in a side file beside it, ADR 0009): written without a key
-- by the attempt, unauthenticated, folded into the signed trail by the next unlock and deleted in
-- that unlock's own transaction. Not part of the state a checkpoint signs.
CREATE TABLE failed_unlocks (
  at     text    NOT NULL,
  host   text    NOT NULL,
  pid    bigint  NOT NULL,
  member text,
  rowid  bigint  GENERATED ALWAYS AS IDENTITY UNIQUE
);

CREATE TABLE vault_header (
  singleton       bigint  PRIMARY KEY CHECK (singleton = 1),
  vault_id        text    NOT NULL,
  created_at      text    NOT NULL,
  founder_id      text    NOT NULL,
  name_salt       bytea   NOT NULL,
  default_kdf     text    NOT NULL,
  team_public_key bytea   NOT NULL,
  team_generation bigint  NOT NULL
);

CREATE TABLE members (
  id              text    PRIMARY KEY,
  name_tag        bytea   UNIQUE,
  role            text    NOT NULL CHECK (role IN ('lead', 'dmt', 'admin', 'security')),
  box_public_key  bytea   NOT NULL,
  sign_public_key bytea   NOT NULL,
  certified_by    text    NOT NULL REFERENCES members (id),
  certified_at    text    NOT NULL,
  certificate     bytea   NOT NULL,
  removed_at      text,
  version         bigint  NOT NULL,
  sealed          bytea   NOT NULL,
  rowid           bigint  GENERATED ALWAYS AS IDENTITY UNIQUE
);

CREATE TABLE key_slots (
  member_id text    PRIMARY KEY REFERENCES members (id),
  kdf       text    NOT NULL,
  salt      bytea   NOT NULL,
  version   bigint  NOT NULL,
  sealed    bytea   NOT NULL,
  rowid     bigint  GENERATED ALWAYS AS IDENTITY UNIQUE
);

CREATE TABLE team_key_grants (
  member_id  text    PRIMARY KEY REFERENCES members (id),
  generation bigint  NOT NULL,
  sealed_box bytea   NOT NULL,
  rowid      bigint  GENERATED ALWAYS AS IDENTITY UNIQUE
);

CREATE TABLE accounts (
  id         text    PRIMARY KEY,
  handle_tag bytea   NOT NULL UNIQUE,
  created_at text    NOT NULL,
  created_by text    NOT NULL REFERENCES members (id),
  version    bigint  NOT NULL,
  sealed     bytea   NOT NULL,
  rowid      bigint  GENERATED ALWAYS AS IDENTITY UNIQUE
);

CREATE TABLE credentials (
  account_id text    PRIMARY KEY REFERENCES accounts (id),
  key_id     text    NOT NULL,
  updated_at text    NOT NULL,
  version    bigint  NOT NULL,
  sealed     bytea   NOT NULL,
  rowid      bigint  GENERATED ALWAYS AS IDENTITY UNIQUE
);

CREATE TABLE account_key_wraps (
  account_id      text    NOT NULL REFERENCES accounts (id),
  holder          text    NOT NULL,
  key_id          text    NOT NULL,
  team_generation bigint,
  sealed_box      bytea   NOT NULL,
  rowid           bigint  GENERATED ALWAYS AS IDENTITY UNIQUE,
  PRIMARY KEY (account_id, holder)
);

CREATE TABLE rotations (
  id         text    PRIMARY KEY,
  account_id text    NOT NULL REFERENCES accounts (id),
  at         text    NOT NULL,
  actor_id   text    NOT NULL REFERENCES members (id),
  version    bigint  NOT NULL,
  sealed     bytea   NOT NULL,
  rowid      bigint  GENERATED ALWAYS AS IDENTITY UNIQUE
);
CREATE INDEX rotations_by_account ON rotations (account_id, at);

CREATE TABLE rotation_due (
  id          text    PRIMARY KEY,
  account_id  text    NOT NULL REFERENCES accounts (id),
  raised_at   text    NOT NULL,
  resolved_by text    REFERENCES rotations (id),
  version     bigint  NOT NULL,
  sealed      bytea   NOT NULL,
  rowid       bigint  GENERATED ALWAYS AS IDENTITY UNIQUE
);
CREATE INDEX rotation_due_open ON rotation_due (account_id) WHERE resolved_by IS NULL;

CREATE TABLE audit_entries (
  seq        bigint  PRIMARY KEY,
  at         text    NOT NULL,
  kind       text    NOT NULL,
  actor_id   text    NOT NULL,
  account_id text,
  leaf_hash  bytea   NOT NULL,
  sealed     bytea   NOT NULL
);
CREATE INDEX audit_by_account ON audit_entries (account_id, seq) WHERE account_id IS NOT NULL;

CREATE TABLE audit_checkpoints (
  size      bigint  PRIMARY KEY,
  root      bytea   NOT NULL,
  signer_id text    NOT NULL,
  signature bytea   NOT NULL
);

CREATE TABLE merkle_frontier (
  level bigint  PRIMARY KEY,
  hash  bytea   NOT NULL
);
