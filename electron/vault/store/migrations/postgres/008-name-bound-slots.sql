-- 008 (PostgreSQL): the twin of ../008-name-bound-slots.sql (slots found by a name-bound tag).
-- Rebuilt as the file's is, so the columns come in the same order; the rows keep their order.
CREATE TABLE key_slots_008 (
  member_id       text    PRIMARY KEY REFERENCES members (id),
  kdf             text    NOT NULL,
  salt            bytea,
  lookup_tag      bytea   UNIQUE,
  legacy_name_tag bytea   UNIQUE,
  version         bigint  NOT NULL,
  sealed          bytea   NOT NULL,
  rowid           bigint  GENERATED ALWAYS AS IDENTITY UNIQUE,
  CHECK ((salt IS NULL) <> (lookup_tag IS NULL))
);
INSERT INTO key_slots_008 (member_id, kdf, salt, lookup_tag, legacy_name_tag, version, sealed)
  SELECT key_slots.member_id, key_slots.kdf, key_slots.salt, NULL, members.name_tag,
         key_slots.version, key_slots.sealed
  FROM key_slots JOIN members ON members.id = key_slots.member_id
  ORDER BY key_slots.rowid;
DROP TABLE key_slots;
ALTER TABLE key_slots_008 RENAME TO key_slots;
