-- 007 (PostgreSQL): the twin of ../007-state-digest.sql (checkpoints commit to the state).
CREATE TABLE state_digests (
  table_name text    PRIMARY KEY,
  row_count  bigint  NOT NULL,
  digest     bytea   NOT NULL,
  rowid      bigint  GENERATED ALWAYS AS IDENTITY UNIQUE
);
ALTER TABLE audit_checkpoints ADD COLUMN state bytea;
ALTER TABLE vault_header ADD COLUMN state_since bigint;
