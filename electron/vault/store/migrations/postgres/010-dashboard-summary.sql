-- 010 (PostgreSQL): the twin of ../010-dashboard-summary.sql (the first screen's sealed summary,
-- ADR 0027), rowid as in 001.
CREATE TABLE dashboard_summary (
  id         text    PRIMARY KEY,
  updated_at text    NOT NULL,
  version    bigint  NOT NULL,
  sealed     bytea   NOT NULL,
  rowid      bigint  GENERATED ALWAYS AS IDENTITY UNIQUE
);
