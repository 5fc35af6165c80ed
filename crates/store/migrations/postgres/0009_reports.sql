-- Report packs (issue 16): the packs a partnership defines, and every pack it has made as a
-- dated snapshot that never changes, so that what a board saw can be opened again later.

-- A pack definition: which sections, in which order, under which title. The name is unique
-- within the partnership, compared without regard to case (name_folded).
CREATE TABLE report_packs (
    id             TEXT PRIMARY KEY NOT NULL,
    partnership_id TEXT NOT NULL REFERENCES partnerships (id) ON DELETE CASCADE,
    name           TEXT NOT NULL,
    name_folded    TEXT NOT NULL,
    title          TEXT NOT NULL,
    author         TEXT NOT NULL,
    introduction   TEXT NOT NULL,
    -- Section ids in the chosen order, separated by commas (ids never contain one).
    sections       TEXT NOT NULL,
    created_at     TIMESTAMPTZ NOT NULL,
    updated_at     TIMESTAMPTZ NOT NULL,
    UNIQUE (partnership_id, name_folded)
);

-- A pack as made on a day: the document it was made from (JSON) and its files. Kept when
-- the definition is later changed or removed. The maker is not a foreign key, so that
-- deleting their account keeps the record.
CREATE TABLE report_snapshots (
    id             TEXT PRIMARY KEY NOT NULL,
    partnership_id TEXT NOT NULL REFERENCES partnerships (id) ON DELETE CASCADE,
    pack_name      TEXT NOT NULL,
    title          TEXT NOT NULL,
    document       TEXT NOT NULL,
    made_by        TEXT,
    made_at        TIMESTAMPTZ NOT NULL
);
CREATE INDEX report_snapshots_by_partnership ON report_snapshots (partnership_id, made_at);

-- One file of a snapshot: pdf, docx, xlsx or slides (a zip of PNG and SVG images).
CREATE TABLE report_snapshot_files (
    snapshot_id TEXT NOT NULL REFERENCES report_snapshots (id) ON DELETE CASCADE,
    format      TEXT NOT NULL,
    content     BYTEA NOT NULL,
    PRIMARY KEY (snapshot_id, format)
);
