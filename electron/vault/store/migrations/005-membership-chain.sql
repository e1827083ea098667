-- 005: the signed membership and grant chain (ADR 0010). Each row is one statement: its canonical
-- JSON (vault, seq, hash of the previous statement, kind, time, signer and the fields of its kind)
-- and the signer's Ed25519 signature over exactly that text. Members, roles, public keys, the team
-- public key and account-key grants are what validating this chain from the root key pinned in a
-- member's key slot says, never what the clear columns of other tables say.
CREATE TABLE membership_chain (
  seq       INTEGER PRIMARY KEY,
  statement TEXT    NOT NULL,
  signature BLOB    NOT NULL
) STRICT;

-- Every statement is also an audit entry naming its number and hash; unlock reads the latest
-- one through this index to see that the chain has not been cut back.
CREATE INDEX audit_chain_statements ON audit_entries (seq) WHERE kind = 'chain.statement';
