-- 002: the account registry (policy 9.x, 10.x, 11.1, 12.1, 6.6). Same rule as 001: ids, foreign
-- keys and dates in clear; everything a person wrote, sealed under K_vault.

-- The staff register (11.1, 12.1). People are not vault members; a member may be linked to one.
CREATE TABLE people (
  id         TEXT    PRIMARY KEY,
  created_at TEXT    NOT NULL,
  version    INTEGER NOT NULL,
  sealed     BLOB    NOT NULL
) STRICT;

-- Who has access to an account (10.2): a grant, and its revoke when it ends.
CREATE TABLE team_memberships (
  id         TEXT    PRIMARY KEY,
  account_id TEXT    NOT NULL REFERENCES accounts (id),
  person_id  TEXT    NOT NULL REFERENCES people (id),
  granted_on TEXT    NOT NULL,
  revoked_on TEXT,
  version    INTEGER NOT NULL,
  sealed     BLOB    NOT NULL
) STRICT;
CREATE INDEX team_by_account ON team_memberships (account_id, granted_on);

-- Devices that can reach accounts (10.1 force-owned, 12.1 personal).
CREATE TABLE devices (
  id         TEXT    PRIMARY KEY,
  owner_id   TEXT    NOT NULL REFERENCES people (id),
  created_at TEXT    NOT NULL,
  version    INTEGER NOT NULL,
  sealed     BLOB    NOT NULL
) STRICT;

-- A lost device (10.1): exposed accounts and the notification checklist live in the sealed part.
CREATE TABLE incidents (
  id          TEXT    PRIMARY KEY,
  device_id   TEXT    NOT NULL REFERENCES devices (id),
  lost_on     TEXT    NOT NULL,
  reported_at TEXT    NOT NULL,
  resolved_at TEXT,
  version     INTEGER NOT NULL,
  sealed      BLOB    NOT NULL
) STRICT;

-- Requests for new accounts (9.1-9.7) are accounts with status 'requested' and no credentials yet.

-- Quiet periods during a major incident (6.6): "do not post" on chosen accounts or all.
CREATE TABLE quiet_periods (
  id          TEXT    PRIMARY KEY,
  declared_at TEXT    NOT NULL,
  ended_at    TEXT,
  version     INTEGER NOT NULL,
  sealed      BLOB    NOT NULL
) STRICT;

-- Name or owner changes of an account (9.9), recorded like rotations.
CREATE TABLE account_changes (
  id         TEXT    PRIMARY KEY,
  account_id TEXT    NOT NULL REFERENCES accounts (id),
  at         TEXT    NOT NULL,
  actor_id   TEXT    NOT NULL REFERENCES members (id),
  version    INTEGER NOT NULL,
  sealed     BLOB    NOT NULL
) STRICT;
CREATE INDEX account_changes_by_account ON account_changes (account_id, at);
