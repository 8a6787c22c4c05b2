package cli

import (
	"fmt"
	"strings"

	"github.com/rasd-project/rasd/internal/locale"
)

// langUsage is the help of a --lang flag.
var langUsage = "language: " + strings.Join(locale.Codes(), ", ")

// checkLang refuses a --lang that is not one of rasd's languages.
func checkLang(lang string) error {
	if !locale.Known(lang) {
		return fmt.Errorf("%w: --lang %q is not one of rasd's languages (%s)", ErrUsage, lang, strings.Join(locale.Codes(), ", "))
	}
	return nil
}
