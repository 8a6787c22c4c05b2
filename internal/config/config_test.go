package config

import (
	"flag"
	"io"
	"testing"
)

// TestActorMember: --member names whose key is used and, unless --actor
// is given (in any order), who history names; the old --as means both;
// RASD_ACTOR names the actor only, never a member.
func TestActorMember(t *testing.T) {
	for _, tc := range []struct {
		env           string
		args          []string
		actor, member string
	}{
		{"", nil, "cli", ""},
		{"ops", nil, "ops", ""},
		{"ops", []string{"--member", "zainab"}, "zainab", "zainab"},
		{"", []string{"--actor", "desk", "--member", "zainab"}, "desk", "zainab"},
		{"", []string{"--member", "zainab", "--actor", "desk"}, "desk", "zainab"},
		{"ops", []string{"--as", "zainab"}, "zainab", "zainab"},
		{"", []string{"--actor", "desk"}, "desk", ""},
	} {
		t.Setenv("RASD_ACTOR", tc.env)
		var c Config
		fs := flag.NewFlagSet("t", flag.ContinueOnError)
		fs.SetOutput(io.Discard)
		c.Register(fs)
		c.RegisterMember(fs, "member", "")
		if err := fs.Parse(tc.args); err != nil {
			t.Fatal(err)
		}
		if c.Actor != tc.actor || c.Member != tc.member {
			t.Errorf("RASD_ACTOR=%q %v: actor %q member %q; want %q %q", tc.env, tc.args, c.Actor, c.Member, tc.actor, tc.member)
		}
	}
}
