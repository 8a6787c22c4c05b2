package accountability

import "slices"

// A murder is a killing whose motive link is confirmed and that no tag
// excludes (docs/counting.md, "Impunity figures"): the killings CPJ
// counts in its impunity figures. The store counts by the same rule.
const (
	MurderType   = "killing"
	MurderMotive = "confirmed"
)

// NotMurderTags are the tags of killings that are not murders (CPJ's
// typeOfDeath: crossfire, a dangerous assignment, a cause unknown).
var NotMurderTags = []string{"crossfire", "dangerous_assignment", "cause_unknown"}

// IsMurder applies the rule to an incident's type, motive link and tags.
func IsMurder(typ, motive string, tags []string) bool {
	if typ != MurderType || motive != MurderMotive {
		return false
	}
	return !slices.ContainsFunc(tags, func(t string) bool { return slices.Contains(NotMurderTags, t) })
}
