-- Proposals: an agent's change to its own plugin, committed on its own branch of the plugin repository and waiting
-- for a human. A row exists exactly when its branch was pushed; status moves pending -> merged | rejected once.
CREATE TABLE proposals (
    id                 text        PRIMARY KEY,
    agent              text        NOT NULL,
    plugin             text        NOT NULL,
    branch             text        NOT NULL UNIQUE,
    status             text        NOT NULL CHECK (status IN ('pending', 'merged', 'rejected')),
    commit_id          text        NOT NULL,
    base_revision_id   text        NOT NULL,
    paths              text[]      NOT NULL,
    rationale          text        NULL,
    run_id             text        NULL,
    submitted_by       text        NOT NULL,
    -- The unified diff against the base, computed once when the commit is made.
    diff               text        NOT NULL,
    created_at         timestamptz NOT NULL,
    decided_at         timestamptz NULL,
    decided_by         text        NULL,
    rejection_reason   text        NULL,
    merged_revision_id text        NULL
);

-- The rate limit counts an agent's proposals of the last hour.
CREATE INDEX proposals_agent_created_at ON proposals (agent, created_at);
CREATE INDEX proposals_status_created_at ON proposals (status, created_at);
