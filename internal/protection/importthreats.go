package protection

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strings"

	"github.com/rasd-project/rasd/internal/kinds"
	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/record"
	"github.com/rasd-project/rasd/internal/records"
)

// ThreatsFormat names the JSON file of threats (docs/import-json.md,
// "Threats").
const ThreatsFormat = "rasd-threats"

// ReadThreats reads a file of threats: {"format": "rasd-threats",
// "version": 1, "threats": [{field: value, …}]}, each threat's fields
// named as the kind's (a list field is a JSON list). An error names the
// threat (from 1) and the field.
func ReadThreats(r io.Reader) ([]record.Form, error) {
	var file struct {
		Format  string                       `json:"format"`
		Version int                          `json:"version"`
		Threats []map[string]json.RawMessage `json:"threats"`
	}
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&file); err != nil {
		return nil, fmt.Errorf("not a file of threats: %w", err)
	}
	if file.Format != ThreatsFormat || file.Version != 1 {
		return nil, fmt.Errorf(`format: want "%s", version 1`, ThreatsFormat)
	}
	out := make([]record.Form, 0, len(file.Threats))
	for i, t := range file.Threats {
		v := url.Values{}
		for name, raw := range t {
			f, ok := kinds.Threat.Field(name)
			if !ok || f.Hidden {
				return nil, fmt.Errorf("threat %d: no field %q", i+1, name)
			}
			var s string
			var l []string
			switch {
			case json.Unmarshal(raw, &s) == nil:
				v.Set(name, s)
			case json.Unmarshal(raw, &l) == nil && (f.Input == record.Refs || f.Input == record.Lines):
				v.Set(name, strings.Join(l, "\n"))
			default:
				return nil, fmt.Errorf("threat %d: %s: a text%s", i+1, name, map[bool]string{true: " or a list of texts"}[f.Input == record.Refs])
			}
		}
		out = append(out, kinds.Threat.ReadForm("", v))
	}
	return out, nil
}

// ImportThreats stores threats as u, all or none: every threat is checked
// (fields, and the persons and incidents it names) before the first is
// stored. A refusal names the threat (from 1) and its fields.
func (s *Service) ImportThreats(ctx context.Context, u *model.User, forms []record.Form, seal records.Sealer) (int, error) {
	if ok, err := s.Member(ctx, u); err != nil || !ok {
		return 0, errors.Join(records.ErrNotFound, err)
	}
	refs := s.Threats.Refs
	for i, f := range forms {
		r := s.Threats.New()
		errs := kinds.Threat.Apply(f, r, s.Now())
		for _, name := range []string{"persons", "incidents"} {
			fd, _ := kinds.Threat.Field(name)
			for _, v := range kinds.Threat.Get(r, name).([]string) {
				if _, err := refs[fd.Ref](ctx, u, v); err != nil {
					errs.Add(name, records.ErrRef)
				}
			}
		}
		if len(errs) > 0 {
			return 0, fmt.Errorf("threat %d: %w (nothing was imported)", i+1, errs)
		}
	}
	for i, f := range forms {
		_, errs, err := s.Threats.Save(ctx, u, nil, f, seal)
		if err != nil || len(errs) > 0 {
			return i, fmt.Errorf("threat %d: %w", i+1, errors.Join(err, errs.Err()))
		}
	}
	return len(forms), nil
}

// threatsExample is the example of docs/import-json.md, tested.
var threatsExample = bytes.TrimSpace([]byte(`
{"format": "rasd-threats", "version": 1, "threats": [
  {"occurred_on": "2020-01-14", "date_precision": "day", "delivery": "phone_call", "severity": "death",
   "persons": ["PERSON-ID"], "perpetrator_type": "militia", "admin1": "IQ-BG",
   "said": "Leave the square or you will be next.", "actor": "A caller who named a brigade",
   "source": "The person threatened", "reliability": "B", "credibility": "2", "incidents": ["IQ-2020-0042"]}
]}`))
