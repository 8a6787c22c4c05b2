// Package kdf holds the Argon2id costs with which rasd turns a secret a
// person knows (an account password, a member's key password, the
// keyring passphrase) into a key. They are not settable: production code
// cannot weaken them. A test binary may lower them, once and for the
// whole process, with LowerForTests.
package kdf

import (
	"sync/atomic"
	"testing"
)

// Params are Argon2id costs. They are stored beside every hash and sealed
// key they make, so changing them never locks anyone out.
type Params struct {
	Time      uint32 `json:"time"`
	MemoryKiB uint32 `json:"memory_kib"`
	Threads   uint8  `json:"threads"`
}

// standard is RFC 9106's second recommended option: 64 MiB, 3 passes, 4
// lanes.
var standard = Params{Time: 3, MemoryKiB: 64 * 1024, Threads: 4}

// lowered is what a test binary uses after LowerForTests: 1 MiB, 1 pass.
var lowered = Params{Time: 1, MemoryKiB: 1024, Threads: 1}

var low atomic.Bool

// Argon2id returns the costs for new hashes and sealed keys.
func Argon2id() Params {
	if low.Load() {
		return lowered
	}
	return standard
}

// LowerForTests makes every later Argon2id call in this process return
// test costs. It is one-way, so tests that call it may run in parallel,
// and it panics outside a test binary (go test), so that no command or
// server can be made to use weak costs.
func LowerForTests() {
	if !testing.Testing() {
		panic("kdf.LowerForTests called outside a test binary")
	}
	low.Store(true)
}
