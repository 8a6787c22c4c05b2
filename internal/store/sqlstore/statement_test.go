package sqlstore

import "testing"

func TestStatement(t *testing.T) {
	for _, c := range []struct{ q, want string }{
		{"INSERT INTO victims (incident_rid, seq) VALUES (?, ?)", "insert into victims"},
		{"DELETE FROM perpetrators WHERE incident_rid = ?", "delete from perpetrators"},
		{"UPDATE users SET recovery_codes = ? WHERE id = ?", "update users"},
		{"\n\tSELECT ext_id, id FROM incidents WHERE ext_system = ?", "select from incidents"},
		{"SELECT count(*) FROM(SELECT 1)", "select"},
		{"INSERT INTO stat_facts(rid) VALUES (?)", "insert into stat_facts"},
		{"  ", "empty statement"},
	} {
		if got := statement(c.q); got != c.want {
			t.Errorf("statement(%q) = %q, want %q", c.q, got, c.want)
		}
	}
}
