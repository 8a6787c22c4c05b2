package accounts

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"time"
)

// clientWindow is how long a client's failures count.
const clientWindow = time.Hour

// The failures of one client (an address), which only slow its next
// attempts (account.Delay), never refuse them: every user behind a Tor
// exit or an organisation's proxy shares one address (account.Clients
// says why). With Options.Counters they are counted in the database, as
// keyed hashes, so that every server of one database counts together;
// without, in this process's memory.

// FailClient counts a failed sign-in step from addr and returns the
// client's recent failures.
func (s *Service) FailClient(ctx context.Context, addr string) (int, error) {
	if s.counters == nil {
		return s.clients.Fail(addr, s.now()), nil
	}
	return s.counters.Hit(ctx, s.clientBucket(addr), s.now(), clientWindow)
}

// ForgetClient forgets addr's failures after a complete sign-in.
func (s *Service) ForgetClient(ctx context.Context, addr string) error {
	if s.counters == nil {
		s.clients.Reset(addr)
		return nil
	}
	return s.counters.ForgetHits(ctx, s.clientBucket(addr))
}

func (s *Service) clientBucket(addr string) string {
	m := hmac.New(sha256.New, s.countKey)
	m.Write([]byte("rasd client " + addr))
	return "client " + hex.EncodeToString(m.Sum(nil)[:16])
}
