-- The person a protection case, a threat or a hit-list entry names is a
-- sealed field from now on (docs/protection.md, "The records"): it is kept
-- in the record's sealed group, and its column holds '' ('[]' for a
-- threat's persons). The indexes that found records by it go: they would
-- index only empty values, and a lookup opens the sealed groups instead.
--
-- The persons stored before cannot be moved here: sealing needs the
-- protection compartment's key, which only a member's password opens and
-- no migration holds. The first process given a member's key moves them
-- (store.Cases.SealLinks: the first write or lookup of these records by a
-- member, or 'rasd keys seal-records'), purging them from the history.
DROP INDEX IF EXISTS protection_cases_person;
DROP INDEX IF EXISTS hit_list_entries_person;
