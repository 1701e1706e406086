-- The bot's state: who is who, what happened, what waits for a second person, which execution
-- orders are being watched, which chat channel belongs to which incident, and a few settings.
-- Written for PostgreSQL 15 and PGlite alike: no features newer than PostgreSQL 15.

-- Chat user -> IAM user. Keys are the platforms' immutable ids (Slack team/user ids, Discord
-- guild/user snowflakes), never display names, which users can change to impersonate others.
CREATE TABLE identity_mappings (
  id                 uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
  platform           text        NOT NULL CHECK (platform IN ('slack', 'discord', 'shell')),
  workspace_id       text        NOT NULL CHECK (workspace_id <> ''),
  platform_user_id   text        NOT NULL CHECK (platform_user_id <> ''),
  iam_user_name      text        NOT NULL CHECK (iam_user_name <> ''),
  iam_user_id        text,
  role               text        NOT NULL CHECK (role IN ('viewer', 'operator', 'approver', 'admin')),
  -- The name of a credential held outside the database (never the secret itself).
  coc_credential_ref text,
  locale             text        NOT NULL DEFAULT 'en-US' CHECK (locale IN ('en-US', 'zh-CN')),
  -- 'config' rows mirror the configuration file and are replaced when it changes;
  -- 'admin' rows were added from chat and survive restarts.
  source             text        NOT NULL DEFAULT 'admin' CHECK (source IN ('config', 'admin')),
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT identity_mappings_chat_user_key UNIQUE (platform, workspace_id, platform_user_id)
);
CREATE INDEX identity_mappings_iam_user_idx ON identity_mappings (iam_user_name);

-- Every action, allowed or not. Script parameters arrive already masked (secrets replaced).
CREATE TABLE audit_events (
  id                uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
  occurred_at       timestamptz NOT NULL DEFAULT now(),
  -- 'system' marks actions the bot takes by itself (expiring approvals, order tracking).
  platform          text        NOT NULL CHECK (platform IN ('slack', 'discord', 'shell', 'system')),
  workspace_id      text,
  channel_id        text,
  chat_user_id      text,
  iam_user_name     text,
  command           text        NOT NULL CHECK (command <> ''),
  target            text,
  masked_parameters jsonb       NOT NULL DEFAULT '{}'::jsonb CHECK (jsonb_typeof(masked_parameters) = 'object'),
  outcome           text        NOT NULL CHECK (outcome IN ('succeeded', 'failed', 'denied', 'pending')),
  error             text,
  coc_request_id    text,
  CONSTRAINT audit_events_actor_known CHECK (platform = 'system' OR chat_user_id IS NOT NULL)
);
CREATE INDEX audit_events_time_idx ON audit_events (occurred_at DESC, id);
CREATE INDEX audit_events_iam_user_idx ON audit_events (iam_user_name, occurred_at DESC);
CREATE INDEX audit_events_chat_user_idx ON audit_events (platform, workspace_id, chat_user_id, occurred_at DESC);

-- The trail must not be rewritten after the fact. Deleting old rows (retention) stays possible.
CREATE FUNCTION audit_events_refuse_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit events are append-only' USING ERRCODE = 'integrity_constraint_violation';
END;
$$;
CREATE TRIGGER audit_events_append_only BEFORE UPDATE ON audit_events
  FOR EACH ROW EXECUTE FUNCTION audit_events_refuse_update();

-- Requests to run a HIGH-risk script, waiting for a second person. The script's content hash and
-- modification time are pinned at request time, so a script edited afterwards is not run on an
-- approval given for its old text. `version` lets concurrent clicks update a row only once.
CREATE TABLE approvals (
  id                     uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
  state                  text        NOT NULL DEFAULT 'requested',
  -- Derived from the chat interaction, so a double click or a redelivered event cannot file twice.
  idempotency_key        text,
  platform               text        NOT NULL CHECK (platform IN ('slack', 'discord', 'shell')),
  workspace_id           text        NOT NULL,
  requester_chat_user_id text        NOT NULL,
  requester_iam_user     text        NOT NULL,
  approver_chat_user_id  text,
  approver_iam_user      text,
  script_uuid            text        NOT NULL,
  script_name            text        NOT NULL,
  script_content_hash    text        NOT NULL,
  -- COC's gmt_modified of the script, epoch milliseconds.
  script_gmt_modified    bigint      NOT NULL,
  -- Hosts, batches and masked parameters exactly as they will be sent.
  plan                   jsonb       NOT NULL CHECK (jsonb_typeof(plan) = 'object'),
  reason                 text,
  decision_note          text,
  channel_id             text,
  message_ref            text,
  created_at             timestamptz NOT NULL DEFAULT now(),
  expires_at             timestamptz NOT NULL,
  decided_at             timestamptz,
  execute_uuid           text,
  error                  text,
  version                integer     NOT NULL DEFAULT 1 CHECK (version >= 1),
  updated_at             timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT approvals_state_check
    CHECK (state IN ('requested', 'approved', 'rejected', 'expired', 'void', 'executed', 'failed')),
  CONSTRAINT approvals_idempotency_key UNIQUE (idempotency_key),
  CONSTRAINT approvals_execute_uuid_key UNIQUE (execute_uuid),
  CONSTRAINT approvals_expiry_after_creation CHECK (expires_at > created_at),
  -- Four eyes, enforced by the database as well as by the code: nobody approves their own request.
  CONSTRAINT approvals_four_eyes
    CHECK (approver_iam_user IS NULL OR lower(approver_iam_user) <> lower(requester_iam_user)),
  CONSTRAINT approvals_decision_recorded
    CHECK (state NOT IN ('approved', 'rejected', 'executed', 'failed')
           OR (decided_at IS NOT NULL AND approver_iam_user IS NOT NULL)),
  CONSTRAINT approvals_execution_recorded CHECK (state <> 'executed' OR execute_uuid IS NOT NULL)
);
CREATE INDEX approvals_pending_expiry_idx ON approvals (expires_at) WHERE state = 'requested';
CREATE INDEX approvals_requester_idx ON approvals (requester_iam_user, created_at DESC);

-- Execution orders whose progress message the bot keeps up to date. One replica at a time
-- holds the lease on a row and renews it while it polls COC.
CREATE TABLE tracked_orders (
  execute_uuid        text        PRIMARY KEY CHECK (execute_uuid <> ''),
  platform            text        NOT NULL CHECK (platform IN ('slack', 'discord', 'shell')),
  workspace_id        text        NOT NULL,
  channel_id          text        NOT NULL,
  message_ref         text,
  thread_ref          text,
  approval_id         uuid        REFERENCES approvals (id) ON DELETE SET NULL,
  started_by_iam_user text,
  -- Hash of what was last rendered: an unchanged state causes no edit (platform rate limits).
  last_state_hash     text,
  last_edited_at      timestamptz,
  final_posted        boolean     NOT NULL DEFAULT false,
  lease_owner         text,
  lease_expires_at    timestamptz,
  created_at          timestamptz NOT NULL DEFAULT now(),
  updated_at          timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT tracked_orders_lease_complete CHECK ((lease_owner IS NULL) = (lease_expires_at IS NULL))
);
CREATE INDEX tracked_orders_active_idx ON tracked_orders (lease_expires_at NULLS FIRST) WHERE NOT final_posted;
CREATE INDEX tracked_orders_approval_idx ON tracked_orders (approval_id);

-- The chat channel (or thread) opened for an incident, one per platform workspace.
CREATE TABLE incident_channels (
  incident_num     text        NOT NULL CHECK (incident_num <> ''),
  platform         text        NOT NULL CHECK (platform IN ('slack', 'discord', 'shell')),
  workspace_id     text        NOT NULL,
  channel_id       text        NOT NULL,
  thread_ref       text,
  last_seen_status text,
  last_summary_at  timestamptz,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (platform, workspace_id, incident_num)
);
CREATE INDEX incident_channels_channel_idx ON incident_channels (platform, workspace_id, channel_id);

CREATE TABLE settings (
  key        text        PRIMARY KEY CHECK (key <> ''),
  value      jsonb       NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);
