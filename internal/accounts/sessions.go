package accounts

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/store"
)

// touchEvery is how often a session's last use is written, at most.
const touchEvery = time.Minute

// NewToken makes a random token (256 bits), URL-safe.
func NewToken() string {
	b := make([]byte, 32)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// HashToken is what the store keeps of a session's token: only its hash.
func HashToken(token string) string {
	sum := sha256.Sum256([]byte("rasd session " + token))
	return hex.EncodeToString(sum[:])
}

// Start begins a session of u, its second factor given (verified) or
// still to give, and returns its token, which only the caller's user
// will hold. A session it replaces (the token hash in replace, "" for
// none) is ended first (End), so that no token known before signing in
// works after (session fixation); if it cannot be, the new session is
// not given out and err says so.
func (s *Service) Start(ctx context.Context, u *model.User, verified bool, replace string, wait func(time.Duration)) (string, *model.Session, error) {
	tok, now := NewToken(), s.now()
	sess := &model.Session{TokenHash: HashToken(tok), UserID: u.ID, CSRF: NewToken(), Verified: verified,
		CreatedAt: now, LastSeen: now, ExpiresAt: now.Add(s.maxAge)}
	if err := s.st.CreateSession(ctx, sess); err != nil {
		return "", nil, fmt.Errorf("create the session: %w", err)
	}
	if replace != "" {
		if err := s.End(ctx, replace, wait); err != nil {
			err = fmt.Errorf("replace the session: %w", err)
			if derr := s.st.DeleteSession(ctx, sess.TokenHash); derr != nil { // never given out: tidied if it can be
				err = errors.Join(err, fmt.Errorf("and the unused new session was not deleted: %w", derr))
			}
			return "", nil, err
		}
	}
	return tok, sess, nil
}

// End ends a session, trying again twice after a short wait (wait
// sleeps; nil: time.Sleep): a session meant to end that did not keeps its
// token valid. It goes on if ctx is cancelled meanwhile (the browser
// left), for up to ten seconds.
func (s *Service) End(ctx context.Context, tokenHash string, wait func(time.Duration)) error {
	if wait == nil {
		wait = time.Sleep
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	var err error
	for _, d := range []time.Duration{0, 50 * time.Millisecond, 250 * time.Millisecond} {
		if d > 0 {
			wait(d)
		}
		if err = s.st.DeleteSession(ctx, tokenHash); err == nil {
			return nil
		}
	}
	return fmt.Errorf("end the session (tried 3 times): %w", err)
}

// Resumed is a session found by its token.
type Resumed struct {
	// Session and User are nil when the token opens no session: none,
	// ended, expired or idle too long.
	Session *model.Session
	User    *model.User
	// Ended is the token hash of a session that had expired or been idle
	// too long and was ended now ("" if none): forget what was held for it.
	Ended string
	// Trouble is a failure that does not change the answer (an expired
	// session's row not deleted, a last use not recorded): log it.
	Trouble error
}

// Resume finds the session of token and its user. A session past its
// absolute end or idle too long opens nothing and is ended; a session in
// use has its last use recorded (at most every minute). Whether the user
// may use it (a disabled account may not) is the caller's route policy
// to say (access.Active). A session or account that fails its integrity
// check is an error matching store.ErrTampered: treat it as no session.
func (s *Service) Resume(ctx context.Context, token string) (Resumed, error) {
	sess, u, err := s.st.GetSessionUser(ctx, HashToken(token))
	if errors.Is(err, store.ErrNotFound) {
		return Resumed{}, nil
	}
	if err != nil {
		return Resumed{}, fmt.Errorf("read the session: %w", err)
	}
	now := s.now()
	if now.After(sess.ExpiresAt) || now.Sub(sess.LastSeen) > s.idle {
		r := Resumed{Ended: sess.TokenHash}
		// Expiry is checked on every request, so the token opens nothing
		// even while its row stays; the row goes at its next use.
		if err := s.st.DeleteSession(ctx, sess.TokenHash); err != nil && !errors.Is(err, store.ErrNotFound) {
			r.Trouble = fmt.Errorf("an expired session was not deleted: %w", err)
		}
		return r, nil
	}
	r := Resumed{Session: sess, User: u}
	if now.Sub(sess.LastSeen) > touchEvery {
		sess.LastSeen = now
		// Unrecorded use makes the session time out early, never late.
		if err := s.st.UpdateSession(ctx, sess); err != nil && !errors.Is(err, store.ErrNotFound) {
			r.Trouble = fmt.Errorf("a session's last use was not recorded: %w", err)
		}
	}
	return r, nil
}
