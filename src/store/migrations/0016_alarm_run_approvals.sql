-- An alarm's linked HIGH-risk script run from chat (`alarms run <id>`): a four-eyes request like a
-- HIGH-risk run's, an `approvals` row (plan = {"kind": "alarm-run", ...}) that a second authorised
-- person decides, with what the preview showed here beside it. The approval's versioned update
-- has one winner; only it stamps the write 'sending' and asks the platform to auto-process, once.
--
-- alarm_id         the alarm ('<backend>:alarm:<id>').
-- automation       the linked script as previewed ({kind, id, name, shared}); its hash and
--                  modification time are the approvals row's script_content_hash / script_modified_at.
-- parameters       the script's non-sensitive defaults sent with it (sensitive ones are never sent from chat).
-- handlings        how many handlings the alarm had at the preview (NULL: its history could not be read);
--                  one more at approval time means it was handled since: the request is void.
-- write_state      none → sending (stamped just before the request) → done | refused | unknown
--                  (the answer was lost and the alarm's history could not prove either way).
-- work_order       the platform's work order of the handling, once known.
CREATE TABLE alarm_runs (
  approval_id      uuid        PRIMARY KEY REFERENCES approvals (id) ON DELETE CASCADE,
  backend          text        NOT NULL CONSTRAINT alarm_runs_backend_check CHECK (backend IN ('coc', 'blueking')),
  alarm_id         text        NOT NULL,
  alarm_title      text        NOT NULL,
  region           text,
  automation       jsonb       NOT NULL CHECK (jsonb_typeof(automation) = 'object'),
  parameters       jsonb       NOT NULL CHECK (jsonb_typeof(parameters) = 'object'),
  risk_level       text        NOT NULL,
  handlings        integer     CHECK (handlings IS NULL OR handlings >= 0),
  requester_locale text        NOT NULL,
  channel_id       text        NOT NULL,
  thread_ref       text,
  write_state      text        NOT NULL DEFAULT 'none'
    CONSTRAINT alarm_runs_write_state_check CHECK (write_state IN ('none', 'sending', 'done', 'refused', 'unknown')),
  work_order       text,
  error            text,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT alarm_runs_alarm_of_backend CHECK (alarm_id LIKE backend || ':alarm:%')
);
CREATE INDEX alarm_runs_sending_idx ON alarm_runs (updated_at) WHERE write_state IN ('none', 'sending', 'unknown');

-- An alarm run that was sent is 'executed' without a run of the bot's: the platform's work order is here.
ALTER TABLE approvals DROP CONSTRAINT approvals_run_recorded;
ALTER TABLE approvals ADD CONSTRAINT approvals_run_recorded
  CHECK (state <> 'executed' OR run_id IS NOT NULL OR plan ->> 'kind' IN ('script-change', 'alarm-run'));
