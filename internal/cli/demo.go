package cli

import (
	"context"
	"fmt"
	"os"

	"github.com/rasd-project/rasd/internal/account"
	"github.com/rasd-project/rasd/internal/config"
	"github.com/rasd-project/rasd/internal/demo"
	"github.com/rasd-project/rasd/internal/keyring"
	"github.com/rasd-project/rasd/internal/keys"
	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/store"
	"github.com/rasd-project/rasd/internal/store/sqlite"
)

// DemoPassphrase unlocks demo data directories when RASD_PASSPHRASE is not
// set. Demo data is fictional; never put real records in a demo directory.
const DemoPassphrase = "rasd-demo-passphrase"

func runDemo(ctx context.Context, io IO, args []string) error {
	var cfg config.Config
	fs := flags(io, "demo", "")
	cfg.Register(fs)
	n := fs.Int("incidents", 300, "number of fictional incidents to generate")
	seed := fs.Int64("seed", 1, "random seed (the same seed gives the same data)")
	noServe := fs.Bool("no-serve", false, "only create the data; do not start the web interface")
	var sf serveFlags
	sf.register(fs)
	if _, err := parse(fs, args); err != nil {
		return err
	}
	if *n < 0 {
		return fmt.Errorf("%w: --incidents must be 0 or more", ErrUsage)
	}
	if _, ok := os.LookupEnv("RASD_PASSPHRASE"); !ok && cfg.KeyFile == "" {
		os.Setenv("RASD_PASSPHRASE", DemoPassphrase)
		fmt.Fprintf(io.Stderr, "Demo passphrase: %s (set RASD_PASSPHRASE to choose another)\n", DemoPassphrase)
	}
	if keyring.Exists(cfg.DataDir) {
		// Running the demo again serves the sample it made before.
		fmt.Fprintf(io.Stdout, "%s already holds data: serving it (choose another --data for a new sample).\n", cfg.DataDir)
		if *noServe {
			return nil
		}
		st, keys, err := openData(ctx, &cfg, io)
		if err != nil {
			return err
		}
		defer st.Close()
		sf.dataDir = cfg.DataDir
		return serve(ctx, io, st, keys, sf)
	}
	if err := initData(ctx, io, &cfg); err != nil {
		return err
	}
	keys, err := unlock(&cfg, io)
	if err != nil {
		return err
	}
	if err := fillDemo(ctx, io, &cfg, keys, *n, *seed); err != nil {
		return err
	}
	if *noServe {
		return nil
	}
	// Reopened without BulkImports: the server's imports share the database.
	st, err := openStore(ctx, &cfg, keys, false)
	if err != nil {
		return err
	}
	defer st.Close()
	sf.dataDir = cfg.DataDir
	return serve(ctx, io, st, keys, sf)
}

// fillDemo generates n incidents with seed into the new data directory,
// then the demo's accounts and restricted records. Nothing else has the
// database open yet, so the batches have it to themselves.
func fillDemo(ctx context.Context, io IO, cfg *config.Config, keys *keyring.Keys, n int, seed int64) error {
	st, err := openStore(ctx, cfg, keys, false, sqlite.BulkImports())
	if err != nil {
		return err
	}
	defer st.Close()
	gen := demo.New(demo.Options{Incidents: n, Seed: seed})
	report, done := progress(io, n, "generating")
	defer done()
	// Batches keep memory flat for large samples; each is all-or-nothing.
	const batch = 5000
	stored := 0
	for stored < n {
		incs := make([]model.Incident, 0, min(batch, n-stored))
		for len(incs) < cap(incs) {
			inc, ok := gen.Next()
			if !ok {
				break
			}
			incs = append(incs, inc)
		}
		if len(incs) == 0 {
			break
		}
		base := stored
		if _, err := st.ImportIncidents(ctx, "demo", incs, func(d int) { report(base + d) }); err != nil {
			return err
		}
		stored += len(incs)
	}
	done()
	fmt.Fprintf(io.Stdout, "Created %d fictional incidents in %s.\n", stored, cfg.DataDir)
	if err := demoUsers(ctx, io, st); err != nil {
		return err
	}
	return demoRestricted(ctx, st)
}

// demoGrants makes the protection and coordinator accounts members of
// both compartments (the first grant creates each compartment).
func demoGrants(ctx context.Context, st store.Store, u *model.User, pw string) error {
	if u.Role != model.RoleProtection && u.Role != model.RoleCoordinator {
		return nil
	}
	for _, c := range model.Compartments {
		var by keys.Identity
		if _, wraps, err := st.Compartment(ctx, c); err == nil && len(wraps) > 0 {
			first, err := st.GetUser(ctx, wraps[0].Member)
			if err != nil {
				return err
			}
			priv, err := keys.Unseal(first, "rasd-demo-"+first.Role)
			if err != nil {
				return err
			}
			by = keys.UserIdentity(first, priv)
		}
		err := keys.Grant(ctx, st, "demo", by, c, u)
		by.Zero()
		if err != nil {
			return err
		}
	}
	return nil
}

// demoRestricted seals fictional protection details for a few persons and
// the text of every restricted record, as the demo protection officer, so
// the restricted pages have something to show to members (and to hide
// from everyone else).
func demoRestricted(ctx context.Context, st store.Store) error {
	u, err := st.GetUserByName(ctx, model.RoleProtection)
	if err != nil {
		return err
	}
	priv, err := keys.Unseal(u, "rasd-demo-"+u.Role)
	if err != nil {
		return err
	}
	by := keys.UserIdentity(u, priv)
	defer by.Zero()
	persons, _, err := st.ListPersons(ctx, store.ListFilter{Visible: store.Visible{Levels: []string{model.VisibilityInternal}}, Limit: 3})
	if err != nil {
		return err
	}
	for i, p := range persons {
		v := model.PersonProtection{Contacts: fmt.Sprintf("+964 770 000 00%02d (fictional)", i),
			Whereabouts: "Fictional safe house " + string(rune('A'+i)), Relocation: "Fictional relocation plan, phase " + fmt.Sprint(i+1),
			Notes: "Demo note: threats reported by phone (fictional)."}
		if err := keys.Seal(ctx, st, "demo", by, store.KindPerson, p.ID, model.GroupPersonProtection, v); err != nil {
			return err
		}
	}
	// The generated restricted incidents and persons were imported before
	// the compartment existed: seal their text now, as 'keys seal-records' would.
	_, err = sealStored(ctx, st, "demo", by)
	return err
}

// demoUsers creates one account per role, with passwords printed: demo
// data is fictional, and each account still sets up TOTP at first sign-in.
func demoUsers(ctx context.Context, io IO, st store.Store) error {
	fmt.Fprintln(io.Stdout, "Demo accounts (each sets up an authenticator app at first sign-in):")
	for _, role := range model.Roles {
		pw := "rasd-demo-" + role
		u := &model.User{Username: role, Role: role, Lang: "ar", PasswordHash: account.HashPassword(pw)}
		if role == model.RoleAdmin {
			u.Lang = "en"
		}
		if err := keys.NewUserKey(u, pw); err != nil {
			return err
		}
		if err := st.CreateUser(ctx, "demo", u); err != nil {
			return err
		}
		if err := demoGrants(ctx, st, u, pw); err != nil {
			return err
		}
		fmt.Fprintf(io.Stdout, "  %-12s password %s\n", role, pw)
	}
	return nil
}
