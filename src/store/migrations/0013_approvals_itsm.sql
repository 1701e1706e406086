-- Approvals held on the platform as well (approvals.via: itsm, BlueKing ITSM): the request keeps
-- its ticket and where the ticket is in its own life, beside the request's own state.
--
-- via             'bot' (decided in chat only, as before) or 'itsm' (a ticket carries the plan).
-- external_ref    the ticket's id ('<backend>:ticket:<sn>'); NULL until the ticket is opened.
-- external_url    where a person opens the ticket.
-- external_state  only for via = 'itsm':
--   opening          the ticket is being opened (or its answer was lost): nobody can decide yet;
--   open             the ticket waits for its approval node: Approve/Reject may be clicked;
--   approving        a chat click won and its approval is being sent to ITSM (rejecting: likewise);
--   approve-unknown  the answer to that decision was lost: the ticket's status says what happened
--                    (reject-unknown: likewise); no run starts before ITSM is known to have approved;
--   closed           ITSM's side is settled (decided, withdrawn or gone); the request's state says the rest.
-- external_checked_at  when the ticket's status was last read, so every open ticket gets its turn.
--
-- Every row written before is a chat-only request. Additive: an older replica ignores the columns.
ALTER TABLE approvals ADD COLUMN via text NOT NULL DEFAULT 'bot'
  CONSTRAINT approvals_via_check CHECK (via IN ('bot', 'itsm'));
ALTER TABLE approvals ADD COLUMN external_ref text;
ALTER TABLE approvals ADD COLUMN external_url text;
ALTER TABLE approvals ADD COLUMN external_state text
  CONSTRAINT approvals_external_state_check
  CHECK (external_state IN ('opening', 'open', 'approving', 'rejecting', 'approve-unknown', 'reject-unknown', 'closed'));
ALTER TABLE approvals ADD COLUMN external_checked_at timestamptz;
-- One ticket, one request; a ticket's id is its backend's, as every other id of the row.
ALTER TABLE approvals ADD CONSTRAINT approvals_external_ref_key UNIQUE (external_ref);
ALTER TABLE approvals ADD CONSTRAINT approvals_external_ref_of_backend
  CHECK (external_ref IS NULL OR external_ref LIKE backend || ':ticket:%');
-- A chat-only request has no ticket life; an ITSM one always has one, and a ticket once it is past opening.
ALTER TABLE approvals ADD CONSTRAINT approvals_external_of_itsm
  CHECK ((via = 'bot' AND external_state IS NULL AND external_ref IS NULL)
      OR (via = 'itsm' AND external_state IS NOT NULL AND (external_state = 'opening' OR external_state = 'closed' OR external_ref IS NOT NULL)));
-- The tickets whose status is read each round.
CREATE INDEX approvals_itsm_pending_idx ON approvals (external_checked_at NULLS FIRST)
  WHERE state = 'requested' AND via = 'itsm';
