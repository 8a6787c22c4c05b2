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

// Store is rasd's storage.
type Store interface {
	// CreateIncident stores a new incident with its victims (creating
	// persons given inline) and fills in ID, Code and Meta.
	CreateIncident(ctx context.Context, actor string, inc *model.Incident) error
	// UpdateIncident replaces an incident; inc.Version must be the stored
	// version. The previous version is kept in the history.
	UpdateIncident(ctx context.Context, actor string, inc *model.Incident) error
	GetIncident(ctx context.Context, id string) (*model.Incident, error)
	GetIncidentByCode(ctx context.Context, code string) (*model.Incident, error)
	// ImportIncidents stores all of incs or none: incidents whose External
	// key is already stored are updated, the others created.
	ImportIncidents(ctx context.Context, actor string, incs []model.Incident, progress func(done int)) (ImportResult, error)
	// SearchIncidents finds incidents whose summaries, narratives, places or
	// victims' names match every term of query, newest first.
	SearchIncidents(ctx context.Context, query string, limit int) ([]IncidentHit, error)

	CreatePerson(ctx context.Context, actor string, p *model.Person) error
	UpdatePerson(ctx context.Context, actor string, p *model.Person) error
	GetPerson(ctx context.Context, id string) (*model.Person, error)
	SearchPersons(ctx context.Context, query string, limit int) ([]model.Person, error)

	CreateOrganisation(ctx context.Context, actor string, o *model.Organisation) error
	UpdateOrganisation(ctx context.Context, actor string, o *model.Organisation) error
	GetOrganisation(ctx context.Context, id string) (*model.Organisation, error)

	CreateSource(ctx context.Context, actor string, s *model.Source) error
	GetSource(ctx context.Context, id string) (*model.Source, error)
	AddInformation(ctx context.Context, actor string, info *model.Information) error
	ListInformation(ctx context.Context, incidentID string) ([]model.Information, error)

	// ListIncidents returns one page of the incidents f selects, and how
	// many it selects in all.
	ListIncidents(ctx context.Context, f IncidentFilter) ([]IncidentHit, int, error)
	ListPersons(ctx context.Context, f ListFilter) ([]model.Person, int, error)
	ListOrganisations(ctx context.Context, f ListFilter) ([]model.Organisation, int, error)

	Accounts

	// History lists every version of a record, oldest first.
	History(ctx context.Context, kind, id string) ([]Version, error)

	// AuditEntries calls fn for each audit entry in sequence order.
	AuditEntries(ctx context.Context, fn func(audit.Entry) error) error
	AuditHead(ctx context.Context) (audit.Head, error)

	// Backend names the implementation ("sqlite", "postgres").
	Backend() string
	Close() error
}

// Kinds of record, as used in history and audit entries.
const (
	KindIncident     = "incident"
	KindPerson       = "person"
	KindOrganisation = "organisation"
	KindSource       = "source"
	KindInformation  = "information"
)

// Accounts keeps users and their sessions.
type Accounts interface {
	CreateUser(ctx context.Context, actor string, u *model.User) error
	// UpdateUser saves profile, role, password and enrolment changes; the
	// history keeps no secret (User's secret fields are not serialised).
	UpdateUser(ctx context.Context, actor string, u *model.User) error
	GetUser(ctx context.Context, id string) (*model.User, error)
	GetUserByName(ctx context.Context, username string) (*model.User, error)
	ListUsers(ctx context.Context) ([]model.User, error)
	// SetLoginState records failed logins and a lock, without a version.
	SetLoginState(ctx context.Context, userID string, failures int, lockedUntil *time.Time) error
	// UseTOTPStep accepts a TOTP time step only if it is later than every
	// step accepted before, atomically: each code works once.
	UseTOTPStep(ctx context.Context, userID string, step int64) (bool, error)
	// UseRecoveryCode removes a recovery code hash if present.
	UseRecoveryCode(ctx context.Context, userID, codeHash string) (bool, error)

	CreateSession(ctx context.Context, s *model.Session) error
	GetSession(ctx context.Context, tokenHash string) (*model.Session, error)
	UpdateSession(ctx context.Context, s *model.Session) error
	DeleteSession(ctx context.Context, tokenHash string) error
	// DeleteSessions ends every session of a user and says how many.
	DeleteSessions(ctx context.Context, userID string) (int, error)
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

// ImportResult counts what an import did.
type ImportResult struct {
	Created, Updated, Unchanged int
}

// Change is one field that differs between two versions.
type Change struct {
	Field string `json:"field"`
	Old   any    `json:"old,omitempty"`
	New   any    `json:"new,omitempty"`
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
}
