-- A person's date of death (package kinds: the field date_of_death), for
-- a person whose status is deceased.
ALTER TABLE persons ADD COLUMN date_of_death TEXT NOT NULL DEFAULT '';
