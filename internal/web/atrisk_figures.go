package web

import (
	"errors"
	"net/http"

	"github.com/rasd-project/rasd/internal/keys"
	"github.com/rasd-project/rasd/internal/kinds"
	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/stats"
	"github.com/rasd-project/rasd/internal/vocab"
)

// figureTable is one table of the figures of people at risk: its title's
// message key, how its keys are labelled (a vocabulary, "gov", "month",
// "country" for ISO codes, or "" for text as written) and its cells.
type figureTable struct {
	Title, Vocab, By string
	Cells            []stats.Guarded
}

// errMovesShut stops the figures when a move's country cannot be opened.
var errMovesShut = errors.New("the countries of moves are sealed and the server holds no key of this member")

// atRiskFigures is the page of the figures of people at risk
// (docs/counting.md, "Figures of people at risk"): members only (the
// route's gate), the countries of moves opened with their key, each
// opening audited.
func (s *Server) atRiskFigures(req *request) error {
	ctx := req.r.Context()
	open := func(m *model.Move) error {
		notice, err := s.openSealed(req, kinds.Move.Name, m.ID, m.Visibility, func(by keys.Identity) error {
			_, err := keys.OpenRecord(ctx, s.st, req.user.Username, by, kinds.Move, m)
			return err
		})
		if err == nil && notice != "" && notice != sealedOpened {
			return errMovesShut
		}
		return err
	}
	links, done, err := s.atRiskLinks(req)
	if err != nil {
		return err
	}
	defer done()
	if links == nil {
		s.render(req, http.StatusOK, "atrisk_figures", map[string]any{"NoKey": true, "Min": stats.MinCell})
		return nil
	}
	res, err := stats.CountAtRisk(ctx, s.st, s.prot, req.user, open, links)
	if errors.Is(err, errMovesShut) {
		s.render(req, http.StatusOK, "atrisk_figures", map[string]any{"NoKey": true, "Min": stats.MinCell})
		return nil
	}
	if err != nil {
		return err
	}
	tables := []figureTable{
		{"atriskfig.by_delivery", vocab.ThreatDelivery, "", res.ByDelivery},
		{"atriskfig.by_governorate", "", "gov", res.ByGovernorate},
		{"atriskfig.by_month", "", "month", res.ByMonth},
		{"atriskfig.by_role", vocab.VictimRole, "", res.ByRole},
	}
	named := []figureTable{{"atriskfig.by_outcome", vocab.ListOutcome, "", res.ByOutcome}}
	moved := []figureTable{{"atriskfig.by_country", "", "country", res.ByCountry}}
	s.render(req, http.StatusOK, "atrisk_figures", map[string]any{"F": res, "Threats": tables, "Named": named,
		"Moved": moved, "Min": stats.MinCell, "Receipt": res.Receipt})
	return nil
}
