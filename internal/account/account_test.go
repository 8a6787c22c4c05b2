package account

import (
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"
	"github.com/rasd-project/rasd/internal/kdf"
)

func init() { kdf.LowerForTests() }

func TestPassword(t *testing.T) {
	h := HashPassword("correct horse battery staple")
	if !strings.HasPrefix(h, "$argon2id$v=19$") {
		t.Fatalf("hash %q is not PHC Argon2id", h)
	}
	if h == HashPassword("correct horse battery staple") {
		t.Error("two hashes of one password are equal: no salt")
	}
	if !VerifyPassword(h, "correct horse battery staple") || VerifyPassword(h, "correct horse battery stapl") {
		t.Error("verification wrong")
	}
	for _, bad := range []string{"", "$argon2id$", "$argon2i$v=19$m=1024,t=1,p=1$AAAA$AAAA", strings.Replace(h, "m=1024", "m=99999999", 1)} {
		if VerifyPassword(bad, "x") {
			t.Errorf("malformed hash %q verified", bad)
		}
	}
	if CheckPassword("short") == nil || CheckPassword("a long enough password") != nil {
		t.Error("CheckPassword rules")
	}
}

func TestTOTP(t *testing.T) {
	secret, uri, err := NewTOTP("rasd", "zainab")
	if err != nil || !strings.HasPrefix(uri, "otpauth://totp/") {
		t.Fatalf("NewTOTP: %v %q", err, uri)
	}
	key, err := otp.NewKeyFromURL(uri)
	if err != nil || key.Secret() != secret || key.Issuer() != "rasd" || key.AccountName() != "zainab" ||
		key.Period() != Period || key.Digits() != otp.DigitsSix || key.Algorithm() != otp.AlgorithmSHA1 {
		t.Fatalf("the URI an app scans does not read back: %v %q", err, uri)
	}
	if again := TOTPURI("rasd", "zainab", secret); again != uri {
		t.Errorf("TOTPURI from the secret alone = %q, want %q (the QR after a wrong code)", again, uri)
	}
	now := time.Unix(56_666_666*Period, 0) // the start of a step
	code, _ := totp.GenerateCode(secret, now)
	step, ok := MatchTOTP(secret, code, now)
	if !ok || step != now.Unix()/Period {
		t.Fatalf("current code: %v %d", ok, step)
	}
	if _, ok := MatchTOTP(secret, code, now.Add((Period+29)*time.Second)); !ok {
		t.Error("code from the previous step refused (drift allowance)")
	}
	if _, ok := MatchTOTP(secret, code, now.Add(3*Period*time.Second)); ok {
		t.Error("stale code accepted")
	}
	if _, ok := MatchTOTP(secret, "12345", now); ok {
		t.Error("5-digit code accepted")
	}
}

func TestRecoveryCodes(t *testing.T) {
	codes, hashes := RecoveryCodes(10)
	seen := map[string]bool{}
	for i, c := range codes {
		if seen[c] || len(c) != 19 {
			t.Errorf("code %q repeated or malformed", c)
		}
		seen[c] = true
		if HashRecoveryCode(strings.ToUpper(strings.ReplaceAll(c, "-", " "))) != hashes[i] {
			t.Errorf("code %q does not hash to its stored hash when typed differently", c)
		}
	}
}

func TestLockout(t *testing.T) {
	if Delay(0) != 0 || Delay(SlowAfter) == 0 || Delay(100) > 5*time.Second {
		t.Error("delay rules")
	}
	c := NewClients([]byte("k"), time.Minute)
	now := time.Now()
	for range 3 {
		c.Fail("192.0.2.1", now)
	}
	if c.Failures("192.0.2.1", now) != 3 || c.Failures("192.0.2.2", now) != 0 {
		t.Error("per-client counts")
	}
	if c.Failures("192.0.2.1", now.Add(2*time.Minute)) != 0 {
		t.Error("window did not expire")
	}
	for k := range c.m {
		if strings.Contains(k, "192.0.2.1") {
			t.Error("client address kept in the clear")
		}
	}
	c.Reset("192.0.2.1")
	if c.Failures("192.0.2.1", now) != 0 {
		t.Error("reset")
	}
}
