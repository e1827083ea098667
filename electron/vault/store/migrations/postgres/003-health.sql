-- 003 (PostgreSQL): the twin of ../003-health.sql (settings and the daily health summary).

CREATE TABLE settings (
  id         text    PRIMARY KEY,
  updated_at text    NOT NULL,
  version    bigint  NOT NULL,
  sealed     bytea   NOT NULL,
  rowid      bigint  GENERATED ALWAYS AS IDENTITY UNIQUE
);

CREATE TABLE health_summaries (
  id          text    PRIMARY KEY,
  recorded_at text    NOT NULL,
  version     bigint  NOT NULL,
  sealed      bytea   NOT NULL,
  rowid       bigint  GENERATED ALWAYS AS IDENTITY UNIQUE
);
