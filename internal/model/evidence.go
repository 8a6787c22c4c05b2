package model

import "time"

// Evidence is a file attached to an incident or a person. The original is
// kept encrypted and never changes; its SHA-256, taken while it was
// received, lets anyone check later that what rasd holds is what came in.
// The database keeps that hash only keyed or sealed (package evidence
// opens it), so that it cannot confirm that the organisation holds a file
// someone else has.
type Evidence struct {
	ID         string `json:"id"`
	ParentKind string `json:"parent_kind"` // "incident" or "person"
	ParentID   string `json:"parent_id"`
	Blob       string `json:"-"` // random internal file name, never derived from the original name
	// HashMAC is an HMAC-SHA256 of the file's SHA-256 under a keyring key
	// (hex; the column is named sha256): what custody entries bind to.
	HashMAC string `json:"sha256_hmac"`
	// SHA256Sealed is the file's SHA-256 (hex) sealed under a keyring key;
	// nil for a row taken in before hashes were keyed (HashMAC then holds
	// the plain SHA-256 until package evidence converts it).
	SHA256Sealed []byte    `json:"-"`
	Size         int64     `json:"size"`
	Type         string    `json:"type"` // detected MIME type, e.g. "image/jpeg"
	NameSealed   []byte    `json:"-"`    // the original file name, sealed (see package evidence)
	CreatedAt    time.Time `json:"created_at"`
	CreatedBy    string    `json:"created_by"`
}

// Custody is one line of an evidence file's chain of custody.
type Custody struct {
	EvidenceID string    `json:"evidence_id"`
	At         time.Time `json:"at"`
	Actor      string    `json:"actor"`
	Action     string    `json:"action"` // CustodyIntake, CustodyView, …
	Note       string    `json:"note,omitempty"`
}

// Chain-of-custody actions.
const (
	CustodyIntake       = "intake"
	CustodyView         = "view"
	CustodyDownloadOrig = "download-original"
	CustodyDownloadCopy = "download-copy"
	CustodyExportOrig   = "export-original"
	CustodyExportCopy   = "export-copy"
)
