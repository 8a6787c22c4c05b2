package cli

import (
	"strings"
	"testing"
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
	if out := must(1, "keys", "grant", "--as", "zainab", "--user", "huda", "--compartment", "protection"); !strings.Contains(out, "password") {
		t.Errorf("wrong password: %s", out)
	}
	t.Setenv("RASD_USER_PASSWORD", "huda password 12")
	must(1, "keys", "grant", "--as", "huda", "--user", "huda", "--compartment", "protection") // not a member
	t.Setenv("RASD_USER_PASSWORD", "zainab password 1")
	must(0, "keys", "grant", "--as", "zainab", "--user", "huda", "--compartment", "protection")
	if out := must(0, "keys", "list"); !strings.Contains(out, "huda, zainab") && !strings.Contains(out, "zainab, huda") {
		t.Errorf("list after grant: %s", out)
	}
	must(0, "keys", "revoke", "--as", "zainab", "--user", "huda", "--compartment", "protection")
	if out := must(0, "keys", "list"); strings.Contains(out, "huda") || !strings.Contains(out, "protection   2") {
		t.Errorf("list after revoke: %s", out)
	}
	must(2, "keys", "grant", "--user", "huda", "--compartment", "nowhere")

	t.Setenv("RASD_NEW_PASSWORD", "zainab password 2")
	must(0, "user", "password", "zainab")
	must(1, "keys", "grant", "--as", "zainab", "--user", "huda", "--compartment", "protection") // old password
	t.Setenv("RASD_USER_PASSWORD", "zainab password 2")
	must(0, "keys", "grant", "--as", "zainab", "--user", "huda", "--compartment", "protection")

	must(0, "user", "reset", "zainab")
	if out := must(0, "keys", "list"); strings.Contains(out, "zainab") {
		t.Errorf("a reset account kept its grant: %s", out)
	}
}
