package people

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/names"
	"github.com/rasd-project/rasd/internal/searchtext"
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
	return pp.matches(ctx, p, func(q string) ([]model.Person, error) { return pp.Persons.Search(ctx, u, q, blockLimit) })
}

func (pp *People) matches(ctx context.Context, p *model.Person, search func(q string) ([]model.Person, error)) ([]Candidate, error) {
	mine := personNames(p)
	seen := map[string]bool{p.ID: true}
	var found []model.Person
	for _, q := range blockingQueries(mine) {
		ps, err := search(q)
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
	// Each name is cut into tokens once, not once per pair compared.
	mineTokens := make([][]names.Token, len(mine))
	for i, a := range mine {
		mineTokens[i] = names.Tokens(a)
	}
	var out []Candidate
	for _, c := range found {
		best := Candidate{Person: c}
		for _, b := range personNames(&c) {
			tb := names.Tokens(b)
			for i, a := range mine {
				if m := names.Compare(mineTokens[i], tb); m.Score > best.Score {
					best.Score, best.Names, best.Reasons = m.Score, [2]string{a, b}, m.Reasons
				}
			}
		}
		// Persons merged into another are not found: the store's
		// searches leave them out (docs/persons.md).
		if best.Score >= names.Similar {
			out = append(out, best)
		}
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
// the name keys (searchtext.KeyPrefix, as indexed) of its first token
// with its last, and with its second; of a name of one token, its own.
// Keys alone, not the words typed: a key is a rare word of the index,
// quickly found, where a prefix such as "ali" is in every tenth record.
func blockingQueries(ns []string) []string {
	var out []string
	add := func(q string) {
		if !slices.Contains(out, q) {
			out = append(out, q)
		}
	}
	for _, n := range ns {
		tk := names.Tokens(n)
		key := func(i int) string { return searchtext.KeyPrefix + tk[i].Key }
		switch {
		case len(tk) == 0:
		case len(tk) == 1:
			add(key(0))
		default:
			add(key(0) + " " + key(len(tk)-1))
			add(key(0) + " " + key(1))
		}
	}
	return out
}

// A Proposal is a person an import added, possibly the same as a person
// recorded before it.
type Proposal struct {
	Imported model.Person
	Candidate
}

// MaxImportChecked bounds the imported persons an import's summary
// checks: a large import is reviewed person by person in the web.
const MaxImportChecked = 500

// ImportProposals proposes, for persons an import added (the operator's:
// the command line), the persons that are possibly the same, but for
// the one the import made of it (the same names, recorded since the
// import's start). Restricted persons' names are sealed and never found.
func (pp *People) ImportProposals(ctx context.Context, imported []model.Person, since time.Time) ([]Proposal, error) {
	var out []Proposal
	for i := range imported[:min(len(imported), MaxImportChecked)] {
		p := &imported[i]
		cs, err := pp.matches(ctx, p, func(q string) ([]model.Person, error) {
			ps, err := pp.Persons.Store.Search(ctx, q, blockLimit)
			return slices.DeleteFunc(ps, func(c model.Person) bool {
				itself := !c.CreatedAt.Before(since) && c.NameLatin == p.NameLatin && c.NameAR == p.NameAR &&
					slices.Equal(c.Aliases, p.Aliases)
				return itself || c.Visibility == model.VisibilityRestricted
			}), err
		})
		if err != nil {
			return nil, err
		}
		for _, c := range cs {
			out = append(out, Proposal{Imported: *p, Candidate: c})
		}
	}
	return out, nil
}
