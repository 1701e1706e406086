-- Incidents worked from chat: which execution orders belong to which incident, what the last
-- periodic summary of an incident place said, when a place stopped being watched, and the
-- requests that create something in COC (an incident, an announcement) claimed once, so a
-- redelivered chat event or a second replica does not do it twice.

-- Orders linked to an incident: run from its place, or linked explicitly.
CREATE TABLE incident_orders (
  incident_num       text        NOT NULL CHECK (incident_num <> ''),
  execute_uuid       text        NOT NULL CHECK (execute_uuid <> ''),
  platform           text        NOT NULL CHECK (platform IN ('slack', 'discord', 'shell')),
  workspace_id       text        NOT NULL,
  channel_id         text        NOT NULL,
  thread_ref         text,
  linked_by_iam_user text,
  created_at         timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (incident_num, execute_uuid)
);
CREATE INDEX incident_orders_order_idx ON incident_orders (execute_uuid);

-- What the last summary showed (status, level, WarRoom, orders), to say what changed since.
ALTER TABLE incident_channels ADD COLUMN summary_state jsonb
  CHECK (summary_state IS NULL OR jsonb_typeof(summary_state) = 'object');
-- Set once the incident is completed (or gone): no more polling, no more summaries.
ALTER TABLE incident_channels ADD COLUMN closed_at timestamptz;
CREATE INDEX incident_channels_open_idx ON incident_channels (incident_num) WHERE closed_at IS NULL;

-- One row per request that creates something in COC. The key comes from the chat interaction
-- ('create:<platform>:<workspace>:<interaction>') or from the incident ('announce:<incident>').
CREATE TABLE incident_requests (
  request_key  text        PRIMARY KEY CHECK (request_key <> ''),
  state        text        NOT NULL DEFAULT 'sending' CHECK (state IN ('sending', 'done', 'unknown')),
  incident_num text,
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT incident_requests_done_has_incident CHECK (state <> 'done' OR incident_num IS NOT NULL)
);
