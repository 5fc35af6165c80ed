-- Workshops run live with participants on their own devices, and the partnership's action
-- log. Times are UTC text at a fixed width (see src/db_time.rs). Participants have no
-- account: a display name and profession are optional and nothing else identifies them.

CREATE TABLE workshops (
    id               TEXT PRIMARY KEY NOT NULL,
    partnership_id   TEXT NOT NULL REFERENCES partnerships (id) ON DELETE CASCADE,
    title            TEXT NOT NULL,
    workshop_date    DATE,
    purpose          TEXT NOT NULL,
    -- The template it was made from, if any (a template id from the domain).
    template_id      TEXT,
    -- What participants type to join; unique across the deployment.
    join_code        TEXT NOT NULL UNIQUE,
    -- draft, running or closed; the current item's position while running.
    phase            TEXT NOT NULL,
    current_position INTEGER,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL
);
CREATE INDEX workshops_by_partnership ON workshops (partnership_id, created_at);

-- The agenda, in position order (0-based). Options are one per line.
CREATE TABLE workshop_items (
    id                TEXT PRIMARY KEY NOT NULL,
    workshop_id       TEXT NOT NULL REFERENCES workshops (id) ON DELETE CASCADE,
    position          INTEGER NOT NULL,
    kind              TEXT NOT NULL,
    reference         TEXT,
    title             TEXT NOT NULL,
    answer            TEXT NOT NULL,
    options           TEXT NOT NULL,
    votes             INTEGER NOT NULL,
    minutes           INTEGER NOT NULL,
    facilitator_notes TEXT NOT NULL,
    locked            BOOLEAN NOT NULL
);
CREATE INDEX workshop_items_by_workshop ON workshop_items (workshop_id, position);

CREATE TABLE workshop_participants (
    id           TEXT PRIMARY KEY NOT NULL,
    workshop_id  TEXT NOT NULL REFERENCES workshops (id) ON DELETE CASCADE,
    display_name TEXT,
    profession   TEXT,
    joined_at    TEXT NOT NULL
);
CREATE INDEX workshop_participants_by_workshop ON workshop_participants (workshop_id);

-- Groups of notes on one item, named by the facilitator.
CREATE TABLE workshop_clusters (
    id          TEXT PRIMARY KEY NOT NULL,
    workshop_id TEXT NOT NULL REFERENCES workshops (id) ON DELETE CASCADE,
    item_id     TEXT NOT NULL REFERENCES workshop_items (id) ON DELETE CASCADE,
    name        TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    UNIQUE (item_id, name)
);

-- A participant's note, choice (option position) or rating; hidden by the facilitator if
-- inappropriate (kept for the record, never shown to participants).
CREATE TABLE workshop_answers (
    id             TEXT PRIMARY KEY NOT NULL,
    workshop_id    TEXT NOT NULL REFERENCES workshops (id) ON DELETE CASCADE,
    item_id        TEXT NOT NULL REFERENCES workshop_items (id) ON DELETE CASCADE,
    participant_id TEXT NOT NULL REFERENCES workshop_participants (id) ON DELETE CASCADE,
    kind           TEXT NOT NULL,
    value          TEXT NOT NULL,
    hidden         BOOLEAN NOT NULL,
    cluster_id     TEXT REFERENCES workshop_clusters (id) ON DELETE SET NULL,
    created_at     TEXT NOT NULL
);
CREATE INDEX workshop_answers_by_workshop ON workshop_answers (workshop_id, created_at);
CREATE INDEX workshop_answers_by_participant ON workshop_answers (participant_id, created_at);

-- One dot of a dot-vote: on an option (its position) or on a note (the answer's id).
CREATE TABLE workshop_votes (
    id             TEXT PRIMARY KEY NOT NULL,
    workshop_id    TEXT NOT NULL REFERENCES workshops (id) ON DELETE CASCADE,
    item_id        TEXT NOT NULL REFERENCES workshop_items (id) ON DELETE CASCADE,
    participant_id TEXT NOT NULL REFERENCES workshop_participants (id) ON DELETE CASCADE,
    target         TEXT NOT NULL,
    created_at     TEXT NOT NULL
);
CREATE INDEX workshop_votes_by_workshop ON workshop_votes (workshop_id);
CREATE INDEX workshop_votes_by_participant ON workshop_votes (participant_id, created_at);

CREATE TABLE workshop_decisions (
    id          TEXT PRIMARY KEY NOT NULL,
    workshop_id TEXT NOT NULL REFERENCES workshops (id) ON DELETE CASCADE,
    text        TEXT NOT NULL,
    created_at  TEXT NOT NULL
);
CREATE INDEX workshop_decisions_by_workshop ON workshop_decisions (workshop_id, created_at);

-- The partnership's action log, spanning all workshops. An action may come from a workshop
-- (kept if the workshop is deleted) or stand alone; other records may link to it by id.
CREATE TABLE actions (
    id             TEXT PRIMARY KEY NOT NULL,
    partnership_id TEXT NOT NULL REFERENCES partnerships (id) ON DELETE CASCADE,
    workshop_id    TEXT REFERENCES workshops (id) ON DELETE SET NULL,
    what           TEXT NOT NULL,
    owner          TEXT NOT NULL,
    due            DATE,
    status         TEXT NOT NULL,
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL
);
CREATE INDEX actions_by_partnership ON actions (partnership_id, created_at);
