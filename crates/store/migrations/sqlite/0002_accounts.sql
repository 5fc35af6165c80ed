-- Accounts, who belongs to which partnership, and the records that keep sign-in safe.
-- Times are UTC text at a fixed width (see src/db_time.rs), so that comparing them as
-- text in SQL orders them correctly.

-- People with an account. Emails arrive trimmed and lower-cased, so UNIQUE means one
-- account per person. A missing password hash means the first sign-in link is unused.
CREATE TABLE users (
    id            TEXT PRIMARY KEY NOT NULL,
    email         TEXT NOT NULL UNIQUE,
    display_name  TEXT NOT NULL,
    password_hash TEXT,
    is_site_admin BOOLEAN NOT NULL DEFAULT FALSE,
    -- Raised to end every session at once (sign out everywhere, new password).
    session_epoch INTEGER NOT NULL DEFAULT 0,
    created_at    TEXT NOT NULL
);

-- A person's role in a partnership.
CREATE TABLE memberships (
    partnership_id TEXT NOT NULL REFERENCES partnerships (id) ON DELETE CASCADE,
    user_id        TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role           TEXT NOT NULL CHECK (role IN ('viewer', 'contributor', 'facilitator', 'owner')),
    created_at     TEXT NOT NULL,
    PRIMARY KEY (partnership_id, user_id)
);
CREATE INDEX memberships_by_user ON memberships (user_id);

-- Invitations to join a partnership. Only a hash of the emailed token is kept. The
-- inviter is not a foreign key, so that deleting their account keeps the record.
CREATE TABLE invitations (
    id             TEXT PRIMARY KEY NOT NULL,
    partnership_id TEXT NOT NULL REFERENCES partnerships (id) ON DELETE CASCADE,
    email          TEXT NOT NULL,
    role           TEXT NOT NULL CHECK (role IN ('viewer', 'contributor', 'facilitator', 'owner')),
    token_hash     TEXT NOT NULL UNIQUE,
    invited_by     TEXT,
    created_at     TEXT NOT NULL,
    expires_at     TEXT NOT NULL,
    accepted_at    TEXT,
    accepted_by    TEXT,
    revoked_at     TEXT
);
CREATE INDEX invitations_by_partnership ON invitations (partnership_id);
CREATE INDEX invitations_by_email ON invitations (email);

-- Password reset and first sign-in links, single use, kept as hashes.
CREATE TABLE password_resets (
    token_hash TEXT PRIMARY KEY NOT NULL,
    user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at    TEXT
);
CREATE INDEX password_resets_by_user ON password_resets (user_id);

-- Browser sessions. `id` is an opaque key chosen by the web layer; `data` is JSON.
CREATE TABLE sessions (
    id         TEXT PRIMARY KEY NOT NULL,
    data       TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    user_id    TEXT
);
CREATE INDEX sessions_by_user ON sessions (user_id);
CREATE INDEX sessions_by_expiry ON sessions (expires_at);

-- Failed sign-ins, by key ("account:…", "address:…"), for throttling.
CREATE TABLE sign_in_failures (
    key       TEXT NOT NULL,
    failed_at TEXT NOT NULL
);
CREATE INDEX sign_in_failures_by_key ON sign_in_failures (key, failed_at);

-- Who changed what in a partnership. No foreign keys: the log outlives the partnership,
-- the actor's account and the changed record. Append-only, enforced below.
CREATE TABLE audit_log (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    partnership_id TEXT NOT NULL,
    at             TEXT NOT NULL,
    actor_user_id  TEXT,
    action         TEXT NOT NULL,
    entity         TEXT NOT NULL,
    entity_id      TEXT NOT NULL,
    before_json    TEXT,
    after_json     TEXT
);
CREATE INDEX audit_log_by_partnership ON audit_log (partnership_id, id);
CREATE INDEX audit_log_by_actor ON audit_log (actor_user_id);

CREATE TRIGGER audit_log_refuses_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;

CREATE TRIGGER audit_log_refuses_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;
