// Command websession prepares a load test of the web interface without a
// browser: it opens a data directory (unlocked with RASD_PASSPHRASE; its
// store in PostgreSQL if RASD_DB names one, as for rasd serve),
// creates a coordinator account for the benchmark if there is none, stores
// a signed-in, second-factor-verified session for it directly, and prints
// the session cookie's value. With -ids it also writes the ID and code of
// every incident, one "id code" pair a line, for the load script to pick
// from.
//
// It must run while no server holds the database, and only against demo
// or test data: the session it makes skips the password and TOTP steps.
//
//	RASD_PASSPHRASE=… go run ./bench/websession -data DIR -ids ids.txt
package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/rasd-project/rasd/internal/accounts"
	"github.com/rasd-project/rasd/internal/keyring"
	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/store"
	"github.com/rasd-project/rasd/internal/store/postgres"
	"github.com/rasd-project/rasd/internal/store/sqlite"
	"github.com/rasd-project/rasd/internal/store/sqlstore"
)

func main() {
	data := flag.String("data", "", "data directory (from rasd demo or rasd init)")
	name := flag.String("user", "bench", "account to sign in (created as a coordinator if missing)")
	ids := flag.String("ids", "", "write every incident's ID and code to this file")
	ttl := flag.Duration("ttl", 12*time.Hour, "session lifetime (the server's own limits still apply)")
	flag.Parse()
	if err := run(context.Background(), *data, *name, *ids, *ttl); err != nil {
		fmt.Fprintln(os.Stderr, "websession:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, dir, name, idsPath string, ttl time.Duration) error {
	pass, ok := os.LookupEnv("RASD_PASSPHRASE")
	if dir == "" || !ok {
		return errors.New("give -data DIR and set RASD_PASSPHRASE")
	}
	keys, err := keyring.Unlock(dir, keyring.Secret{Passphrase: []byte(pass)})
	if err != nil {
		return err
	}
	// The store rasd serve opens: RASD_DB's PostgreSQL, or the data
	// directory's SQLite file.
	var st *sqlstore.DB
	if url := os.Getenv("RASD_DB"); url != "" {
		st, err = postgres.Open(ctx, url, keys.Derive("audit"))
	} else {
		st, err = sqlite.Open(ctx, filepath.Join(dir, sqlite.FileName), keys.Derive("database"), keys.Derive("audit"))
	}
	if err != nil {
		return err
	}
	defer st.Close()

	acc := accounts.New(st, accounts.Options{MaxAge: ttl})
	u, err := acc.ByName(ctx, name)
	if errors.Is(err, store.ErrNotFound) {
		u, err = acc.Create(ctx, "bench", accounts.NewUser{Name: name, Role: model.RoleCoordinator, Lang: "en",
			Password: accounts.GeneratePassword()}) // nobody knows the password
	}
	if err != nil {
		return fmt.Errorf("account %s: %w", name, err)
	}
	tok, _, err := acc.Start(ctx, u, true, "", nil) // verified: the steps of signing in skipped
	if err != nil {
		return fmt.Errorf("session: %w", err)
	}
	if idsPath != "" {
		if err := writeIDs(ctx, st, idsPath); err != nil {
			return err
		}
	}
	fmt.Println(tok)
	return nil
}

func writeIDs(ctx context.Context, st store.Store, path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	all := store.Visible{Levels: []string{model.VisibilityPublic, model.VisibilityInternal, model.VisibilityRestricted}}
	const page = 1000 // the store's largest page
	for off := 0; ; {
		hits, total, err := st.ListIncidents(ctx, store.IncidentFilter{Visible: all, Sort: "code", Limit: page, Offset: off})
		if err != nil {
			return err
		}
		for _, h := range hits {
			fmt.Fprintf(w, "%s %s\n", h.ID, h.Code)
		}
		off += len(hits)
		if len(hits) == 0 || off >= total {
			break
		}
	}
	if err := w.Flush(); err != nil {
		return err
	}
	return f.Close()
}
