-- 006 (PostgreSQL): the twin of ../006-key-epochs.sql (each member's grant of K_vault).
CREATE TABLE vault_key_grants (
  member_id  text    PRIMARY KEY REFERENCES members (id),
  epoch      bigint  NOT NULL,
  sealed_box bytea   NOT NULL,
  rowid      bigint  GENERATED ALWAYS AS IDENTITY UNIQUE
);
