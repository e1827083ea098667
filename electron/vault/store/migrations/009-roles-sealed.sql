-- 009: nothing in clear tells a member's role (issue 13, attack 14; ADR 0028). The role, the
-- certificate that binds it and who certified it move into the members row's sealed blob (under
-- K_vault), and each membership-chain statement with its signature into a sealed blob of its own,
-- so someone with the file and no passphrase can neither read a role nor check a guessed one
-- against a clear signature. A row from before keeps its clear values in the `legacy_` columns
-- only until the first unlock, which seals them (store/role-sealing.ts) and scrubs the file.
-- Foreign keys are off while a migration runs (migrate.ts), as SQLite's table rebuild needs.
CREATE TABLE members_009 (
  id                  TEXT    PRIMARY KEY,
  name_tag            BLOB    UNIQUE,    -- keyed by K_vault (ADR 0022); NULL once removed
  box_public_key      BLOB    NOT NULL,
  sign_public_key     BLOB    NOT NULL,
  removed_at          TEXT,
  legacy_role         TEXT,              -- a row from before format 9, until the first unlock
  legacy_certified_by TEXT,
  legacy_certified_at TEXT,
  legacy_certificate  BLOB,
  version             INTEGER NOT NULL,
  sealed              BLOB    NOT NULL,  -- K_vault: { name, role, certifiedBy, certifiedAt, certificate }
  CHECK ((legacy_role IS NULL) = (legacy_certified_by IS NULL)
     AND (legacy_role IS NULL) = (legacy_certified_at IS NULL)
     AND (legacy_role IS NULL) = (legacy_certificate IS NULL))
) STRICT;
INSERT INTO members_009 (id, name_tag, box_public_key, sign_public_key, removed_at, legacy_role,
                         legacy_certified_by, legacy_certified_at, legacy_certificate, version, sealed)
  SELECT id, name_tag, box_public_key, sign_public_key, removed_at, role, certified_by,
         certified_at, certificate, version, sealed
  FROM members ORDER BY certified_at, rowid;
DROP TABLE members;
ALTER TABLE members_009 RENAME TO members;

CREATE TABLE membership_chain_009 (
  seq              INTEGER PRIMARY KEY,
  legacy_statement TEXT,                 -- a statement from before format 9, until the first unlock
  legacy_signature BLOB,
  sealed           BLOB,                 -- K_vault: { statement, signature }
  CHECK ((legacy_statement IS NULL) = (legacy_signature IS NULL)
     AND (legacy_statement IS NULL) <> (sealed IS NULL))
) STRICT;
INSERT INTO membership_chain_009 (seq, legacy_statement, legacy_signature, sealed)
  SELECT seq, statement, signature, NULL FROM membership_chain;
DROP TABLE membership_chain;
ALTER TABLE membership_chain_009 RENAME TO membership_chain;
