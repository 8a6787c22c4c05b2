package keyring

import (
	"bytes"
	"errors"
	"fmt"
	"unicode"
	"unicode/utf8"
)

// MinPassphrase is the shortest keyring passphrase accepted, in
// characters. Whoever copies the keyring can guess offline at Argon2id's
// pace; 12 characters of a few random words keeps that out of reach.
const MinPassphrase = 12

// CheckPassphrase says what is wrong with a new keyring passphrase, or nil.
// Beyond the length it refuses what a guesser tries first: one character
// or a short pattern repeated, and the most common passwords.
func CheckPassphrase(p []byte) error {
	if !utf8.Valid(p) {
		return errors.New("the passphrase is not valid UTF-8 text: type it again")
	}
	n := utf8.RuneCount(p)
	if n < MinPassphrase {
		return fmt.Errorf("passphrase too short (%d characters): use at least %d, for example four random words", n, MinPassphrase)
	}
	if n > 1024 {
		return errors.New("passphrase too long: use at most 1024 characters")
	}
	distinct := map[rune]bool{}
	for _, r := range string(p) {
		distinct[r] = true
	}
	if len(distinct) < 5 {
		return errors.New("passphrase too easy to guess: it repeats a few characters; use a few random words")
	}
	low := bytes.ToLower(p)
	for period := 1; period <= len(low)/3; period++ {
		if repeats(low, period) {
			return errors.New("passphrase too easy to guess: it repeats one short pattern; use a few random words")
		}
	}
	// What is left once the common passwords, digits and punctuation are
	// taken out must still be a few letters.
	rest, found := low, ""
	for _, w := range common {
		if bytes.Contains(rest, []byte(w)) {
			rest, found = bytes.ReplaceAll(rest, []byte(w), nil), w
		}
	}
	if found != "" && len(bytes.TrimFunc(bytes.Map(onlyLetters, rest), unicode.IsSpace)) < 6 {
		return fmt.Errorf("passphrase too easy to guess: it is built on %q, among the first a guesser tries; use a few random words", found)
	}
	return nil
}

func onlyLetters(r rune) rune {
	if unicode.IsLetter(r) {
		return r
	}
	return -1
}

// repeats reports whether p is one pattern of period bytes over and over.
func repeats(p []byte, period int) bool {
	for i := period; i < len(p); i++ {
		if p[i] != p[i-period] {
			return false
		}
	}
	return true
}

// common are passwords from the top of every leaked-password list.
var common = []string{
	"password", "passw0rd", "123456789", "qwerty", "letmein", "welcome", "iloveyou",
	"admin", "abc123", "111111", "123123", "monkey", "dragon", "football", "baseball",
	"sunshine", "princess", "trustno1", "changeme", "secret", "master", "superman",
	"rasd", "asdfgh", "zxcvbn", "1q2w3e", "qazwsx",
}
