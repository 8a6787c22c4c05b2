-- An incident's place_derived: its governorate (and district) were found
-- from its coordinates, not written (docs/places.md).
ALTER TABLE incidents ADD COLUMN place_derived BOOLEAN NOT NULL DEFAULT {{false}};
