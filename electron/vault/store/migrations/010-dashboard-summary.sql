-- 010: the dashboard's first screen from one sealed row (issue 17; ADR 0027). `dashboard_summary`
-- holds one row, 'current': the accounts registered, the open lost-device incidents (10.1) with
-- what is left to do on each, and the quiet periods not yet ended (6.6), sealed under K_vault like
-- every registry row and bound to its id, version and clear column. Every audited write that
-- changes a table it is made from writes it again in the same transaction (audit/log.ts), and it
-- is a state table (ADR 0020), so a row edited, deleted or rolled back fails unlock and verify.
-- Empty after the upgrade until the first audited write (the unlock's own) computes it.
CREATE TABLE dashboard_summary (
  id         TEXT    PRIMARY KEY,
  updated_at TEXT    NOT NULL,
  version    INTEGER NOT NULL,
  sealed     BLOB    NOT NULL
) STRICT;
