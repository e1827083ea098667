-- 004: the header is authenticated. `mac` is HMAC-SHA256, under a subkey of K_vault, of every
-- other header column (keyring.ts headerMac): a changed creation date, KDF default, team public
-- key or generation is caught at unlock and by `audit verify`. NULL only in a vault made before
-- format 4, until its next unlock fills it in.
ALTER TABLE vault_header ADD COLUMN mac BLOB;
