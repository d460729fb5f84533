-- Revisions: one row per commit of the tracked branch, written with its files, its outbox row and its audit row
-- in one transaction by the sync.
CREATE TABLE revisions (
    id                text        PRIMARY KEY,
    -- The order revisions were stored in (oldest first): the sync stores commits in topological order.
    seq               bigint      GENERATED ALWAYS AS IDENTITY UNIQUE,
    parent_id         text        NULL,
    author            text        NOT NULL,
    author_email      text        NOT NULL,
    message           text        NOT NULL,
    committed_at      timestamptz NOT NULL,
    synced_at         timestamptz NOT NULL DEFAULT now(),
    status            text        NOT NULL CHECK (status IN ('valid', 'invalid', 'rolled-back')),
    checksum          text        NOT NULL,
    plugin_count      integer     NOT NULL,
    error_count       integer     NOT NULL,
    warning_count     integer     NOT NULL,
    diagnostics       jsonb       NOT NULL,
    -- text, not jsonb: jsonb reorders keys, and the snapshot's bytes are checksummed and served as they are.
    snapshot          text        NOT NULL,
    snapshot_checksum text        NOT NULL
);

CREATE INDEX revisions_status_seq ON revisions (status, seq);

-- Every distinct file content once, whatever the number of revisions and paths that hold it.
CREATE TABLE file_contents (
    hash    text  PRIMARY KEY,
    size    integer NOT NULL,
    content bytea NOT NULL
);

CREATE TABLE revision_files (
    revision_id text    NOT NULL REFERENCES revisions (id) ON DELETE CASCADE,
    path        text    NOT NULL,
    hash        text    NOT NULL REFERENCES file_contents (hash),
    is_symlink  boolean NOT NULL DEFAULT false,
    PRIMARY KEY (revision_id, path)
);

CREATE INDEX revision_files_hash ON revision_files (hash);

-- Events still to publish on Redis: a row is written with its revision and marked once Redis accepted it.
CREATE TABLE revision_outbox (
    id           bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    revision_id  text        NOT NULL REFERENCES revisions (id) ON DELETE CASCADE,
    created_at   timestamptz NOT NULL DEFAULT now(),
    published_at timestamptz NULL,
    attempts     integer     NOT NULL DEFAULT 0
);

CREATE INDEX revision_outbox_pending ON revision_outbox (id) WHERE published_at IS NULL;
