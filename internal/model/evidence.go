package model

import "time"

// Evidence is a file attached to an incident or a person. The original is
// kept encrypted and never changes; SHA256 is its hash taken while it was
// received, so anyone can later check that what rasd holds is what came in.
type Evidence struct {
	ID         string    `json:"id"`
	ParentKind string    `json:"parent_kind"` // "incident" or "person"
	ParentID   string    `json:"parent_id"`
	Blob       string    `json:"-"` // random internal file name, never derived from the original name
	SHA256     string    `json:"sha256"`
	Size       int64     `json:"size"`
	Type       string    `json:"type"` // detected MIME type, e.g. "image/jpeg"
	NameSealed []byte    `json:"-"`    // the original file name, sealed (see package evidence)
	CreatedAt  time.Time `json:"created_at"`
	CreatedBy  string    `json:"created_by"`
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
