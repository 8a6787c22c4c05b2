package access

import (
	"testing"

	"github.com/rasd-project/rasd/internal/model"
)

// The rules as a table, written out by hand: role × (own, others',
// restricted own, restricted others') × (see, edit).
func TestRules(t *testing.T) {
	type want struct{ see, edit [4]bool }
	table := map[string]want{
		model.RoleDocumenter:  {see: [4]bool{true, true, true, false}, edit: [4]bool{true, false, true, false}},
		model.RoleAnalyst:     {see: [4]bool{true, true, true, false}, edit: [4]bool{true, true, true, false}},
		model.RoleProtection:  {see: [4]bool{true, true, true, true}, edit: [4]bool{true, true, true, true}},
		model.RoleCoordinator: {see: [4]bool{true, true, true, true}, edit: [4]bool{true, true, true, true}},
		model.RoleAdmin:       {see: [4]bool{true, true, false, false}, edit: [4]bool{false, false, false, false}},
	}
	for role, w := range table {
		u := &model.User{Username: "me", Role: role}
		recs := [4][2]string{{"internal", "me"}, {"internal", "other"}, {"restricted", "me"}, {"restricted", "other"}}
		for i, r := range recs {
			if got := CanSee(u, r[0], r[1]); got != w.see[i] {
				t.Errorf("%s see %v = %v, want %v", role, r, got, w.see[i])
			}
			if got := CanEdit(u, r[0], r[1]); got != w.edit[i] {
				t.Errorf("%s edit %v = %v, want %v", role, r, got, w.edit[i])
			}
		}
	}
	disabled := &model.User{Username: "me", Role: model.RoleCoordinator, Disabled: true}
	if CanSee(disabled, "public", "x") || CanCreate(disabled) || len(Visible(disabled).Levels) != 0 {
		t.Error("a disabled account can still see or create")
	}
	if CanSee(nil, "public", "x") || CanSee(&model.User{Role: "superuser"}, "public", "x") {
		t.Error("nil or unknown role sees records")
	}
	if !CanVerify(&model.User{Role: model.RoleAnalyst}) || CanVerify(&model.User{Role: model.RoleDocumenter}) {
		t.Error("verification rights")
	}
	if !CanManageUsers(&model.User{Role: model.RoleAdmin}) || CanManageUsers(&model.User{Role: model.RoleCoordinator}) {
		t.Error("user management rights")
	}
}
