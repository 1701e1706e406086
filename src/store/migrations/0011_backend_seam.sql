-- Which platform a row belongs to, and the platform's ids as opaque '<backend>:<kind>:<native>'
-- strings instead of COC's bare ones, so a stored row always routes to the backend that made it.
-- Every row written before belongs to COC. Not rolling: a replica of an older version refuses a
-- database with a migration it does not know, so stop old replicas before starting a new one.
--
-- Nothing here changes what a row means: an accepted request stays accepted, a started plan
-- keeps its run, a sealed parameter stays sealed (sealed_params, idempotency keys, execute_sent_at
-- and absent_since are not touched), an approval's pinned script hash and time are the same
-- values under new names, and the audit trail is renamed, never rewritten.

-- Helpers for the plans' hosts, made in the store's own schema (a hardened PostgreSQL may refuse
-- temporary objects to the app's role) and dropped at the end of this migration.
-- A COC host {resourceId, regionId, name, ...} becomes {id: 'coc:host:<resourceId>', region, name, ...};
-- a host without a resource id (an excluded inventory row) keeps no id, its region is renamed all the same.
CREATE FUNCTION migration_0011_coc_host(h jsonb) RETURNS jsonb LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN jsonb_typeof(h) <> 'object' THEN h
    ELSE (h - 'resourceId' - 'regionId')
         || CASE WHEN h ? 'resourceId' THEN jsonb_build_object('id', 'coc:host:' || (h->>'resourceId')) ELSE '{}'::jsonb END
         || CASE WHEN h ? 'regionId' THEN jsonb_build_object('region', h->'regionId') ELSE '{}'::jsonb END
    END $$;
-- A list of hosts, order kept.
CREATE FUNCTION migration_0011_coc_hosts(a jsonb) RETURNS jsonb LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN a IS NULL OR jsonb_typeof(a) <> 'array' THEN a
    ELSE (SELECT coalesce(jsonb_agg(migration_0011_coc_host(x.h) ORDER BY x.i), '[]'::jsonb)
            FROM jsonb_array_elements(a) WITH ORDINALITY AS x(h, i))
    END $$;
-- A plan's batches, each with its hosts rewritten, order kept.
CREATE FUNCTION migration_0011_coc_batches(a jsonb) RETURNS jsonb LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN a IS NULL OR jsonb_typeof(a) <> 'array' THEN a
    ELSE (SELECT coalesce(jsonb_agg(CASE WHEN jsonb_typeof(x.b) = 'object' AND x.b ? 'hosts'
                                         THEN x.b || jsonb_build_object('hosts', migration_0011_coc_hosts(x.b->'hosts'))
                                         ELSE x.b END ORDER BY x.i), '[]'::jsonb)
            FROM jsonb_array_elements(a) WITH ORDINALITY AS x(b, i))
    END $$;

-- ---- run_plans ---------------------------------------------------------------------------
-- Plans record the script a preview resolved; COC plans have only ever run custom scripts (the
-- run command resolves custom scripts only), so the kind is 'script'.
ALTER TABLE run_plans ADD COLUMN backend text NOT NULL DEFAULT 'coc'
  CONSTRAINT run_plans_backend_check CHECK (backend IN ('coc', 'blueking'));
ALTER TABLE run_plans RENAME COLUMN script_uuid TO script_id;
ALTER TABLE run_plans RENAME COLUMN script_gmt_modified TO script_modified_at;
ALTER TABLE run_plans RENAME COLUMN execute_uuid TO run_id;
ALTER TABLE run_plans RENAME CONSTRAINT run_plans_execute_uuid_key TO run_plans_run_id_key;
ALTER TABLE run_plans RENAME CONSTRAINT run_plans_started_has_order TO run_plans_started_has_run;
UPDATE run_plans
   SET script_id = 'coc:script:' || script_id,
       run_id = CASE WHEN run_id IS NULL THEN NULL ELSE 'coc:run:' || run_id END,
       plan = CASE WHEN plan ? 'batches' OR plan ? 'excluded'
                   THEN plan
                        || CASE WHEN plan ? 'batches' THEN jsonb_build_object('batches', migration_0011_coc_batches(plan->'batches')) ELSE '{}'::jsonb END
                        || CASE WHEN plan ? 'excluded' THEN jsonb_build_object('excluded', migration_0011_coc_hosts(plan->'excluded')) ELSE '{}'::jsonb END
                   ELSE plan END;
ALTER TABLE run_plans ADD CONSTRAINT run_plans_ids_of_backend
  CHECK (script_id LIKE backend || ':%' AND (run_id IS NULL OR run_id LIKE backend || ':%'));

-- ---- approvals (plan = {planId, hosts[], params}) -----------------------------------------
-- No trigger guards approvals, and `version` is not bumped: nothing a person decided changed,
-- so a click on a card rendered before the migration still finds its version.
ALTER TABLE approvals ADD COLUMN backend text NOT NULL DEFAULT 'coc'
  CONSTRAINT approvals_backend_check CHECK (backend IN ('coc', 'blueking'));
ALTER TABLE approvals RENAME COLUMN script_uuid TO script_id;
ALTER TABLE approvals RENAME COLUMN script_gmt_modified TO script_modified_at;
ALTER TABLE approvals RENAME COLUMN execute_uuid TO run_id;
ALTER TABLE approvals RENAME CONSTRAINT approvals_execute_uuid_key TO approvals_run_id_key;
ALTER TABLE approvals RENAME CONSTRAINT approvals_execution_recorded TO approvals_run_recorded;
UPDATE approvals
   SET script_id = 'coc:script:' || script_id,
       run_id = CASE WHEN run_id IS NULL THEN NULL ELSE 'coc:run:' || run_id END,
       plan = CASE WHEN plan ? 'hosts' THEN plan || jsonb_build_object('hosts', migration_0011_coc_hosts(plan->'hosts')) ELSE plan END;
ALTER TABLE approvals ADD CONSTRAINT approvals_ids_of_backend
  CHECK (script_id LIKE backend || ':%' AND (run_id IS NULL OR run_id LIKE backend || ':%'));

-- ---- live cards: the key changes, so the cards' foreign key is dropped and made again ------
ALTER TABLE tracked_order_cards DROP CONSTRAINT tracked_order_cards_execute_uuid_fkey;
ALTER TABLE tracked_orders RENAME COLUMN execute_uuid TO run_id;
ALTER TABLE tracked_orders RENAME CONSTRAINT tracked_orders_execute_uuid_check TO tracked_orders_run_id_check;
ALTER TABLE tracked_orders ADD COLUMN backend text NOT NULL DEFAULT 'coc'
  CONSTRAINT tracked_orders_backend_check CHECK (backend IN ('coc', 'blueking'));
ALTER TABLE tracked_orders RENAME COLUMN coc_failing_since TO backend_failing_since;
UPDATE tracked_orders SET run_id = 'coc:run:' || run_id;
ALTER TABLE tracked_orders ADD CONSTRAINT tracked_orders_id_of_backend CHECK (run_id LIKE backend || ':%');
ALTER TABLE tracked_order_cards RENAME COLUMN execute_uuid TO run_id;
UPDATE tracked_order_cards SET run_id = 'coc:run:' || run_id;
ALTER TABLE tracked_order_cards ADD CONSTRAINT tracked_order_cards_run_id_fkey
  FOREIGN KEY (run_id) REFERENCES tracked_orders (run_id) ON DELETE CASCADE;
ALTER TABLE tracked_order_cards RENAME CONSTRAINT tracked_order_cards_place_key TO tracked_order_cards_run_place_key;

-- ---- incidents stay COC-native (numbers people type); their runs are opaque ---------------
ALTER TABLE incident_orders RENAME COLUMN execute_uuid TO run_id;
ALTER TABLE incident_orders RENAME CONSTRAINT incident_orders_execute_uuid_check TO incident_orders_run_id_check;
UPDATE incident_orders SET run_id = 'coc:run:' || run_id;
-- Every run id is a backend's: a bare uuid written by mistake is refused, not stored to fail every read.
ALTER TABLE incident_orders ADD CONSTRAINT incident_orders_run_id_is_backend_id CHECK (run_id ~ '^[a-z]+:run:.+');
ALTER INDEX incident_orders_order_idx RENAME TO incident_orders_run_idx;
ALTER TABLE incident_channels ADD COLUMN backend text NOT NULL DEFAULT 'coc'
  CONSTRAINT incident_channels_backend_check CHECK (backend IN ('coc', 'blueking'));
-- The last summary's orders are keyed by run, else the next summary would call every order new.
UPDATE incident_channels
   SET summary_state = jsonb_set(summary_state, '{orders}',
         (SELECT coalesce(jsonb_object_agg('coc:run:' || key, value), '{}'::jsonb) FROM jsonb_each(summary_state->'orders')))
 WHERE summary_state ? 'orders' AND jsonb_typeof(summary_state->'orders') = 'object';

-- ---- audit: append-only rows are not rewritten; a rename is not an UPDATE (no trigger fires) --
ALTER TABLE audit_events RENAME COLUMN coc_request_id TO request_id;
-- NULL on rows written before: those are COC's.
ALTER TABLE audit_events ADD COLUMN backend text
  CONSTRAINT audit_events_backend_check CHECK (backend IS NULL OR backend IN ('coc', 'blueking'));

-- ---- helpers are gone again -----------------------------------------------------------------
DROP FUNCTION migration_0011_coc_batches(jsonb);
DROP FUNCTION migration_0011_coc_hosts(jsonb);
DROP FUNCTION migration_0011_coc_host(jsonb);
