package web

import (
	"sync"
	"time"
)

// heldSheets keeps the spreadsheets of the import wizard between its
// steps in server memory only, never on disk (docs/spreadsheets.md, "In
// the browser"): each bound to the session that sent it, one per
// session, dropped (and overwritten) after the import, on a new upload,
// after sheetIdle without use, or at a restart. Like held keys
// (sessionkeys.go), they live in the server that received them.
type heldSheets struct {
	mu    sync.Mutex
	m     map[string]*heldSheet // by upload id
	bytes int64
	now   func() time.Time
}

type heldSheet struct {
	id, session, userID string
	name, format        string // the file's name as sent; "csv" or "xlsx"
	data                []byte
	lastUsed            time.Time
}

const (
	sheetIdle      = 30 * time.Minute
	maxHeldSheetsB = 128 << 20 // every session's sheets together
)

func newHeldSheets(now func() time.Time) *heldSheets {
	return &heldSheets{m: map[string]*heldSheet{}, now: now}
}

// put holds hs, dropping the session's previous sheet; false when the
// server holds too much already (the user tries again later).
func (h *heldSheets) put(hs *heldSheet, now time.Time) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	for id, o := range h.m {
		if o.session == hs.session || now.Sub(o.lastUsed) > sheetIdle {
			h.dropLocked(id)
		}
	}
	if h.bytes+int64(len(hs.data)) > maxHeldSheetsB {
		return false
	}
	hs.lastUsed = now
	h.m[hs.id] = hs
	h.bytes += int64(len(hs.data))
	h.watch(hs.id, sheetIdle)
	return true
}

// watch drops sheet id once it has gone sheetIdle unused, though no
// request comes to find it idle.
func (h *heldSheets) watch(id string, after time.Duration) {
	time.AfterFunc(after, func() {
		h.mu.Lock()
		defer h.mu.Unlock()
		hs := h.m[id]
		if hs == nil {
			return
		}
		if idle := h.now().Sub(hs.lastUsed); idle < sheetIdle {
			h.watch(id, sheetIdle-idle)
			return
		}
		h.dropLocked(id)
	})
}

// dropWhere forgets every sheet of the sessions match picks (signing out,
// a session ended, an account disabled: as their held keys).
func (h *heldSheets) dropWhere(match func(*heldSheet) bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for id, hs := range h.m {
		if match(hs) {
			h.dropLocked(id)
		}
	}
}

// get returns the sheet id of session, or nil: another session's sheet
// is answered as a missing one.
func (h *heldSheets) get(id, session string, now time.Time) *heldSheet {
	h.mu.Lock()
	defer h.mu.Unlock()
	hs := h.m[id]
	switch {
	case hs == nil || hs.session != session:
		return nil
	case now.Sub(hs.lastUsed) > sheetIdle:
		h.dropLocked(id)
		return nil
	}
	hs.lastUsed = now
	return hs
}

func (h *heldSheets) drop(id string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.dropLocked(id)
}

// dropLocked forgets a sheet and overwrites its bytes (a request still
// reading it holds its own reader over them: it finishes first, as
// drop is called by the request that used it last).
func (h *heldSheets) dropLocked(id string) {
	if hs := h.m[id]; hs != nil {
		h.bytes -= int64(len(hs.data))
		clear(hs.data)
		delete(h.m, id)
	}
}
