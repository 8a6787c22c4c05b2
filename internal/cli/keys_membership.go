package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"text/tabwriter"

	"golang.org/x/term"

	"github.com/rasd-project/rasd/internal/accounts"
	"github.com/rasd-project/rasd/internal/config"
	"github.com/rasd-project/rasd/internal/keys"
	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/store"
)

// membership are the subcommands that change who holds a compartment key.
var membership = map[string]struct {
	summary string
	run     func(ctx context.Context, io IO, st store.Store, cfg *config.Config, user, compartment string) error
}{
	"list":   {"list the compartments, their key versions and members", keysList},
	"grant":  {"give a user a compartment's key (--member a member)", keysGrant},
	"revoke": {"take a compartment's key from a user: a new key for the rest", keysRevoke},
}

func init() {
	for name, m := range membership {
		keysCommands[name] = command{m.summary, func(ctx context.Context, io IO, args []string) error {
			return runMembership(ctx, io, name, args)
		}}
	}
}

func runMembership(ctx context.Context, io IO, sub string, args []string) error {
	var cfg config.Config
	var user, compartment string
	how := ""
	if sub != "list" {
		how = "--member MEMBER --user NAME --compartment " + strings.Join(model.Compartments, "|")
	}
	fs := flags(io, "keys "+sub, how)
	cfg.Register(fs)
	if sub != "list" {
		cfg.RegisterMember(fs, "member", "the `account` whose key of the compartment is used: a member of it, whose password is asked\n"+
			"(none for a compartment's first member)")
		readsEnv(fs, "RASD_USER_PASSWORD")
		fs.StringVar(&user, "user", "", "the `account` to "+sub)
		fs.StringVar(&compartment, "compartment", "", "compartment: "+strings.Join(model.Compartments, ", "))
	}
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 0 {
		return fmt.Errorf("%w: unexpected %q", ErrUsage, pos[0])
	}
	if sub != "list" && (user == "" || !slices.Contains(model.Compartments, compartment)) {
		return fmt.Errorf("%w: rasd keys %s --member MEMBER --user NAME --compartment %s", ErrUsage, sub, strings.Join(model.Compartments, "|"))
	}
	st, _, err := openData(ctx, &cfg, io)
	if err != nil {
		return err
	}
	defer st.Close()
	return membership[sub].run(ctx, io, st, &cfg, user, compartment)
}

// userPassword reads an account's password: from env (for scripts and
// tests) or asked on the terminal without echo.
func userPassword(io IO, env, prompt string) (string, error) {
	if p, ok := os.LookupEnv(env); ok {
		return p, nil
	}
	fd := int(io.Stdin.Fd())
	if !term.IsTerminal(fd) {
		return "", fmt.Errorf("no password: set %s or run in a terminal to be asked", env)
	}
	fmt.Fprint(io.Stderr, prompt)
	p, err := term.ReadPassword(fd)
	fmt.Fprintln(io.Stderr)
	return string(p), err
}

// member unlocks the --member account's private key with its password.
func member(ctx context.Context, io IO, st store.Store, name string) (keys.Identity, error) {
	if name == "" {
		return keys.Identity{}, fmt.Errorf("%w: give a compartment member with --member ('rasd keys list' shows them)", ErrUsage)
	}
	u, err := userNamed(ctx, st, name, "give a compartment member with --member")
	if err != nil {
		return keys.Identity{}, err
	}
	return unlockUser(ctx, io, st, u)
}

// userNamed is the account called name; next says what to do if there is none.
func userNamed(ctx context.Context, st store.Store, name, next string) (*model.User, error) {
	u, err := st.GetUserByName(ctx, name)
	if errors.Is(err, store.ErrNotFound) {
		return nil, fmt.Errorf("no account %q: %s", name, next)
	}
	return u, err
}

// unlockUser asks u's password and opens u's private key with it, under
// the sign-in's lockout rule: a wrong password counts towards the lock,
// and a locked account's key is not opened, so that the command line is
// no way round the lock. A disabled account's key opens nothing:
// disabling someone who left must also stop their password from sealing,
// granting or reading here.
func unlockUser(ctx context.Context, io IO, st store.Store, u *model.User) (keys.Identity, error) {
	if u.Disabled {
		return keys.Identity{}, fmt.Errorf("%s is disabled, and a disabled account's key is not used: give another member with --member, "+
			"or enable the account first ('rasd user enable %s')", u.Username, u.Username)
	}
	pw, err := userPassword(io, "RASD_USER_PASSWORD", "Password of "+u.Username+": ")
	if err != nil {
		return keys.Identity{}, err
	}
	v, err := accounts.New(st, accounts.Options{}).ConfirmPassword(ctx, u, pw)
	switch {
	case err != nil:
		return keys.Identity{}, err
	case v.Locked:
		return keys.Identity{}, fmt.Errorf("%s is locked after too many wrong passwords; try again later, or 'rasd user enable %s' unlocks it", u.Username, u.Username)
	case !v.OK:
		return keys.Identity{}, fmt.Errorf("%s: %w: give that account's own password (RASD_USER_PASSWORD, or typed when asked)", u.Username, keys.ErrWrongPassword)
	}
	priv, err := keys.Unseal(u, pw)
	if err != nil {
		return keys.Identity{}, fmt.Errorf("%s: %w", u.Username, err)
	}
	return keys.UserIdentity(u, priv), nil
}

func target(ctx context.Context, st store.Store, name string) (*model.User, error) {
	return userNamed(ctx, st, name, "'rasd user list' shows them")
}

func keysGrant(ctx context.Context, io IO, st store.Store, cfg *config.Config, name, compartment string) error {
	to, err := target(ctx, st, name)
	if err != nil {
		return err
	}
	var by keys.Identity
	if _, _, err := st.Compartment(ctx, compartment); err == nil { // the first grant needs no member
		if by, err = member(ctx, io, st, cfg.Member); err != nil {
			return err
		}
		defer by.Zero()
	}
	if err := keys.Grant(ctx, st, cfg.Actor, by, compartment, to); err != nil {
		return err
	}
	fmt.Fprintf(io.Stdout, "%s is now a member of %s.\n", name, compartment)
	return nil
}

func keysRevoke(ctx context.Context, io IO, st store.Store, cfg *config.Config, name, compartment string) error {
	u, err := target(ctx, st, name)
	if err != nil {
		return err
	}
	by, err := member(ctx, io, st, cfg.Member)
	if err != nil {
		return err
	}
	defer by.Zero()
	if err := keys.Revoke(ctx, st, cfg.Actor, by, compartment, u.ID); err != nil {
		return err
	}
	fmt.Fprintf(io.Stdout, "%s is no longer a member of %s: its key was replaced and its records re-keyed.\n", name, compartment)
	return nil
}

func keysList(ctx context.Context, io IO, st store.Store, _ *config.Config, _, _ string) error {
	users, err := st.ListUsers(ctx)
	if err != nil {
		return err
	}
	names := map[string]string{model.MemberRecovery: "(recovery key)"}
	for _, u := range users {
		names[u.ID] = u.Username
	}
	w := tabwriter.NewWriter(io.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "COMPARTMENT\tKEY VERSION\tRECORDS\tMEMBERS")
	for _, c := range model.Compartments {
		v, wraps, err := st.Compartment(ctx, c)
		if errors.Is(err, store.ErrNotFound) {
			fmt.Fprintf(w, "%s\t-\t0\t(none: 'rasd keys grant' creates it)\n", c)
			continue
		}
		if err != nil {
			return err
		}
		recs, err := st.CountSealed(ctx, c)
		if err != nil {
			return err
		}
		var members []string
		for _, m := range wraps {
			members = append(members, names[m.Member])
		}
		fmt.Fprintf(w, "%s\t%d\t%d\t%s\n", c, v, recs, strings.Join(members, ", "))
	}
	if _, err := st.RecoveryKey(ctx); errors.Is(err, store.ErrNotFound) {
		fmt.Fprintln(w, "\nNo recovery key: if every member of a compartment loses their password, its records are lost.")
	}
	return w.Flush()
}
