-- 002 (PostgreSQL): the twin of ../002-registry.sql (the account registry), rowid as in 001.

CREATE TABLE people (
  id         text    PRIMARY KEY,
  created_at text    NOT NULL,
  version    bigint  NOT NULL,
  sealed     bytea   NOT NULL,
  rowid      bigint  GENERATED ALWAYS AS IDENTITY UNIQUE
);

CREATE TABLE team_memberships (
  id         text    PRIMARY KEY,
  account_id text    NOT NULL REFERENCES accounts (id),
  person_id  text    NOT NULL REFERENCES people (id),
  granted_on text    NOT NULL,
  revoked_on text,
  version    bigint  NOT NULL,
  sealed     bytea   NOT NULL,
  rowid      bigint  GENERATED ALWAYS AS IDENTITY UNIQUE
);
CREATE INDEX team_by_account ON team_memberships (account_id, granted_on);

CREATE TABLE devices (
  id         text    PRIMARY KEY,
  owner_id   text    NOT NULL REFERENCES people (id),
  created_at text    NOT NULL,
  version    bigint  NOT NULL,
  sealed     bytea   NOT NULL,
  rowid      bigint  GENERATED ALWAYS AS IDENTITY UNIQUE
);

CREATE TABLE incidents (
  id          text    PRIMARY KEY,
  device_id   text    NOT NULL REFERENCES devices (id),
  lost_on     text    NOT NULL,
  reported_at text    NOT NULL,
  resolved_at text,
  version     bigint  NOT NULL,
  sealed      bytea   NOT NULL,
  rowid       bigint  GENERATED ALWAYS AS IDENTITY UNIQUE
);

CREATE TABLE quiet_periods (
  id          text    PRIMARY KEY,
  declared_at text    NOT NULL,
  ended_at    text,
  version     bigint  NOT NULL,
  sealed      bytea   NOT NULL,
  rowid       bigint  GENERATED ALWAYS AS IDENTITY UNIQUE
);

CREATE TABLE account_changes (
  id         text    PRIMARY KEY,
  account_id text    NOT NULL REFERENCES accounts (id),
  at         text    NOT NULL,
  actor_id   text    NOT NULL REFERENCES members (id),
  version    bigint  NOT NULL,
  sealed     bytea   NOT NULL,
  rowid      bigint  GENERATED ALWAYS AS IDENTITY UNIQUE
);
CREATE INDEX account_changes_by_account ON account_changes (account_id, at);
