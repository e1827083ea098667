-- 005 (PostgreSQL): the twin of ../005-membership-chain.sql (the signed membership chain).
CREATE TABLE membership_chain (
  seq       bigint  PRIMARY KEY,
  statement text    NOT NULL,
  signature bytea   NOT NULL
);

CREATE INDEX audit_chain_statements ON audit_entries (seq) WHERE kind = 'chain.statement';
