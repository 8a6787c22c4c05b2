package web

import "github.com/rasd-project/rasd/internal/accounts"

// hashToken is how the store keys a session: tests look sessions up by it.
func hashToken(t string) string { return accounts.HashToken(t) }
