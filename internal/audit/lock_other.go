//go:build !unix

package audit

// lockPath has no lock between processes outside Unix: there, only one
// rasd process may use a data directory at a time (docs/audit.md).
func lockPath(string) (func(), error) { return func() {}, nil }
