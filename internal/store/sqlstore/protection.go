package sqlstore

// The kinds of people at risk (docs/protection.md) are verified, purged
// and scrubbed like every other kind table (kinds_more.go).
func init() {
	addKind(threatTable)
	addKind(hitListTable)
	addKind(hitEntryTable)
	addKind(caseTable)
	addKind(assessmentTable)
	addKind(measureTable)
	addKind(moveTable)
	addKind(checkInTable)
}
