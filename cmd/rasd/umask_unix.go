//go:build unix

package main

import "syscall"

// Files rasd creates (database, WAL, keyring, exports) are for its user
// only, whatever the shell's umask.
func init() { syscall.Umask(0o077) }
