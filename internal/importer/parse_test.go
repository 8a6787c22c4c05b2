package importer

import (
	"io"

	"github.com/rasd-project/rasd/internal/model"
)

// The tests read a whole file at once, as an import that keeps every
// record would: all incidents or none, with the problems.

func ParseACLED(r io.Reader, name string) ([]model.Incident, error) {
	out := []model.Incident{}
	if err := EachACLED(r, name, func(inc *model.Incident) error {
		out = append(out, *inc)
		return nil
	}); err != nil {
		return nil, err
	}
	return out, nil
}

func ParseJSON(r io.Reader, name string) ([]model.Incident, error) {
	f, err := ReadJSON(r, name)
	if err != nil {
		return nil, err
	}
	out := make([]model.Incident, 0, f.Len())
	if err := f.Each(func(inc *model.Incident) error {
		out = append(out, *inc)
		return nil
	}); err != nil {
		return nil, err
	}
	return out, nil
}
