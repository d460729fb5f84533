-- Operations the orchestrator runs (rolling restarts, rollouts, experiments) and every step of each, so an
-- operation interrupted by a crash is visible and can be resumed or rolled back after a restart.
CREATE TABLE operations (
    id          uuid        PRIMARY KEY,
    kind        text        NOT NULL CHECK (kind IN ('rolling-restart', 'rollout', 'experiment')),
    state       text        NOT NULL,
    started_at  timestamptz NOT NULL DEFAULT now(),
    finished_at timestamptz NULL,
    parameters  jsonb       NOT NULL DEFAULT '{}'::jsonb,
    outcome     jsonb       NULL
);

CREATE INDEX operations_started_at ON operations (started_at DESC);
-- At most one operation of any kind runs at a time.
CREATE UNIQUE INDEX operations_one_active ON operations ((true)) WHERE finished_at IS NULL;

CREATE TABLE operation_steps (
    operation_id uuid        NOT NULL REFERENCES operations (id) ON DELETE CASCADE,
    sequence     int         NOT NULL,
    occurred_at  timestamptz NOT NULL DEFAULT now(),
    description  text        NOT NULL,
    detail       jsonb       NOT NULL DEFAULT '{}'::jsonb,
    PRIMARY KEY (operation_id, sequence)
);
