package cli

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/store"
)

// TestUserAddTakenName: adding a name another account has is refused in
// words, naming the name, not with what the database said.
func TestUserAddTakenName(t *testing.T) {
	dir := newData(t)
	code, _, stderr := run(t, "user", "add", "--data", dir, "--role", "analyst", "admin")
	if code != 1 || !strings.Contains(stderr, `"admin"`) || !strings.Contains(stderr, "taken") {
		t.Errorf("a taken name: %d %q", code, stderr)
	}
	for _, sqlWord := range []string{"UNIQUE", "constraint", "sqlite", "users."} {
		if strings.Contains(stderr, sqlWord) {
			t.Errorf("the refusal speaks SQL (%q): %s", sqlWord, stderr)
		}
	}
}

// TestUserDisableAndRole: 'rasd user disable' ends the account's
// sessions and says how many; 'rasd user role' changes the role, and
// refuses a role that is none, or none given.
func TestUserDisableAndRole(t *testing.T) {
	dir := newData(t)
	if code, _, stderr := run(t, "user", "add", "--data", dir, "--role", "analyst", "huda"); code != 0 {
		t.Fatalf("user add: %s", stderr)
	}
	st := openSQL(t, dir)
	ctx := context.Background()
	u, err := st.GetUserByName(ctx, "huda")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	for _, tok := range []string{"a", "b"} {
		if err := st.CreateSession(ctx, &model.Session{TokenHash: tok, UserID: u.ID, CSRF: "c", CreatedAt: now, LastSeen: now, ExpiresAt: now.Add(time.Hour)}); err != nil {
			t.Fatal(err)
		}
	}
	st.Close()
	if code, out, stderr := run(t, "user", "disable", "--data", dir, "huda"); code != 0 || !strings.Contains(out, "2 sessions ended") {
		t.Errorf("disable: %d %q %q", code, out, stderr)
	}
	if code, _, _ := run(t, "user", "role", "--data", dir, "huda"); code != 2 {
		t.Errorf("role without --role: %d, want 2", code)
	}
	if code, _, _ := run(t, "user", "role", "--data", dir, "--role", "emperor", "huda"); code != 2 {
		t.Errorf("role emperor: %d, want 2", code)
	}
	if code, out, stderr := run(t, "user", "role", "--data", dir, "--role", "coordinator", "huda"); code != 0 || !strings.Contains(out, "coordinator") {
		t.Errorf("role coordinator: %d %q %q", code, out, stderr)
	}
	st = openSQL(t, dir)
	defer st.Close()
	if _, err := st.GetSession(ctx, "a"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("a session of the disabled account stays: %v", err)
	}
	if got, err := st.GetUserByName(ctx, "huda"); err != nil || !got.Disabled || got.Role != model.RoleCoordinator {
		t.Errorf("after disable and role: %+v, %v", got, err)
	}
}

// TestInitRefusesBadAdminFirst: a first administrator's name or password
// that would be refused is refused before the data directory is made,
// which stays absent.
func TestInitRefusesBadAdminFirst(t *testing.T) {
	t.Setenv("RASD_PASSPHRASE", "a test passphrase")
	for _, c := range []struct{ admin, pw string }{{"two words", "first admin password"}, {"admin", "short"}} {
		dir := filepath.Join(t.TempDir(), "data")
		t.Setenv("RASD_NEW_PASSWORD", c.pw)
		if code, _, stderr := run(t, "init", "--data", dir, "--admin", c.admin); code == 0 {
			t.Errorf("init --admin %q with password %q: %d %s", c.admin, c.pw, code, stderr)
		}
		if _, err := os.Stat(dir); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("init --admin %q with password %q left the data directory behind: %v", c.admin, c.pw, err)
		}
	}
}
