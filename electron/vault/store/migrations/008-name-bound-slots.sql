-- 008: nothing in clear confirms a guessed member name (issue 13, attack 14; ADR 0022). A slot is
-- now found by `lookup_tag`, derived from the member's name and passphrase together (keyring.ts
-- nameBoundSlotKey), and its Argon2id salt is not stored. A slot from before is kept as it is,
-- salt and all, with its member's old name tag (HMAC under the header's clear name salt) moved
-- here as `legacy_name_tag` to find it by, until that member's next unlock seals it name-bound.
-- The members rows' name tags are then keyed by K_vault, at the first unlock by anyone.
CREATE TABLE key_slots_008 (
  member_id       TEXT    PRIMARY KEY REFERENCES members (id),
  kdf             TEXT    NOT NULL,
  salt            BLOB,              -- a slot from before format 8 only
  lookup_tag      BLOB    UNIQUE,    -- a name-bound slot only
  legacy_name_tag BLOB    UNIQUE,    -- a slot from before format 8, until its member unlocks
  version         INTEGER NOT NULL,
  sealed          BLOB    NOT NULL,
  CHECK ((salt IS NULL) <> (lookup_tag IS NULL))
) STRICT;
INSERT INTO key_slots_008 (member_id, kdf, salt, lookup_tag, legacy_name_tag, version, sealed)
  SELECT key_slots.member_id, key_slots.kdf, key_slots.salt, NULL, members.name_tag,
         key_slots.version, key_slots.sealed
  FROM key_slots JOIN members ON members.id = key_slots.member_id;
DROP TABLE key_slots;
ALTER TABLE key_slots_008 RENAME TO key_slots;
