package extract

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

var now = time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)

func run(t *testing.T, text, published string) *Result {
	t.Helper()
	res, err := Extract(Input{Text: []byte(text), Published: published, Now: now})
	if err != nil {
		t.Fatalf("Extract(%q): %v", text, err)
	}
	return res
}

func TestBadInput(t *testing.T) {
	big := bytes.Repeat([]byte("Activist shot dead in Basra. "), MaxBytes/20)
	for _, c := range []struct {
		name, published string
		text            []byte
		want            error
		says            string
	}{
		{"empty", "", nil, ErrEmpty, "empty"},
		{"blank", "", []byte(" \n\t "), ErrEmpty, "empty"},
		{"binary", "", []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), ErrBinary, "UTF-8"},
		{"latin-1", "", []byte("caf\xe9 in Basra"), ErrBinary, "UTF-8"},
		{"too large", "", big, ErrTooLarge, "5 MB"},
		{"scripts only", "", []byte("<html><script>alert(1)</script><style>p{}</style></html>"), ErrEmpty, "HTML"},
		{"future given", "2027-01-02", []byte("Activist shot dead in Basra."), ErrFuture, "2027-01-02"},
		{"future found", "", []byte("BAGHDAD, 3 March 2031 — Activist shot dead in Basra."), ErrFuture, "2031-03-03"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := Extract(Input{Text: c.text, Published: c.published, Now: now})
			if !errors.Is(err, c.want) || !strings.Contains(err.Error(), c.says) {
				t.Fatalf("got %v, want %v saying %q", err, c.want, c.says)
			}
		})
	}
	if _, err := Extract(Input{Text: []byte("x"), Published: "7/11/2019", Now: now}); err == nil || !strings.Contains(err.Error(), "YYYY-MM-DD") {
		t.Fatalf("a malformed publication date: %v", err)
	}
	if _, err := ReadLimited(bytes.NewReader(big)); !errors.Is(err, ErrTooLarge) {
		t.Fatalf("ReadLimited of %d bytes: %v", len(big), err)
	}
}

func TestHTMLScriptsAndStylesStripped(t *testing.T) {
	page := `<!doctype html><html><head><title>t</title><script>document.write("kidnapped")</script></head>
<body><style>.x{content:"assassinated"}</style><nav>Home</nav><article><h1>Report</h1>
<p>Journalist Noor Kareem was <b>abducted</b> in Basra on 3 March 2021.</p><script src="x.js"></script>
<noscript>shot dead</noscript><p>Police said &amp; nothing more.</p></article></body></html>`
	res := run(t, page, "2021-03-05")
	for _, s := range res.Sentences {
		for _, bad := range []string{"document.write", "content:", "shot dead", "assassinated", "Home"} {
			if strings.Contains(s.Text, bad) {
				t.Fatalf("sentence %q holds %q from a script, style or nav", s.Text, bad)
			}
		}
	}
	if len(res.Incidents) != 1 || res.Incidents[0].Type != "kidnapping" || res.Incidents[0].Date.Start != "2021-03-03" {
		t.Fatalf("incidents %+v", res.Incidents)
	}
	if v := res.Incidents[0].Victims; len(v) != 1 || v[0].Name != "Noor Kareem" || v[0].Role != "journalist" {
		t.Fatalf("victims %+v", v)
	}
}

func TestDates(t *testing.T) {
	pub := "2019-11-12" // a Tuesday
	for _, c := range []struct{ text, start, end, prec string }{
		{"It happened on 6 November 2019.", "2019-11-06", "2019-11-06", "day"},
		{"It happened on November 6, 2019.", "2019-11-06", "2019-11-06", "day"},
		{"It happened in November 2019.", "2019-11-01", "2019-11-30", "month"},
		{"It happened last November.", "2018-11-01", "2018-11-30", "month"},
		{"It happened last year.", "2018-01-01", "2018-12-31", "year"},
		{"It happened yesterday.", "2019-11-11", "2019-11-11", "day"},
		{"It happened on Sunday.", "2019-11-10", "2019-11-10", "day"},
		{"It happened last week.", "2019-11-05", "2019-11-11", "week"},
		{"It happened on 25 December.", "2018-12-25", "2018-12-25", "day"},
		{"It happened in 2017.", "2017-01-01", "2017-12-31", "year"},
		{"It happened on 31 November 2019.", "2019-11-01", "2019-11-30", "month"},
		{"وقع الحادث في ٦ تشرين الثاني ٢٠١٩.", "2019-11-06", "2019-11-06", "day"},
		{"وقع الحادث في 6 نوفمبر 2019.", "2019-11-06", "2019-11-06", "day"},
		{"وقع الحادث في تشرين الثاني الماضي.", "2018-11-01", "2018-11-30", "month"},
		{"وقع الحادث العام الماضي.", "2018-01-01", "2018-12-31", "year"},
		{"وقع الحادث يوم أمس.", "2019-11-11", "2019-11-11", "day"},
		{"وقع الحادث الأسبوع الماضي.", "2019-11-05", "2019-11-11", "week"},
	} {
		res := run(t, c.text, pub)
		if len(res.Dates) != 1 {
			t.Errorf("%q: dates %+v, want one", c.text, res.Dates)
			continue
		}
		if d := res.Dates[0]; d.Start != c.start || d.End != c.end || d.Precision != c.prec {
			t.Errorf("%q: %s–%s %s, want %s–%s %s", c.text, d.Start, d.End, d.Precision, c.start, c.end, c.prec)
		}
	}
	// Relative to the date before: "five days later", "the following week".
	res := run(t, "He was shot on 6 November 2019. Five days later his friend left. The following week nobody spoke.", "")
	var got []string
	for _, d := range res.Dates {
		got = append(got, d.Start+"/"+d.Precision)
	}
	if want := "2019-11-06/day 2019-11-11/day 2019-11-18/week"; strings.Join(got, " ") != want {
		t.Fatalf("chained relative dates %v, want %s", got, want)
	}
}

func TestSentences(t *testing.T) {
	r, _ := rulesFor("en")
	got := splitSentences(r, "Dr. Ali Hassan met U.S. officials at 3.5 p.m. in Basra. He left! Did he?\nNew line")
	want := []string{"Dr. Ali Hassan met U.S. officials at 3.5 p.m. in Basra.", "He left!", "Did he?", "New line"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("got %q", got)
	}
	r, _ = rulesFor("ar")
	got = splitSentences(r, "قتل الناشط. هل فر؟ نعم")
	if len(got) != 3 {
		t.Fatalf("arabic: %q", got)
	}
}

func TestEveryValueTracedToASentence(t *testing.T) {
	res := run(t, "BAGHDAD, 7 November 2019 — Activist Ali Hassan al-Saadi was shot dead by gunmen in Nasiriyah on Wednesday. Five days later his friend Karim Jawad fled to Istanbul. According to Al-Amal, 44 kidnappings were recorded last year.", "")
	check := func(what string, tr Trace) {
		if len(tr.Sentences) == 0 || tr.Confidence <= 0 || tr.Confidence > 1 {
			t.Errorf("%s: trace %+v", what, tr)
		}
		for _, i := range tr.Sentences {
			if i < 0 || i >= len(res.Sentences) {
				t.Errorf("%s: sentence %d of %d", what, i, len(res.Sentences))
			}
		}
	}
	if len(res.Incidents) == 0 || len(res.Claims) == 0 || len(res.Protection.Relocations) == 0 {
		t.Fatalf("nothing proposed: %+v", res)
	}
	for _, inc := range res.Incidents {
		check("incident", inc.Trace)
		check("date", inc.Date.Trace)
		check("place", inc.Place.Trace)
		for _, v := range inc.Victims {
			check("victim", v.Trace)
		}
	}
	for _, c := range res.Claims {
		check("claim", c.Trace)
	}
	if c := res.Claims[0]; c.Number != 44 || c.What != "kidnapping" || c.Source != "Al-Amal" || c.Period.Start != "2018-01-01" {
		t.Fatalf("claim %+v", c)
	}
	if rl := res.Protection.Relocations[0]; rl.Person != "Karim Jawad" || rl.Destination.Country != "TR" || rl.Date.Start != "2019-11-11" {
		t.Fatalf("relocation %+v", rl)
	}
}

func FuzzExtract(f *testing.F) {
	for _, s := range []string{
		"BAGHDAD, 7 November 2019 — Activist Ali Hassan was shot dead by gunmen in Nasiriyah.",
		"بغداد، ٧ تشرين الثاني ٢٠١٩ - اغتال مسلحون الناشط علي حسن في الناصرية.",
		"<p>Journalist <b>Noor</b> abducted</p><script>x</script>",
		"At least 44 kidnappings and 74 attempted killings last year, according to Al-Amal.",
		"و74 محاولة اغتيال منذ تشرين الأول 2019 بحسب جمعية الأمل",
		"Five days later he fled to Istanbul. The governor promised results within three months.",
		"31 February 2020 on 0 @month #n", "\xff\xfe", "",
	} {
		f.Add([]byte(s), "")
	}
	f.Add([]byte("Activist shot dead last year."), "2019-11-07")
	f.Fuzz(func(t *testing.T, b []byte, published string) {
		res, err := Extract(Input{Text: b, Published: published, Now: now})
		if err != nil {
			return
		}
		if !utf8.Valid(b) {
			t.Fatalf("accepted invalid UTF-8")
		}
		n := len(res.Sentences)
		for _, inc := range res.Incidents {
			for _, i := range inc.Sentences {
				if i < 0 || i >= n {
					t.Fatalf("incident traced to sentence %d of %d", i, n)
				}
			}
			if inc.Date != nil && inc.Date.End < inc.Date.Start {
				t.Fatalf("date ends before it starts: %+v", inc.Date)
			}
		}
	})
}
