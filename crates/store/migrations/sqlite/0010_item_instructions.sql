-- What participants are asked to do for an agenda item, in the facilitator's words; empty
-- means the default for the item's kind and answer.
ALTER TABLE workshop_items ADD COLUMN instruction TEXT NOT NULL DEFAULT '';
