-- The local system (toolkit parts 4 and 5): whole-system self-assessment rounds rated by
-- many partners, a partnership's own scenarios, scenario walk-throughs and the gaps they
-- find. Times are TIMESTAMPTZ.

-- A self-assessment round. Characteristic ids (from the content) are joined by ';'. A
-- round open to anyone with its link keeps only the hash of the link's token.
CREATE TABLE assessment_rounds (
    id              TEXT PRIMARY KEY,
    partnership_id  TEXT NOT NULL REFERENCES partnerships (id) ON DELETE CASCADE,
    title           TEXT NOT NULL,
    characteristics TEXT NOT NULL,
    min_raters      BIGINT NOT NULL CHECK (min_raters >= 3),
    scope           TEXT NOT NULL CHECK (scope IN ('members', 'link')),
    anonymous       BOOLEAN NOT NULL,
    link_token_hash TEXT UNIQUE,
    opened_by       TEXT,
    opened_at       TIMESTAMPTZ NOT NULL,
    closed_at       TIMESTAMPTZ
);
CREATE INDEX assessment_rounds_by_partnership ON assessment_rounds (partnership_id);

-- One rater's answers to a round. `rater_key` lets a member change their answers (their
-- account id, or a hash of it when the round is anonymous); a link rater gets a random
-- one. `user_id` and `rater_name` are kept only when the round is not anonymous.
CREATE TABLE assessment_responses (
    id           TEXT PRIMARY KEY,
    round_id     TEXT NOT NULL REFERENCES assessment_rounds (id) ON DELETE CASCADE,
    rater_key    TEXT NOT NULL,
    user_id      TEXT REFERENCES users (id) ON DELETE SET NULL,
    rater_name   TEXT NOT NULL,
    sector       TEXT NOT NULL,
    submitted_at TIMESTAMPTZ NOT NULL,
    UNIQUE (round_id, rater_key)
);

CREATE TABLE assessment_answers (
    response_id    TEXT NOT NULL REFERENCES assessment_responses (id) ON DELETE CASCADE,
    characteristic TEXT NOT NULL,
    level          TEXT NOT NULL CHECK (level IN ('emerging', 'developing', 'established', 'embedded')),
    evidence       TEXT NOT NULL,
    PRIMARY KEY (response_id, characteristic)
);

-- A scenario written by a partnership, beside the national ones in the content.
CREATE TABLE local_scenarios (
    id             TEXT PRIMARY KEY,
    partnership_id TEXT NOT NULL REFERENCES partnerships (id) ON DELETE CASCADE,
    title          TEXT NOT NULL,
    age            TEXT NOT NULL,
    need           TEXT NOT NULL,
    family         TEXT NOT NULL,
    situation      TEXT NOT NULL,
    created_at     TIMESTAMPTZ NOT NULL,
    updated_at     TIMESTAMPTZ NOT NULL
);
CREATE INDEX local_scenarios_by_partnership ON local_scenarios (partnership_id);

-- What would happen in the area if a scenario happened there. `scenario_id` is a content
-- id when `scenario_kind` is 'national', a local_scenarios id when 'local'.
CREATE TABLE walkthroughs (
    id                TEXT PRIMARY KEY,
    partnership_id    TEXT NOT NULL REFERENCES partnerships (id) ON DELETE CASCADE,
    scenario_kind     TEXT NOT NULL CHECK (scenario_kind IN ('national', 'local')),
    scenario_id       TEXT NOT NULL,
    scenario_title    TEXT NOT NULL,
    who_would_notice  TEXT NOT NULL,
    family_experience TEXT NOT NULL,
    created_at        TIMESTAMPTZ NOT NULL,
    updated_at        TIMESTAMPTZ NOT NULL
);
CREATE INDEX walkthroughs_by_partnership ON walkthroughs (partnership_id);

-- At each ecological level: the services that would respond (service ids joined by ';',
-- read with the map so a removed service drops out) and when.
CREATE TABLE walkthrough_levels (
    walkthrough_id TEXT NOT NULL REFERENCES walkthroughs (id) ON DELETE CASCADE,
    level          TEXT NOT NULL,
    service_ids    TEXT NOT NULL,
    timing         TEXT NOT NULL,
    PRIMARY KEY (walkthrough_id, level)
);

-- Gaps and risks a walk-through found, for the gap register (actions taken on them are in
-- gap_actions).
CREATE TABLE walkthrough_gaps (
    id             TEXT PRIMARY KEY,
    partnership_id TEXT NOT NULL REFERENCES partnerships (id) ON DELETE CASCADE,
    walkthrough_id TEXT NOT NULL REFERENCES walkthroughs (id) ON DELETE CASCADE,
    kind           TEXT NOT NULL CHECK (kind IN ('gap', 'risk')),
    position       BIGINT NOT NULL,
    description    TEXT NOT NULL
);
CREATE INDEX walkthrough_gaps_by_partnership ON walkthrough_gaps (partnership_id);
