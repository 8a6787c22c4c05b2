package people

import (
	"context"
	"slices"
	"strings"

	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/names"
)

// A Candidate is a person possibly the same as another (docs/persons.md).
type Candidate struct {
	Person  model.Person
	Score   float64   // names.Similarity of their closest names
	Names   [2]string // those names: the person's, the candidate's
	Reasons []string
}

// maxCandidates is the most candidates proposed for one person.
const maxCandidates = 5

// blockLimit bounds each search that gathers candidates.
const blockLimit = 50

// Matches proposes the persons u may see who are possibly the same as p:
// found by the name keys of p's names (two tokens at a time, so that a
// candidate must share a given and another name), scored by
// names.Similarity over every pair of names, those at names.Similar or
// more, best first. Persons merged into another are not proposed.
func (pp *People) Matches(ctx context.Context, u *model.User, p *model.Person) ([]Candidate, error) {
	mine := personNames(p)
	seen := map[string]bool{p.ID: true}
	var found []model.Person
	for _, q := range blockingQueries(mine) {
		ps, err := pp.Persons.Search(ctx, u, q, blockLimit)
		if err != nil {
			return nil, err
		}
		for _, c := range ps {
			if !seen[c.ID] {
				seen[c.ID] = true
				found = append(found, c)
			}
		}
	}
	var out []Candidate
	for _, c := range found {
		best := Candidate{Person: c}
		for _, a := range mine {
			for _, b := range personNames(&c) {
				if m := names.Similarity(a, b); m.Score > best.Score {
					best.Score, best.Names, best.Reasons = m.Score, [2]string{a, b}, m.Reasons
				}
			}
		}
		if best.Score < names.Similar {
			continue
		}
		if merged, err := pp.mergedAway(ctx, c.ID); err != nil {
			return nil, err
		} else if merged {
			continue
		}
		out = append(out, best)
	}
	slices.SortStableFunc(out, func(a, b Candidate) int {
		switch {
		case a.Score > b.Score:
			return -1
		case a.Score < b.Score:
			return 1
		}
		return strings.Compare(a.Person.ID, b.Person.ID)
	})
	return out[:min(len(out), maxCandidates)], nil
}

// personNames are a person's names and aliases, as given.
func personNames(p *model.Person) []string {
	var out []string
	for _, n := range append([]string{p.NameLatin, p.NameAR}, p.Aliases...) {
		if strings.TrimSpace(n) != "" && !slices.Contains(out, n) {
			out = append(out, n)
		}
	}
	return out
}

// blockingQueries are the searches that gather candidates: for each name,
// its first token with its last, and with its second; a name of one
// token alone.
func blockingQueries(ns []string) []string {
	var out []string
	add := func(q string) {
		if !slices.Contains(out, q) {
			out = append(out, q)
		}
	}
	for _, n := range ns {
		tk := names.Tokens(n)
		switch {
		case len(tk) == 0:
		case len(tk) == 1:
			add(tk[0].Text)
		default:
			add(tk[0].Text + " " + tk[len(tk)-1].Text)
			add(tk[0].Text + " " + tk[1].Text)
		}
	}
	return out
}
