package export

import (
	"archive/zip"
	"bufio"
	"encoding/xml"
	"errors"
	"io"
	"strconv"

	"github.com/rasd-project/rasd/internal/model"
)

// maxXLSXRows is a worksheet's limit, less the header.
const maxXLSXRows = 1<<20 - 1

// The fixed parts of a one-sheet workbook (ECMA-376): cells are inline
// strings, so there is no shared-string table to hold in memory.
const (
	xlsxContentTypes = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>`
	xlsxRels = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`
	xlsxWorkbook = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Incidents" sheetId="1" r:id="rId1"/></sheets></workbook>`
	xlsxWorkbookRels = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`
	xlsxSheetHead = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`
	xlsxSheetTail = `</sheetData></worksheet>`
)

// writeXLSX writes the workbook straight into a zip on w, the sheet as
// its rows come: nothing is buffered whole, in memory or on disk (a
// library's writer keeps the sheet in a temporary file and the zip in
// memory). Cells are text, never formulas.
func writeXLSX(w io.Writer, src Source) (int, error) {
	zw := zip.NewWriter(w)
	for _, part := range []struct{ name, body string }{
		{"[Content_Types].xml", xlsxContentTypes}, {"_rels/.rels", xlsxRels},
		{"xl/workbook.xml", xlsxWorkbook}, {"xl/_rels/workbook.xml.rels", xlsxWorkbookRels},
	} {
		pw, err := zw.Create(part.name)
		if err != nil {
			return 0, err
		}
		if _, err := io.WriteString(pw, part.body); err != nil {
			return 0, err
		}
	}
	sw, err := zw.Create("xl/worksheets/sheet1.xml")
	if err != nil {
		return 0, err
	}
	bw := bufio.NewWriterSize(sw, 64<<10)
	bw.WriteString(xlsxSheetHead)
	names := make([]string, len(columns))
	for i := range names {
		names[i] = columnLetters(i)
	}
	writeRow := func(r int, cells []string) error {
		num := strconv.Itoa(r)
		bw.WriteString(`<row r="` + num + `">`)
		for i, c := range cells {
			if c == "" {
				continue
			}
			bw.WriteString(`<c r="` + names[i] + num + `" t="inlineStr"><is><t xml:space="preserve">`)
			if err := xml.EscapeText(bw, []byte(c)); err != nil {
				return err
			}
			bw.WriteString(`</t></is></c>`)
		}
		_, err := bw.WriteString(`</row>`)
		return err
	}
	if err := writeRow(1, Header()); err != nil {
		return 0, err
	}
	cells := make([]string, len(columns))
	n := 0
	err = src(func(inc *model.Incident) error {
		if n == maxXLSXRows {
			return errors.New("more incidents than a worksheet holds (1,048,575); narrow the filters or export CSV")
		}
		row(inc, cells)
		n++
		return writeRow(n+1, cells)
	})
	if err != nil {
		return n, err
	}
	bw.WriteString(xlsxSheetTail)
	if err := bw.Flush(); err != nil {
		return n, err
	}
	return n, zw.Close()
}

// columnLetters names the column at index i: A … Z, AA …
func columnLetters(i int) string {
	s := ""
	for i++; i > 0; i = (i - 1) / 26 {
		s = string(rune('A'+(i-1)%26)) + s
	}
	return s
}
