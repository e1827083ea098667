-- 003: vault settings (health thresholds, policy 9.13, 11.1...) and the daily health summary.

CREATE TABLE settings (
  id         TEXT    PRIMARY KEY,   -- the setting group, e.g. 'health'
  updated_at TEXT    NOT NULL,
  version    INTEGER NOT NULL,
  sealed     BLOB    NOT NULL
) STRICT;

-- One row per day: counts of findings by rule and severity, for the trend chart.
CREATE TABLE health_summaries (
  id          TEXT    PRIMARY KEY,  -- the day, YYYY-MM-DD
  recorded_at TEXT    NOT NULL,
  version     INTEGER NOT NULL,
  sealed      BLOB    NOT NULL
) STRICT;
