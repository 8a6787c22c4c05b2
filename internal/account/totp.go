package account

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base32"
	"encoding/hex"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"
)

// Period is the TOTP time step (RFC 6238 default).
const Period = 30

// NewTOTP creates a secret for an account and its otpauth:// URI (what
// authenticator apps scan or accept typed in).
func NewTOTP(issuer, username string) (secret string, uri string, err error) {
	key, err := totp.Generate(totp.GenerateOpts{Issuer: issuer, AccountName: username, Period: Period,
		SecretSize: 20, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
	if err != nil {
		return "", "", err
	}
	return key.Secret(), TOTPURI(issuer, username, key.Secret()), nil
}

// TOTPURI is the otpauth:// URI of secret (Key URI Format): the enrolment
// page draws it again as a QR code after a wrong code, from the pending
// secret alone.
func TOTPURI(issuer, username, secret string) string {
	u := url.URL{Scheme: "otpauth", Host: "totp", Path: "/" + issuer + ":" + username,
		RawQuery: url.Values{"secret": {secret}, "issuer": {issuer}, "algorithm": {"SHA1"},
			"digits": {"6"}, "period": {strconv.Itoa(Period)}}.Encode()}
	return u.String()
}

// MatchTOTP checks a six-digit code against the secret for the current
// step and one step either side (clock drift), and returns the matching
// step. The caller must then accept the step only once (store.UseTOTPStep).
func MatchTOTP(secret, code string, now time.Time) (step int64, ok bool) {
	code = strings.TrimSpace(strings.ReplaceAll(code, " ", ""))
	if len(code) != 6 {
		return 0, false
	}
	cur := now.Unix() / Period
	for _, s := range []int64{cur - 1, cur, cur + 1} {
		want, err := totp.GenerateCodeCustom(secret, time.Unix(s*Period, 0), totp.ValidateOpts{
			Period: Period, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
		if err == nil && subtle.ConstantTimeCompare([]byte(want), []byte(code)) == 1 {
			return s, true
		}
	}
	return 0, false
}

// RecoveryCodes makes n one-time codes to show the user once, and the
// hashes to store.
func RecoveryCodes(n int) (codes, hashes []string) {
	enc := base32.StdEncoding.WithPadding(base32.NoPadding)
	for range n {
		b := make([]byte, 10)
		rand.Read(b)
		c := strings.ToLower(enc.EncodeToString(b))
		c = fmt.Sprintf("%s-%s-%s-%s", c[0:4], c[4:8], c[8:12], c[12:16])
		codes = append(codes, c)
		hashes = append(hashes, HashRecoveryCode(c))
	}
	return codes, hashes
}

// HashRecoveryCode normalises what the user typed and hashes it. The codes
// carry 80 random bits, so a fast hash is enough.
func HashRecoveryCode(code string) string {
	c := strings.ToLower(strings.NewReplacer("-", "", " ", "").Replace(strings.TrimSpace(code)))
	sum := sha256.Sum256([]byte("rasd recovery " + c))
	return hex.EncodeToString(sum[:])
}
