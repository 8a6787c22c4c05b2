package web

import (
	"bytes"
	"context"
	"crypto/rand"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/rasd-project/rasd/internal/i18n"
	"github.com/rasd-project/rasd/internal/incidents"
	"github.com/rasd-project/rasd/internal/kinds"
	"github.com/rasd-project/rasd/internal/locale"
	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/record"
	"github.com/rasd-project/rasd/internal/store/sqlite"
	"github.com/rasd-project/rasd/internal/store/storetest"
	"github.com/rasd-project/rasd/internal/vault"
	"github.com/rasd-project/rasd/internal/vocab"
)

// Fuzz targets for every form the server reads: each turns arbitrary
// url-encoded input into either a record that passes validation or
// field errors that the page can show, and never panics.

var formSeeds = []string{
	"type=killing&date_start=2019-12-08&precision=day&admin1=IQ-DQ&locality=الناصرية&summary_en=x&summary_ar=س" +
		"&verification=reported&visibility=internal&fatalities=١&vic.0.outcome=killed&vic.0.role=activist" +
		"&vic.0.name_ar=أمجد&vic.0.birth_year=١٩٩٠&perp.0.type=unknown&perp.0.group=&perp.0.modus=shot&lat=31.0&lon=46.2&tags=a،b",
	"type=kidnapping&date_start=2020-02&date_end=2020-01&precision=year&admin1=Baghdad&lat=91&vic.0.outcome=x&vic.0.person=p1&vic.0.name_ar=y",
	"name_ar=زينب&name_latin=Zainab&aliases=a%0Ab&gender=female&birth_year=1990&roles=journalist&roles=activist" +
		"&home_admin1=IQ-BG&status=active&risk_level=high&visibility=restricted&consent=on",
	"name_ar=&name_en=Org&kind=ngo&status=active&visibility=internal&notes=n",
	"vic.0.outcome=&vic.1.outcome=killed&perp.0.type=&date_start=0000-00-00&fatalities=-1&lat=NaN&lon=1e400",
	"%zz&a=%&b",
}

// parseFuzzForm reads fuzz input as a form: what url.ParseQuery keeps of
// a malformed query is what a server would see too.
func parseFuzzForm(s string) url.Values {
	v, _ := url.ParseQuery(s)
	return v
}

// checkMessages fails on a field error the page could not show.
func checkMessages(t *testing.T, errs *formErrors) {
	t.Helper()
	for _, lang := range locale.Codes() {
		fields, general := errs.translate(lang)
		for k, m := range fields {
			if strings.HasPrefix(m, "[") || m == "" {
				t.Fatalf("field %q: untranslated message %q", k, m)
			}
		}
		for _, m := range general {
			if strings.HasPrefix(m, "[") || m == "" {
				t.Fatalf("untranslated general message %q", m)
			}
		}
	}
}

func FuzzIncidentForm(f *testing.F) {
	for _, s := range formSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		form := readIncidentForm(parseFuzzForm(s))
		errs := newFormErrors()
		inc := form.incident(model.Incident{}, errs)
		incidents.ApplyDefaults(inc)
		verr := incidents.Validate(inc)
		errs.addValidation(verr)
		checkMessages(t, errs)
		if errs.empty() {
			if verr != nil {
				t.Fatalf("no field error, but the record is invalid: %v", verr)
			}
			if !vocab.Get(vocab.IncidentType).Has(inc.Type) || !vocab.Get(vocab.Visibility).Has(inc.Visibility) {
				t.Fatalf("accepted an incident with type %q, visibility %q", inc.Type, inc.Visibility)
			}
		}
		form.withEmptyRows()
		formOf(inc) // the form is drawn again from what was read
	})
}

func FuzzPersonForm(f *testing.F) {
	for _, s := range formSeeds {
		f.Add(s)
	}
	f.Add("name_ar=x&visibility=restricted")
	f.Fuzz(func(t *testing.T, s string) {
		p, ok := fuzzKindForm(t, kinds.Person, s)
		if ok && (p.NameAR == "" && p.NameLatin == "" || p.BirthYear != 0 && (p.BirthYear < 1900 || p.BirthYear > 2026)) {
			t.Fatalf("accepted an invalid person: %+v", p)
		}
	})
}

func FuzzOrganisationForm(f *testing.F) {
	for _, s := range formSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		o, ok := fuzzKindForm(t, kinds.Organisation, s)
		if ok && (o.NameAR == "" && o.NameEN == "" || !vocab.Get(vocab.OrganisationKind).Has(o.Kind)) {
			t.Fatalf("accepted an invalid organisation: %+v", o)
		}
	})
}

// fuzzKindForm reads body as kind k's form and applies it as a user of
// role would: a refusal names its fields with messages of both
// catalogues and leaves the record as it was; an acceptance is a valid
// record (ok), whose form can be drawn again. (Who may set what is the
// service's rule, records.Save, tested with a store.)
func fuzzKindForm[T any](t *testing.T, k *record.Kind[T], body string) (*T, bool) {
	r := httptest.NewRequest(http.MethodPost, k.Path, strings.NewReader(body))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if err := r.ParseForm(); err != nil {
		return nil, false // errBadForm: the page says so
	}
	form := k.ReadForm("", r.PostForm)
	rec := new(T)
	errs := k.Apply(form, rec, time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC))
	for field, key := range errs {
		if !i18n.Has("en", key) || !i18n.Has("ar", key) || field == "" {
			t.Fatalf("field %q: message key %q is not in both catalogues", field, key)
		}
	}
	if len(errs) > 0 {
		if !reflect.DeepEqual(rec, new(T)) {
			t.Fatal("a refused form changed the record")
		}
		return rec, false
	}
	if !vocab.Get(vocab.Visibility).Has(k.Visibility(rec)) {
		t.Fatalf("accepted visibility %q", k.Visibility(rec))
	}
	formOfKind(k, k.FormOf(rec))
	return rec, true
}

// fuzzServer is a real server with one session per kind of form sender:
// signed-in admin and coordinator, and half-signed-in users before their
// second factor and before enrolment.
type fuzzServer struct {
	srv      *Server
	h        http.Handler
	log      *bytes.Buffer
	sessions map[string]*model.Session // by who
	tokens   map[string]string
	incident string
}

func newFuzzServer(f *testing.F) *fuzzServer {
	ctx := context.Background()
	key := make([]byte, 32)
	rand.Read(key)
	st, err := sqlite.Open(ctx, filepath.Join(f.TempDir(), sqlite.FileName), key, storetest.AuditKey)
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { st.Close() })
	fs := &fuzzServer{log: &bytes.Buffer{}, sessions: map[string]*model.Session{}, tokens: map[string]string{}}
	fs.srv, err = New(Options{Store: st, SecretKey: key, Insecure: true, Sleep: func(time.Duration) {},
		Logger: slog.New(slog.NewTextHandler(fs.log, &slog.HandlerOptions{Level: slog.LevelError}))})
	if err != nil {
		f.Fatal(err)
	}
	fs.h = fs.srv.Handler()
	now := time.Now()
	for _, who := range []struct {
		name, role         string
		enrolled, verified bool
	}{
		{"admin", model.RoleAdmin, true, true}, {"coord", model.RoleCoordinator, true, true},
		{"halfway", model.RoleDocumenter, true, false}, {"newcomer", model.RoleDocumenter, false, false},
	} {
		u := &model.User{Username: who.name, Role: who.role, Lang: "en", PasswordHash: "x"}
		if err := st.CreateUser(ctx, "test", u); err != nil {
			f.Fatal(err)
		}
		if who.enrolled {
			u.TOTPSealed = vault.Seal(fs.srv.totpKey, []byte(testTOTPSecret), "totp "+u.ID)
			st.UpdateUser(ctx, "test", u)
		}
		tok := randomToken()
		sess := &model.Session{TokenHash: hashToken(tok), UserID: u.ID, CSRF: randomToken(), Verified: who.verified,
			CreatedAt: now, LastSeen: now, ExpiresAt: now.Add(24 * time.Hour)}
		if err := st.CreateSession(ctx, sess); err != nil {
			f.Fatal(err)
		}
		fs.sessions[who.name], fs.tokens[who.name] = sess, tok
	}
	inc := &model.Incident{Type: "kidnapping", Date: model.Date{Start: "2020-02-02", End: "2020-02-02", Precision: "day"},
		Place: model.Place{Country: "IQ", Admin1: "IQ-NA"}, Verification: "reported", Visibility: model.VisibilityInternal}
	if err := st.CreateIncident(ctx, "coord", inc); err != nil {
		f.Fatal(err)
	}
	fs.incident = inc.ID
	return fs
}

// fuzzPosts are the forms FuzzFormPosts sends, with who sends each.
var fuzzPosts = []struct{ path, who string }{
	{"/login", ""}, {"/login/totp", "halfway"}, {"/enrol", "newcomer"}, {"/lang", "coord"},
	{"/incidents", "coord"}, {"/incidents/{inc}", "coord"}, {"/incidents/{inc}/information", "coord"},
	{"/incidents/{inc}/verification", "coord"}, {"/persons", "coord"}, {"/organisations", "coord"},
	{"/admin/users/{user}/end-sessions", "admin"}, {"/admin/users/{user}/disable", "admin"}, {"/admin/users/{user}/enable", "admin"}, {"/admin/panic", "admin"}, {"/logout", "coord"},
	{"/incidents/from-report", "coord"}, {"/incidents/from-report/accept", "coord"},
}

// FuzzFormPosts sends arbitrary forms, with a valid CSRF token, to every
// form handler, including sign-in, second factor, enrolment and the user
// administration forms, which have no separate parser: no input may make
// one fail with a server error or a panic.
func FuzzFormPosts(f *testing.F) {
	fs := newFuzzServer(f)
	for i := range fuzzPosts {
		for _, s := range formSeeds {
			f.Add(uint8(i), s)
		}
	}
	f.Add(uint8(0), "username=admin&password=x")
	f.Add(uint8(1), "code=123456&recovery=")
	f.Add(uint8(1), "recovery=abcd-efgh")
	f.Add(uint8(11), "password=x&phrase=DESTROY+ALL+DATA")
	f.Add(uint8(13), "text=Activist+Ali+Hassan+was+shot+dead+in+Basra+yesterday.&published=2020-01-02&lang=auto")
	f.Add(uint8(14), "type=killing&date_start=2020-01-01&precision=day&admin1=IQ-BA&victim_name=Ali+Hassan&victim_role=activist&victim_outcome=killed&victim_keep=0&sentence=x&sentence_index=0&sentence_keep=0&reliability=F&credibility=6&published=2020-01-02&report_lang=en")
	f.Fuzz(func(t *testing.T, which uint8, body string) {
		p := fuzzPosts[int(which)%len(fuzzPosts)]
		path := strings.NewReplacer("{inc}", fs.incident, "{user}", fs.sessions["coord"].UserID).Replace(p.path)
		req := httptest.NewRequest(http.MethodPost, path, nil)
		var csrf string
		if p.who == "" {
			req.AddCookie(&http.Cookie{Name: preCookie, Value: "fuzz"})
			csrf = fs.srv.csrfToken(&request{pre: "fuzz"})
		} else {
			req.AddCookie(&http.Cookie{Name: sessionCookie, Value: fs.tokens[p.who]})
			csrf = fs.srv.csrfToken(&request{sess: fs.sessions[p.who]})
		}
		req.Body = httpBody(body + "&csrf=" + csrf)
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		fs.log.Reset()
		w := httptest.NewRecorder()
		fs.h.ServeHTTP(w, req)
		if w.Code >= 500 || strings.Contains(fs.log.String(), "panic") {
			t.Fatalf("POST %s %q: %d\n%s", path, body, w.Code, fs.log.String())
		}
		if p.path == "/logout" {
			fs.reSession(t, p.who)
		}
	})
}

// reSession gives who a session again after a fuzzed logout ended it.
func (fs *fuzzServer) reSession(t *testing.T, who string) {
	old := fs.sessions[who]
	tok := randomToken()
	sess := *old
	sess.TokenHash, sess.LastSeen = hashToken(tok), time.Now()
	if err := fs.srv.st.CreateSession(context.Background(), &sess); err != nil {
		t.Fatal(err)
	}
	fs.sessions[who], fs.tokens[who] = &sess, tok
}

func httpBody(s string) *readCloser { return &readCloser{strings.NewReader(s)} }

type readCloser struct{ *strings.Reader }

func (readCloser) Close() error { return nil }
