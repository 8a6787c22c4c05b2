package store

import (
	"context"

	"github.com/rasd-project/rasd/internal/audit"
)

// VerifyAudit recomputes the whole audit chain of s and checks it against
// the sealed head. It returns the number of entries checked, and an
// *audit.Error naming the first bad entry.
func VerifyAudit(ctx context.Context, s Store, key []byte) (int64, error) {
	head, err := s.AuditHead(ctx)
	if err != nil {
		return 0, &audit.Error{Seq: 0, Reason: "the audit head cannot be read (" + err.Error() + ")"}
	}
	v := audit.NewVerifier(key)
	if err := s.AuditEntries(ctx, v.Add); err != nil {
		return 0, err
	}
	return v.Finish(head)
}
