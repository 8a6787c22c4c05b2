package stats

import "sort"

// MinCell is the least count a figure of people at risk shows: a count
// from 1 to MinCell-1 reads "fewer than MinCell" (docs/counting.md,
// "Figures of people at risk").
const MinCell = 3

// Guarded is a count under small-cell suppression, one row of a table:
// its key (a vocabulary code, a governorate, a month, a country; "" for
// none known) and its count, or Hidden with no count when the count is
// under MinCell or must be hidden so that the others and the total do not
// give it away.
type Guarded struct {
	Key    string `json:"key"`
	N      int    `json:"n,omitempty"`
	Hidden bool   `json:"fewer_than_min,omitempty"`
}

// Suppress turns counts by key into cells, largest first (then by key):
// counts under MinCell are hidden, and when exactly one is hidden the
// smallest shown count is hidden too (complementary suppression), since
// the total less the shown cells would give it. Zero counts are left out.
// The counts leave this function only in cells that may be shown.
func Suppress(counts map[string]int) []Guarded {
	cells := make([]Guarded, 0, len(counts))
	for k, n := range counts {
		if n > 0 {
			cells = append(cells, Guarded{Key: k, N: n})
		}
	}
	sort.Slice(cells, func(i, j int) bool {
		if cells[i].N != cells[j].N {
			return cells[i].N > cells[j].N
		}
		return cells[i].Key < cells[j].Key
	})
	hidden, smallest := 0, -1
	for i := range cells {
		if cells[i].N < MinCell {
			cells[i] = Guarded{Key: cells[i].Key, Hidden: true}
			hidden++
		} else {
			smallest = i
		}
	}
	if hidden == 1 && smallest >= 0 {
		cells[smallest] = Guarded{Key: cells[smallest].Key, Hidden: true}
	}
	return cells
}

// Total is a suppressed total: n, or hidden when under MinCell.
func Total(n int) Guarded {
	if n > 0 && n < MinCell {
		return Guarded{Hidden: true}
	}
	return Guarded{N: n}
}
