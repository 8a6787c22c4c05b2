package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/rasd-project/rasd/internal/account"
	"github.com/rasd-project/rasd/internal/accounts"
	"github.com/rasd-project/rasd/internal/config"
	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/store"
)

func init() {
	u := groups["user"]
	u["add"] = command{"add an account (RASD_NEW_PASSWORD, or a random password shown once)", runUserAdd}
	u["list"] = command{"list accounts, their roles and whether their authenticator is set up", func(ctx context.Context, io IO, args []string) error {
		return userCommand(ctx, io, "list", args, nil, func(ctx context.Context, acc *accounts.Service, _, _ string) error {
			return listUsers(ctx, io, acc)
		})
	}}
	u["role"] = command{"change an account's role (--role)", runUserRole}
	for what, summary := range map[string]string{
		"disable":  "disable an account and end its sessions",
		"enable":   "enable an account again (also lifts a sign-in lockout)",
		"reset":    "give an account a new password and authenticator (RASD_NEW_PASSWORD)",
		"password": "change an account's password, knowing the current one",
	} {
		u[what] = command{summary, func(ctx context.Context, io IO, args []string) error {
			return userCommand(ctx, io, what, args, nil, func(ctx context.Context, acc *accounts.Service, actor, name string) error {
				return changeUser(ctx, io, acc, actor, what, name, "")
			})
		}}
	}
}

func runUserAdd(ctx context.Context, io IO, args []string) error {
	var role, lang *string
	return userCommand(ctx, io, "add", args, func(fs *flag.FlagSet) func() error {
		role = fs.String("role", model.RoleDocumenter, "the account's role: "+strings.Join(model.Roles, ", "))
		lang = fs.String("lang", "ar", "interface "+langUsage)
		return func() error { return checkLang(*lang) }
	}, func(ctx context.Context, acc *accounts.Service, actor, name string) error {
		return addUser(ctx, io, acc, actor, name, *role, *lang)
	})
}

func runUserRole(ctx context.Context, io IO, args []string) error {
	var role *string
	return userCommand(ctx, io, "role", args, func(fs *flag.FlagSet) func() error {
		role = fs.String("role", "", "the new role: "+strings.Join(model.Roles, ", ")+" (required)")
		return func() error {
			if *role == "" {
				return fmt.Errorf("%w: rasd user role NAME --role ROLE", ErrUsage)
			}
			return nil
		}
	}, func(ctx context.Context, acc *accounts.Service, actor, name string) error {
		return changeUser(ctx, io, acc, actor, "role", name, *role)
	})
}

// userCommand parses 'rasd user WHAT [NAME]' with the data flags and those
// more registers (more returns the check of their values, run after
// parsing), then runs do on the opened accounts.
func userCommand(ctx context.Context, io IO, what string, args []string, more func(*flag.FlagSet) func() error,
	do func(ctx context.Context, acc *accounts.Service, actor, name string) error) error {
	var cfg config.Config
	usage := "NAME"
	if what == "list" {
		usage = ""
	}
	fs := flags(io, "user "+what, usage)
	cfg.Register(fs)
	switch what {
	case "add", "reset":
		readsEnv(fs, "RASD_NEW_PASSWORD")
	case "password":
		readsEnv(fs, "RASD_USER_PASSWORD", "RASD_NEW_PASSWORD")
	}
	check := func() error { return nil }
	if more != nil {
		check = more(fs)
	}
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != len(strings.Fields(usage)) {
		return fmt.Errorf("%w: rasd user %s %s", ErrUsage, what, usage)
	}
	if err := check(); err != nil {
		return err
	}
	st, _, err := openData(ctx, &cfg, io)
	if err != nil {
		return err
	}
	defer st.Close()
	return do(ctx, accounts.New(st, accounts.Options{}), cfg.Actor, strings.Join(pos, ""))
}

// newPassword takes RASD_NEW_PASSWORD, or makes a random one to show once.
func newPassword() (pw string, generated bool) {
	if p := os.Getenv("RASD_NEW_PASSWORD"); p != "" {
		return p, false
	}
	return accounts.GeneratePassword(), true
}

// checkNewAccount refuses, before anything is made, a name or a
// RASD_NEW_PASSWORD that accounts.Create would refuse ('rasd init').
func checkNewAccount(name string) error {
	if err := accounts.CheckName(name); err != nil {
		return asUsage(err)
	}
	if pw, generated := newPassword(); !generated {
		return account.CheckPassword(pw)
	}
	return nil
}

// asUsage marks input the command line should have given otherwise as
// wrong usage (exit status 2).
func asUsage(err error) error {
	if errors.As(err, new(*accounts.InputError)) {
		return fmt.Errorf("%w: %w", ErrUsage, err)
	}
	return err
}

func addUser(ctx context.Context, io IO, acc *accounts.Service, actor, name, role, lang string) error {
	pw, generated := newPassword()
	if _, err := acc.Create(ctx, actor, accounts.NewUser{Name: name, Role: role, Lang: lang, Password: pw}); err != nil {
		return asUsage(err)
	}
	fmt.Fprintf(io.Stdout, "Added %s (%s).\n", name, role)
	if generated {
		fmt.Fprintf(io.Stdout, "Password (shown once; give it to them privately): %s\n", pw)
	}
	fmt.Fprintln(io.Stdout, "They set up their authenticator app at first sign-in.")
	return nil
}

func listUsers(ctx context.Context, io IO, acc *accounts.Service) error {
	// Accounts refused as tampered are left out, and said so after the list.
	users, refused := acc.List(ctx)
	if refused != nil && !errors.Is(refused, store.ErrTampered) {
		return refused
	}
	w := tabwriter.NewWriter(io.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "NAME\tROLE\tAUTHENTICATOR\tSTATUS")
	for _, u := range users {
		mfa, status := "not set up", "active"
		if u.Enrolled() {
			mfa = "set up"
		}
		if u.Disabled {
			status = "disabled"
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\n", u.Username, u.Role, mfa, status)
	}
	if err := w.Flush(); err != nil {
		return err
	}
	return refused
}

// changeUser disables, enables, resets an account, changes its password
// or its role (package accounts says what each does to its sessions).
func changeUser(ctx context.Context, io IO, acc *accounts.Service, actor, what, name, role string) error {
	u, err := acc.ByName(ctx, name)
	if errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("no user %q ('rasd user list' shows them)", name)
	}
	if err != nil {
		return err
	}
	switch what {
	case "disable":
		n, err := acc.Disable(ctx, actor, u)
		if err != nil {
			return err
		}
		fmt.Fprintf(io.Stdout, "%s: disabled; %s ended.\n", name, sessions(n))
	case "enable":
		if err := acc.Enable(ctx, actor, u); err != nil {
			return err
		}
		fmt.Fprintf(io.Stdout, "%s: enabled.\n", name)
	case "role":
		if err := acc.SetRole(ctx, actor, u, role); err != nil {
			return asUsage(err)
		}
		fmt.Fprintf(io.Stdout, "%s: role %s.\n", name, role)
	case "reset":
		pw, generated := newPassword()
		n, err := acc.Reset(ctx, actor, u, pw)
		if err != nil {
			return err
		}
		fmt.Fprintf(io.Stdout, "%s: reset; %s ended.\n", name, sessions(n))
		if generated {
			fmt.Fprintf(io.Stdout, "New password (shown once): %s\n", pw)
		}
		fmt.Fprintln(io.Stdout, "They set up their authenticator again at next sign-in.")
		fmt.Fprintln(io.Stdout, "Their old key pair is gone with the old password: a member must grant them their compartments again ('rasd keys grant').")
	case "password":
		return changePassword(ctx, io, acc, actor, u)
	}
	return nil
}

// changePassword changes name's password, knowing the current one, under
// the sign-in's rules: a wrong current password counts towards the
// account's lockout.
func changePassword(ctx context.Context, io IO, acc *accounts.Service, actor string, u *model.User) error {
	old, err := userPassword(io, "RASD_USER_PASSWORD", "Current password of "+u.Username+": ")
	if err != nil {
		return err
	}
	pw, err := userPassword(io, "RASD_NEW_PASSWORD", "New password: ")
	if err != nil {
		return err
	}
	res, err := acc.ChangePassword(ctx, actor, u, accounts.PasswordChange{Current: old, New: pw, Again: pw})
	clear(res.Key)
	if errors.Is(err, accounts.ErrWrongPassword) && res.Locked {
		return fmt.Errorf("%w (or the account is locked after too many wrong ones: 'rasd user enable %s' unlocks it)", err, u.Username)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(io.Stdout, "%s: password changed, and their private key sealed again under it; %s ended.\n", u.Username, sessions(res.Ended))
	return nil
}

func sessions(n int) string {
	if n == 1 {
		return "1 session"
	}
	return fmt.Sprintf("%d sessions", n)
}
