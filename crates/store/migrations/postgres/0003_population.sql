-- Population files imported by a partnership, and the partnership's own figures in place of
-- published prevalence rates, for need estimates (part 7).

-- One imported population file and where it came from. The importer is not a foreign key,
-- so that deleting their account keeps the record of who brought the figures in.
CREATE TABLE population_imports (
    id             TEXT PRIMARY KEY,
    partnership_id TEXT NOT NULL REFERENCES partnerships (id) ON DELETE CASCADE,
    file_name      TEXT NOT NULL,
    publisher      TEXT NOT NULL,
    edition        TEXT NOT NULL,
    year           INTEGER,
    layout         TEXT NOT NULL,
    imported_by    TEXT,
    imported_at    TIMESTAMPTZ NOT NULL
);
CREATE INDEX population_imports_by_partnership ON population_imports (partnership_id, imported_at);

-- Every area in an imported file (all of them: the nation's own rows give the national
-- comparison), with any reason its figures should be checked before use.
CREATE TABLE population_areas (
    import_id  TEXT NOT NULL REFERENCES population_imports (id) ON DELETE CASCADE,
    area_code  TEXT NOT NULL,
    name       TEXT NOT NULL,
    suspect    TEXT,
    PRIMARY KEY (import_id, area_code)
);

-- People of each single year of age (90 meaning 90 and over) in each area of a file.
CREATE TABLE population_counts (
    import_id  TEXT NOT NULL,
    area_code  TEXT NOT NULL,
    age        INTEGER NOT NULL CHECK (age BETWEEN 0 AND 90),
    people     BIGINT NOT NULL CHECK (people >= 0),
    PRIMARY KEY (import_id, area_code, age),
    FOREIGN KEY (import_id, area_code) REFERENCES population_areas (import_id, area_code) ON DELETE CASCADE
);

-- A partnership's own rate for a prevalence assumption, for one area or ('' in area_scope)
-- all its areas. One per assumption and scope: setting it again replaces it.
CREATE TABLE need_overrides (
    id             TEXT PRIMARY KEY,
    partnership_id TEXT NOT NULL REFERENCES partnerships (id) ON DELETE CASCADE,
    assumption_id  TEXT NOT NULL,
    area_scope     TEXT NOT NULL,
    low            DOUBLE PRECISION NOT NULL,
    central        DOUBLE PRECISION NOT NULL,
    high           DOUBLE PRECISION NOT NULL,
    per            INTEGER NOT NULL CHECK (per > 0),
    reason         TEXT NOT NULL,
    made_by        TEXT,
    made_at        TIMESTAMPTZ NOT NULL,
    UNIQUE (partnership_id, assumption_id, area_scope)
);
