-- Runs whose batches the bot sends one execution at a time (platforms without batches of their
-- own: BlueKing Job). Each batch of such a run is a row here, claimed before it is sent, so a
-- batch is never sent twice, across restarts and replicas. Empty for runs the platform batches (COC).
--
-- A batch's life: waiting → claimed → sending (stamped just before the request) → running (the
-- platform answered with its execution) → succeeded | failed; a lost answer leaves it 'unknown'
-- (never sent again; adopted when the platform's callback names the execution, else the run stops
-- at its deadline: finished_at set on an 'unknown' row). skipped, canceled and not-run batches were
-- never sent. `hold` = 'held' keeps a waiting batch from being claimed (pause, PAUSE rotation).
CREATE TABLE run_batches (
  plan_id       uuid        NOT NULL REFERENCES run_plans (id) ON DELETE CASCADE,
  batch_index   integer     NOT NULL CHECK (batch_index >= 1),
  state         text        NOT NULL DEFAULT 'waiting'
    CONSTRAINT run_batches_state_check
    CHECK (state IN ('waiting', 'claimed', 'sending', 'unknown', 'running', 'succeeded', 'failed', 'skipped', 'canceled', 'not-run')),
  hold          text        NOT NULL DEFAULT 'released' CONSTRAINT run_batches_hold_check CHECK (hold IN ('released', 'held')),
  execution_id  text        CONSTRAINT run_batches_execution_id_key UNIQUE,
  claimed_by    text,
  claimed_at    timestamptz,
  sent_at       timestamptz,
  finished_at   timestamptz,
  succeeded     integer,
  failed        integer,
  error         text,
  -- Sensitive parameter values a batch not yet sent will need (sealed as run_plans.sealed_params
  -- are); dropped as soon as the batch is sent or can no longer be.
  sealed_params text,
  PRIMARY KEY (plan_id, batch_index),
  CONSTRAINT run_batches_sent_has_stamp CHECK (state NOT IN ('sending', 'unknown', 'running') OR sent_at IS NOT NULL),
  CONSTRAINT run_batches_running_has_execution CHECK (state <> 'running' OR execution_id IS NOT NULL),
  CONSTRAINT run_batches_execution_is_id CHECK (execution_id IS NULL OR execution_id LIKE '%:execution:%')
);
CREATE INDEX run_batches_open_idx ON run_batches (plan_id) WHERE state IN ('claimed', 'sending', 'unknown', 'running');

-- Where a platform reports the end of an execution (BlueKing Job's bk_callback_url): one random
-- token per batch, written before the batch is sent; the ops server records the execution the
-- callback names, and reconciliation of a batch whose answer was lost reads it here.
CREATE TABLE backend_callbacks (
  token         text        PRIMARY KEY,
  plan_id       uuid        NOT NULL REFERENCES run_plans (id) ON DELETE CASCADE,
  batch_index   integer     NOT NULL CHECK (batch_index >= 1),
  execution_id  text,
  finished      boolean     NOT NULL DEFAULT false,
  received_at   timestamptz,
  created_at    timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT backend_callbacks_batch_key UNIQUE (plan_id, batch_index)
);
