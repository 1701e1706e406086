-- Live runbook execution cards. tracked_executions keeps one row per watched execution: which
-- replica polls it (lease), what COC last said of it, and whether its tracking has ended. Each
-- place that shows the execution has its own card in tracked_execution_cards, so one read of the
-- execution per polling round serves every card.

CREATE TABLE tracked_executions (
  -- The bot's id of the execution ('coc:execution:<execution id>').
  execution_id      text        PRIMARY KEY,
  lease_owner       text,
  lease_expires_at  timestamptz,
  -- The execution's status as COC last answered it (operators and a replica that takes over read it).
  last_status       text,
  -- A click on a card (resume, terminate, retry, skip) asks the polling replica for a fresh read.
  nudged_at         timestamptz,
  -- Every card shows the final state (or was given up): nothing is polled any more.
  ended             boolean     NOT NULL DEFAULT false,
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT tracked_executions_lease_complete CHECK ((lease_owner IS NULL) = (lease_expires_at IS NULL))
);
CREATE INDEX tracked_executions_open_idx ON tracked_executions (created_at) WHERE NOT ended;

-- One card per place (a channel, or a thread in it) that shows the execution. Its state is one of
-- live (edited as the execution moves), final (it shows the end, or that COC no longer knows the
-- execution; never edited again) or abandoned (the platform would not take it).
CREATE TABLE tracked_execution_cards (
  id                uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
  execution_id      text        NOT NULL REFERENCES tracked_executions (execution_id) ON DELETE CASCADE,
  card_state        text        NOT NULL DEFAULT 'live' CHECK (card_state IN ('live', 'final', 'abandoned')),
  platform          text        NOT NULL CHECK (platform IN ('slack', 'discord', 'shell')),
  workspace_id      text        NOT NULL,
  channel_id        text        NOT NULL,
  thread_ref        text        NOT NULL DEFAULT '',  -- '' outside a thread, so that the place is a key
  locale            text        NOT NULL CHECK (locale IN ('en-US', 'zh-CN')),
  requester_user_id text,                             -- told privately if the platform refuses the card
  message_ref       text,                             -- set once posted
  last_state_hash   text,                             -- what it shows: an equal hash is never edited
  last_edited_at    timestamptz,
  retry_after       timestamptz,                      -- a platform's Retry-After, waited out
  edit_failures     integer     NOT NULL DEFAULT 0 CHECK (edit_failures >= 0),
  reposted          boolean     NOT NULL DEFAULT false,  -- posted again once, after its edits kept failing
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT tracked_execution_cards_place_key UNIQUE (execution_id, platform, workspace_id, channel_id, thread_ref)
);
CREATE INDEX tracked_execution_cards_open_idx ON tracked_execution_cards (execution_id) WHERE card_state = 'live';
