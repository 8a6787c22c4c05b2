-- The probable duplicates found (docs/duplicates.md, "The queue"), so that
-- the review queue reads a page of them instead of scoring every pair at
-- each load. Only the two incidents and the score: the reasons are said
-- again from the incidents as the reader sees them, so the table holds no
-- name. Pairs of internal and public incidents only (restricted ones are
-- never compared); a write of an incident deletes its pairs in its
-- transaction, and saving it, an import's check and `rasd duplicates`
-- write them again. Each pair once, its incidents in store.PairKey's order.
CREATE TABLE duplicate_pairs (
	a_rid {{bigint}} NOT NULL REFERENCES incidents (rid) ON DELETE CASCADE,
	b_rid {{bigint}} NOT NULL REFERENCES incidents (rid) ON DELETE CASCADE,
	score {{real}} NOT NULL,
	PRIMARY KEY (a_rid, b_rid)
);
CREATE INDEX duplicate_pairs_b ON duplicate_pairs (b_rid);
CREATE INDEX duplicate_pairs_score ON duplicate_pairs (score);
