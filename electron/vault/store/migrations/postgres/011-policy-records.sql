-- 011 (PostgreSQL): the twin of ../011-policy-records.sql (complaints 6.4, new-channel trials
-- 3.4, third-party applications 6.3 / 10.2), rowid as in 001.

CREATE TABLE complaints (
  id          text    PRIMARY KEY,
  account_id  text    NOT NULL REFERENCES accounts (id),
  received_on text    NOT NULL,
  closed_on   text,
  version     bigint  NOT NULL,
  sealed      bytea   NOT NULL,
  rowid       bigint  GENERATED ALWAYS AS IDENTITY UNIQUE
);
CREATE INDEX complaints_by_account ON complaints (account_id);

CREATE TABLE channel_trials (
  id           text    PRIMARY KEY,
  requested_on text    NOT NULL,
  decided_on   text,
  version      bigint  NOT NULL,
  sealed       bytea   NOT NULL,
  rowid        bigint  GENERATED ALWAYS AS IDENTITY UNIQUE
);

CREATE TABLE third_party_apps (
  id          text    PRIMARY KEY,
  account_id  text    NOT NULL REFERENCES accounts (id),
  added_on    text    NOT NULL,
  added_seq   bigint  NOT NULL UNIQUE,
  removed_on  text,
  removed_seq bigint  UNIQUE,
  version     bigint  NOT NULL,
  sealed      bytea   NOT NULL,
  rowid       bigint  GENERATED ALWAYS AS IDENTITY UNIQUE
);
CREATE INDEX third_party_apps_by_account ON third_party_apps (account_id);

CREATE INDEX audit_app_additions ON audit_entries (seq) WHERE kind = 'third-party-app.added';
