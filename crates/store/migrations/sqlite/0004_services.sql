-- A partnership's map of local services (toolkit part 5). Multi-value fields hold
-- vocabulary ids separated by ';': they are always read with their service and counted in
-- the domain, never queried on their own.
CREATE TABLE services (
    id                         TEXT PRIMARY KEY NOT NULL,
    partnership_id             TEXT NOT NULL REFERENCES partnerships (id) ON DELETE CASCADE,
    -- The partnership's own key, as typed, and lower-cased for matching on re-import.
    service_key                TEXT NOT NULL,
    key_folded                 TEXT NOT NULL,
    name                       TEXT NOT NULL,
    provider                   TEXT NOT NULL,
    sector                     TEXT NOT NULL,
    tier                       TEXT NOT NULL,
    age_bands                  TEXT NOT NULL,
    levels                     TEXT NOT NULL,
    elements                   TEXT NOT NULL,
    works_with_relationship    BOOLEAN NOT NULL,
    areas                      TEXT NOT NULL,
    eligibility                TEXT NOT NULL,
    referral_from              TEXT NOT NULL,
    capacity_families_per_year INTEGER,
    funding_end                DATE,
    created_at                 TEXT NOT NULL,
    updated_at                 TEXT NOT NULL,
    UNIQUE (partnership_id, key_folded)
);
