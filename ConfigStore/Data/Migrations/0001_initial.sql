-- The audit log: every sync, failed validation, proposal, approval, rejection and status change is one row.
-- Written by ConfigStore only; read by GET /api/audit.
CREATE TABLE audit_log (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    occurred_at timestamptz NOT NULL DEFAULT now(),
    type        text        NOT NULL,
    agent       text        NULL,
    actor       text        NOT NULL,
    revision_id text        NULL,
    detail      jsonb       NOT NULL DEFAULT '{}'::jsonb
);

CREATE INDEX audit_log_occurred_at ON audit_log (occurred_at);
CREATE INDEX audit_log_type_occurred_at ON audit_log (type, occurred_at);
CREATE INDEX audit_log_agent_occurred_at ON audit_log (agent, occurred_at) WHERE agent IS NOT NULL;
