package cli

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/rasd-project/rasd/internal/accounts"
	"github.com/rasd-project/rasd/internal/config"
	"github.com/rasd-project/rasd/internal/demo"
	"github.com/rasd-project/rasd/internal/incidents"
	"github.com/rasd-project/rasd/internal/instance"
	"github.com/rasd-project/rasd/internal/justice"
	"github.com/rasd-project/rasd/internal/keyring"
	"github.com/rasd-project/rasd/internal/keys"
	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/protection"
	"github.com/rasd-project/rasd/internal/records"
	"github.com/rasd-project/rasd/internal/store"
)

// DemoPassphrase unlocks demo data directories when RASD_PASSPHRASE is not
// set. Demo data is fictional; never put real records in a demo directory.
const DemoPassphrase = "rasd-demo-passphrase"

func runDemo(ctx context.Context, io IO, args []string) error {
	var cfg config.Config
	fs := flags(io, "demo", "")
	cfg.Register(fs)
	readsEnv(fs, "GOMEMLIMIT")
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
		in, err := open(ctx, &cfg, io)
		if err != nil {
			return err
		}
		defer in.Close()
		sf.dataDir = cfg.DataDir
		return serve(ctx, io, in, sf)
	}
	in, err := initData(ctx, io, &cfg, instance.CreateOptions{})
	if err != nil {
		return err
	}
	in.Close() // reopened for the import alone, then for the server
	if err := fillDemo(ctx, io, &cfg, in.Keys, *n, *seed); err != nil {
		return err
	}
	if *noServe {
		return nil
	}
	// Reopened without BulkImports: the server's imports share the database.
	in, err = instance.OpenKeys(ctx, cfg, in.Keys)
	if err != nil {
		return err
	}
	defer in.Close()
	sf.dataDir = cfg.DataDir
	return serve(ctx, io, in, sf)
}

// fillDemo creates the demo's accounts, then generates n incidents with
// seed into the new data directory, restricted ones sealed as the demo
// protection officer, and a few persons' protection details. Nothing else
// has the database open yet, so the import has it to itself.
func fillDemo(ctx context.Context, io IO, cfg *config.Config, k *keyring.Keys, n int, seed int64) error {
	in, err := instance.OpenKeys(ctx, *cfg, k, instance.BulkImports())
	if err != nil {
		return err
	}
	defer in.Close()
	st := in.Store
	if err := demoUsers(ctx, io, st); err != nil {
		return err
	}
	by, err := demoOfficer(ctx, st)
	if err != nil {
		return err
	}
	defer by.Zero()
	stored, err := demoIncidents(ctx, io, st, by, n, seed)
	if err != nil {
		return err
	}
	fmt.Fprintf(io.Stdout, "Created %d fictional incidents in %s.\n", stored, cfg.DataDir)
	if err := demoProtection(ctx, st, by); err != nil {
		return err
	}
	if err := demoAtRisk(ctx, st, by); err != nil {
		return err
	}
	return demoAccountability(ctx, st)
}

// demoAccountability adds the fictional commitments, committees and
// judicial steps (package justice) as the demo analyst.
func demoAccountability(ctx context.Context, st store.Store) error {
	u, err := st.GetUserByName(ctx, model.RoleAnalyst)
	if err != nil {
		return err
	}
	noKey := func(context.Context) (*keys.RecordSealer, string, error) { return nil, records.ErrNeedsKey, nil }
	return justice.New(st, time.Now).Demo(ctx, u, noKey)
}

// demoAtRisk adds the fictional threats, hit list and protection cases
// (package protection) as the demo protection officer.
func demoAtRisk(ctx context.Context, st store.Store, by keys.Identity) error {
	u, err := st.GetUserByName(ctx, model.RoleProtection)
	if err != nil {
		return err
	}
	seal := func(ctx context.Context) (*keys.RecordSealer, string, error) {
		rs, err := keys.NewRecordSealer(ctx, st, by)
		return rs, "", err
	}
	return protection.New(st, nil).Demo(ctx, u, seal)
}

// demoIncidents imports n generated incidents in one transaction, as an
// import of a file: the generator runs ahead of the store on its own
// goroutine and holds no more than it has made (it starts again if the
// store reads the records twice). Restricted records are sealed as they
// are stored, as 'rasd import --member' seals them, and every record passes
// the rules an imported one does (package incidents).
func demoIncidents(ctx context.Context, io IO, st store.Store, by keys.Identity, n int, seed int64) (int, error) {
	rs, err := keys.NewRecordSealer(ctx, st, by)
	if err != nil {
		return 0, err
	}
	defer rs.Close()
	records := func(yield func(*model.Incident) error) error {
		gen := demo.New(demo.Options{Incidents: n, Seed: seed, Twice: demoTwice})
		for inc, ok := gen.Next(); ok; inc, ok = gen.Next() {
			if err := yield(&inc); err != nil {
				return err
			}
		}
		return nil
	}
	report, done := progress(io, n, "generating")
	defer done()
	res, err := incidents.New(st, nil).Import(ctx, "demo", n, records, rs, report)
	return res.Created, err
}

// demoTwice: every 25th demo event is reported a second time, as a
// partner would, so that the review of duplicates has pairs to show
// (docs/duplicates.md).
const demoTwice = 25

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

// demoOfficer is the demo protection officer, a member of both
// compartments, who seals the demo's restricted records.
func demoOfficer(ctx context.Context, st store.Store) (keys.Identity, error) {
	u, err := st.GetUserByName(ctx, model.RoleProtection)
	if err != nil {
		return keys.Identity{}, err
	}
	priv, err := keys.Unseal(u, "rasd-demo-"+u.Role)
	if err != nil {
		return keys.Identity{}, err
	}
	return keys.UserIdentity(u, priv), nil
}

// demoProtection seals fictional protection details for a few persons, as
// the demo protection officer, so the restricted pages have something to
// show to members (and to hide from everyone else).
func demoProtection(ctx context.Context, st store.Store, by keys.Identity) error {
	persons, _, err := st.Persons().List(ctx, store.ListFilter{Visible: store.Visible{Levels: []string{model.VisibilityInternal}}, Limit: 3})
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
	return nil
}

// demoUsers creates one account per role, with passwords printed: demo
// data is fictional, and each account still sets up TOTP at first sign-in.
func demoUsers(ctx context.Context, io IO, st store.Store) error {
	fmt.Fprintln(io.Stdout, "Demo accounts (each sets up an authenticator app at first sign-in):")
	acc := accounts.New(st, accounts.Options{})
	for _, role := range model.Roles {
		pw, lang := "rasd-demo-"+role, "ar"
		if role == model.RoleAdmin {
			lang = "en"
		}
		u, err := acc.Create(ctx, "demo", accounts.NewUser{Name: role, Role: role, Lang: lang, Password: pw})
		if err != nil {
			return err
		}
		if err := demoGrants(ctx, st, u, pw); err != nil {
			return err
		}
		fmt.Fprintf(io.Stdout, "  %-12s password %s\n", role, pw)
	}
	return nil
}
