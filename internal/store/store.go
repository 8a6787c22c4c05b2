// Package store defines how rasd keeps its records. One interface, Store,
// has two implementations sharing one SQL core (package sqlstore): SQLite,
// encrypted whole-file (package sqlite), and PostgreSQL (package postgres).
// The contract tests in package storetest run against both.
package store

import (
	"context"
	"errors"
	"time"

	"github.com/rasd-project/rasd/internal/audit"
	"github.com/rasd-project/rasd/internal/model"
)

// ErrNotFound is returned when no record has the given ID or code.
var ErrNotFound = errors.New("not found")

// ErrConflict is returned when a record changed since it was read: the
// caller's Version is not the stored one.
var ErrConflict = errors.New("the record was changed by someone else since you opened it: reload and apply your change again")

// ErrUnsealNeedsMember is returned when a write would make a restricted
// record whose text is sealed internal or public without a member's key
// (model.SealedText.Unseal): its sealed text would be lost.
var ErrUnsealNeedsMember = errors.New("the record is restricted and its text sealed: only a member of the protection compartment may make it internal or public (on the web, or 'rasd import --member MEMBER')")

// ErrSealNeedsMember is returned when information with text about a
// restricted incident is written without a member's key
// (model.Information.Key): its summary and its source's label are sealed
// with the incident's text.
var ErrSealNeedsMember = errors.New("the incident is restricted: what its sources said (their labels, the summaries) is sealed with its text in the protection compartment: add it as a member of that compartment")

// ErrTampered is returned when a stored row that grants authority (an
// account, a session, a public key or key wrap) fails its MAC, made with a
// key from the keyring: it was written outside rasd. The row is refused:
// treat the account or session as absent. The store has already audited
// the refusal ("refuse:tampered").
var ErrTampered = errors.New("a stored account, session or key fails its integrity check: the database was changed outside rasd " +
	"and the row is refused (the audit log records it as refuse:tampered); run 'rasd audit verify' and restore from a backup")

// Store is rasd's storage: one narrow interface per kind of record and
// per concern, composed. Domain packages ask for the narrowest they need
// (docs/architecture.md).
type Store interface {
	Incidents
	// Persons and Organisations keep the record kinds of package kinds.
	Persons() Kind[model.Person]
	Organisations() Kind[model.Organisation]
	// KindStore returns the store.Kind[T] of the record kind of package
	// kinds named name, as any (see Of); nil for a kind it does not keep.
	KindStore(name string) any
	Sources
	Accounts
	Tokens
	SheetMappings
	Counters
	Keys
	EvidenceStore
	History
	Stats
	PersonMerges
	Drafts
	Cases
	IncidentPairs
	DuplicatePairs
	CommitmentFigures
	ImpunityFigures

	// Backend names the implementation ("sqlite", "postgres").
	Backend() string
	Close() error
}

// Cases reads protection cases by their next check-in day (docs/protection.md,
// "The board"), which the store keeps beside each case.
type Cases interface {
	// CaseBoard lists the cases not closed, most urgent first: those due
	// by q.Today, the earliest due first (the most days late), then by
	// risk level; then the others, by risk level, then by due day; codes
	// break ties. It returns up to q.Limit of them (all for 0). Whoever
	// calls it must have checked that the reader is a member of the
	// protection compartment.
	CaseBoard(ctx context.Context, q BoardQuery) ([]model.ProtectionCase, error)
	// SealLinks moves into each record's sealed group, with key, the
	// Sealed fields of the kinds kept in a compartment that a record
	// still holds in its columns (a case's person, stored before it was
	// sealed: docs/protection.md, "Upgrade"), each record with a version
	// "seal" and its history purged of them, all in one transaction. It
	// says how many records it changed.
	SealLinks(ctx context.Context, actor string, key model.RecordKey) (int, error)
}

// BoardQuery asks CaseBoard for the board as of a day.
type BoardQuery struct {
	Today   string         // the UTC day, YYYY-MM-DD
	Ranks   map[string]int // risk level → its height (higher is more urgent)
	DueOnly bool           // only the cases due by Today
	Limit   int
}

// Kind keeps the records of one kind: with history and audit, its restricted
// text sealed (model.SealedText), visibility and search as package kinds
// describes it.
type Kind[T any] interface {
	// Create stores a new record, filling in its ID and Meta.
	Create(ctx context.Context, actor string, r *T) error
	// Update replaces a record; its Version must be the stored one
	// (ErrConflict). The previous version is kept in the history.
	Update(ctx context.Context, actor string, r *T) error
	Get(ctx context.Context, id string) (*T, error)
	// List returns one page of the records f selects, and how many it
	// selects in all.
	List(ctx context.Context, f ListFilter) ([]T, int, error)
	// Search finds up to limit records by their search text, newest
	// first, whoever may see them: the caller filters.
	Search(ctx context.Context, query string, limit int) ([]T, error)
}

// Incidents keeps incidents, their victims and perpetrators.
type Incidents interface {
	// CreateIncident stores a new incident with its victims (creating
	// persons given inline) and fills in ID, Code and Meta.
	CreateIncident(ctx context.Context, actor string, inc *model.Incident) error
	// UpdateIncident replaces an incident; inc.Version must be the stored
	// version. The previous version is kept in the history.
	UpdateIncident(ctx context.Context, actor string, inc *model.Incident) error
	GetIncident(ctx context.Context, id string) (*model.Incident, error)
	GetIncidentByCode(ctx context.Context, code string) (*model.Incident, error)
	// ExternalIDs maps the external IDs of the incidents imported from
	// system ("cpj") to their IDs: what an import adds beside them finds
	// them by it.
	ExternalIDs(ctx context.Context, system string) (map[string]string, error)
	// ImportIncidents stores all of incs or none: incidents whose External
	// key is already stored are updated, the others created.
	ImportIncidents(ctx context.Context, actor string, incs []model.Incident, progress func(done int)) (ImportResult, error)
	// ImportEach is ImportIncidents for records read one at a time, so
	// that a large file need not be held in memory: all of them or none.
	// n is how many there are (or an estimate: it sizes the import and its
	// progress). The store may call records more than once; each call
	// must hand over the same records again, as new values.
	ImportEach(ctx context.Context, actor string, n int, records Records, progress func(done int)) (ImportResult, error)
	// ImportEachThen is ImportEach, then runs then in the same
	// transaction once the incidents are stored: what then adds is stored
	// with them or not at all, and its error undoes the whole import.
	ImportEachThen(ctx context.Context, actor string, n int, records Records, progress func(done int), then ImportThen) (ImportResult, error)
	// SearchIncidents finds incidents whose summaries, narratives, places or
	// victims' names match every term of query, newest first.
	SearchIncidents(ctx context.Context, query string, limit int) ([]IncidentHit, error)
	// ListIncidents returns one page of the incidents f selects, and how
	// many it selects in all.
	ListIncidents(ctx context.Context, f IncidentFilter) ([]IncidentHit, int, error)
	// EachIncident calls fn with each incident f selects (Limit and
	// Offset aside), in f's order, with its perpetrators but not its
	// victims, one at a time as they are read.
	EachIncident(ctx context.Context, f IncidentFilter, fn func(*model.Incident) error) error
	// BlockedIncidents lists the internal and public incidents, not merged
	// into another, of q's governorate whose span overlaps [q.From, q.To]
	// and that hold one of q's blocking keys, latest first, each with the
	// keys it holds (docs/duplicates.md, "Blocking").
	BlockedIncidents(ctx context.Context, q BlockQuery) ([]Blocked, error)
	// VictimNames gives the compared names (model.Person.ComparedName) of
	// the victims of each of ids, in their order: what duplicate
	// detection scores victims by, without reading the incidents.
	VictimNames(ctx context.Context, ids []string) (map[string][]string, error)
	// EachBlocked calls fn with each internal and public incident not
	// merged into another, as the blocking table holds it (with its
	// perpetrator types, without keys), and its victims' compared names
	// in their order, one incident at a time.
	EachBlocked(ctx context.Context, fn func(b *Blocked, victims []string) error) error
}

// BlockQuery asks for the incidents that share a blocking key with one.
type BlockQuery struct {
	Admin1   string
	From, To string   // YYYY-MM-DD
	Keys     []string // victims' name keys (names.BlockKeys), "" (names no victim), TypeBlockKey(type)
	// Sigs, if given, holds a mask for each of Keys (names.Companions;
	// 0 for any): a row of that key is read only if its own mask shares a
	// bit with it.
	Sigs []int64
	// DayKeys are asked only of incidents whose span starts on Day
	// (YYYY-MM-DD) and of a piece starting that day.
	DayKeys []string
	Day     string
	Limit   int    // rows read; 0: 1,000
	Alike   *Alike // if set, only those
}

// Alike narrows a BlockQuery to the incidents that could pair with one
// though their dates are not alike to the day (docs/duplicates.md,
// "Blocking"): those of its type, of its district, within Km of its
// coordinates, or (Days) dated to the day.
type Alike struct {
	Type     string
	District string // "": none
	Lat, Lon *float64
	Km       float64
	Days     bool
}

// Blocked is an incident found by its blocking keys: what scores its
// date and place without reading it, and which of the keys asked it holds.
type Blocked struct {
	ID, Type string
	Date     model.Date
	Place    model.Place // admin1, district, coordinates
	Perps    []string    // perpetrator types
	Keys     []string
}

// DuplicatePairs keep the probable duplicates found (docs/duplicates.md,
// "The queue"): a write of an incident forgets its pairs, and whoever
// finds pairs writes them.
type DuplicatePairs interface {
	// ReplaceDuplicatePairs replaces every pair (rasd duplicates).
	ReplaceDuplicatePairs(ctx context.Context, pairs []ScoredPair) error
	// SetDuplicatePairsOf replaces the pairs of incident id by pairs.
	SetDuplicatePairsOf(ctx context.Context, id string, pairs []ScoredPair) error
	// ListDuplicatePairs lists the best limit pairs whose incidents v
	// sees, both merged into none and not found to be two events, and
	// whether there are more.
	ListDuplicatePairs(ctx context.Context, v Visible, limit int) (pairs []ScoredPair, more bool, err error)
}

// ScoredPair is a probable pair of incidents (IDs) and its score.
type ScoredPair struct {
	A, B  string
	Score float64
}

// TypeBlockKey is the blocking key every incident of type t holds.
func TypeBlockKey(t string) string { return "#" + t }

// CommitmentFigures counts commitments by the due day and current status
// stored with each (docs/counting.md, "Commitment figures"): days are
// YYYY-MM-DD, and a commitment is overdue when it is pending and its due
// day is before today.
type CommitmentFigures interface {
	// CommitmentCounts counts the commitments v selects, and the overdue
	// ones, by current status and visibility.
	CommitmentCounts(ctx context.Context, v Visible, today string) ([]CommitmentCount, error)
	// OverdueCommitments returns one page (limit 0: all) of the overdue
	// commitments v selects, most overdue first (by due day), then by the
	// day made, then in the order stored.
	OverdueCommitments(ctx context.Context, v Visible, today string, limit, offset int) ([]model.Commitment, error)
}

// CommitmentCount is one group of CommitmentCounts.
type CommitmentCount struct {
	Status, Visibility string
	N, Overdue         int
}

// ImpunityFigures counts the murders a query counts by country and
// impunity class, kept with every write of an incident or a judicial step
// (docs/counting.md, "Impunity figures"). Both answer ErrImpunitySlow for
// what they cannot count: victim or perpetrator filters, a grouping, a
// reader who may list some restricted judicial steps but not all.
type ImpunityFigures interface {
	// ImpunityCounts counts, in one pass, the murders q counts in country
	// ("" for all) and those index counts in every country, by country,
	// class and visibility.
	ImpunityCounts(ctx context.Context, q CountQuery, country string, index CountQuery) ([]ImpunityCount, error)
	// ImpunityReceipt lists the first limit (0: all) of the murders q
	// counts whose visibility show lets the reader see, oldest first (as
	// Stats.ReceiptIncidents lists them).
	ImpunityReceipt(ctx context.Context, q CountQuery, country string, show Visible, limit int) ([]ImpunityListed, error)
}

// ErrImpunitySlow: count the murders by reading them (package stats).
var ErrImpunitySlow = errors.New("impunity: not counted in the store for this query")

// ImpunityCount is how many murders of a country, class and visibility
// the query counts (N), and the index's query (InIndex).
type ImpunityCount struct {
	Country, Class, Visibility string
	N, InIndex                 int
}

// ImpunityListed is one murder of an impunity receipt.
type ImpunityListed struct {
	ID, Code, Country, Admin1, Visibility, Class string
	Date                                         model.Date
}

// ImportThen adds, in an import's transaction, records that go with its
// incidents (the judicial steps of an import from CPJ). The store may run
// it more than once (each run in a new transaction, the one before undone).
type ImportThen func(ctx context.Context, tx ImportTx) error

// ImportTx is what an ImportThen may do in the import's transaction, as
// the import's actor.
type ImportTx interface {
	// ExternalIDs is Incidents.ExternalIDs, the import's incidents included.
	ExternalIDs(ctx context.Context, system string) (map[string]string, error)
	// AddJudicialStep creates s (validated by the caller).
	AddJudicialStep(ctx context.Context, s *model.JudicialStep) error
}

// Sources keeps who told us, and what they told us about incidents.
type Sources interface {
	CreateSource(ctx context.Context, actor string, s *model.Source) error
	GetSource(ctx context.Context, id string) (*model.Source, error)
	AddInformation(ctx context.Context, actor string, info *model.Information) error
	// AddSourceInformation stores a new source and info from it (its
	// SourceID set to the new source's ID) in one transaction: both or
	// neither. About a restricted incident, the source's label and the
	// summary are sealed with info.Key (ErrSealNeedsMember without one),
	// and read back empty with Sealed set.
	AddSourceInformation(ctx context.Context, actor string, src *model.Source, info *model.Information) error
	ListInformation(ctx context.Context, incidentID string) ([]model.Information, error)
}

// History keeps every version of every record and the audit log.
type History interface {
	// History lists every version of a record, oldest first.
	History(ctx context.Context, kind, id string) ([]Version, error)
	// AuditEntries calls fn for each audit entry in sequence order.
	AuditEntries(ctx context.Context, fn func(audit.Entry) error) error
	AuditHead(ctx context.Context) (audit.Head, error)
	// VerifyLog checks the audit log and what it records, all read in one
	// consistent snapshot (see VerifyAudit).
	VerifyLog(ctx context.Context, opt VerifyOptions) (VerifyReport, error)
	// LogAction appends an audit entry saying actor did action about a
	// record without changing anything stored (a notification sent).
	LogAction(ctx context.Context, actor, action, kind, id string) error
}

// Stats counts incidents by the counting rules (package stats).
type Stats interface {
	// CountIncidents counts the incidents q selects, their victims and
	// fatalities: one row without q.By, else one row per group in key
	// order. Use package stats, which makes q from the counting rules,
	// rather than building q by hand.
	CountIncidents(ctx context.Context, q CountQuery) ([]CountRow, error)
	// ReceiptIncidents lists the incidents CountIncidents counts for the
	// same q (all groups together unless q.OnlyGroup), oldest first: the
	// page [offset, offset+limit) of those show lets the reader see (limit
	// <= 0: all of them), how many are counted in all and how many of those
	// show withholds. Count and receipt share one WHERE clause, so they
	// cannot disagree; q.Reader decides what is counted, show what is
	// listed.
	ReceiptIncidents(ctx context.Context, q CountQuery, show Visible, limit, offset int) (Receipt, error)
}

// Kinds of record, as used in history and audit entries.
const (
	KindIncident     = "incident"
	KindPerson       = "person"
	KindOrganisation = "organisation"
	KindSource       = "source"
	KindInformation  = "information"
	KindEvidence     = "evidence"
)

// Accounts keeps users and their sessions.
type Accounts interface {
	CreateUser(ctx context.Context, actor string, u *model.User) error
	// UpdateUser saves profile, role, password and enrolment changes; the
	// history keeps no secret (User's secret fields are not serialised).
	UpdateUser(ctx context.Context, actor string, u *model.User) error
	GetUser(ctx context.Context, id string) (*model.User, error)
	GetUserByName(ctx context.Context, username string) (*model.User, error)
	// ListUsers lists the accounts by name. Accounts refused as tampered
	// are left out, and then the error matches ErrTampered while the list
	// still holds every other account.
	ListUsers(ctx context.Context) ([]model.User, error)
	// SetLoginState sets failed logins and a lock, without a version (an
	// unlock, or the reset after a complete sign-in). Like UseTOTPStep's
	// step, they are outside the account's MAC.
	SetLoginState(ctx context.Context, userID string, failures int, lockedUntil *time.Time) error
	// CountLoginAttempt counts a sign-in attempt (a password or a code
	// about to be checked) against an account in one statement, by the
	// rule of account.Lockout.Attempt with lockAfter and lockFor: nothing
	// if the account is locked at now (admitted false), else one more
	// failure, and the lock when that reaches lockAfter. It returns the
	// failures counted. Times are cut to whole seconds. ErrNotFound if
	// there is no such account.
	CountLoginAttempt(ctx context.Context, userID string, now time.Time, lockAfter int, lockFor time.Duration) (failures int, admitted bool, err error)
	// UncountLoginAttempt takes back an admitted attempt whose check
	// passed (account.Lockout.Release), in one statement.
	UncountLoginAttempt(ctx context.Context, userID string, lockAfter int) error
	// UseTOTPStep accepts a TOTP time step only if it is later than every
	// step accepted before, atomically: each code works once.
	UseTOTPStep(ctx context.Context, userID string, step int64) (bool, error)
	// UseRecoveryCode removes a recovery code hash if present.
	UseRecoveryCode(ctx context.Context, userID, codeHash string) (bool, error)

	// CreateSession stores s, its times set to the microseconds stored.
	CreateSession(ctx context.Context, s *model.Session) error
	GetSession(ctx context.Context, tokenHash string) (*model.Session, error)
	// GetSessionUser is GetSession and GetUser of its user in one query
	// (every page asks for both).
	GetSessionUser(ctx context.Context, tokenHash string) (*model.Session, *model.User, error)
	// UpdateSession saves s (the verified flag, last use, CSRF secret),
	// its times set to the microseconds stored.
	UpdateSession(ctx context.Context, s *model.Session) error
	DeleteSession(ctx context.Context, tokenHash string) error
	// DeleteSessions ends every session of a user and says how many.
	DeleteSessions(ctx context.Context, userID string) (int, error)
	// ChangePassword is UpdateUser (a new password hash and re-sealed
	// private key; audit action "password") and the end of every session
	// of u but keepSession (a token hash, "" for none), in one transaction.
	// It says how many sessions ended.
	ChangePassword(ctx context.Context, actor string, u *model.User, keepSession string) (int, error)
	// UpdateUserEndSessions is UpdateUser, recorded as action ("disable",
	// "reset"), and the end of every session of u, in one transaction: a
	// change that must sign the account out happens with its sign-out or
	// not at all. It says how many sessions ended.
	UpdateUserEndSessions(ctx context.Context, actor, action string, u *model.User) (int, error)
}

// Tokens keeps the API's personal access tokens (package tokens). A
// token row is MACed like a session: one written outside rasd is refused
// (ErrTampered).
type Tokens interface {
	// CreateToken stores t for its user, audited as actor ("token:create").
	CreateToken(ctx context.Context, actor string, t *model.Token) error
	// TokenBySecret finds the token whose secret hash is secretHash, with
	// its user, in one query; ErrNotFound if none.
	TokenBySecret(ctx context.Context, secretHash string) (*model.Token, *model.User, error)
	// ListTokens lists a user's tokens, newest first.
	ListTokens(ctx context.Context, userID string) ([]model.Token, error)
	// RevokeToken marks a user's token revoked at, audited as actor
	// ("token:revoke"); ErrNotFound if the user has no such token.
	RevokeToken(ctx context.Context, actor, userID, id string, at time.Time) error
	// UseToken records a use of a token (its last use, and an audit
	// entry "token:use" naming the token and what it did).
	UseToken(ctx context.Context, actor, id, what string, at time.Time) error
}

// SheetMappings keeps the organisation's saved column mappings of
// spreadsheet imports (package sheetmaps), by name.
type SheetMappings interface {
	// SaveSheetMapping stores m, replacing one of its name, audited as
	// actor ("mapping:save").
	SaveSheetMapping(ctx context.Context, actor string, m *model.SheetMapping) error
	// SheetMapping reads one; ErrNotFound if there is none of that name.
	SheetMapping(ctx context.Context, name string) (*model.SheetMapping, error)
	// ListSheetMappings lists them by name.
	ListSheetMappings(ctx context.Context) ([]model.SheetMapping, error)
	// DeleteSheetMapping removes one, audited as actor
	// ("mapping:delete"); ErrNotFound if there is none of that name.
	DeleteSheetMapping(ctx context.Context, actor, name string) error
}

// Counters count events per bucket over fixed windows, in the database,
// so that every server of one database counts together (rate limits,
// sign-in slow-downs).
type Counters interface {
	// Hit counts one event in bucket's window that holds now, in one
	// statement, and returns the events counted in that window, this one
	// included. A window lasts window from the first event counted in it;
	// the first event after it starts the next.
	Hit(ctx context.Context, bucket string, now time.Time, window time.Duration) (int, error)
	// HitCount is Hit without counting.
	HitCount(ctx context.Context, bucket string, now time.Time, window time.Duration) (int, error)
	// ForgetHits forgets a bucket's count.
	ForgetHits(ctx context.Context, bucket string) error
}

// Keys keeps the key hierarchy's ciphertexts (package keys makes and
// opens them; the store never sees a compartment or data key): compartment
// key wraps, the recovery public key and sealed field groups. Users' own
// key pairs travel on model.User. Wraps are stored inside an outer layer
// under a key from the keyring (docs/keys.md, "Bound to the keyring"):
// the store adds it in PutWrap, LogRecovery and RotateCompartment and
// removes it in Compartment, so model.Wrap always holds the inner wrap.
type Keys interface {
	// Compartment returns a compartment's current key version and its
	// wraps (ErrNotFound if it was never created).
	Compartment(ctx context.Context, name string) (int, []model.Wrap, error)
	// PutWrap grants: it stores w (replacing the member's wrap), creating
	// the compartment at version 1 if w.Version is 1 and it does not exist.
	// ErrConflict if w.Version is not the current version.
	PutWrap(ctx context.Context, actor string, w model.Wrap) error
	// LogRecovery records a use of the recovery key ('rasd keys recover'):
	// an audit entry "recover:keys" naming the compartments of grants
	// (never a key) and, in the same transaction, grants, each stored as
	// PutWrap stores it. ErrConflict if a grant's version is not current.
	LogRecovery(ctx context.Context, actor string, grants []model.Wrap) error
	// RotateCompartment replaces version from by from+1 in one
	// transaction: every wrap by wraps and every sealed group of the
	// compartment by sealed (the same records, re-keyed). ErrConflict if
	// the version or the set of records changed meanwhile.
	RotateCompartment(ctx context.Context, actor, name string, from int, wraps []model.Wrap, sealed []model.Sealed) error
	// RecoveryKey returns the recovery public key (ErrNotFound if none).
	RecoveryKey(ctx context.Context) ([]byte, error)
	// SetRecoveryKey replaces the recovery public key and deletes every
	// wrap to the old one.
	SetRecoveryKey(ctx context.Context, actor string, pub []byte) error

	// PutSealed stores a record's sealed field group; ErrConflict if
	// s.KeyVersion is not the compartment's current version.
	PutSealed(ctx context.Context, actor string, s *model.Sealed) error
	GetSealed(ctx context.Context, kind, id, group string) (*model.Sealed, error)
	// DeleteSealed removes a sealed group, and with it its data key.
	DeleteSealed(ctx context.Context, actor, kind, id, group string) error
	ListSealed(ctx context.Context, compartment string) ([]model.Sealed, error)
	// SealedOfKind lists the sealed groups named group of every record of
	// kind: what a member opens to find the records of a compartment's
	// kind by a sealed field (the persons a case names).
	SealedOfKind(ctx context.Context, kind, group string) ([]model.Sealed, error)
	// CountSealed says how many sealed field groups a compartment holds,
	// without reading them.
	CountSealed(ctx context.Context, compartment string) (int, error)
	// LogRead appends an audit entry saying actor read the sealed group
	// (never what it holds).
	LogRead(ctx context.Context, actor, kind, id, group string) error
	// SealInformation seals with key, as a member's write would, what
	// sources said about the restricted incident incidentID that is still
	// in the clear (stored before it was sealed): summaries and sources'
	// labels, purged from their history. It says how many rows it sealed.
	SealInformation(ctx context.Context, actor, incidentID string, key model.RecordKey) (int, error)
	// PurgeHistory takes the sealed text out of the earlier versions of a
	// record whose text is sealed (an incident, person, organisation,
	// source or information), as
	// sealing it does: for records sealed before sealing purged their
	// history. It says how many versions it changed (0: nothing left to
	// purge) and refuses a record without sealed text (ErrNotFound).
	PurgeHistory(ctx context.Context, actor, kind, id string) (int, error)
	// CompactSearch rewrites the search index so that the words of rows
	// deleted or replaced (a record's text before it was sealed) leave its
	// pages, where an index may otherwise keep them until it merges.
	// Seconds on a large database: for bulk sealing, not every write.
	CompactSearch(ctx context.Context) error
}

// EvidenceStore keeps the metadata of evidence files and their chain of
// custody (package evidence keeps the encrypted files). Each custody line
// is also an audit entry in the hash-chained log.
type EvidenceStore interface {
	// CreateEvidence stores e (ID and CreatedAt filled in) with its intake
	// custody line.
	CreateEvidence(ctx context.Context, actor string, e *model.Evidence) error
	GetEvidence(ctx context.Context, id string) (*model.Evidence, error)
	// ListEvidence lists a record's evidence, oldest first; with an empty
	// parentKind, every evidence file.
	ListEvidence(ctx context.Context, parentKind, parentID string) ([]model.Evidence, error)
	// LogCustody appends a custody line (view, download, export…).
	LogCustody(ctx context.Context, c model.Custody) error
	// Custody lists an evidence file's custody lines, oldest first.
	Custody(ctx context.Context, evidenceID string) ([]model.Custody, error)
	// KeyEvidenceHash converts evidence taken in before hashes were keyed
	// (package evidence computes mac and sealed; docs/evidence.md):
	// plain, the hash it read from the row, becomes mac, sealed is stored
	// beside it, in the row and its history, in one transaction.
	// ErrConflict if the row no longer holds plain, unkeyed.
	KeyEvidenceHash(ctx context.Context, actor, id, plain, mac string, sealed []byte) error
}

// Visible says which records a viewer may see: the listed visibility
// levels, plus restricted records they created themselves.
type Visible struct {
	Levels  []string
	OwnedBy string // restricted records created by this account are visible too
}

// IncidentFilter selects incidents for lists.
type IncidentFilter struct {
	Query           string
	Types           []string
	Admin1          string
	From, To        string // dates YYYY-MM-DD: incidents whose window overlaps [From, To]
	StartFrom       string // YYYY-MM-DD: incidents starting on or after it (bounds an index range: docs/duplicates.md)
	Verification    []string
	PerpetratorType string
	VictimRole      string
	PersonID        string // incidents this person is a victim in
	Visible         Visible
	Sort            string // "date" (default), "code", "updated", "type", "admin1"
	Asc             bool
	Limit, Offset   int
}

// ListFilter selects persons or organisations.
type ListFilter struct {
	Query         string
	Visible       Visible
	Limit, Offset int
	// Field and Value keep the records whose field (a field of the kind's
	// description: a Ref equal to Value, a Refs holding it, any other equal
	// to it) is Value: a case's check-ins, a person's threats.
	Field, Value string
}

// IncidentHit is a search result line.
type IncidentHit struct {
	ID         string
	Code       string
	Type       string
	DateStart  string
	Precision  string
	Admin1     string
	SummaryEN  string
	SummaryAR  string
	Visibility string
	Fatalities int
	CreatedBy  string
	UpdatedAt  time.Time
}

// Records hands each record of an import to yield, in order, and stops
// at the first error yield returns, returning it. Its own errors (a bad
// record in the file, say) fail the import as well.
type Records func(yield func(*model.Incident) error) error

// ImportResult counts what an import did.
type ImportResult struct {
	Created, Updated, Unchanged int
}

// Change is one field that differs between two versions.
type Change struct {
	Field string `json:"field"`
	Old   any    `json:"old,omitempty"`
	New   any    `json:"new,omitempty"`
	// Purged is set when the record's text was sealed afterwards and the
	// sealed part of Old and New was taken out of the history: what is
	// left of them (perhaps nothing) is shown, and that the field changed.
	Purged bool `json:"purged,omitempty"`
}

// Version is one stored version of a record.
type Version struct {
	Kind     string
	RecordID string
	Version  int
	At       time.Time
	Actor    string
	Action   string
	Changes  []Change // against the version before; empty for the first
	Snapshot []byte   // the record as JSON
	// Purged: the record's text was sealed after this version was kept,
	// and its sealed fields were taken out of Snapshot and Changes.
	Purged bool
}

// CountQuery selects the incidents behind a figure and says how to group
// them. Package stats makes it from the counting rules (verification
// threshold, date window, date precision); the store applies it as given.
// Merged duplicates (MergedInto set) are never counted: the record they
// were merged into is.
type CountQuery struct {
	// Verification lists the statuses that count; empty counts nothing.
	Verification []string
	// From and To (YYYY-MM-DD, inclusive; "" leaves an end open) bound the
	// stored date range: an incident counts only if From <= Start and
	// End <= To.
	From, To string
	// Bounds narrow the start of the incidents of one precision further,
	// so that the whole period the precision names (a calendar month, a
	// week from the start…) lies in [From, To] even where the stored end is
	// narrower than that period.
	Bounds []StartBound
	// Types, Admin1 and PerpetratorTypes keep incidents of one of the
	// given types, governorates, or with a perpetrator of one of the given
	// types; empty keeps all.
	Types, Admin1, PerpetratorTypes []string
	// VictimRoles and Outcomes select victims: when either is given, only
	// incidents with at least one victim of one of the roles and one of the
	// outcomes are counted, and only those victims.
	VictimRoles, Outcomes []string
	// By groups the counts: "" (one row), "type", "admin1" or "month".
	// An incident is in month YYYY-MM only if its whole period (the stored
	// range, widened to 7 days from the start for precision week, to the
	// calendar month or year for precision month or year) lies in that
	// month; otherwise, and for an empty governorate, its key is "": the
	// unplaced.
	By string
	// Then, with By set, groups each of By's groups further by up to two
	// more keys (as By), in one query: a row per combination that has
	// incidents, its keys in CountRow.Key and CountRow.Then.
	Then []string
	// OnlyGroup, with By set, keeps only the incidents whose key is Group
	// ("" for the unplaced): the count and receipt of one row.
	OnlyGroup bool
	Group     string
	// Reader is who the figure is for. A restricted incident counts only
	// if Reader may list it (a level "restricted", or OwnedBy its
	// author); public and internal incidents always count. The zero
	// Reader counts no restricted incident. See docs/counting.md, "What a
	// figure may reveal".
	Reader Visible
}

// StartBound restricts the start of incidents of one date precision to
// [From, To] ("" leaves an end open); incidents of other precisions are
// not affected.
type StartBound struct {
	Precision string
	From, To  string
}

// CountRow is one line of a count. Incidents counts each incident once;
// Victims counts each victim once per incident (SDG 16.10.1: a person hit
// in two incidents counts twice, listed twice in one incident once);
// Fatalities sums the incidents' fatality figures; Approximate says how
// many of the incidents have an estimated date or one less precise than a
// day.
type CountRow struct {
	Key                                         string    // the group, "" without By or for the unplaced
	Then                                        [2]string // the keys of CountQuery.Then, in order
	Incidents, Victims, Fatalities, Approximate int
}

// Receipt lists the incidents behind a figure.
type Receipt struct {
	Incidents []ReceiptIncident // the requested page of the listed ones
	Total     int               // incidents counted in all
	Withheld  int               // counted but not visible to the reader: counted, never listed
}

// ReceiptIncident is one incident behind a figure, with what it adds to
// the figure.
type ReceiptIncident struct {
	ID, Code, Type, Admin1   string
	Date                     model.Date
	Verification, Visibility string
	Victims, Fatalities      int // as counted: victims matching the query's role and outcome
	// What the impunity figures ask of a killing (docs/counting.md,
	// "Impunity figures"); a restricted incident's tags are sealed.
	Country, MotiveLink string
	Tags                []string
}

// Of is st's store of record kind k: the Kind[T] that KindStore holds for
// k's name. It panics for a kind the store does not keep, which is a
// programming error: every kind of package kinds has its table
// (docs/architecture.md, "Adding a record kind").
func Of[T any](st Store, k interface{ KindName() string }) Kind[T] {
	s, ok := st.KindStore(k.KindName()).(Kind[T])
	if !ok {
		panic("store: no table for record kind " + k.KindName())
	}
	return s
}
