-- Words leave the search vocabulary when the text that brought them is
-- sealed and purged from the history (PruneVocab in vocab.go). FTS5's
-- secure-delete option makes a deletion from the vocabulary's own index
-- remove the word from the index pages at once, rather than leave it there
-- marked deleted until a merge. Setting it again changes nothing.
INSERT INTO search_vocab_fts (search_vocab_fts, rank) VALUES ('secure-delete', 1);
