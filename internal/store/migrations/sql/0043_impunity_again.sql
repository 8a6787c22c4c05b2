-- Until this migration, PostgreSQL's bulk import (COPY) wrote no impunity
-- row for the murders it imported (BENCHMARKS.md, "Why PostgreSQL counted
-- 0 murders"), so a store loaded that way counted none of them in the
-- impunity figures. The table is derived data: it is emptied here and the
-- Go step impunity_again fills it again from every incident and judicial
-- step, as migration 0036 first did.
DELETE FROM impunity;
