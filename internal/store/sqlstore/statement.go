package sqlstore

import "strings"

// statement names a query for an error message: its verb and the first
// table it acts on ("insert into victims"), never its arguments, which may
// hold names or sealed text.
func statement(q string) string {
	f := strings.Fields(q)
	if len(f) == 0 {
		return "empty statement"
	}
	verb := strings.ToLower(f[0])
	for i, w := range f[:len(f)-1] {
		table, _, _ := strings.Cut(f[i+1], "(")
		table = strings.ToLower(strings.TrimRight(table, ",;)"))
		switch w := strings.ToUpper(w); {
		case table == "":
		case w == "UPDATE":
			return verb + " " + table
		case w == "INTO" || w == "FROM" || w == "TABLE":
			return verb + " " + strings.ToLower(w) + " " + table
		}
	}
	return verb
}
