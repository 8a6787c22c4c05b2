// Package access decides who may do what: one place for the rules of
// docs/access.md, used by every route and every list. Anything not allowed
// here is denied.
package access

import (
	"slices"

	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/store"
)

// Roles that see every restricted record. Others see restricted records
// only when they created them (a documenter's own sensitive cases); the
// admin manages accounts and never reads restricted records unless granted.
var seesRestricted = []string{model.RoleProtection, model.RoleCoordinator}

// Roles that may record new incidents, persons and organisations.
var creators = []string{model.RoleDocumenter, model.RoleAnalyst, model.RoleProtection, model.RoleCoordinator}

// Roles that may edit records others created.
var editorsOfAll = []string{model.RoleAnalyst, model.RoleProtection, model.RoleCoordinator}

// Roles that may move verification past "reported" (an analyst's decision).
var verifiers = []string{model.RoleAnalyst, model.RoleCoordinator}

// Active reports whether u is an account that may be used at all: not
// disabled, with a known role. The web route policy refuses every other.
func Active(u *model.User) bool {
	return u != nil && !u.Disabled && slices.Contains(model.Roles, u.Role)
}

// Visible is what u may see, for store lists.
func Visible(u *model.User) store.Visible {
	if !Active(u) {
		return store.Visible{}
	}
	v := store.Visible{Levels: []string{model.VisibilityPublic, model.VisibilityInternal}}
	if slices.Contains(seesRestricted, u.Role) {
		v.Levels = append(v.Levels, model.VisibilityRestricted)
	} else if u.Role != model.RoleAdmin {
		v.OwnedBy = u.Username
	}
	return v
}

// CanSee reports whether u may see a record with this visibility, created
// by createdBy. A record u may not see must look like it does not exist.
func CanSee(u *model.User, visibility, createdBy string) bool {
	v := Visible(u)
	return slices.Contains(v.Levels, visibility) ||
		(visibility == model.VisibilityRestricted && v.OwnedBy != "" && v.OwnedBy == createdBy)
}

// CanCreate reports whether u may record new incidents, persons and
// organisations.
func CanCreate(u *model.User) bool { return Active(u) && slices.Contains(creators, u.Role) }

// CanEdit reports whether u may change a record u can see.
func CanEdit(u *model.User, visibility, createdBy string) bool {
	if !CanSee(u, visibility, createdBy) || !CanCreate(u) {
		return false
	}
	return slices.Contains(editorsOfAll, u.Role) || createdBy == u.Username
}

// CanVerify reports whether u may set a verification status other than
// "reported".
func CanVerify(u *model.User) bool { return Active(u) && slices.Contains(verifiers, u.Role) }

// CanSetVisibility reports whether u may mark a record with visibility v.
func CanSetVisibility(u *model.User, v string) bool {
	return CanCreate(u) && slices.Contains([]string{model.VisibilityPublic, model.VisibilityInternal, model.VisibilityRestricted}, v)
}

// CanManageUsers reports whether u administers accounts.
func CanManageUsers(u *model.User) bool { return Active(u) && u.Role == model.RoleAdmin }
