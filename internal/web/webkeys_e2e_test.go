package web

import (
	"context"

	"github.com/chromedp/chromedp"

	"github.com/rasd-project/rasd/internal/account"
	"github.com/rasd-project/rasd/internal/i18n"
	"github.com/rasd-project/rasd/internal/keys"
	"github.com/rasd-project/rasd/internal/model"
)

// e2ePassword: a signed-in user follows the header's link, changes their
// password with the form, and is told so; the store has the new password.
func e2ePassword(tb *e2eTab, h *harness, u *model.User) {
	tb.t.Helper()
	tb.signIn(h, u)
	tb.click(`header a[href="/account/password"]`)
	tb.heading("password.title")
	tb.typeIn("#current", testPassword)
	tb.typeIn("#new", newPassword)
	tb.typeIn("#again", newPassword)
	tb.shot("password")
	tb.click(`form[action="/account/password"] button[type=submit]`)
	if p := tb.path(); p != "/account/password?changed=1" {
		tb.t.Fatalf("after the change: at %s: %s", p, tb.text("main"))
	}
	if got, want := tb.text("main p.notice"), i18n.T(tb.lang, "password.changed"); got != want {
		tb.t.Errorf("notice %q, want %q", got, want)
	}
	stored, err := h.st.GetUser(context.Background(), u.ID)
	if err != nil {
		tb.t.Fatal(err)
	}
	if !account.VerifyPassword(stored.PasswordHash, newPassword) {
		tb.t.Error("the store does not have the new password")
	}
}

// e2eCompartments: a coordinator who is a member of the protection
// compartment grants it to a protection officer from the compartments
// page, then revokes it through the confirmation page.
func e2eCompartments(tb *e2eTab, h *harness, coord *model.User) {
	tb.t.Helper()
	ctx := context.Background()
	grantee := e2eUser(h, "e2e-grantee-"+tb.lang, model.RoleProtection, tb.lang)
	if err := keys.NewUserKey(grantee, testPassword); err != nil {
		tb.t.Fatal(err)
	}
	if err := h.st.UpdateUser(ctx, "test", grantee); err != nil {
		tb.t.Fatal(err)
	}
	tb.signIn(h, coord) // the first sign-in gives the coordinator a key pair
	member, _ := h.st.GetUser(ctx, coord.ID)
	if err := keys.Grant(ctx, h.st, "test", keys.Identity{}, model.CompartmentProtection, member); err != nil {
		tb.t.Fatal(err)
	}
	tb.click(`header a[href="/admin/compartments"]`)
	tb.heading("compartments.title")
	tb.do(chromedp.SetValue(chromedp.CSS(`#grant-protection`), grantee.ID))
	tb.click(`form[action="/admin/compartments/grant"] button[type=submit]`)
	if got, want := tb.text("main p.notice"), i18n.T(tb.lang, "compartments.granted"); got != want {
		tb.t.Fatalf("after the grant: %q, want %q", got, want)
	}
	if ok, _ := keys.IsMember(ctx, h.st, model.CompartmentProtection, grantee.ID); !ok {
		tb.t.Fatal("the grant did not make a member")
	}
	tb.shot("compartments")
	tb.click(`form[action="/admin/compartments/revoke"]:has(input[value="` + grantee.ID + `"]) button[type=submit]`)
	tb.heading("compartments.revoke_title")
	tb.shot("compartment-revoke")
	tb.click(`form[action="/admin/compartments/revoke"] button[type=submit]`)
	if got, want := tb.text("main p.notice"), i18n.T(tb.lang, "compartments.revoked"); got != want {
		tb.t.Fatalf("after the revocation: %q, want %q", got, want)
	}
	if ok, _ := keys.IsMember(ctx, h.st, model.CompartmentProtection, grantee.ID); ok {
		tb.t.Error("the revocation left the member")
	}
}
