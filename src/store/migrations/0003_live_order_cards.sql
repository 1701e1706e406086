-- Live order cards. tracked_orders keeps one row per watched order: which replica polls it
-- (lease), what COC last said, and whether everything about it has been posted. Each place that
-- watches the order (the channel where it was run, another channel that asked to watch it) has
-- its own card in tracked_order_cards, so one COC read per order serves every card.

ALTER TABLE tracked_orders
  -- The last order status read from COC, and when it was read.
  ADD COLUMN last_status       text,
  ADD COLUMN last_polled_at    timestamptz,
  -- Since when reads from COC have been failing (NULL = the last read worked).
  ADD COLUMN coc_failing_since timestamptz,
  -- A click on the card (pause, continue, cancel, skip) asks the polling replica for a fresh read.
  ADD COLUMN nudged_at         timestamptz;

CREATE TABLE tracked_order_cards (
  id                  uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
  execute_uuid        text        NOT NULL REFERENCES tracked_orders (execute_uuid) ON DELETE CASCADE,
  platform            text        NOT NULL CHECK (platform IN ('slack', 'discord', 'shell')),
  workspace_id        text        NOT NULL,
  channel_id          text        NOT NULL,
  -- '' = not in a thread (an empty string rather than NULL, so the place is a unique key).
  thread_ref          text        NOT NULL DEFAULT '',
  -- NULL until the card is posted.
  message_ref         text,
  locale              text        NOT NULL CHECK (locale IN ('en-US', 'zh-CN')),
  -- The chat user who asked for the card; told privately when the order ends.
  requester_user_id   text,
  -- Hash of the card as last posted or edited: an unchanged card is never edited again.
  last_state_hash     text,
  last_edited_at      timestamptz,
  -- The platform asked to slow down until then (HTTP 429 Retry-After).
  retry_after         timestamptz,
  -- Edits that failed in a row; after a few the card is posted again, once.
  edit_failures       integer     NOT NULL DEFAULT 0 CHECK (edit_failures >= 0),
  reposted            boolean     NOT NULL DEFAULT false,
  -- live -> final_claimed (the summary is being written) -> final_edited (the card shows it)
  -- -> done (the requester was told, or could not be); abandoned = the card could not be edited
  -- even after it was posted again.
  final_state         text        NOT NULL DEFAULT 'live'
    CHECK (final_state IN ('live', 'final_claimed', 'final_edited', 'done', 'abandoned')),
  final_claimed_at    timestamptz,
  final_edited_at     timestamptz,
  -- The requester's notification is sent at most once: claimed before sending. 'skipped' when the
  -- order had already ended when the card was asked for (the requester sees the summary then).
  notice_state        text        NOT NULL DEFAULT 'none' CHECK (notice_state IN ('none', 'sent', 'failed', 'skipped')),
  notice_attempts     integer     NOT NULL DEFAULT 0 CHECK (notice_attempts >= 0),
  created_at          timestamptz NOT NULL DEFAULT now(),
  updated_at          timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT tracked_order_cards_place_key UNIQUE (execute_uuid, platform, workspace_id, channel_id, thread_ref)
);
CREATE INDEX tracked_order_cards_open_idx ON tracked_order_cards (execute_uuid) WHERE final_state NOT IN ('done', 'abandoned');
