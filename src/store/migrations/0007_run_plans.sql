-- A run as previewed: which script (pinned by content hash and modification time), which
-- hosts in which batches, which options, and the parameters — masked for display, and the real
-- values sealed (AES-256-GCM) so a HIGH-risk run can still be executed after its approval,
-- also after a restart. One row is executed at most once: its state moves forward only, by
-- conditional UPDATEs, and only the one that wins calls COC.
CREATE TABLE run_plans (
  id                     uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
  state                  text        NOT NULL DEFAULT 'previewed',
  idempotency_key        text,
  platform               text        NOT NULL CHECK (platform IN ('slack', 'discord', 'shell')),
  workspace_id           text        NOT NULL,
  channel_id             text        NOT NULL,
  thread_ref             text,
  requester_chat_user_id text        NOT NULL,
  requester_iam_user     text        NOT NULL,
  requester_locale       text        NOT NULL CHECK (requester_locale IN ('en-US', 'zh-CN')),
  credential_ref         text,
  script_uuid            text        NOT NULL,
  script_name            text        NOT NULL,
  risk_level             text        NOT NULL,
  script_content_hash    text        NOT NULL,
  script_gmt_modified    bigint      NOT NULL,
  plan                   jsonb       NOT NULL CHECK (jsonb_typeof(plan) = 'object'),
  sealed_params          text,
  approval_id            uuid        REFERENCES approvals (id) ON DELETE SET NULL,
  execute_uuid           text,
  error                  text,
  created_at             timestamptz NOT NULL DEFAULT now(),
  expires_at             timestamptz NOT NULL,
  updated_at             timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT run_plans_state_check
    CHECK (state IN ('previewed', 'confirming', 'requested', 'starting', 'started', 'failed', 'canceled', 'expired')),
  CONSTRAINT run_plans_idempotency_key UNIQUE (idempotency_key),
  CONSTRAINT run_plans_execute_uuid_key UNIQUE (execute_uuid),
  CONSTRAINT run_plans_started_has_order CHECK (state <> 'started' OR execute_uuid IS NOT NULL)
);
CREATE INDEX run_plans_approval_idx ON run_plans (approval_id);
