package keyring

import (
	"bytes"
	"crypto/ecdh"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func setupRecovery(t *testing.T, m, n int) (string, *Keys, []Share) {
	t.Helper()
	dir := t.TempDir()
	k, err := Create(dir, Secret{Passphrase: []byte("correct horse battery")})
	if err != nil {
		t.Fatal(err)
	}
	shares, err := k.SetupRecovery(dir, m, n)
	if err != nil {
		t.Fatal(err)
	}
	if len(shares) != n {
		t.Fatalf("%d shares, want %d", len(shares), n)
	}
	return dir, k, shares
}

// parsed round-trips shares through their text form, as recovery does.
func parsed(t *testing.T, shares ...Share) []Share {
	t.Helper()
	var text strings.Builder
	for _, s := range shares {
		text.WriteString(s.Text() + "\n")
	}
	out, err := ParseShares(text.String())
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestRecoveryThresholdWorksAndOneFewerFails(t *testing.T) {
	for _, c := range []struct{ m, n int }{{2, 3}, {3, 5}, {1, 1}} {
		dir, k, shares := setupRecovery(t, c.m, c.n)
		// Every window of m consecutive shares (wrapping) opens the keyring.
		for start := range c.n {
			var pick []Share
			for i := range c.m {
				pick = append(pick, shares[(start+i)%c.n])
			}
			rk, err := Combine(parsed(t, pick...))
			if err != nil {
				t.Fatalf("%d of %d: %v", c.m, c.n, err)
			}
			k2, err := UnlockRecovery(dir, rk)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(k.Derive("database"), k2.Derive("database")) {
				t.Fatal("recovered keys differ")
			}
		}
		if c.m > 1 {
			_, err := Combine(parsed(t, shares[:c.m-1]...))
			if err == nil || !strings.Contains(err.Error(), "not enough recovery shares") {
				t.Errorf("%d of %d with %d shares: err = %v", c.m, c.n, c.m-1, err)
			}
			// The same share twice is still one share.
			dup := append(shares[:c.m-1:c.m-1], shares[0])
			if _, err := Combine(dup); err == nil {
				t.Error("a repeated share counted twice")
			}
		}
	}
}

func TestRecoveryPublicKeyMatchesShares(t *testing.T) {
	dir, _, shares := setupRecovery(t, 2, 3)
	pub, id, err := RecoveryPublicKey(dir)
	if err != nil {
		t.Fatal(err)
	}
	rk, err := Combine(shares[1:])
	if err != nil {
		t.Fatal(err)
	}
	if !pub.Equal(rk.PublicKey()) || id != rk.KeyID() || id != shares[0].KeyID {
		t.Fatal("stored recovery public key or key id differs from the shares'")
	}
	// The private key is usable: an X25519 agreement with it matches.
	eph, _ := ecdh.X25519().GenerateKey(nil)
	a, _ := eph.ECDH(pub)
	b, _ := rk.PrivateKey().ECDH(eph.PublicKey())
	if !bytes.Equal(a, b) {
		t.Fatal("recovery private key does not match the public key")
	}
	// Neither the private key nor the secret is in the data directory.
	raw, _ := os.ReadFile(filepath.Join(dir, FileName))
	if bytes.Contains(raw, rk.PrivateKey().Bytes()) || bytes.Contains(raw, rk.secret) {
		t.Fatal("the recovery key is stored in the keyring")
	}
	for _, s := range shares {
		if bytes.Contains(raw, s.Value[:]) {
			t.Fatal("a share is stored in the keyring")
		}
	}
}

func TestRecoveryDetectsDamageAndMixing(t *testing.T) {
	dir, _, shares := setupRecovery(t, 2, 3)
	// One changed hex digit in the value: the checksum refuses it.
	line := shares[0].String()
	i := len(sharePrefix) + 16 + 10
	flip := map[byte]byte{'0': '1'}[line[i]]
	if flip == 0 {
		flip = '0'
	}
	bad := line[:i] + string(flip) + line[i+1:]
	if _, err := ParseShare(bad); err == nil || !strings.Contains(err.Error(), "checksum") {
		t.Errorf("damaged share: err = %v", err)
	}
	if _, err := ParseShares("hello\n" + bad + "\n" + shares[1].String()); err == nil {
		t.Error("ParseShares accepted a damaged share among good ones")
	}
	// A share altered with a fresh checksum is caught by the key id check.
	forged := shares[0]
	forged.Value[5] ^= 1
	if _, err := Combine([]Share{forged, shares[1]}); err == nil {
		t.Error("a forged share combined without error")
	}
	// Shares of another organisation are refused, alone or mixed.
	other, _, oshares := setupRecovery(t, 2, 3)
	if _, err := Combine([]Share{shares[0], oshares[1]}); err == nil || !strings.Contains(err.Error(), "different recovery keys") {
		t.Errorf("mixed shares: err = %v", err)
	}
	ork, err := Combine(oshares[:2])
	if err != nil {
		t.Fatal(err)
	}
	if _, err := UnlockRecovery(dir, ork); err == nil {
		t.Error("another organisation's recovery key opened the keyring")
	}
	if _, err := UnlockRecovery(other, ork); err != nil {
		t.Fatal(err)
	}
	// A passphrase is not a recovery key and vice versa.
	if _, err := Unlock(dir, Secret{Passphrase: ork.secret}); err == nil {
		t.Error("recovery secret opened a passphrase slot")
	}
}

func TestRecoveryReplacesPassphrase(t *testing.T) {
	dir, k, shares := setupRecovery(t, 2, 3)
	rk, err := Combine(shares[:2])
	if err != nil {
		t.Fatal(err)
	}
	k2, err := UnlockRecovery(dir, rk)
	if err != nil {
		t.Fatal(err)
	}
	if err := k2.ReplacePassphrases(dir, Secret{Passphrase: []byte("a new long passphrase")}); err != nil {
		t.Fatal(err)
	}
	if _, err := Unlock(dir, Secret{Passphrase: []byte("correct horse battery")}); !errors.Is(err, ErrWrongPassphrase) {
		t.Errorf("the lost passphrase still opens: %v", err)
	}
	k3, err := Unlock(dir, Secret{Passphrase: []byte("a new long passphrase")})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(k.Derive("x"), k3.Derive("x")) {
		t.Fatal("new passphrase opens different keys")
	}
	// Recovery still works afterwards (the recovery slot was kept).
	if _, err := UnlockRecovery(dir, rk); err != nil {
		t.Fatal(err)
	}
	// A new recovery key retires the old shares.
	if _, err := k3.SetupRecovery(dir, 2, 3); err != nil {
		t.Fatal(err)
	}
	if _, err := UnlockRecovery(dir, rk); err == nil {
		t.Error("old shares still open after a new recovery key")
	}
	// After Destroy, nothing opens.
	if _, err := Destroy(dir); err != nil {
		t.Fatal(err)
	}
	if _, err := UnlockRecovery(dir, rk); !errors.Is(err, ErrNoKeyring) {
		t.Errorf("after Destroy: %v", err)
	}
}

func TestRecoveryParams(t *testing.T) {
	dir := t.TempDir()
	k, _ := Create(dir, Secret{Passphrase: []byte("correct horse battery")})
	for _, c := range [][2]int{{0, 3}, {4, 3}, {2, 0}, {2, MaxShares + 1}} {
		if _, err := k.SetupRecovery(dir, c[0], c[1]); err == nil {
			t.Errorf("%d of %d accepted", c[0], c[1])
		}
	}
	if _, _, err := RecoveryPublicKey(dir); !errors.Is(err, ErrNoRecovery) {
		t.Errorf("no recovery: %v", err)
	}
}

func FuzzParseShares(f *testing.F) {
	dir := f.TempDir()
	k, _ := Create(dir, Secret{Passphrase: []byte("correct horse battery")})
	shares, err := k.SetupRecovery(dir, 2, 3)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(shares[0].Text() + shares[2].String())
	f.Add("rasdshare1-0123456789abcdef-2of3-1-" + strings.Repeat("00", 32) + "-00000000")
	f.Add("x\nrasdshare1-\n")
	f.Fuzz(func(t *testing.T, text string) {
		shares, err := ParseShares(text)
		if err != nil {
			return
		}
		for _, s := range shares {
			again, err := ParseShare(s.String())
			if err != nil || again != s {
				t.Fatalf("share does not round-trip: %v", err)
			}
		}
		Combine(shares) // must not panic
	})
}
