package importer

import (
	"strings"
	"testing"

	"github.com/rasd-project/rasd/internal/model"
)

// One row per line of the mapping table in docs/import-acled.md.
func TestACLEDIncidentType(t *testing.T) {
	const vac, expl = "Violence against civilians", "Explosions/Remote violence"
	for _, tc := range []struct {
		event, sub string
		fatalities int
		notes      string
		want       string
	}{
		{vac, "Attack", 2, "", "killing"},
		{vac, "Attack", 0, "", "assault"},
		{vac, "Attack", 0, "Gunmen fired at an activist in an assassination attempt.", "attempted_killing"},
		{vac, "Attack", 0, "Unidentified gunmen attempted to assassinate a journalist.", "attempted_killing"},
		{vac, "Attack", 0, "An attempted assassination of a lawyer.", "attempted_killing"},
		{vac, "Attack", 0, "The activist survived the shooting.", "attempted_killing"},
		{vac, "Attack", 0, "Gunmen attempted to kidnap a lawyer and beat him.", "assault"}, // not an attempt on a life
		{vac, "Attack", 1, "assassination attempt killed his driver", "killing"},
		{vac, "Abduction/forced disappearance", 0, "", "kidnapping"},
		{vac, "Sexual violence", 0, "", "torture"},
		{expl, "Remote explosive/landmine/IED", 3, "", "killing"},
		{expl, "Remote explosive/landmine/IED", 0, "An IED wounded two people.", "assault"},
		{expl, "Remote explosive/landmine/IED", 0, "An IED damaged the house of an activist.", "attack_on_property"},
		{expl, "Grenade", 0, "A grenade was thrown at his home in an attempt on his life.", "attempted_killing"},
		{expl, "Air/drone strike", 1, "", "killing"},
		{expl, "Suicide bomb", 0, "", "attack_on_property"},
		{expl, "Shelling/artillery/missile attack", 0, "injuring a child", "assault"},
		// A negated injury word says nobody was hurt.
		{expl, "Remote explosive/landmine/IED", 0, "An IED exploded near a house. No injuries.", "attack_on_property"},
		{expl, "Remote explosive/landmine/IED", 0, "No one was hurt when a bomb went off at his office.", "attack_on_property"},
		{expl, "Grenade", 0, "A grenade hit the car; nobody was injured and the car was burnt.", "attack_on_property"},
		{expl, "Grenade", 0, "There were no deaths or injuries.", "attack_on_property"},
		{expl, "Grenade", 0, "Residents weren't hurt.", "attack_on_property"},
		{expl, "Grenade", 0, "No deaths, but two guards were wounded.", "assault"},
		{expl, "Grenade", 0, "No one was killed and two guards were wounded.", "assault"},
		{expl, "Grenade", 0, "No injuries were reported at first; later a guard was wounded.", "assault"},
		{expl, "Chemical weapon", 0, "", "attack_on_property"},
		{expl, "", 0, "", "attack_on_property"}, // the weapon does not matter
		{"Protests", "Excessive force against protesters", 1, "", "killing"},
		{"Protests", "Excessive force against protesters", 0, "", "assault"},
		{"Riots", "Mob violence", 2, "", "killing"},
		{"Riots", "Mob violence", 0, "", "assault"},
		{"Strategic developments", "Arrests", 0, "", "arbitrary_detention"},
		{"Strategic developments", "Looting/property destruction", 0, "", "attack_on_property"},
		{"violence against civilians", "ATTACK", 0, "", "assault"}, // case does not matter
	} {
		got, col, err := acledIncidentType(tc.event, tc.sub, tc.fatalities, tc.notes)
		if err != nil || got != tc.want {
			t.Errorf("%s/%s/%d/%q = %q (%s: %v), want %q", tc.event, tc.sub, tc.fatalities, tc.notes, got, col, err, tc.want)
		}
	}
}

func TestACLEDIncidentTypeRefused(t *testing.T) {
	for _, tc := range []struct{ event, sub, col, want string }{
		{"Massacre", "", "event_type", `"Massacre" is not an ACLED event type`},
		{"", "", "event_type", "is not an ACLED event type"},
		{"Violence against civilians", "Bombing", "sub_event_type", `"Bombing" is not a sub-event type of Violence against civilians`},
		{"Violence against civilians", "", "sub_event_type", "is needed to map Violence against civilians"},
		{"Battles", "Armed clash", "sub_event_type", "Battles/Armed clash has no rasd incident type"},
		{"Battles", "", "sub_event_type", "is needed"},
		{"Protests", "Peaceful protest", "sub_event_type", "no rasd incident type"},
		{"Protests", "Protest with intervention", "sub_event_type", "no rasd incident type"},
		{"Riots", "Violent demonstration", "sub_event_type", "no rasd incident type"},
		{"Strategic developments", "Agreement", "sub_event_type", "filter the export"},
	} {
		got, col, err := acledIncidentType(tc.event, tc.sub, 0, "")
		if err == nil || col != tc.col || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s/%s = %q, %s: %v; want column %s, error containing %q", tc.event, tc.sub, got, col, err, tc.col, tc.want)
		}
	}
}

func TestACLEDPerpetrator(t *testing.T) {
	for _, tc := range []struct {
		actor1, inter1, actor2, inter2 string
		want                           []model.Perpetrator
	}{
		{"Police Forces of Iraq (2018-)", "State forces", "Civilians (Iraq)", "Civilians", []model.Perpetrator{{Type: "security_forces", Group: "Police Forces of Iraq (2018-)"}}},
		{"PMF: Kataib Hezbollah", "Political militia", "", "", []model.Perpetrator{{Type: "militia", Group: "PMF: Kataib Hezbollah"}}},
		{"Islamic State (Iraq)", "Rebel group", "", "", []model.Perpetrator{{Type: "militia", Group: "Islamic State (Iraq)"}}},
		{"Al Bu Mohammed Tribal Militia (Iraq)", "Identity militia", "", "", []model.Perpetrator{{Type: "tribal", Group: "Al Bu Mohammed Tribal Militia (Iraq)"}}},
		{"Unidentified Armed Group (Iraq)", "Political militia", "Civilians (Iraq)", "Civilians", []model.Perpetrator{{Type: "unidentified_gunmen", Group: "Unidentified Armed Group (Iraq)"}}},
		{"Unidentified Armed Group (Iraq)", "", "", "", []model.Perpetrator{{Type: "unidentified_gunmen", Group: "Unidentified Armed Group (Iraq)"}}},
		{"Military Forces of Turkey (2016-)", "External/Other forces", "", "", []model.Perpetrator{{Type: "unknown", Group: "Military Forces of Turkey (2016-)"}}},
		{"Police Forces of Iraq (2018-)", "1", "Civilians (Iraq)", "7", []model.Perpetrator{{Type: "security_forces", Group: "Police Forces of Iraq (2018-)"}}},
		{"Protesters (Iraq)", "Protesters", "Police Forces of Iraq (2018-)", "State forces", []model.Perpetrator{{Type: "security_forces", Group: "Police Forces of Iraq (2018-)"}}},
		{"Rioters (Iraq)", "Rioters", "Civilians (Iraq)", "Civilians", []model.Perpetrator{{Type: "unknown", Group: "Rioters (Iraq)"}}},
		{"Protesters (Iraq)", "", "", "", nil}, // the protesters are not the perpetrators
		{"", "", "", "", nil},
		{"", "State forces", "", "", []model.Perpetrator{{Type: "security_forces"}}},
	} {
		i1, err1 := interCode(tc.inter1)
		i2, err2 := interCode(tc.inter2)
		if err1 != nil || err2 != nil {
			t.Fatal(err1, err2)
		}
		got := acledPerpetrator(tc.actor1, i1, tc.actor2, i2)
		if len(got) != len(tc.want) || len(got) == 1 && got[0] != tc.want[0] {
			t.Errorf("%q/%q/%q/%q = %+v, want %+v", tc.actor1, tc.inter1, tc.actor2, tc.inter2, got, tc.want)
		}
	}
	if _, err := interCode("Gunmen"); err == nil {
		t.Error(`interCode("Gunmen") accepted`)
	}
}
