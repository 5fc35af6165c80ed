-- Partnerships: a local area's shared space in Cradle.
CREATE TABLE partnerships (
    id          TEXT PRIMARY KEY NOT NULL,
    name        TEXT NOT NULL,
    nation      TEXT NOT NULL CHECK (nation IN ('england', 'scotland', 'wales', 'northern-ireland')),
    description TEXT NOT NULL DEFAULT '',
    is_demo     BOOLEAN NOT NULL DEFAULT FALSE,
    created_at  TEXT NOT NULL
);

-- The official (GSS) area codes a partnership covers.
CREATE TABLE partnership_areas (
    partnership_id TEXT NOT NULL REFERENCES partnerships (id) ON DELETE CASCADE,
    area_code      TEXT NOT NULL,
    PRIMARY KEY (partnership_id, area_code)
);

-- One-off facts about this deployment, such as whether the demo partnership was loaded.
CREATE TABLE deployment_settings (
    key   TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
);
