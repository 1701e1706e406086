-- Every write to COC (POST, PUT, DELETE) is recorded before it is sent: an intent row with the
-- outcome 'pending', committed first, then completed with what happened. A process that dies
-- mid-call leaves its 'pending' row behind; a sweep marks it 'unknown' (COC may have acted), and
-- reconciliation against COC may later turn an 'unknown' into 'succeeded' or 'failed'.

ALTER TABLE audit_events DROP CONSTRAINT audit_events_outcome_check;
ALTER TABLE audit_events ADD CONSTRAINT audit_events_outcome_check
  CHECK (outcome IN ('succeeded', 'failed', 'denied', 'pending', 'unknown'));

-- Only intent rows may ever change (see the trigger below); every other row stays append-only.
ALTER TABLE audit_events ADD COLUMN write_intent boolean NOT NULL DEFAULT false;

-- The sweep looks for intents still waiting; there are few, so the index stays small.
CREATE INDEX audit_events_open_intents_idx ON audit_events (occurred_at) WHERE write_intent AND outcome = 'pending';

-- The trail is still not rewritten after the fact. The one change allowed is completing a write
-- intent: from 'pending' to its outcome, or from 'unknown' once COC has been checked. Who, when
-- and what stay as they were; the parameters only gain keys (status, duration, the resolution);
-- the target may be filled in when it was not known yet.
CREATE OR REPLACE FUNCTION audit_events_refuse_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.write_intent AND NEW.write_intent
     AND (OLD.outcome = 'pending' OR (OLD.outcome = 'unknown' AND NEW.outcome IN ('succeeded', 'failed', 'unknown')))
     AND NEW.outcome <> 'pending'
     AND NEW.id = OLD.id
     AND NEW.occurred_at = OLD.occurred_at
     AND NEW.platform = OLD.platform
     AND NEW.workspace_id IS NOT DISTINCT FROM OLD.workspace_id
     AND NEW.channel_id IS NOT DISTINCT FROM OLD.channel_id
     AND NEW.chat_user_id IS NOT DISTINCT FROM OLD.chat_user_id
     AND NEW.iam_user_name IS NOT DISTINCT FROM OLD.iam_user_name
     AND NEW.command = OLD.command
     AND (NEW.target IS NOT DISTINCT FROM OLD.target OR OLD.target IS NULL)
     AND NEW.masked_parameters @> OLD.masked_parameters
  THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'audit events are append-only' USING ERRCODE = 'integrity_constraint_violation';
END;
$$;
