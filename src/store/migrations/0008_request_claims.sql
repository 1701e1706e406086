-- Requests taken, by the platform's own id of the request (Slack trigger id, block action, view;
-- Discord interaction id): the replica whose INSERT wins runs the request, every other delivery
-- of it (a retry, a replay of the signed request, to any replica) finds the row and runs
-- nothing. A row is kept past the platforms' replay windows (Slack signs for 5 minutes, a
-- Discord interaction token lives 15) and then swept.
CREATE TABLE request_claims (
  claim_key  text        PRIMARY KEY,
  holder     text        NOT NULL,
  claimed_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL
);

CREATE INDEX request_claims_expires_at ON request_claims (expires_at);
