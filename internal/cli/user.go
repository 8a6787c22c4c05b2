package cli

import (
	"context"
	"crypto/rand"
	"encoding/base32"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/rasd-project/rasd/internal/account"
	"github.com/rasd-project/rasd/internal/config"
	"github.com/rasd-project/rasd/internal/keys"
	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/store"
	"github.com/rasd-project/rasd/internal/textnorm"
)

func runUser(ctx context.Context, io IO, args []string) error {
	var cfg config.Config
	fs := flags(io, "user", "add|list|disable|enable|reset|password [NAME]")
	cfg.Register(fs)
	role := fs.String("role", model.RoleDocumenter, "role for 'add': "+strings.Join(model.Roles, ", "))
	lang := fs.String("lang", "ar", "interface "+langUsage+" (for 'add')")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if err := checkLang(*lang); err != nil {
		return err
	}
	if len(pos) == 0 {
		return fmt.Errorf("%w: give add, list, disable, enable, reset or password", ErrUsage)
	}
	if pos[0] != "list" && len(pos) != 2 {
		return fmt.Errorf("%w: rasd user %s NAME", ErrUsage, pos[0])
	}
	st, _, err := openData(ctx, &cfg, io)
	if err != nil {
		return err
	}
	defer st.Close()
	switch pos[0] {
	case "list":
		return listUsers(ctx, io, st)
	case "add":
		return addUser(ctx, io, st, cfg.Actor, pos[1], *role, *lang)
	case "disable", "enable", "reset", "password":
		return changeUser(ctx, io, st, cfg.Actor, pos[0], pos[1])
	}
	return fmt.Errorf("%w: unknown user command %q", ErrUsage, pos[0])
}

// newPassword takes RASD_NEW_PASSWORD, or makes a random one to show once.
func newPassword() (pw string, generated bool, err error) {
	if p := os.Getenv("RASD_NEW_PASSWORD"); p != "" {
		return p, false, account.CheckPassword(p)
	}
	b := make([]byte, 15)
	rand.Read(b)
	return strings.ToLower(base32.StdEncoding.EncodeToString(b)), true, nil
}

func addUser(ctx context.Context, io IO, st store.Store, actor, name, role, lang string) error {
	if !slices.Contains(model.Roles, role) {
		return fmt.Errorf("%w: role must be one of %s", ErrUsage, strings.Join(model.Roles, ", "))
	}
	if name == "" || strings.ContainsAny(name, " \t/") || len(name) > 64 {
		return fmt.Errorf("%w: a user name has no spaces or slashes and at most 64 characters", ErrUsage)
	}
	if r, ok := textnorm.BidiControl(name); ok {
		return fmt.Errorf("%w: the user name holds the invisible direction control %s, which can make it show as another name; type it again", ErrUsage, textnorm.BidiName(r))
	}
	pw, generated, err := newPassword()
	if err != nil {
		return err
	}
	u := &model.User{Username: name, Role: role, Lang: lang, PasswordHash: account.HashPassword(pw)}
	if err := keys.NewUserKey(u, pw); err != nil {
		return err
	}
	if err := st.CreateUser(ctx, actor, u); err != nil {
		return err
	}
	fmt.Fprintf(io.Stdout, "Added %s (%s).\n", name, role)
	if generated {
		fmt.Fprintf(io.Stdout, "Password (shown once; give it to them privately): %s\n", pw)
	}
	fmt.Fprintln(io.Stdout, "They set up their authenticator app at first sign-in.")
	return nil
}

func listUsers(ctx context.Context, io IO, st store.Store) error {
	// Accounts refused as tampered are left out, and said so after the list.
	users, refused := st.ListUsers(ctx)
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

// changeUser disables, enables or resets an account. Disabling and
// resetting end the account's sessions; a reset also clears the
// authenticator so the user enrols again.
func changeUser(ctx context.Context, io IO, st store.Store, actor, what, name string) error {
	u, err := st.GetUserByName(ctx, name)
	if errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("no user %q ('rasd user list' shows them)", name)
	}
	if err != nil {
		return err
	}
	var pw string
	var generated bool
	switch what {
	case "disable":
		u.Disabled = true
	case "enable":
		u.Disabled = false
	case "reset":
		if pw, generated, err = newPassword(); err != nil {
			return err
		}
		u.PasswordHash, u.TOTPSealed, u.TOTPLastStep, u.RecoveryCodes = account.HashPassword(pw), nil, 0, nil
		// A new key pair: the old one opened with the old password only.
		if err := keys.NewUserKey(u, pw); err != nil {
			return err
		}
	case "password":
		old, err := userPassword(io, "RASD_USER_PASSWORD", "Current password of "+name+": ")
		if err != nil {
			return err
		}
		if pw, err = userPassword(io, "RASD_NEW_PASSWORD", "New password: "); err != nil {
			return err
		}
		if err := account.CheckPassword(pw); err != nil {
			return err
		}
		if !account.VerifyPassword(u.PasswordHash, old) {
			return errors.New("the current password is wrong; nothing was changed")
		}
		if err := passwordChange(u, old, pw); err != nil {
			return err
		}
	}
	if what == "password" { // the new hash, the re-sealed key and the end of every session: one transaction
		if _, err := st.ChangePassword(ctx, actor, u, ""); err != nil {
			return err
		}
	} else if err := st.UpdateUser(ctx, actor, u); err != nil {
		return err
	}
	if what != "enable" && what != "password" {
		if _, err := st.DeleteSessions(ctx, u.ID); err != nil {
			return err
		}
	}
	if err := st.SetLoginState(ctx, u.ID, 0, nil); err != nil {
		return err
	}
	if what == "password" {
		fmt.Fprintf(io.Stdout, "%s: password changed, and their private key sealed again under it.\n", name)
	} else {
		fmt.Fprintf(io.Stdout, "%s: %sd.\n", name, what)
	}
	if generated {
		fmt.Fprintf(io.Stdout, "New password (shown once): %s\nThey set up their authenticator again at next sign-in.\n", pw)
	}
	if what == "reset" {
		fmt.Fprintln(io.Stdout, "Their old key pair is gone with the old password: a member must grant them their compartments again ('rasd keys grant').")
	}
	return nil
}

// passwordChange re-seals the account's private key under the new
// password (accounts made before keys existed get their pair now).
func passwordChange(u *model.User, old, pw string) error {
	if len(u.SealedKey) == 0 {
		u.PasswordHash = account.HashPassword(pw)
		return keys.NewUserKey(u, pw)
	}
	return keys.ChangePassword(u, old, pw)
}
