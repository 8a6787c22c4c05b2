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

func runUser(ctx context.Context, io IO, args []string) error {
	var cfg config.Config
	fs := flags(io, "user", "add|list|disable|enable|reset|password|role [NAME]")
	cfg.Register(fs)
	readsEnv(fs, "RASD_NEW_PASSWORD", "RASD_USER_PASSWORD")
	role := fs.String("role", model.RoleDocumenter, "role for 'add' and 'role': "+strings.Join(model.Roles, ", "))
	lang := fs.String("lang", "ar", "interface "+langUsage+" (for 'add')")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if err := checkLang(*lang); err != nil {
		return err
	}
	if len(pos) == 0 {
		return fmt.Errorf("%w: give add, list, disable, enable, reset, password or role", ErrUsage)
	}
	if pos[0] != "list" && len(pos) != 2 {
		return fmt.Errorf("%w: rasd user %s NAME", ErrUsage, pos[0])
	}
	roleGiven := false
	fs.Visit(func(f *flag.Flag) { roleGiven = roleGiven || f.Name == "role" })
	if pos[0] == "role" && !roleGiven {
		return fmt.Errorf("%w: rasd user role NAME --role ROLE", ErrUsage)
	}
	st, _, err := openData(ctx, &cfg, io)
	if err != nil {
		return err
	}
	defer st.Close()
	acc := accounts.New(st, accounts.Options{})
	switch pos[0] {
	case "list":
		return listUsers(ctx, io, acc)
	case "add":
		return addUser(ctx, io, acc, cfg.Actor, pos[1], *role, *lang)
	case "disable", "enable", "reset", "password", "role":
		return changeUser(ctx, io, acc, cfg.Actor, pos[0], pos[1], *role)
	}
	return fmt.Errorf("%w: unknown user command %q", ErrUsage, pos[0])
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
