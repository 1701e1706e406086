-- A run whose execute request may or may not have reached COC (its answer was lost: a 5xx, a
-- timeout, a reset, an unreadable body, or the process stopped while waiting) is 'unknown', not
-- 'failed': it is reconciled against COC's own order list until it is found (then 'started') or
-- proven absent (then 'failed'). Its approval waits in 'unknown' beside it.
ALTER TABLE run_plans DROP CONSTRAINT run_plans_state_check;
ALTER TABLE run_plans ADD CONSTRAINT run_plans_state_check
  CHECK (state IN ('previewed', 'confirming', 'requested', 'starting', 'unknown', 'started', 'failed', 'canceled', 'expired'));
-- When the execute request was sent (the start of the window its order is looked for in), and
-- when COC's order list was first read without finding it after the request could have ended.
ALTER TABLE run_plans ADD COLUMN execute_sent_at timestamptz;
ALTER TABLE run_plans ADD COLUMN absent_since timestamptz;
CREATE INDEX run_plans_unknown_idx ON run_plans (updated_at) WHERE state IN ('starting', 'unknown');

ALTER TABLE approvals DROP CONSTRAINT approvals_state_check;
ALTER TABLE approvals ADD CONSTRAINT approvals_state_check
  CHECK (state IN ('requested', 'approved', 'rejected', 'expired', 'void', 'executed', 'failed', 'unknown'));
ALTER TABLE approvals DROP CONSTRAINT approvals_decision_recorded;
ALTER TABLE approvals ADD CONSTRAINT approvals_decision_recorded
  CHECK (state NOT IN ('approved', 'rejected', 'executed', 'failed', 'unknown')
         OR (decided_at IS NOT NULL AND approver_iam_user IS NOT NULL));
