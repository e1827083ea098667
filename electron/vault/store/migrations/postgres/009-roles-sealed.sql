-- 009 (PostgreSQL): the twin of ../009-roles-sealed.sql (nothing in clear tells a member's role,
-- ADR 0028). The tables are rebuilt, as in the file, so their columns stand in the file's order
-- (a row's cells, and so the state digest, are the same bytes on both backends); rowid as in 001.
-- Dropping `members` drops the references to it, which are made again below, one for one.
CREATE TABLE members_009 (
  id                  text    PRIMARY KEY,
  name_tag            bytea   UNIQUE,
  box_public_key      bytea   NOT NULL,
  sign_public_key     bytea   NOT NULL,
  removed_at          text,
  legacy_role         text,
  legacy_certified_by text,
  legacy_certified_at text,
  legacy_certificate  bytea,
  version             bigint  NOT NULL,
  sealed              bytea   NOT NULL,
  rowid               bigint  GENERATED ALWAYS AS IDENTITY UNIQUE,
  CHECK ((legacy_role IS NULL) = (legacy_certified_by IS NULL)
     AND (legacy_role IS NULL) = (legacy_certified_at IS NULL)
     AND (legacy_role IS NULL) = (legacy_certificate IS NULL))
);
INSERT INTO members_009 (id, name_tag, box_public_key, sign_public_key, removed_at, legacy_role,
                         legacy_certified_by, legacy_certified_at, legacy_certificate, version, sealed)
  SELECT id, name_tag, box_public_key, sign_public_key, removed_at, role, certified_by,
         certified_at, certificate, version, sealed
  FROM members ORDER BY certified_at, rowid;
DROP TABLE members CASCADE;
ALTER TABLE members_009 RENAME TO members;
ALTER TABLE key_slots ADD FOREIGN KEY (member_id) REFERENCES members (id);
ALTER TABLE team_key_grants ADD FOREIGN KEY (member_id) REFERENCES members (id);
ALTER TABLE vault_key_grants ADD FOREIGN KEY (member_id) REFERENCES members (id);
ALTER TABLE accounts ADD FOREIGN KEY (created_by) REFERENCES members (id);
ALTER TABLE rotations ADD FOREIGN KEY (actor_id) REFERENCES members (id);
ALTER TABLE account_changes ADD FOREIGN KEY (actor_id) REFERENCES members (id);

CREATE TABLE membership_chain_009 (
  seq              bigint  PRIMARY KEY,
  legacy_statement text,
  legacy_signature bytea,
  sealed           bytea,
  CHECK ((legacy_statement IS NULL) = (legacy_signature IS NULL)
     AND (legacy_statement IS NULL) <> (sealed IS NULL))
);
INSERT INTO membership_chain_009 (seq, legacy_statement, legacy_signature, sealed)
  SELECT seq, statement, signature, NULL FROM membership_chain;
DROP TABLE membership_chain;
ALTER TABLE membership_chain_009 RENAME TO membership_chain;
