package incidents

import (
	"context"

	"github.com/rasd-project/rasd/internal/keys"
	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/store"
)

// Grounds is what a source said that a verification step rests on: a new
// source, what it said, and the sealer for an incident whose text is
// sealed (see AddSource).
type Grounds struct {
	Source *model.Source
	Info   *model.Information
	Sealer *keys.RecordSealer
}

// Verify is one verification step by u of inc (as u read it), the web's
// workflow from the command line: it moves inc to status to
// (SetVerification, at inc's version) after adding what grounds says
// (AddSource), if given. Both are checked (MayMove, ValidateInformation,
// the sealer) before either is written, so a refusal changes nothing.
func (s *Service) Verify(ctx context.Context, u *model.User, inc *model.Incident, to string, grounds *Grounds) error {
	if err := MayMove(u, inc, to); err != nil {
		return err
	}
	if grounds == nil {
		return s.SetVerification(ctx, u, inc, to, inc.Version)
	}
	if err := ValidateInformation(grounds.Source, grounds.Info, s.now()); err != nil {
		return err
	}
	if InformationNeedsSealer(inc, grounds.Source, grounds.Info) && grounds.Sealer == nil {
		return store.ErrSealNeedsMember
	}
	if err := s.AddSource(ctx, u, inc, grounds.Source, grounds.Info, grounds.Sealer); err != nil {
		return err
	}
	return s.SetVerification(ctx, u, inc, to, inc.Version)
}
