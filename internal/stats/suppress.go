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
// give it away. A total is Withheld (and Hidden) when, shown, it would
// give away the hidden cells of its table.
type Guarded struct {
	Key      string `json:"key"`
	N        int    `json:"n,omitempty"`
	Hidden   bool   `json:"fewer_than_min,omitempty"`
	Withheld bool   `json:"withheld,omitempty"`
}

// Suppress turns counts by key into cells: the shown ones largest first
// (then by key), then the hidden ones by key, so that their order says
// nothing of their counts. Counts under MinCell are hidden, and then as
// many of the smallest shown counts as it takes (complementary
// suppression) for the table's total, less the shown cells, to fit more
// than one way of filling the hidden cells: a reader who knows which
// were hidden as small (1 or MinCell-1) and which as complements (from
// MinCell to the smallest count still shown) cannot tell any of them.
// exact is false when even hiding every cell leaves them worked out
// (all small and all 1, or all MinCell-1): then the total must be
// withheld too (Withhold). Zero counts are left out. The counts leave
// this function only in cells that may be shown.
func Suppress(counts map[string]int) (cells []Guarded, exact bool) {
	type cell struct {
		key         string
		n           int
		small, comp bool
	}
	var all []cell
	for k, n := range counts {
		if n > 0 {
			all = append(all, cell{key: k, n: n, small: n < MinCell})
		}
	}
	sort.Slice(all, func(i, j int) bool {
		if all[i].n != all[j].n {
			return all[i].n > all[j].n
		}
		return all[i].key < all[j].key
	})
	// unique: the hidden cells' sum is the least or the most they could
	// hold, so that every one of them is known.
	unique := func() bool {
		sum, lo, hi, small, comps, bound := 0, 0, 0, 0, 0, -1
		for _, c := range all {
			switch {
			case c.small:
				sum, lo, hi, small = sum+c.n, lo+1, hi+MinCell-1, small+1
			case c.comp:
				sum, lo, comps = sum+c.n, lo+MinCell, comps+1
			default:
				bound = c.n // sorted: the last one shown is the smallest
			}
		}
		if small == 0 {
			return false
		}
		if comps > 0 {
			if bound < 0 {
				return sum == lo // no shown count bounds the complements
			}
			hi += comps * bound
		}
		return sum == lo || sum == hi
	}
	exact = true
	for unique() {
		last := -1
		for i, c := range all {
			if !c.small && !c.comp {
				last = i
			}
		}
		if last < 0 {
			exact = false // every cell hidden, and still worked out
			break
		}
		all[last].comp = true
	}
	var hidden []Guarded
	for _, c := range all {
		if c.small || c.comp {
			hidden = append(hidden, Guarded{Key: c.key, Hidden: true})
		} else {
			cells = append(cells, Guarded{Key: c.key, N: c.n})
		}
	}
	sort.Slice(hidden, func(i, j int) bool { return hidden[i].Key < hidden[j].Key })
	return append(cells, hidden...), exact
}

// Withhold is total g withheld when exact is false (Suppress).
func Withhold(g Guarded, exact bool) Guarded {
	if exact || g.Hidden {
		return g
	}
	return Guarded{Hidden: true, Withheld: true}
}

// Total is a suppressed total: n, or hidden when under MinCell.
func Total(n int) Guarded {
	if n > 0 && n < MinCell {
		return Guarded{Hidden: true}
	}
	return Guarded{N: n}
}
