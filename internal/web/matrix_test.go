package web

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/jpeg"
	"io/fs"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/google/uuid"

	"github.com/rasd-project/rasd/internal/kinds"
	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/store"
)

// The authorisation matrix: every route of the router × every role (and
// anonymous) × every kind of record its {id} can name. The answer each
// cell must get is written out below from docs/access.md and the rules of
// internal/access, on purpose without calling them: the test states the
// rules a second time, so that a change to either side is seen.
//
// A route the test cannot classify fails it: whoever adds a route states
// here what every role should get.

// anon is the matrix's column for a browser without a session.
const anon = "anonymous"

var matrixRoles = []string{anon, model.RoleDocumenter, model.RoleAnalyst, model.RoleProtection,
	model.RoleCoordinator, model.RoleAdmin}

// recordCase is which record a route's {id} names.
type recordCase string

const (
	noRecord        recordCase = "-"
	ownRestricted   recordCase = "own restricted"
	otherInternal   recordCase = "other's internal"
	otherRestricted recordCase = "other's restricted"
	missingRecord   recordCase = "missing id"
	aUser           recordCase = "a user"
	aSource         recordCase = "a source"
	othersToken     recordCase = "another's token"
	othersSheet     recordCase = "another's sheet"
)

var recordCases = []recordCase{ownRestricted, otherInternal, otherRestricted, missingRecord}

// Kinds of thing a route's {id} names, by path prefix.
const (
	kindIncident     = "incident"
	kindPerson       = "person"
	kindOrganisation = "organisation"
	kindUser         = "user"
	kindSource       = "source"
	kindEvidence     = "evidence"
	kindAtRisk       = "at risk" // a record of docs/protection.md: a protection case
	kindCommitment   = "commitment"
	kindCommittee    = "committee"
	kindStep         = "judicial_step"
	kindToken        = "token"
	kindSheet        = "sheet" // a spreadsheet held by the import wizard
)

// The rules of docs/access.md, stated for the test.

// mayCreate: documenters, analysts, protection officers and coordinators
// record incidents, persons and organisations; the admin manages accounts.
func mayCreate(role string) bool {
	switch role {
	case model.RoleDocumenter, model.RoleAnalyst, model.RoleProtection, model.RoleCoordinator:
		return true
	}
	return false
}

// maySee: every signed-in role sees internal records (the admin too);
// restricted records are seen by protection officers and coordinators, and
// by whoever created them, except the admin, who never reads restricted
// records without a grant.
func maySee(role string, c recordCase) bool {
	switch c {
	case otherInternal:
		return role != anon
	case otherRestricted:
		return role == model.RoleProtection || role == model.RoleCoordinator
	case ownRestricted:
		return mayCreate(role)
	}
	return false
}

// mayEdit: analysts, protection officers and coordinators edit what they
// see; documenters edit only their own records.
func mayEdit(role string, c recordCase) bool {
	return maySee(role, c) && mayCreate(role) && (role != model.RoleDocumenter || c == ownRestricted)
}

// mayVerify: verification past "reported" is an analyst's decision (and
// the coordinator's).
func mayVerify(role string) bool {
	return role == model.RoleAnalyst || role == model.RoleCoordinator
}

// action is what a route does, as far as authorisation is concerned.
type action int

const (
	actUnknown          action = iota
	actStatic                  // public asset
	actLoginForm               // public; a signed-in user is sent home
	actLogin                   // public; an empty form is refused like wrong credentials
	actLang                    // public; sets the language and goes back
	actHalfway                 // second-factor pages: only between password and code
	actSignedIn                // any signed-in role: home, search, lists
	actLogout                  // ends the session, if any, and goes to sign in
	actNewForm                 // the form for a new record
	actCreate                  // a new record
	actView                    // a record, its history, its information
	actEditForm                // the form to change a record
	actEdit                    // a change to a record
	actVerify                  // an incident's verification status
	actAdmin                   // account administration
	actSealed                  // a sealed field group: members of its compartment only (none in the matrix)
	actEvidenceCopy            // an evidence file's working copy
	actEvidenceOriginal        // an evidence file's original
	actKeyAdmin                // compartment membership: the admin and the coordinator (acting needs membership too)
	actPortal                  // the public portal's files (rasd serve --portal)
	actAtRisk                  // people at risk: members of the protection compartment only (none in the matrix)
	actAPIDoc                  // the API's OpenAPI document: everyone's
	actAPIRead                 // an API route any token reads (lists, search, statistics, vocabularies)
	actOwnToken                // a user's own API token: another's looks missing
	actImport                  // the spreadsheet import wizard: coordinators; a sheet is its session's
)

var actionNames = map[action]string{actStatic: "static", actLoginForm: "login form", actLogin: "login",
	actLang: "language", actHalfway: "second factor", actSignedIn: "signed-in page", actLogout: "sign out", actNewForm: "new form",
	actCreate: "create", actView: "view", actEditForm: "edit form", actEdit: "edit", actVerify: "verify",
	actAdmin: "admin", actSealed: "restricted", actEvidenceCopy: "evidence working copy", actEvidenceOriginal: "evidence original",
	actKeyAdmin: "compartments", actPortal: "public portal", actAtRisk: "people at risk",
	actAPIDoc: "API document", actAPIRead: "API read", actOwnToken: "own token", actImport: "import"}

var recordPrefixes = []struct{ prefix, kind string }{
	{"/incidents", kindIncident}, {"/persons", kindPerson}, {"/organisations", kindOrganisation},
	{"/evidence", kindEvidence},
	// Official responses and the judicial track: record kinds, with the
	// rules of every record (docs/access.md).
	{"/commitments", kindCommitment}, {"/committees", kindCommittee}, {"/judicial-steps", kindStep},
	// The API (package api) answers tokens by the same rules as the pages
	// (docs/api.md): the matrix sends each role's read-write token.
	{"/api/v1/incidents", kindIncident}, {"/api/v1/persons", kindPerson}, {"/api/v1/organisations", kindOrganisation},
}

// isAPI says whether a route is the API's, which the matrix calls with a
// token instead of a session.
func isAPI(pattern string) bool {
	_, path, _ := strings.Cut(pattern, " ")
	return strings.HasPrefix(path, "/api/")
}

// atRiskPrefixes are the paths of the record kinds of people at risk.
var atRiskPrefixes = []string{"/threats", "/hitlists", "/hitlist-entries", "/cases", "/assessments", "/measures",
	"/moves", "/checkins"}

var wildcard = regexp.MustCompile(`^\{[A-Za-z_][A-Za-z0-9_]*\}$`)

// classify says what a route pattern does and what kind of record its
// wildcard names ("" for none). actUnknown fails the matrix.
func classify(pattern string) (action, string) {
	switch pattern {
	case "GET /static/{file}":
		return actStatic, ""
	case "GET /login":
		return actLoginForm, ""
	case "POST /login":
		return actLogin, ""
	case "POST /lang":
		return actLang, ""
	case "GET /login/totp", "POST /login/totp", "GET /enrol", "POST /enrol":
		return actHalfway, ""
	case "GET /{$}", "GET /app", "GET /search": // the home page is /app when the portal has /
		return actSignedIn, ""
	// The public portal is everyone's, signed in or not: a generated site
	// of public records only (package portal).
	case "GET /index.html", "GET /portal.css", "GET /ar/{path...}", "GET /en/{path...}", "GET /data/{path...}":
		return actPortal, ""
	// Statistics are for every signed-in role: counts include every
	// counted incident, receipts list only what the reader may see.
	case "GET /dashboard", "GET /dashboard/receipt":
		return actSignedIn, ""
	// Exporting the list is for whoever sees the list: it holds only what
	// the reader may see (docs/exports.md).
	case "GET /incidents/export":
		return actSignedIn, ""
	case "POST /logout":
		return actLogout, ""
	// Every signed-in user changes their own password.
	case "GET /account/password", "POST /account/password":
		return actSignedIn, ""
	case "GET /admin/compartments", "POST /admin/compartments/grant", "POST /admin/compartments/revoke":
		return actKeyAdmin, ""
	case "GET /admin/users", "GET /admin/panic", "POST /admin/panic":
		return actAdmin, ""
	case "POST /admin/users/{id}/end-sessions", "POST /admin/users/{id}/disable", "POST /admin/users/{id}/enable":
		return actAdmin, kindUser
	case "GET /persons/{id}/protection", "POST /persons/{id}/protection":
		return actSealed, kindPerson
	case "GET /sources/{id}/identity", "POST /sources/{id}/identity":
		return actSealed, kindSource
	// Every signed-in user makes and revokes their own API tokens; another
	// user's token looks missing (as the matrix's ids do: none is a token).
	case "GET /account/tokens", "POST /account/tokens":
		return actSignedIn, ""
	case "POST /account/tokens/{id}/revoke":
		return actOwnToken, kindToken
	case "GET /api/openapi.json":
		return actAPIDoc, ""
	case "GET /api/v1/search", "GET /api/v1/statistics", "GET /api/v1/vocabularies", "GET /api/v1/vocabularies/{name}", "GET /api/v1/gazetteer":
		return actAPIRead, ""
	// Importing a spreadsheet acts as the organisation (docs/access.md):
	// the coordinator's; a held sheet is its own session's, another's
	// looks missing.
	case "GET /import", "POST /import", "POST /import/mappings/delete":
		return actImport, ""
	case "GET /import/{id}", "POST /import/{id}":
		return actImport, kindSheet
	// A new incident from a news report: the roles that record cases read
	// the report (nothing stored) and accept a draft (a new incident).
	// The queue of probable duplicates lists pairs of internal and public
	// incidents only, which every signed-in role sees (docs/duplicates.md).
	case "GET /duplicates":
		return actSignedIn, ""
	case "GET /incidents/from-report":
		return actNewForm, ""
	case "POST /incidents/from-report", "POST /incidents/from-report/accept":
		return actCreate, ""
	}
	method, path, _ := strings.Cut(pattern, " ")
	if path == "/atrisk" || path == "/atrisk/figures" {
		return actAtRisk, ""
	}
	for _, prefix := range atRiskPrefixes {
		if rest, ok := strings.CutPrefix(path, prefix); ok && (rest == "" || rest[0] == '/') {
			if wildcards.MatchString(rest) {
				return actAtRisk, kindAtRisk
			}
			return actAtRisk, ""
		}
	}
	if method == http.MethodPut && isAPI(pattern) { // the API changes a record with PUT, the pages with POST
		method = http.MethodPost
	}
	get, post := method == http.MethodGet, method == http.MethodPost
	if !get && !post {
		return actUnknown, ""
	}
	pick := func(g, p action) action {
		if get {
			return g
		}
		return p
	}
	for _, rp := range recordPrefixes {
		rest, ok := strings.CutPrefix(path, rp.prefix)
		if !ok || (rest != "" && rest[0] != '/') {
			continue
		}
		segs := strings.Split(strings.TrimPrefix(rest, "/"), "/")
		switch {
		case rest == "" || rest == "/" || rest == "/{$}":
			return pick(actSignedIn, actCreate), "" // list; create
		case rest == "/new":
			return pick(actNewForm, actCreate), ""
		case !wildcard.MatchString(segs[0]):
			return actUnknown, ""
		case len(segs) == 1:
			return pick(actView, actEdit), rp.kind
		case len(segs) == 2 && segs[1] == "history" && get:
			return actView, rp.kind
		case len(segs) == 2 && segs[1] == "edit":
			return pick(actEditForm, actEdit), rp.kind
		case len(segs) == 2 && segs[1] == "verification" && rp.kind == kindIncident:
			return actVerify, rp.kind
		// Information from sources about an incident: reading it is seeing
		// the incident; adding to it is editing the incident's file.
		case len(segs) == 2 && segs[1] == "information" && rp.kind == kindIncident:
			return pick(actView, actEdit), rp.kind
		case len(segs) == 3 && segs[1] == "information" && segs[2] == "new" && rp.kind == kindIncident:
			return pick(actEditForm, actEdit), rp.kind
		// Evidence: adding a file is editing the incident's file; an
		// evidence page is seen with the record it is attached to.
		case len(segs) == 2 && segs[1] == "evidence" && (rp.kind == kindIncident || rp.kind == kindPerson) && post:
			return actEdit, rp.kind
		// Merging a person into another, and undoing it, changes the
		// person (and the other, checked by the service).
		case len(segs) == 2 && (segs[1] == "merge" || segs[1] == "unmerge") && rp.kind == kindPerson && post:
			return actEdit, rp.kind
		// An incident's probable duplicates are seen with it; deciding on
		// a pair (merge, not the same event, undo) changes what is
		// counted: a verifier's decision, as verification is.
		case len(segs) == 2 && segs[1] == "duplicates" && rp.kind == kindIncident:
			return pick(actView, actVerify), rp.kind
		case len(segs) == 2 && segs[1] == "copy" && rp.kind == kindEvidence && get:
			return actEvidenceCopy, rp.kind
		case len(segs) == 2 && segs[1] == "original" && rp.kind == kindEvidence && get:
			return actEvidenceOriginal, rp.kind
		}
		return actUnknown, ""
	}
	return actUnknown, ""
}

// classifyOn is classify on h's server: with the public portal, / is the
// portal's root page.
func classifyOn(h *harness, pattern string) (action, string) {
	if h.portal && pattern == "GET /{$}" {
		return actPortal, ""
	}
	return classify(pattern)
}

// expectation is what a cell must get.
type expectation struct {
	codes    []int
	location string // a 303 must go exactly here ("" = anywhere but /login)
	why      string
}

func (e expectation) String() string {
	s := fmt.Sprint(e.codes)
	if len(e.codes) == 1 {
		s = fmt.Sprint(e.codes[0])
	}
	if e.location != "" {
		s += " → " + e.location
	}
	return s
}

func (e expectation) met(code int, location string) bool {
	if !slices.Contains(e.codes, code) {
		return false
	}
	if code == http.StatusSeeOther {
		if e.location != "" {
			return location == e.location
		}
		return location != "/login" // a signed-in user was not signed out
	}
	return true
}

// expect is the answer role must get from a route doing act on record c,
// on a server whose signed-in home page is home.
func expect(act action, method, route, role string, c recordCase, home string) expectation {
	api := act == actAPIDoc || act == actAPIRead || strings.HasPrefix(method, "API ")
	method = strings.TrimPrefix(method, "API ")
	allowed := func(why string) expectation {
		if method != http.MethodGet {
			// An empty form: refused with the form again (200, 400, 422)
			// or accepted (303), but never 403 or 404.
			return expectation{codes: []int{200, 303, 400, 422}, why: why}
		}
		return expectation{codes: []int{200}, why: why}
	}
	forbidden := func(why string) expectation { return expectation{codes: []int{403}, why: why} }
	notFound := func(why string) expectation { return expectation{codes: []int{404}, why: why} }
	// hidden: the role may never do this, and may not see the record
	// either: 403 for the route, or 404 for the record, as long as it is
	// the answer for a missing id too (checked apart).
	hidden := func(why string) expectation {
		return expectation{codes: []int{403, 404}, why: why + "; the record must look missing"}
	}
	switch act {
	case actStatic:
		return expectation{codes: []int{200}, why: "public asset"}
	case actPortal:
		return expectation{codes: []int{200}, why: "the public portal is everyone's"}
	case actLoginForm:
		if role == anon {
			return expectation{codes: []int{200}, why: "the sign-in page is public"}
		}
		return expectation{codes: []int{303}, location: home, why: "already signed in: home"}
	case actLogin:
		return expectation{codes: []int{401}, why: "an empty sign-in form is refused like a wrong password"}
	case actLang:
		return expectation{codes: []int{303}, location: home, why: "language switch goes back (home without a back field)"}
	case actAPIDoc:
		return expectation{codes: []int{200}, why: "the API's document is public"}
	}
	if api && role == anon {
		return expectation{codes: []int{401}, why: "the API without a token: 401"}
	}
	if act == actAPIRead {
		return allowed("every role's token reads what its role may see")
	}
	if role == anon || act == actLogout {
		return expectation{codes: []int{303}, location: "/login", why: "anonymous: sign in first; or signed out"}
	}
	switch act {
	case actHalfway:
		return expectation{codes: []int{303}, location: home, why: "already past the second factor: home"}
	case actSignedIn:
		return allowed("every signed-in role")
	case actOwnToken:
		return notFound("no role revokes another's token: it looks missing")
	case actImport:
		switch {
		case role != model.RoleCoordinator:
			return forbidden("imports act as the organisation: the coordinator's")
		case c == othersSheet || c == missingRecord:
			return notFound("another session's sheet looks missing")
		}
		return allowed("the coordinator imports")
	case actAdmin:
		switch {
		case role != model.RoleAdmin:
			return forbidden("accounts are the admin's")
		case c == missingRecord:
			return notFound("no such user")
		}
		return allowed("the admin manages accounts")
	case actKeyAdmin:
		// The page is the admin's (keys) and the coordinator's; an empty
		// form is refused before membership is asked (no compartment named).
		if role != model.RoleAdmin && role != model.RoleCoordinator {
			return forbidden("compartment membership is the admin's and the coordinator's")
		}
		return allowed(role + " manages compartment membership (as a member)")
	case actNewForm, actCreate:
		if !mayCreate(role) {
			return forbidden(role + " does not record cases")
		}
		return allowed(role + " records cases")
	case actView:
		if !maySee(role, c) {
			return notFound(role + " may not see it: it must look missing")
		}
		return allowed(role + " sees it")
	case actEditForm, actEdit:
		switch {
		case !maySee(role, c) && !mayCreate(role):
			return hidden(role + " edits nothing")
		case !maySee(role, c):
			return notFound(role + " may not see it: it must look missing")
		case !mayEdit(role, c):
			return forbidden(role + " sees it but may not change it")
		}
		return allowed(role + " may change it")
	case actSealed:
		// Whoever may see a person learns the group exists; no account of
		// the matrix holds a compartment, so none may open it. A source
		// (no visibility of its own) looks missing to non-members.
		if c == missingRecord || c == aSource || !maySee(role, c) {
			return notFound(role + " may not see the record: it must look missing")
		}
		return forbidden(role + " is not a member of the compartment")
	case actEvidenceCopy, actEvidenceOriginal:
		// The admin reads no evidence content; the original, with its
		// location and device metadata, is for analysts, protection
		// officers and coordinators, and for the documenter who took it in
		// (the record's creator in the matrix's own cases).
		switch {
		case !mayCreate(role):
			return hidden(role + " downloads no evidence")
		case !maySee(role, c):
			return notFound(role + " may not see the record: the file must look missing")
		case act == actEvidenceOriginal && role == model.RoleDocumenter && c != ownRestricted:
			return forbidden("a documenter has only the originals they took in")
		}
		return allowed(role + " may have it")
	case actAtRisk:
		// No account of the matrix is a member of the protection
		// compartment: to each, every such page is missing; writing ones
		// are refused to the admin by the route's roles first.
		if !mayCreate(role) && (method == http.MethodPost || strings.HasSuffix(route, "/new") || strings.HasSuffix(route, "/edit")) {
			return hidden(role + " writes no records")
		}
		return notFound(role + " is not a member of the protection compartment: nothing of people at risk exists for them")
	case actVerify:
		switch {
		case !maySee(role, c) && !mayVerify(role):
			return hidden(role + " verifies nothing")
		case !maySee(role, c):
			return notFound(role + " may not see it: it must look missing")
		case !mayVerify(role):
			return forbidden(role + " sees it but verification is an analyst's decision")
		}
		return allowed(role + " verifies what it sees")
	}
	return expectation{why: "unclassified"}
}

// matrixFixture holds the accounts and makes the records of the matrix.
type matrixFixture struct {
	h      *harness
	users  map[string]*model.User // by role; none for anon
	other  *model.User            // creator of the others' records
	target *model.User            // the account user routes act on
	cache  map[string]map[recordCase]string
	tokens map[string]string // each role's read-write API token
}

func newMatrixFixture(h *harness) *matrixFixture {
	f := &matrixFixture{h: h, users: map[string]*model.User{}, cache: map[string]map[recordCase]string{}, tokens: map[string]string{}}
	for _, role := range matrixRoles[1:] {
		f.users[role] = h.user("m-"+role, role)
	}
	f.other = h.user("m-someone-else", model.RoleDocumenter)
	f.target = h.user("m-target", model.RoleDocumenter)
	return f
}

// record stores one record of kind, created by actor, and returns its ID.
func (f *matrixFixture) record(kind, actor, visibility string) string {
	f.h.t.Helper()
	ctx := context.Background()
	var id string
	var err error
	switch kind {
	case kindIncident:
		inc := &model.Incident{Type: "death_threat", Date: model.Date{Start: "2021-03-04", End: "2021-03-04", Precision: "day"},
			Place: model.Place{Country: "IQ", Admin1: "IQ-BG"}, Verification: "reported", Visibility: visibility,
			SummaryEN: "matrix case " + visibility + " by " + actor}
		err = f.h.st.CreateIncident(ctx, actor, inc)
		id = inc.ID
	case kindPerson:
		p := &model.Person{NameLatin: "Matrix " + visibility + " " + actor, Visibility: visibility}
		err = f.h.st.Persons().Create(ctx, actor, p)
		id = p.ID
	case kindOrganisation:
		o := &model.Organisation{NameEN: "Matrix " + visibility + " " + actor, Kind: "ngo", Status: "active", Visibility: visibility}
		err = f.h.st.Organisations().Create(ctx, actor, o)
		id = o.ID
	case kindAtRisk: // stored as the service would, without sealed text
		c := &model.ProtectionCase{Person: uuid.Must(uuid.NewV7()).String(), RiskLevel: "high",
			Status: "open", OpenedOn: "2026-01-01", CheckInEvery: 7, Visibility: model.VisibilityRestricted}
		c.Code = "PC-" + strings.ToUpper(uuid.Must(uuid.NewV7()).String()[30:])
		err = store.Of[model.ProtectionCase](f.h.st, kinds.ProtectionCase).Create(ctx, actor, c)
		id = c.ID
	case kindCommitment:
		c := &model.Commitment{AuthorityType: "prime_minister", MadeOn: "2020-01-12", Kind: "investigation",
			PromiseEN: "Matrix " + visibility + " " + actor, DeadlineDuration: "3m", Visibility: visibility}
		err = store.Of[model.Commitment](f.h.st, kinds.Commitment).Create(ctx, actor, c)
		id = c.ID
	case kindCommittee:
		c := &model.Committee{NameEN: "Matrix " + visibility + " " + actor, FormedType: "governor", FormedOn: "2020-01-15", Visibility: visibility}
		err = store.Of[model.Committee](f.h.st, kinds.Committee).Create(ctx, actor, c)
		id = c.ID
	case kindStep:
		inc := f.record(kindIncident, actor, visibility)
		st := &model.JudicialStep{Incident: inc, Step: "complaint_filed", Date: "2021-03-05", Visibility: visibility}
		err = store.Of[model.JudicialStep](f.h.st, kinds.JudicialStep).Create(ctx, actor, st)
		id = st.ID
	case kindEvidence: // a JPEG taken in by actor, on an incident of theirs
		inc := f.record(kindIncident, actor, visibility)
		var b bytes.Buffer
		jpeg.Encode(&b, image.NewGray(image.Rect(0, 0, 8, 8)), nil)
		var e *model.Evidence
		e, err = f.h.ev.Add(ctx, actor, kindIncident, inc, "m.jpg", &b)
		if e != nil {
			id = e.ID
		}
	default:
		f.h.t.Fatalf("no records of kind %q", kind)
	}
	if err != nil {
		f.h.t.Fatal(err)
	}
	return id
}

// ids are the IDs a role's requests use for each case; fresh makes new
// records (for routes that may change them), otherwise they are shared.
func (f *matrixFixture) ids(kind, role string, fresh bool) map[recordCase]string {
	if kind == kindUser {
		return map[recordCase]string{aUser: f.target.ID, missingRecord: uuid.Must(uuid.NewV7()).String()}
	}
	if kind == kindToken {
		_, tk, err := f.h.srv.tokens.Create(context.Background(), f.other, "matrix", model.ScopeRead, 3)
		if err != nil {
			f.h.t.Fatal(err)
		}
		return map[recordCase]string{othersToken: tk.ID, missingRecord: uuid.Must(uuid.NewV7()).String()}
	}
	if kind == kindSheet {
		hs := &heldSheet{id: randomToken(), session: "another session", userID: f.other.ID, name: "m.csv", format: "csv",
			data: []byte("Date,Type,Governorate\n2019-10-25,killing,Baghdad\n")}
		if !f.h.srv.sheets.put(hs, f.h.now) {
			f.h.t.Fatal("no room for a sheet")
		}
		return map[recordCase]string{othersSheet: hs.id, missingRecord: randomToken()}
	}
	if kind == kindSource {
		src := &model.Source{Type: "witness", Reliability: "B", Label: "S-matrix"}
		if err := f.h.st.CreateSource(context.Background(), f.other.Username, src); err != nil {
			f.h.t.Fatal(err)
		}
		return map[recordCase]string{aSource: src.ID, missingRecord: uuid.Must(uuid.NewV7()).String()}
	}
	key := kind + " " + role
	if m, ok := f.cache[key]; ok && !fresh {
		return m
	}
	owner := f.other.Username
	if u, ok := f.users[role]; ok {
		owner = u.Username
	}
	m := map[recordCase]string{
		ownRestricted:   f.record(kind, owner, model.VisibilityRestricted),
		otherInternal:   f.record(kind, f.other.Username, model.VisibilityInternal),
		otherRestricted: f.record(kind, f.other.Username, model.VisibilityRestricted),
		missingRecord:   uuid.Must(uuid.NewV7()).String(),
	}
	if !fresh {
		f.cache[key] = m
	}
	return m
}

// client is a fresh browser for role: its own session, so that routes
// that end sessions do not disturb the next cell.
func (f *matrixFixture) client(role string) *client {
	if role == anon {
		c := f.h.anonymous()
		c.get("/login") // the pre-session cookie that public forms are bound to
		return c
	}
	return f.h.as(f.users[role])
}

// apiClient is role's API client: a read-write token of its own (none
// for anon), no session.
func (f *matrixFixture) apiClient(role string) *client {
	c := f.h.anonymous()
	if role != anon {
		if f.tokens[role] == "" {
			f.tokens[role] = f.h.token(f.users[role], model.ScopeReadWrite)
		}
		c.bearer = f.tokens[role]
	}
	return c
}

var wildcards = regexp.MustCompile(`\{[^}]*\}`)

// fill turns a route pattern's path into a request path.
func fill(path, id string) string {
	path = strings.ReplaceAll(path, "{$}", "")
	switch path {
	case "/static/{file}":
		return "/static/style.css"
	case "/data/{path...}":
		return "/data/incidents.csv"
	case "/api/v1/search":
		return "/api/v1/search?q=matrix"
	case "/api/v1/vocabularies/{name}":
		return "/api/v1/vocabularies/incident_type"
	}
	return wildcards.ReplaceAllLiteralString(path, id)
}

// cell is one request of the matrix.
type cell struct {
	route    string
	role     string
	rc       recordCase
	got      int
	location string
	want     expectation
	act      action
	problem  string // empty when it met the expectation
}

func TestAuthorisationMatrix(t *testing.T) {
	t.Run("application", func(t *testing.T) { authorisationMatrix(t, newHarness(t), "/") })
	// With the public portal the application moves its home to /app and
	// keeps every other path; the portal's paths are everyone's.
	t.Run("with portal", func(t *testing.T) {
		site := fstest.MapFS{"index.html": {Data: []byte("root")}, "portal.css": {Data: []byte("body{}")},
			"ar/index.html": {Data: []byte("ar")}, "en/index.html": {Data: []byte("en")}, "data/incidents.csv": {Data: []byte("a,b")}}
		authorisationMatrix(t, newHarnessWith(t, func(o *Options) { o.Portal = func() fs.FS { return site } }), "/app")
	})
}

func authorisationMatrix(t *testing.T, h *harness, home string) {
	f := newMatrixFixture(h)
	routes := h.srv.Routes()
	sort.SliceStable(routes, func(i, j int) bool { return routePath(routes[i].Pattern) < routePath(routes[j].Pattern) })
	var cells []cell
	var unknown []string
	for _, rt := range routes {
		act, kind := classifyOn(h, rt.Pattern)
		if act == actUnknown {
			unknown = append(unknown, rt.Pattern+" (policy "+rt.Policy+")")
			continue
		}
		method, path, _ := strings.Cut(rt.Pattern, " ")
		if (kind == "") != !wildcards.MatchString(strings.ReplaceAll(path, "{$}", "")) && act != actStatic && act != actPortal && act != actAPIRead {
			t.Errorf("%s: classified with record kind %q, but its wildcards say otherwise", rt.Pattern, kind)
			continue
		}
		for _, role := range matrixRoles {
			cases := map[recordCase]string{noRecord: ""}
			if kind != "" {
				cases = f.ids(kind, role, method != http.MethodGet)
			}
			for _, rc := range append([]recordCase{noRecord, aUser, aSource, othersToken, othersSheet}, recordCases...) {
				id, ok := cases[rc]
				if !ok {
					continue
				}
				c := f.client(role)
				var resp *http.Response
				want := expect(act, method, path, role, rc, home)
				switch {
				case isAPI(rt.Pattern):
					c = f.apiClient(role)
					resp, _ = c.send(method, fill(path, id))
					want = expect(act, "API "+method, path, role, rc, home)
				case method == http.MethodPost:
					resp, _ = c.post(fill(path, id), url.Values{})
				default:
					resp, _ = c.get(fill(path, id))
				}
				cl := cell{route: rt.Pattern, role: role, rc: rc, got: resp.StatusCode,
					location: resp.Header.Get("Location"), want: want, act: act}
				if !want.met(cl.got, cl.location) {
					cl.problem = fmt.Sprintf("got %d", cl.got)
					if cl.location != "" {
						cl.problem += " → " + cl.location
					}
					cl.problem += fmt.Sprintf(", want %s (%s)", want, want.why)
				}
				cells = append(cells, cl)
			}
		}
	}
	cells = append(cells, looksMissing(cells)...)
	bad := 0
	for _, c := range cells {
		if c.problem != "" {
			bad++
		}
	}
	if len(unknown) > 0 {
		t.Errorf("the matrix does not know what to expect of %d route(s); state it in classify and expect (matrix_test.go):\n\t%s",
			len(unknown), strings.Join(unknown, "\n\t"))
	}
	if bad > 0 {
		t.Errorf("%d of %d cells of the authorisation matrix are wrong (✗ got≠want):\n%s", bad, len(cells), printMatrix(cells))
	} else if testing.Verbose() {
		t.Logf("authorisation matrix, %d cells:\n%s", len(cells), printMatrix(cells))
	}
}

func routePath(pattern string) string {
	m, p, _ := strings.Cut(pattern, " ")
	return p + " " + m
}

// looksMissing checks that a record a role may not see gets the same answer
// as an ID that names nothing, whatever that answer is.
func looksMissing(cells []cell) []cell {
	type key struct{ route, role string }
	missing := map[key]int{}
	for _, c := range cells {
		if c.rc == missingRecord {
			missing[key{c.route, c.role}] = c.got
		}
	}
	var out []cell
	for _, c := range cells {
		m, ok := missing[key{c.route, c.role}]
		if !ok || c.role == anon || c.rc == missingRecord || c.rc == aUser || c.rc == noRecord || maySee(c.role, c.rc) {
			continue
		}
		if c.got != m {
			out = append(out, cell{route: c.route, role: c.role, rc: c.rc, got: c.got, want: expectation{codes: []int{m}},
				problem: fmt.Sprintf("got %d, but %d for a missing id: the answer reveals that the record exists", c.got, m)})
		}
	}
	return out
}

// printMatrix draws one block per route: record cases down, roles across;
// a wrong cell reads got✗want. The problems follow, one a line.
func printMatrix(cells []cell) string {
	var b strings.Builder
	text := func(c cell) string {
		if c.problem != "" {
			return fmt.Sprintf("%d✗%s", c.got, c.want)
		}
		return fmt.Sprint(c.got)
	}
	w := len(model.RoleCoordinator) + 2
	for _, c := range cells {
		w = max(w, len([]rune(text(c)))+2)
	}
	head := fmt.Sprintf("%-22s", "")
	for _, r := range matrixRoles {
		head += fmt.Sprintf("%-*s", w, r)
	}
	type key struct {
		role string
		rc   recordCase
	}
	var order []string
	byRoute := map[string]map[key]cell{}
	acts := map[string]action{}
	for _, c := range cells {
		if byRoute[c.route] == nil {
			byRoute[c.route] = map[key]cell{}
			order = append(order, c.route)
			acts[c.route] = c.act
		}
		k := key{c.role, c.rc}
		if prev, ok := byRoute[c.route][k]; ok && prev.problem != "" {
			continue // keep the first problem of a cell
		}
		byRoute[c.route][k] = c
	}
	for _, rt := range order {
		act := acts[rt]
		fmt.Fprintf(&b, "\n%s  [%s]\n%s\n", rt, actionNames[act], strings.TrimRight(head, " "))
		for _, rc := range append([]recordCase{noRecord, aUser, othersToken, othersSheet}, recordCases...) {
			line, any := fmt.Sprintf("  %-20s", rc), false
			for _, role := range matrixRoles {
				c, ok := byRoute[rt][key{role, rc}]
				s := ""
				if ok {
					any = true
					s = text(c)
				}
				line += s + strings.Repeat(" ", w-len([]rune(s)))
			}
			if any {
				b.WriteString(strings.TrimRight(line, " ") + "\n")
			}
		}
	}
	for i, c := range slices.DeleteFunc(slices.Clone(cells), func(c cell) bool { return c.problem == "" }) {
		if i == 0 {
			b.WriteString("\nproblems:\n")
		}
		fmt.Fprintf(&b, "  %s as %s, %s: %s\n", c.route, c.role, c.rc, c.problem)
	}
	return b.String()
}

// TestEveryRouteHasAPolicy: every route names its method and declares a
// policy; registering one without a policy panics.
func TestEveryRouteHasAPolicy(t *testing.T) {
	h := newHarness(t)
	routes := h.srv.Routes()
	if len(routes) == 0 {
		t.Fatal("Routes() is empty")
	}
	seen := map[string]bool{}
	for _, rt := range routes {
		if rt.Policy == "" || !rt.pol.declared {
			t.Errorf("%s: no policy", rt.Pattern)
		}
		// A pattern without a method would answer PUT or DELETE too, and
		// only POST is checked for a CSRF token. The API's routes, which
		// take a token and no cookie (so need no CSRF token), may be PUT.
		method, _, ok := strings.Cut(rt.Pattern, " ")
		if !ok || (method != http.MethodGet && method != http.MethodPost && !(method == http.MethodPut && rt.pol.token)) {
			t.Errorf("%s: every route names GET or POST (an API route may be PUT)", rt.Pattern)
		}
		if rt.pol.token != isAPI(rt.Pattern) {
			t.Errorf("%s: only the API's routes, and all of them, take tokens", rt.Pattern)
		}
		if seen[rt.Pattern] {
			t.Errorf("%s: registered twice", rt.Pattern)
		}
		seen[rt.Pattern] = true
	}
	defer func() {
		if recover() == nil {
			t.Error("a route without a policy was registered without a panic")
		}
	}()
	(&Server{}).route("GET /no-policy", policy{}, nil)
}

// TestEveryPostNeedsCSRF: every POST route refuses a form without this
// session's token, signed in or not, before doing anything.
func TestEveryPostNeedsCSRF(t *testing.T) {
	h := newHarness(t)
	f := newMatrixFixture(h)
	for _, rt := range h.srv.Routes() {
		method, path, _ := strings.Cut(rt.Pattern, " ")
		if method != http.MethodPost || rt.pol.token { // the API takes no cookie: nothing to forge (TestAPIIgnoresCookies)
			continue
		}
		_, kind := classify(rt.Pattern)
		id := "x"
		if kind != "" {
			id = f.ids(kind, model.RoleCoordinator, true)[ownRestricted]
			if kind == kindUser {
				id = f.target.ID
			}
			if kind == kindSource {
				id = f.ids(kind, model.RoleCoordinator, true)[aSource]
			}
			if kind == kindToken {
				id = f.ids(kind, model.RoleCoordinator, true)[othersToken]
			}
			if kind == kindSheet {
				id = f.ids(kind, model.RoleCoordinator, true)[othersSheet]
			}
		}
		who := []string{model.RoleCoordinator, model.RoleAdmin}
		if rt.pol.public {
			who = append(who, anon)
		}
		for _, role := range who {
			for _, token := range []string{"", "forged", h.as(f.users[model.RoleDocumenter]).csrf()} {
				want := http.StatusForbidden
				if rt.pol.halfway {
					want = http.StatusSeeOther // signed in already: sent home before the form is read
				}
				resp, _ := f.client(role).post(fill(path, id), url.Values{"csrf": {token}})
				if resp.StatusCode != want {
					t.Errorf("%s as %s with csrf %q: %d, want %d", rt.Pattern, role, token, resp.StatusCode, want)
				}
			}
		}
	}
}

// TestAPIReadScope: the API's writing routes answer a read token 403,
// whatever its role and whatever record the route names (the scope is
// checked before anything is looked up, so the answer tells nothing).
func TestAPIReadScope(t *testing.T) {
	h := newHarness(t)
	f := newMatrixFixture(h)
	n := 0
	for _, rt := range h.srv.Routes() {
		if !rt.pol.token || rt.Policy != "api token read-write" {
			continue
		}
		method, path, _ := strings.Cut(rt.Pattern, " ")
		_, kind := classify(rt.Pattern)
		for _, role := range matrixRoles[1:] {
			c := h.anonymous()
			c.bearer = h.token(f.users[role], model.ScopeRead)
			cases := map[recordCase]string{noRecord: ""}
			if kind != "" {
				cases = f.ids(kind, role, false)
			}
			for rc, id := range cases {
				if resp, _ := c.send(method, fill(path, id)); resp.StatusCode != http.StatusForbidden {
					t.Errorf("%s as %s with a read token, %s: %d, want 403", rt.Pattern, role, rc, resp.StatusCode)
				}
				n++
			}
		}
	}
	if n == 0 {
		t.Fatal("no writing API route was tried")
	}
}

// TestAPIIgnoresCookies: the API reads no session cookie, so a page of
// another site that makes a browser post to it acts as nobody: 401.
func TestAPIIgnoresCookies(t *testing.T) {
	h := newHarness(t)
	c := h.as(h.user("dana", model.RoleCoordinator))
	for _, rt := range h.srv.Routes() {
		method, path, _ := strings.Cut(rt.Pattern, " ")
		if !rt.pol.token || rt.pol.public {
			continue
		}
		if resp, _ := c.send(method, fill(path, "x")); resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("%s with a session cookie and no token: %d, want 401", rt.Pattern, resp.StatusCode)
		}
	}
}
