// Package storetest is the contract every rasd store must meet. Each
// backend's tests call Run with a function that opens a fresh, empty store.
package storetest

import (
	"context"
	"database/sql"
	"strings"
	"testing"

	"github.com/rasd-project/rasd/internal/store"
)

// AuditKey is the audit MAC key the factory must open stores with.
var AuditKey = []byte("storetest audit key, 32 bytes!!!")

// Opened is a fresh store and its underlying SQL pool (for tamper tests).
type Opened struct {
	Store store.Store
	SQL   *sql.DB
	// SearchDumps print what the backend's search index holds, without
	// row identifiers (each backend keeps it its own way).
	SearchDumps []string
	// Reopen opens another store over the same database with AuditKey,
	// running any migration the database lacks (for upgrade tests).
	Reopen func() (store.Store, error)
}

// Run runs the whole contract against stores made by open.
func Run(t *testing.T, open func(t *testing.T) Opened) { run(t, open, nil) }

// RunOnly runs the contract's tests that keep(name) selects: a backend's
// variant of one path (say, its searches forced through another index)
// need not repeat the rest.
func RunOnly(t *testing.T, open func(t *testing.T) Opened, keep func(name string) bool) {
	run(t, open, keep)
}

func run(t *testing.T, open func(t *testing.T) Opened, keep func(name string) bool) {
	ctx := context.Background()
	tests := []struct {
		name string
		fn   func(*testing.T, context.Context, Opened)
	}{
		{"CreateAndGet", testCreateAndGet},
		{"UpdateKeepsHistory", testUpdateKeepsHistory},
		{"StaleUpdateConflicts", testStaleUpdate},
		{"NotFound", testNotFound},
		{"SearchArabicNormalised", testSearchArabic},
		{"SearchEnglishStemAndPrefix", testSearchEnglish},
		{"SearchHostileQuery", testSearchHostile},
		{"SearchLimits", testSearchLimits},
		{"SearchPersons", testSearchPersons},
		{"SearchWhatPeopleType", testSearchWhatPeopleType},
		{"PersonMerge", testPersonMerge},
		{"ImportUpsert", testImportUpsert},
		{"ImportAllOrNothing", testImportAllOrNothing},
		{"ImportEachAllOrNothing", testImportEachAllOrNothing},
		{"ImportCommitment", testImportCommitment},
		{"ImportSealPurges", testImportSealPurges},
		{"AuditTamperImportRoot", testImportRootChecked},
		{"RecordTamperImportRecord", importTamper(false, editImported)},
		{"RecordTamperImportDelete", importTamper(false, deleteImported)},
		{"RecordTamperImportDigest", importTamper(false, editImportDigest)},
		{"RecordTamperImportDropRow", importTamper(false, dropImportRow)},
		{"RecordTamperImportVersion1", importTamper(true, editImportedVersion)},
		{"RecordTamperImportChanged", importTamper(true, editImported)},
		{"OrganisationsSourcesInformation", testOrgsSources},
		{"SourceAndInformationTogether", testSourceInformation},
		{"ListIncidents", testListIncidents},
		{"ListPersonsOrganisations", testListPersonsOrgs},
		{"ListWhere", testListWhere},
		{"StatsCountingRules", testStats},
		{"StatsFollowWrites", testStatsFollowWrites},
		{"StatsCells", testStatsCells},
		{"StatsReader", testStatsReader},
		{"Accounts", testAccounts},
		{"Evidence", testEvidence},
		{"KeyEvidenceHash", testKeyEvidenceHash},
		{"ChangePassword", testChangePassword},
		{"UpdateUserEndSessions", testUpdateUserEndSessions},
		{"RecoveryCodeOnce", testRecoveryCodeOnce},
		{"LoginAttempts", testLoginAttempts},
		{"LoginAttemptsParallel", testLoginAttemptsParallel},
		{"AuditChainVerifies", testAuditVerifies},
		{"KeysStore", testKeysStore},
		{"KeyHierarchy", testKeyHierarchy},
		{"KeyTamper", testKeyTamper},
		{"AuthorityTamperAccounts", testAccountTamper},
		{"AuthorityTamperSessions", testSessionTamper},
		{"AuthorityTamperMembership", testMembershipTamper},
		{"AuthorityKeptByLegitimateWrites", testAuthorityWrites},
		{"AuthorityUpgrade", testAuthorityUpgrade},
		{"RecoveryAudited", testLogRecovery},
		{"SealPurgesHistory", testSealPurgesHistory},
		{"SealPurgeRollsBack", testSealPurgeRollsBack},
		{"PurgeHistoryOfSealed", testPurgeHistoryOfSealed},
		{"SealedEverywhere", testSealedEverywhere},
		{"SealedInformation", testSealedInformation},
		{"SealInformationLater", testSealInformationLater},
		{"SealInformationRace", testSealInformationRace},
		{"SealedSaidTamper", testSealedSaidTamper},
		{"SealedRecordRotated", testSealedRotated},
		{"SealedLinks", testSealedLinks},
		{"AuditTamperEdit", tamper(editEntry)},
		{"AuditTamperDelete", tamper(deleteEntry)},
		{"AuditTamperReorder", tamper(reorderEntries)},
		{"AuditTamperTruncate", tamper(truncateLog)},
		{"AuditTamperReseal", tamper(rewriteAndRechain)},
		{"RecordTamperRow", recordTamper(editRow)},
		{"RecordTamperHistory", recordTamper(editHistory)},
		{"AuditRollback", testRollback},
		{"AuditKeptCheckpoint", testKeptCheckpoint},
		{"AuditForgedAppend", testForgedAppend},
		{"DigestLikeColumns", testDigestLikeColumns},
		{"Accountability", testAccountability},
		{"CommitmentTotals", testCommitmentTotals},
		{"DuplicateBlocking", testBlocking},
		{"DuplicateVictimSealed", testVictimNamesSealed},
		{"DuplicatePairs", testDuplicatePairs},
	}
	// Tests that change the database behind the store's back and check
	// verify themselves; after every other, all the store wrote must
	// verify: chain, history and records (sweep). A test that forges
	// records puts them back if it can, so that the sweep checks all;
	// one that cannot says so (leaveForged), and the sweep wants them named.
	tampers := map[string]bool{"KeyTamper": true, "KeyHierarchy": true, "AuditRollback": true, "AuditKeptCheckpoint": true, "AuditForgedAppend": true,
		"SealedRecordRotated": true}
	for _, tc := range tests {
		if keep != nil && !keep(tc.name) {
			continue
		}
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel() // each gets a store of its own
			o := open(t)
			t.Cleanup(func() { o.Store.Close() })
			tc.fn(t, ctx, o)
			if t.Failed() || tampers[tc.name] || strings.HasPrefix(tc.name, "AuditTamper") || strings.HasPrefix(tc.name, "RecordTamper") {
				return
			}
			sweep(t, ctx, o.Store)
		})
	}
	for name, fn := range map[string]func(*testing.T, context.Context, func(*testing.T) Opened){
		"ImportChunkedAsOneByOne": testImportChunked, "ImportEachAsSlice": testImportEach} {
		if keep != nil && !keep(name) {
			continue
		}
		t.Run(name, func(t *testing.T) { t.Parallel(); fn(t, ctx, open) })
	}
}
