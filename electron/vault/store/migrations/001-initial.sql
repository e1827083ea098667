-- 001: the first vault schema.
-- In clear: the header, opaque random ids, foreign keys, sequence numbers, timestamps, event kinds,
-- hashes and public keys. Everything else is in a `sealed` column (XChaCha20-Poly1305) whose
-- associated data binds the table, the row id, the row version and every clear column of the row.

CREATE TABLE vault_header (
  singleton       INTEGER PRIMARY KEY CHECK (singleton = 1),
  vault_id        TEXT    NOT NULL,
  created_at      TEXT    NOT NULL,
  founder_id      TEXT    NOT NULL,
  name_salt       BLOB    NOT NULL,  -- keys the member-name lookup tag
  default_kdf     TEXT    NOT NULL,  -- JSON Argon2id parameters for new key slots
  team_public_key BLOB    NOT NULL,  -- X25519: account keys are sealed to it for lead/dmt
  team_generation INTEGER NOT NULL   -- raised whenever a member who held the team key leaves
) STRICT;

CREATE TABLE members (
  id              TEXT    PRIMARY KEY,
  name_tag        BLOB    UNIQUE,    -- HMAC of the name; NULL once removed so the name can return
  role            TEXT    NOT NULL CHECK (role IN ('lead', 'dmt', 'admin', 'security')),
  box_public_key  BLOB    NOT NULL,
  sign_public_key BLOB    NOT NULL,
  certified_by    TEXT    NOT NULL REFERENCES members (id),
  certified_at    TEXT    NOT NULL,
  certificate     BLOB    NOT NULL,  -- Ed25519 signature by certified_by over the certificate body
  removed_at      TEXT,
  version         INTEGER NOT NULL,
  sealed          BLOB    NOT NULL   -- K_vault: { name }
) STRICT;

-- A member's passphrase slot: Argon2id(passphrase, salt) opens their private keys and K_vault.
CREATE TABLE key_slots (
  member_id TEXT    PRIMARY KEY REFERENCES members (id),
  kdf       TEXT    NOT NULL,
  salt      BLOB    NOT NULL,
  version   INTEGER NOT NULL,
  sealed    BLOB    NOT NULL
) STRICT;

-- The team secret key, sealed to each lead/dmt member's X25519 public key.
CREATE TABLE team_key_grants (
  member_id  TEXT    PRIMARY KEY REFERENCES members (id),
  generation INTEGER NOT NULL,
  sealed_box BLOB    NOT NULL
) STRICT;

CREATE TABLE accounts (
  id         TEXT    PRIMARY KEY,
  handle_tag BLOB    NOT NULL UNIQUE, -- keyed hash of platform:handle: find one account without opening all
  created_at TEXT    NOT NULL,
  created_by TEXT    NOT NULL REFERENCES members (id),
  version    INTEGER NOT NULL,
  sealed     BLOB    NOT NULL      -- K_vault: profile
) STRICT;

-- Each credential write uses a fresh account key (key_id), so a leaver who kept an old key
-- learns nothing from the file after the rotation that answers their leaving.
CREATE TABLE credentials (
  account_id TEXT    PRIMARY KEY REFERENCES accounts (id),
  key_id     TEXT    NOT NULL,
  updated_at TEXT    NOT NULL,
  version    INTEGER NOT NULL,
  sealed     BLOB    NOT NULL      -- K_account: username, password, password history
) STRICT;

-- K_account wrapped for its readers: holder 'team' (lead/dmt) or an administrator's member id.
CREATE TABLE account_key_wraps (
  account_id      TEXT    NOT NULL REFERENCES accounts (id),
  holder          TEXT    NOT NULL,
  key_id          TEXT    NOT NULL,
  team_generation INTEGER,
  sealed_box      BLOB    NOT NULL,
  PRIMARY KEY (account_id, holder)
) STRICT;

CREATE TABLE rotations (
  id         TEXT    PRIMARY KEY,
  account_id TEXT    NOT NULL REFERENCES accounts (id),
  at         TEXT    NOT NULL,
  actor_id   TEXT    NOT NULL REFERENCES members (id),
  version    INTEGER NOT NULL,
  sealed     BLOB    NOT NULL      -- K_vault: reason and its context
) STRICT;
CREATE INDEX rotations_by_account ON rotations (account_id, at);

-- An owed rotation (policy 10.2): raised when someone who knew the password leaves,
-- resolved by the rotation that answers it.
CREATE TABLE rotation_due (
  id          TEXT    PRIMARY KEY,
  account_id  TEXT    NOT NULL REFERENCES accounts (id),
  raised_at   TEXT    NOT NULL,
  resolved_by TEXT    REFERENCES rotations (id),
  version     INTEGER NOT NULL,
  sealed      BLOB    NOT NULL     -- K_vault: cause and evidence
) STRICT;
CREATE INDEX rotation_due_open ON rotation_due (account_id) WHERE resolved_by IS NULL;

-- The audit trail: leaves of an RFC 6962 Merkle tree. Details are sealed; the leaf hash covers
-- the canonical JSON of the whole entry, details included.
CREATE TABLE audit_entries (
  seq        INTEGER PRIMARY KEY,
  at         TEXT    NOT NULL,
  kind       TEXT    NOT NULL,
  actor_id   TEXT    NOT NULL,
  account_id TEXT,
  leaf_hash  BLOB    NOT NULL,
  sealed     BLOB    NOT NULL
) STRICT;
CREATE INDEX audit_by_account ON audit_entries (account_id, seq) WHERE account_id IS NOT NULL;

-- Signed tree heads: the acting member signs (origin, size, root) at the end of every write.
CREATE TABLE audit_checkpoints (
  size      INTEGER PRIMARY KEY,
  root      BLOB    NOT NULL,
  signer_id TEXT    NOT NULL,
  signature BLOB    NOT NULL
) STRICT;

-- The right edge of the Merkle tree (one perfect subtree per set bit of the size), so an append
-- costs O(log n). Derived data: `audit verify` recomputes it from the leaves.
CREATE TABLE merkle_frontier (
  level INTEGER PRIMARY KEY,
  hash  BLOB    NOT NULL
) STRICT;
