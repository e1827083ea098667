-- 004 (PostgreSQL): the twin of ../004-header-mac.sql (the header's MAC).
ALTER TABLE vault_header ADD COLUMN mac bytea;
