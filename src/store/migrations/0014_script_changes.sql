-- Changes to the platform's scripts asked for from chat (create, edit, delete): each is a
-- four-eyes request, an `approvals` row (plan = {"kind": "script-change", ...}) that a second
-- admin decides, with the proposed change here beside it.
--
-- draft            the script as proposed (create, edit), sensitive parameter defaults left empty;
--                  NULL for a delete.
-- sealed_defaults  the sensitive defaults, sealed as run_plans.sealed_params are (never in clear);
--                  dropped once the write was sent or can no longer be.
-- diff             the difference shown to the approver, sensitive defaults masked.
-- write_state      none → sending (stamped just before the request) → done | refused | unknown
--                  (the answer was lost: read back before anyone is told anything definite).
-- result_script_id the script the write made or changed, once known.
-- A create has no script yet: its approvals row names '<backend>:script:new:<name>'.
CREATE TABLE script_changes (
  approval_id      uuid        PRIMARY KEY REFERENCES approvals (id) ON DELETE CASCADE,
  action           text        NOT NULL CONSTRAINT script_changes_action_check CHECK (action IN ('create', 'edit', 'delete')),
  backend          text        NOT NULL CONSTRAINT script_changes_backend_check CHECK (backend IN ('coc', 'blueking')),
  script_id        text,
  script_name      text        NOT NULL,
  requester_locale text        NOT NULL,
  channel_id       text        NOT NULL,
  thread_ref       text,
  draft            jsonb       CHECK (draft IS NULL OR jsonb_typeof(draft) = 'object'),
  sealed_defaults  text,
  diff             text        NOT NULL,
  write_state      text        NOT NULL DEFAULT 'none'
    CONSTRAINT script_changes_write_state_check CHECK (write_state IN ('none', 'sending', 'done', 'refused', 'unknown')),
  result_script_id text,
  error            text,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT script_changes_draft_of_action CHECK ((action = 'delete') = (draft IS NULL)),
  CONSTRAINT script_changes_target_of_action CHECK (action = 'create' OR script_id IS NOT NULL),
  CONSTRAINT script_changes_ids_of_backend
    CHECK ((script_id IS NULL OR script_id LIKE backend || ':script:%') AND (result_script_id IS NULL OR result_script_id LIKE backend || ':script:%'))
);
CREATE INDEX script_changes_sending_idx ON script_changes (updated_at) WHERE write_state IN ('sending', 'unknown');

-- A script change that was written is 'executed' without a run: the change row holds its result.
ALTER TABLE approvals DROP CONSTRAINT approvals_run_recorded;
ALTER TABLE approvals ADD CONSTRAINT approvals_run_recorded
  CHECK (state <> 'executed' OR run_id IS NOT NULL OR plan ->> 'kind' = 'script-change');
