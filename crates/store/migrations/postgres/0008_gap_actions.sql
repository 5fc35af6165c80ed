-- Which action in the partnership's log answers a gap in its gap register. A gap is named by
-- a key: `finding:<id>` for a gap or risk a walk-through recorded, `coverage:<wording>` for
-- one the coverage rules find (those are derived from the service map each time, so their
-- wording is what stays the same).
CREATE TABLE gap_actions (
    partnership_id TEXT NOT NULL REFERENCES partnerships (id) ON DELETE CASCADE,
    gap_key        TEXT NOT NULL,
    action_id      TEXT NOT NULL REFERENCES actions (id) ON DELETE CASCADE,
    PRIMARY KEY (partnership_id, gap_key)
);
