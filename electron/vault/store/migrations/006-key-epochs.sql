-- Key epochs (ADR 0019): a removal or a passphrase change makes a new K_vault. It reaches each
-- current member sealed to their X25519 key, never through their key slot, so it can be given to
-- every member without their passphrases and withheld from a leaver. The chain commits to it.
CREATE TABLE vault_key_grants (
  member_id  TEXT    PRIMARY KEY REFERENCES members (id),
  epoch      INTEGER NOT NULL,
  sealed_box BLOB    NOT NULL
) STRICT;
