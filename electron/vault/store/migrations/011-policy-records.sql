-- 011: the policy records issue 15 adds (complaints 6.4, new-channel trials 3.4, third-party
-- applications 6.3 / 10.2). Same rule as 002: ids, foreign keys, dates and sequence numbers in
-- clear; everything a person wrote sealed under K_vault. All three are state tables (ADR 0020):
-- a row deleted or rolled back without a signing key fails unlock and `audit verify`.

-- A serious complaint, issue, discrepancy or breach about an account (6.4), with its referrals to
-- line management, Information Security and/or Professional Standards in the sealed part.
CREATE TABLE complaints (
  id          TEXT    PRIMARY KEY,
  account_id  TEXT    NOT NULL REFERENCES accounts (id),
  received_on TEXT    NOT NULL,
  closed_on   TEXT,
  version     INTEGER NOT NULL,
  sealed      BLOB    NOT NULL
) STRICT;
CREATE INDEX complaints_by_account ON complaints (account_id);

-- A trial on a channel the forces do not yet use (3.4): requested through the DML, and for a
-- request the policy may not cover, the Deputy Chief Constables' decision.
CREATE TABLE channel_trials (
  id           TEXT    PRIMARY KEY,
  requested_on TEXT    NOT NULL,
  decided_on   TEXT,
  version      INTEGER NOT NULL,
  sealed       BLOB    NOT NULL
) STRICT;

-- An application added to an account (6.3, 10.2). `added_seq` and `removed_seq` are the audit
-- entries that recorded the addition and the removal: who added an app is what the signed trail
-- says, so a member who re-seals the row cannot make a Corporate Communications app theirs to
-- delete. Rows are never deleted: a removal is recorded on the row.
CREATE TABLE third_party_apps (
  id          TEXT    PRIMARY KEY,
  account_id  TEXT    NOT NULL REFERENCES accounts (id),
  added_on    TEXT    NOT NULL,
  added_seq   INTEGER NOT NULL UNIQUE,
  removed_on  TEXT,
  removed_seq INTEGER UNIQUE,
  version     INTEGER NOT NULL,
  sealed      BLOB    NOT NULL
) STRICT;
CREATE INDEX third_party_apps_by_account ON third_party_apps (account_id);

-- `audit verify` finds every recorded addition through this index, to see that each app the trail
-- added is still in the registry (a deleted row is caught even after its deleter re-signed).
CREATE INDEX audit_app_additions ON audit_entries (seq) WHERE kind = 'third-party-app.added';
