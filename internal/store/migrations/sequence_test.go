package migrations

import (
	"strings"
	"testing"
	"testing/fstest"
)

func TestSequence(t *testing.T) {
	for _, d := range Dialects {
		seq, err := For(d)
		if err != nil {
			t.Fatalf("%s: %v", d, err)
		}
		if seq[0].Version != 1 || seq[0].Name != "init" {
			t.Fatalf("%s starts with %+v", d, seq[0])
		}
		for i := 1; i < len(seq); i++ {
			if seq[i].Version <= seq[i-1].Version {
				t.Fatalf("%s: %d after %d", d, seq[i].Version, seq[i-1].Version)
			}
		}
		if strings.Contains(seq[len(seq)-1].SQL, "{{") {
			t.Fatalf("%s: a macro left in %s", d, seq[len(seq)-1].Name)
		}
	}
	if _, err := For("mysql"); err == nil {
		t.Fatal("an unknown dialect was accepted")
	}
}

func TestSequenceRefusesWhatIsNotOne(t *testing.T) {
	file := func(s string) *fstest.MapFile { return &fstest.MapFile{Data: []byte(s)} }
	for _, c := range []struct {
		name  string
		files fstest.MapFS
		want  string // part of the error; "" accepted
	}{
		{"shared", fstest.MapFS{"sql/0001_init.sql": file("CREATE TABLE t (b {{blob}}, at {{time}})")}, ""},
		{"pair", fstest.MapFS{"sql/0001_init.sqlite.sql": file("x"), "sql/0001_init.postgres.sql": file("y")}, ""},
		{"half a pair", fstest.MapFS{"sql/0001_init.sqlite.sql": file("x")}, "no postgres file"},
		{"two names", fstest.MapFS{"sql/0001_init.sql": file("x"), "sql/0001_other.sql": file("y")}, "two names"},
		{"shared and pair", fstest.MapFS{"sql/0001_init.sql": file("x"), "sql/0001_init.sqlite.sql": file("y"),
			"sql/0001_init.postgres.sql": file("z")}, "shared file and a dialect's"},
		{"bad name", fstest.MapFS{"sql/init.sql": file("x")}, "name it NNNN_name.sql"},
		{"unknown macro", fstest.MapFS{"sql/0001_init.sql": file("CREATE TABLE t (x {{jsonb}})")}, "unknown macro {{jsonb}}"},
	} {
		t.Run(c.name, func(t *testing.T) {
			seq, err := read(c.files, "postgres", Macros["postgres"])
			if c.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				if c.name == "shared" && seq[0].SQL != "CREATE TABLE t (b BYTEA, at TIMESTAMPTZ)" {
					t.Fatalf("expanded %q", seq[0].SQL)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("got %v, want an error with %q", err, c.want)
			}
		})
	}
}

func TestCanonical(t *testing.T) {
	for recorded, want := range map[string]string{"0005_keys.sql": "keys", "0001_init.sql": "init",
		"keys": "keys", "0010_vocab_secure_delete.sql": "vocab_secure_delete"} {
		if got := Canonical(recorded); got != want {
			t.Errorf("Canonical(%q) = %q, want %q", recorded, got, want)
		}
	}
}
