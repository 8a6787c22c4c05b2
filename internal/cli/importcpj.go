package cli

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/rasd-project/rasd/internal/importer"
	"github.com/rasd-project/rasd/internal/justice"
	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/store"
)

// openCPJ reads CPJ's export whole (docs/import-cpj.md): its rows are
// checked before anything is stored, their judicial steps prepared
// against those imported before, and added in the incidents' transaction.
func openCPJ(name string) (importFile, error) {
	f, err := os.Open(name)
	if err != nil {
		return importFile{}, err
	}
	defer f.Close()
	recs, skipped, err := importer.CPJ(f, name)
	if err != nil {
		return importFile{}, err
	}
	classes := make(map[string]string, len(recs))
	for _, r := range recs {
		classes[r.Incident.External.ID] = r.Impunity
	}
	file := importFile{n: len(recs), close: func() error { return nil },
		records: func(yield func(*model.Incident) error) error {
			for _, r := range recs {
				inc := fresh(r.Incident)
				if err := yield(&inc); err != nil {
					return err
				}
			}
			return nil
		}}
	if len(skipped) > 0 {
		lines := make([]string, len(skipped))
		for i, l := range skipped {
			lines[i] = strconv.Itoa(l)
		}
		file.note = fmt.Sprintf("Skipped %d rows that hold no journalist (no year, name or country): line %s.\n", len(skipped), strings.Join(lines, ", "))
	}
	file.prepare = func(ctx context.Context, st store.Store) (store.ImportThen, func() string, error) {
		p, err := justice.New(st, time.Now).PrepareCPJ(ctx, classes)
		if err != nil {
			return nil, nil, err
		}
		return p.Then, func() string { return fmt.Sprintf("Added %d judicial steps from CPJ's impunity classes.\n", p.Added()) }, nil
	}
	return file, nil
}

// fresh is a copy of inc sharing nothing with it: the store fills in what
// it is given, and may be given the records again.
func fresh(inc model.Incident) model.Incident {
	inc.Perpetrators = append([]model.Perpetrator(nil), inc.Perpetrators...)
	inc.Tags = append([]string(nil), inc.Tags...)
	inc.Victims = append([]model.Victim(nil), inc.Victims...)
	for i, v := range inc.Victims {
		if v.Person != nil {
			p := *v.Person
			p.Roles = append([]string(nil), p.Roles...)
			inc.Victims[i].Person = &p
		}
	}
	if inc.External != nil {
		x := *inc.External
		inc.External = &x
	}
	return inc
}
