-- Approved platform actions: a four-eyes request (an `approvals` row, plan = {"kind":
-- "platform-action", "action": <kind>}) to have the platform do one thing that is neither a run of
-- the bot's nor a change to a script, with what the preview showed beside it as a typed plan
-- (src/store/platform-actions.ts holds its zod schema, the source of truth of its shape):
--
--   alarm-run        an alarm's linked script or runbook, auto-processed by the platform
--                    (the rows of 0016's alarm_runs, moved here);
--   runbook-execute  a runbook (COC document) executed with checked parameter values.
--
-- The approval's versioned update has one winner; only it stamps the write 'sending' and asks
-- the platform, once.
--
-- plan          what was previewed and is re-checked on Approve; plan ->> 'kind' is `kind`.
-- write_state   none → sending (stamped just before the request) → done | refused | unknown
--               (the answer was lost and reading back could not prove either way).
-- result        what the platform made, once known: a work order (alarm-run), an execution (runbook-execute).
CREATE TABLE platform_actions (
  approval_id      uuid        PRIMARY KEY REFERENCES approvals (id) ON DELETE CASCADE,
  backend          text        NOT NULL CONSTRAINT platform_actions_backend_check CHECK (backend IN ('coc', 'blueking')),
  kind             text        NOT NULL CONSTRAINT platform_actions_kind_check CHECK (kind IN ('alarm-run', 'runbook-execute')),
  plan             jsonb       NOT NULL CONSTRAINT platform_actions_plan_check CHECK (jsonb_typeof(plan) = 'object' AND plan ->> 'kind' = kind),
  requester_locale text        NOT NULL,
  channel_id       text        NOT NULL,
  thread_ref       text,
  write_state      text        NOT NULL DEFAULT 'none'
    CONSTRAINT platform_actions_write_state_check CHECK (write_state IN ('none', 'sending', 'done', 'refused', 'unknown')),
  result           text,
  error            text,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX platform_actions_sending_idx ON platform_actions (updated_at) WHERE write_state IN ('none', 'sending', 'unknown');

-- The alarm runs filed so far, open ones included, keep working: each becomes an alarm-run action.
INSERT INTO platform_actions (approval_id, backend, kind, plan, requester_locale, channel_id, thread_ref, write_state, result, error, created_at, updated_at)
SELECT approval_id, backend, 'alarm-run',
       jsonb_build_object(
         'kind', 'alarm-run', 'alarmId', alarm_id, 'alarmTitle', alarm_title, 'region', region,
         'automation', automation, 'parameters', parameters, 'risk', risk_level, 'handlings', handlings),
       requester_locale, channel_id, thread_ref, write_state, work_order, error, created_at, updated_at
  FROM alarm_runs;
-- An action that was sent is 'executed' without a run of the bot's: what it made is in
-- platform_actions.result. Dropped first: the executed alarm runs are renamed just below.
ALTER TABLE approvals DROP CONSTRAINT approvals_run_recorded;
UPDATE approvals
   SET plan = jsonb_set(plan, '{kind}', '"platform-action"') || jsonb_build_object('action', 'alarm-run')
 WHERE plan ->> 'kind' = 'alarm-run';
DROP TABLE alarm_runs;
ALTER TABLE approvals ADD CONSTRAINT approvals_run_recorded
  CHECK (state <> 'executed' OR run_id IS NOT NULL OR plan ->> 'kind' IN ('script-change', 'platform-action'));
