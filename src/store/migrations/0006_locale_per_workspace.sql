-- A mapping's language becomes optional: unset means "the workspace's language, else the
-- configuration's", so changing a workspace's or the bot's language reaches everyone who did
-- not choose one for themselves. Rows written before keep the language they had.
ALTER TABLE identity_mappings ALTER COLUMN locale DROP NOT NULL;
ALTER TABLE identity_mappings ALTER COLUMN locale DROP DEFAULT;
