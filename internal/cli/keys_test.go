package cli

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/rasd-project/rasd/internal/account"
	"github.com/rasd-project/rasd/internal/audit"
)

// TestKeysGrantRevokePassword drives the key commands as an administrator
// would: the first grant creates a compartment, later ones need a member's
// password, a revocation removes the member, a password change keeps the
// grant under the new password only, a reset drops it.
func TestKeysGrantRevokePassword(t *testing.T) {
	dir := newData(t)
	t.Setenv("RASD_NEW_PASSWORD", "zainab password 1")
	run(t, "user", "add", "--data", dir, "--role", "protection", "zainab")
	t.Setenv("RASD_NEW_PASSWORD", "huda password 12")
	run(t, "user", "add", "--data", dir, "--role", "analyst", "huda")
	must := func(want int, args ...string) string {
		t.Helper()
		code, out, stderr := run(t, append(args, "--data", dir)...)
		if code != want {
			t.Fatalf("rasd %v: exit %d, want %d: %s%s", args, code, want, out, stderr)
		}
		return out + stderr
	}
	must(0, "keys", "grant", "--user", "zainab", "--compartment", "protection")
	t.Setenv("RASD_USER_PASSWORD", "not her password")
	if out := must(1, "keys", "grant", "--member", "zainab", "--user", "huda", "--compartment", "protection"); !strings.Contains(out, "password") {
		t.Errorf("wrong password: %s", out)
	}
	t.Setenv("RASD_USER_PASSWORD", "huda password 12")
	must(1, "keys", "grant", "--member", "huda", "--user", "huda", "--compartment", "protection") // not a member
	t.Setenv("RASD_USER_PASSWORD", "zainab password 1")
	must(0, "keys", "grant", "--member", "zainab", "--user", "huda", "--compartment", "protection")
	if out := must(0, "keys", "list"); !strings.Contains(out, "huda, zainab") && !strings.Contains(out, "zainab, huda") {
		t.Errorf("list after grant: %s", out)
	}
	must(0, "keys", "revoke", "--member", "zainab", "--user", "huda", "--compartment", "protection")
	if out := must(0, "keys", "list"); strings.Contains(out, "huda") || !strings.Contains(out, "protection   2") {
		t.Errorf("list after revoke: %s", out)
	}
	must(2, "keys", "grant", "--user", "huda", "--compartment", "nowhere")

	t.Setenv("RASD_NEW_PASSWORD", "zainab password 2")
	must(0, "user", "password", "zainab")
	must(1, "keys", "grant", "--member", "zainab", "--user", "huda", "--compartment", "protection") // old password
	t.Setenv("RASD_USER_PASSWORD", "zainab password 2")
	must(0, "keys", "grant", "--member", "zainab", "--user", "huda", "--compartment", "protection")

	must(0, "user", "reset", "zainab")
	if out := must(0, "keys", "list"); strings.Contains(out, "zainab") {
		t.Errorf("a reset account kept its grant: %s", out)
	}
}

// TestMemberActorAs: --member is whose key is used, --actor the name
// history records (the member when --actor is not given), and the old
// --as still means both.
func TestMemberActorAs(t *testing.T) {
	dir := newData(t)
	t.Setenv("RASD_NEW_PASSWORD", "zainab password 1")
	run(t, "user", "add", "--data", dir, "--role", "protection", "zainab")
	run(t, "user", "add", "--data", dir, "--role", "analyst", "huda")
	t.Setenv("RASD_USER_PASSWORD", "zainab password 1")
	for _, args := range [][]string{
		{"keys", "grant", "--actor", "first-grant", "--user", "zainab", "--compartment", "protection"},
		{"keys", "grant", "--member", "zainab", "--actor", "ops desk", "--user", "huda", "--compartment", "protection"},
		{"keys", "revoke", "--member", "zainab", "--user", "huda", "--compartment", "protection"},
		{"keys", "grant", "--as", "zainab", "--user", "huda", "--compartment", "protection"},
	} {
		if code, out, stderr := run(t, append(args, "--data", dir)...); code != 0 {
			t.Fatalf("rasd %v: %d %s%s", args, code, out, stderr)
		}
	}
	if code, _, stderr := run(t, "keys", "revoke", "--data", dir, "--user", "huda", "--compartment", "protection"); code != 2 || !strings.Contains(stderr, "--member") {
		t.Errorf("revoke without --member: %d %s", code, stderr)
	}
	st := openSQL(t, dir)
	defer st.Close()
	var got []string
	st.AuditEntries(context.Background(), func(e audit.Entry) error {
		if e.Action == "grant" || e.Action == "rotate" {
			got = append(got, e.Action+" by "+e.Actor)
		}
		return nil
	})
	// A revocation rotates the key and grants it anew to those who keep it.
	got = slices.Compact(got)
	want := []string{"grant by first-grant", "grant by ops desk", "rotate by zainab", "grant by zainab"}
	if !slices.Equal(got, want) {
		t.Errorf("audit entries %q, want %q", got, want)
	}
}

// TestMemberUnlockLockout: a member's password given to the command line
// counts towards the sign-in's lock like one typed at the sign-in page,
// and a locked account's key is not opened until the lock ends or the
// account is enabled again (the command line was a way round the lock).
func TestMemberUnlockLockout(t *testing.T) {
	dir := newData(t)
	t.Setenv("RASD_NEW_PASSWORD", "zainab password 1")
	run(t, "user", "add", "--data", dir, "--role", "protection", "zainab")
	run(t, "user", "add", "--data", dir, "--role", "analyst", "huda")
	if code, out, stderr := run(t, "keys", "grant", "--data", dir, "--user", "zainab", "--compartment", "protection"); code != 0 {
		t.Fatalf("first grant: %d %s%s", code, out, stderr)
	}
	grant := func() (int, string) {
		code, out, stderr := run(t, "keys", "grant", "--data", dir, "--member", "zainab", "--user", "huda", "--compartment", "protection")
		return code, out + stderr
	}
	t.Setenv("RASD_USER_PASSWORD", "a guess at it")
	for i := 1; i <= account.LockAfter; i++ {
		want := "own password"
		if i == account.LockAfter {
			want = "locked" // this guess locks it
		}
		if code, out := grant(); code != 1 || !strings.Contains(out, want) {
			t.Fatalf("guess %d: %d %s; want %q", i, code, out, want)
		}
	}
	t.Setenv("RASD_USER_PASSWORD", "zainab password 1")
	if code, out := grant(); code != 1 || !strings.Contains(out, "locked") {
		t.Fatalf("the right password after %d guesses: %d %s; want the account locked", account.LockAfter, code, out)
	}
	run(t, "user", "enable", "--data", dir, "zainab")
	if code, out := grant(); code != 0 {
		t.Fatalf("after 'rasd user enable': %d %s", code, out)
	}
}
