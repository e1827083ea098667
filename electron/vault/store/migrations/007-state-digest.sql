-- 007: checkpoints commit to the state (ADR 0020). `state_digests` holds, for every table whose
-- rows decide what the vault says or who reads what, its row count and a multiset hash of its rows,
-- moved by every write in the same transaction. Each checkpoint from `vault_header.state_since` on
-- signs a hash of them (`audit_checkpoints.state`), so a row deleted, inserted, restored or rolled
-- back without a signing key fails unlock and `audit verify`, naming its table. NULL in a vault
-- from before format 7 until its first unlock, which computes the digests from the rows.
CREATE TABLE state_digests (
  table_name TEXT    PRIMARY KEY,
  row_count  INTEGER NOT NULL,
  digest     BLOB    NOT NULL
) STRICT;
ALTER TABLE audit_checkpoints ADD COLUMN state BLOB;
ALTER TABLE vault_header ADD COLUMN state_since INTEGER;
