package cli

import (
	"fmt"
	"os"

	"github.com/rasd-project/rasd/internal/importer"
	"github.com/rasd-project/rasd/internal/incidents"
	"github.com/rasd-project/rasd/internal/keys"
)

// openSheetImport opens a spreadsheet with its mapping and checks every
// row before the store is opened: a bad file is refused whole, with its
// problems by row and column.
func openSheetImport(name, format, mappingFile string) (importFile, error) {
	mf, err := os.Open(mappingFile)
	if err != nil {
		return importFile{}, err
	}
	m, err := importer.ReadMapping(mf)
	mf.Close()
	if err != nil {
		return importFile{}, fmt.Errorf("%s: %w", mappingFile, err)
	}
	f, err := os.Open(name)
	if err != nil {
		return importFile{}, err
	}
	sheet, err := importer.OpenSheet(f, name, format, m.Sheet)
	if err != nil {
		f.Close()
		return importFile{}, err
	}
	closeAll := func() error { sheet.Close(); return f.Close() }
	sf, err := importer.ReadSheet(sheet, m, name)
	if err != nil {
		closeAll()
		return importFile{}, err
	}
	file := importFile{n: sf.Len(), records: sf.Each, close: closeAll}
	if num, ext := sf.First(keys.Restricted); num > 0 {
		file.restricted = &incidents.RestrictedError{Num: num, External: ext}
	}
	return file, nil
}
