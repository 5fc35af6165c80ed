-- Local indicators a partnership has imported from OHID's Fingertips tool (part 7), each
-- figure with its confidence limits and where it came from; and site-wide geography
-- lookups for rolling figures up to larger areas.

-- One imported indicator file and where it came from. The importer is not a foreign key,
-- so that deleting their account keeps the record of who brought the figures in.
CREATE TABLE indicator_imports (
    id             TEXT PRIMARY KEY,
    partnership_id TEXT NOT NULL REFERENCES partnerships (id) ON DELETE CASCADE,
    file_name      TEXT NOT NULL,
    publisher      TEXT NOT NULL,
    edition        TEXT NOT NULL,
    -- The first year of the latest period in the file.
    year           INTEGER,
    imported_by    TEXT,
    imported_at    TIMESTAMPTZ NOT NULL
);
CREATE INDEX indicator_imports_by_partnership ON indicator_imports (partnership_id, imported_at);

-- Every figure in an imported file (the nation's rows give the comparison), numbered by
-- the row it was read from.
CREATE TABLE indicator_values (
    import_id          TEXT NOT NULL REFERENCES indicator_imports (id) ON DELETE CASCADE,
    row_number         BIGINT NOT NULL,
    indicator_id       BIGINT NOT NULL,
    indicator_name     TEXT NOT NULL,
    area_code          TEXT NOT NULL,
    area_name          TEXT NOT NULL,
    area_type          TEXT NOT NULL,
    sex                TEXT NOT NULL,
    age                TEXT NOT NULL,
    category_type      TEXT,
    category           TEXT,
    period             TEXT NOT NULL,
    period_order       BIGINT NOT NULL,
    value              DOUBLE PRECISION,
    lower_95           DOUBLE PRECISION,
    upper_95           DOUBLE PRECISION,
    lower_99_8         DOUBLE PRECISION,
    upper_99_8         DOUBLE PRECISION,
    count              DOUBLE PRECISION,
    denominator        DOUBLE PRECISION,
    value_note         TEXT,
    compared_to_nation TEXT,
    PRIMARY KEY (import_id, row_number)
);
CREATE INDEX indicator_values_by_area ON indicator_values (import_id, area_code);

-- Official geography lookups (area code -> name, kind and the larger area it sits in),
-- site-wide, imported by a site administrator, so that figures roll up from local
-- authority to region, integrated care board, health board and nation. Where lookups
-- disagree about the same child and kind of parent, the newest wins.
CREATE TABLE geography_lookups (
    id          TEXT PRIMARY KEY,
    file_name   TEXT NOT NULL,
    layout      TEXT NOT NULL,
    imported_by TEXT,
    imported_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE geography_links (
    lookup_id   TEXT NOT NULL REFERENCES geography_lookups (id) ON DELETE CASCADE,
    child_code  TEXT NOT NULL,
    child_name  TEXT NOT NULL,
    child_kind  TEXT,
    parent_code TEXT,
    parent_name TEXT,
    parent_kind TEXT,
    PRIMARY KEY (lookup_id, child_code)
);
CREATE INDEX geography_links_by_child ON geography_links (child_code);
CREATE INDEX geography_links_by_parent ON geography_links (parent_code);
