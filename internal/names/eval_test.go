package names

import "testing"

// TestNamePairs measures Similarity on the labelled pairs of
// testdata/name_pairs.csv (real names, their attested spellings, and
// different people who share a name): at the threshold Similar, recall
// must be at least 0.9 and precision at least 0.95 (docs/names.md).
func TestNamePairs(t *testing.T) {
	rows := readCSV(t, "testdata/name_pairs.csv")
	var tp, fp, fn, tn int
	missed := map[string]int{}
	for _, row := range rows[1:] {
		same := row[0] == "same"
		m := Similarity(row[2], row[3])
		got := m.Score >= Similar
		switch {
		case same && got:
			tp++
		case same:
			fn++
			missed[row[1]]++
			if testing.Verbose() {
				t.Logf("missed (%s) %q ~ %q: %.2f %v", row[1], row[2], row[3], m.Score, m.Reasons)
			}
		case got:
			fp++
			missed[row[1]]++
			if testing.Verbose() {
				t.Logf("false (%s) %q ~ %q: %.2f %v", row[1], row[2], row[3], m.Score, m.Reasons)
			}
		default:
			tn++
		}
	}
	if tp+fn == 0 || tn+fp == 0 {
		t.Fatalf("the evaluation set needs positive and negative pairs: %d and %d", tp+fn, tn+fp)
	}
	recall := float64(tp) / float64(tp+fn)
	precision := float64(tp) / float64(max(1, tp+fp))
	t.Logf("name pairs: %d same, %d different; at %.2f: precision %.3f, recall %.3f (errors by kind: %v)",
		tp+fn, tn+fp, Similar, precision, recall, missed)
	if recall < 0.9 || precision < 0.95 {
		t.Errorf("precision %.3f (want ≥ 0.95), recall %.3f (want ≥ 0.9)", precision, recall)
	}
}
