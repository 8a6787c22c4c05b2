package model

import "time"

// Roles, as docs/access.md describes them.
const (
	RoleDocumenter  = "documenter"
	RoleAnalyst     = "analyst"
	RoleProtection  = "protection"
	RoleCoordinator = "coordinator"
	RoleAdmin       = "admin"
)

// Roles lists every role in order of the work they do.
var Roles = []string{RoleDocumenter, RoleAnalyst, RoleProtection, RoleCoordinator, RoleAdmin}

// User is an account. Secrets are stored sealed or hashed, never plain.
type User struct {
	ID            string     `json:"id"`
	Username      string     `json:"username"`
	DisplayName   string     `json:"display_name,omitempty"`
	Role          string     `json:"role"`
	Lang          string     `json:"lang"` // a code of internal/locale ("ar", "en", "ckb")
	PasswordHash  string     `json:"-"`    // PHC-format Argon2id
	TOTPSealed    []byte     `json:"-"`    // the TOTP secret, sealed; nil until enrolled
	TOTPLastStep  int64      `json:"-"`    // last accepted time step: codes are single-use
	RecoveryCodes []string   `json:"-"`    // hashes of unused recovery codes
	FailedLogins  int        `json:"-"`
	LockedUntil   *time.Time `json:"-"`
	Disabled      bool       `json:"disabled"`
	// PublicKey and SealedKey are the user's X25519 key pair, the private
	// half sealed under their password (package keys); nil for accounts
	// made before keys existed, until their next sign-in.
	PublicKey []byte `json:"-"`
	SealedKey []byte `json:"-"`
	Meta
}

// Enrolled reports whether the user has finished TOTP enrolment.
func (u *User) Enrolled() bool { return len(u.TOTPSealed) > 0 }

// Session is a signed-in browser. Only the token's hash is stored.
type Session struct {
	TokenHash string
	UserID    string
	CSRF      string // per-session CSRF secret
	Verified  bool   // the second factor was given
	CreatedAt time.Time
	LastSeen  time.Time
	ExpiresAt time.Time // absolute timeout
}

// Token scopes: what a personal access token may do (docs/api.md).
const (
	ScopeRead      = "read"
	ScopeReadWrite = "read-write"
)

// Token is a personal access token of the API. Only a keyed hash of its
// secret is stored (package tokens); it acts as its user, never beyond.
type Token struct {
	ID         string
	UserID     string
	Name       string // the user's label for it
	SecretHash string
	Scope      string
	CreatedAt  time.Time
	ExpiresAt  time.Time
	RevokedAt  *time.Time
	LastUsedAt *time.Time
}

// SheetMapping is a saved column mapping of spreadsheet imports
// (docs/spreadsheets.md): the mapping file's JSON under a name.
type SheetMapping struct {
	Name    string
	JSON    []byte
	SavedBy string
	SavedAt time.Time
}
