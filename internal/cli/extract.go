package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/rasd-project/rasd/internal/extract"
	"github.com/rasd-project/rasd/internal/locale"
	"github.com/rasd-project/rasd/internal/vocab"
)

func runExtract(_ context.Context, io IO, args []string) error {
	fs := flags(io, "extract", "FILE|-")
	lang := fs.String("lang", "auto", "the report's language: ar, en or auto")
	published := fs.String("published", "", "the report's publication date, YYYY-MM-DD (else found in the text, or today)")
	format := fs.String("format", "text", "output: text or json")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if *lang != "auto" && !locale.Stored(*lang) {
		return fmt.Errorf("%w: --lang ar, en or auto (got %q)", ErrUsage, *lang)
	}
	if *format != "text" && *format != "json" {
		return fmt.Errorf("%w: --format text or json (got %q)", ErrUsage, *format)
	}
	if len(pos) != 1 {
		return fmt.Errorf("%w: give one report file, or - to read standard input", ErrUsage)
	}
	raw, kind, err := readReport(io, pos[0])
	if err != nil {
		return err
	}
	res, err := extract.Extract(extract.Input{Text: raw, Format: kind, Lang: *lang, Published: *published})
	if err != nil {
		if errors.Is(err, extract.ErrFuture) || strings.Contains(err.Error(), "YYYY-MM-DD") {
			return fmt.Errorf("%w: --published: %v", ErrUsage, err)
		}
		return fmt.Errorf("%s: %w", pos[0], err)
	}
	if *format == "json" {
		enc := json.NewEncoder(io.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(res)
	}
	printExtract(io.Stdout, res)
	return nil
}

// readReport reads a file (its extension tells HTML from text) or stdin.
func readReport(io IO, name string) ([]byte, string, error) {
	var r interface{ Read([]byte) (int, error) } = io.Stdin
	kind := extract.FormatAuto
	if name != "-" {
		f, err := os.Open(name)
		if err != nil {
			return nil, "", err
		}
		defer f.Close()
		r = f
		switch strings.ToLower(filepath.Ext(name)) {
		case ".html", ".htm":
			kind = extract.FormatHTML
		case ".txt":
			kind = extract.FormatText
		}
	}
	raw, err := extract.ReadLimited(r)
	if err != nil {
		return nil, "", fmt.Errorf("%s: %w", name, err)
	}
	return raw, kind, nil
}

func printExtract(w io.Writer, res *extract.Result) {
	l := res.Lang
	how := "given"
	if res.PublishedFound {
		how = "found in the text"
	}
	fmt.Fprintf(w, "Report in %s, published %s (%s); %d sentences. Nothing is saved: these are proposals.\n", l, res.Published, how, len(res.Sentences))
	for _, warn := range res.Warnings {
		fmt.Fprintf(w, "Note: %s\n", warn)
	}
	fmt.Fprintf(w, "\nIncidents (%d)\n", len(res.Incidents))
	for i, inc := range res.Incidents {
		fmt.Fprintf(w, "  %d. %s (%q)%s%s %s\n", i+1, label(vocab.IncidentType, inc.Type, l), inc.Keyword, dateText(inc.Date), placeText(inc.Place, l), trace(inc.Trace))
		for _, v := range inc.Victims {
			fmt.Fprintf(w, "     victim: %s", v.Name)
			if v.Role != "" {
				fmt.Fprintf(w, ", %s", label(vocab.VictimRole, v.Role, l))
			}
			if v.Outcome != "" {
				fmt.Fprintf(w, ", %s", label(vocab.Outcome, v.Outcome, l))
			}
			fmt.Fprintf(w, " %s\n", trace(v.Trace))
		}
		for _, p := range inc.Perpetrators {
			fmt.Fprintf(w, "     perpetrator: %s — %q %s\n", label(vocab.PerpetratorType, p.Type, l), p.Description, trace(p.Trace))
		}
	}
	fmt.Fprintf(w, "\nClaims (%d): counts attributed to their source, never incidents\n", len(res.Claims))
	for _, c := range res.Claims {
		src := c.Source
		if src == "" {
			src = "(source not found)"
		}
		fmt.Fprintf(w, "  %d × %s (%q)%s, according to %s %s\n", c.Number, label(vocab.IncidentType, c.What, l), c.Counts, dateText(c.Period), src, trace(c.Trace))
	}
	p := res.Protection
	fmt.Fprintf(w, "\nProtection (proposals for the protection records, not saved)\n")
	for _, r := range p.Relocations {
		fmt.Fprintf(w, "  relocation: %s →%s%s %s\n", orUnknown(r.Person), placeText(r.Destination, l), dateText(r.Date), trace(r.Trace))
	}
	for _, t := range p.Threats {
		fmt.Fprintf(w, "  threat: %s%s %s\n", orUnknown(t.Target), dateText(t.Date), trace(t.Trace))
	}
	for _, h := range p.Lists {
		fmt.Fprintf(w, "  list: %d %s, issued by %s %s\n", h.Count, h.Who, orUnknown(h.Issuer), trace(h.Trace))
	}
	a := res.Accountability
	fmt.Fprintf(w, "\nAccountability (proposals for the accountability records, not saved)\n")
	for _, pr := range a.Promises {
		fmt.Fprintf(w, "  promise by %s", orUnknown(pr.By))
		if pr.Deadline != "" {
			fmt.Fprintf(w, ", %q (due %s)", pr.Deadline, pr.Due)
		}
		fmt.Fprintf(w, " %s\n", trace(pr.Trace))
	}
	for _, c := range a.Committees {
		fmt.Fprintf(w, "  committee: %q, formed by %s%s %s\n", c.Name, orUnknown(c.FormedBy), dateText(c.Date), trace(c.Trace))
	}
	fmt.Fprintf(w, "\nSentences\n")
	for _, s := range res.Sentences {
		fmt.Fprintf(w, "  [%d] %s\n", s.Index+1, s.Text)
	}
}

func orUnknown(s string) string {
	if s == "" {
		return "(unknown)"
	}
	return s
}

func dateText(d *extract.Date) string {
	if d == nil {
		return ""
	}
	if d.Start == d.End {
		return fmt.Sprintf(", %s (%s, %q)", d.Start, d.Precision, d.Text)
	}
	return fmt.Sprintf(", %s–%s (%s, %q)", d.Start, d.End, d.Precision, d.Text)
}

func placeText(p *extract.Place, lang string) string {
	if p == nil {
		return ""
	}
	if p.Abroad {
		return fmt.Sprintf(" %s (%s)", p.Name, p.Country)
	}
	return fmt.Sprintf(", %s (%s, %s)", p.Name, p.Level, admin1Label(p.Admin1, lang))
}

// trace is "[sentences 1, 3; 0.80]", numbered from 1 as printed.
func trace(t extract.Trace) string {
	var n []string
	for _, s := range t.Sentences {
		n = append(n, fmt.Sprint(s+1))
	}
	return fmt.Sprintf("[sentence %s; confidence %.2f]", strings.Join(n, ", "), t.Confidence)
}
