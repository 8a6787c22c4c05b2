package stats

import "github.com/rasd-project/rasd/internal/store"

// JSON is a figure with its words, groups and receipt in the shape that
// `rasd stats --format json` prints and the API's statistics answer
// (docs/api.md): one shape, so that a script reads both alike.
type JSON struct {
	Statement string       `json:"statement"`
	AtLeast   bool         `json:"at_least"` // every figure is a lower bound
	Note      string       `json:"note"`
	Query     Query        `json:"query"`
	Counted   []string     `json:"counted_verification"`
	Total     Figure       `json:"total"`
	Groups    []JSONGroup  `json:"groups,omitempty"`
	Unplaced  *Figure      `json:"unplaced,omitempty"`
	Receipt   *JSONReceipt `json:"receipt,omitempty"`
}

// JSONGroup is one group's figure, with its label in the figure's language.
type JSONGroup struct {
	Key   string `json:"key"`
	Label string `json:"label"`
	Figure
}

// JSONReceipt lists the incidents behind a figure; NextCursor is the
// API's, when the list goes on.
type JSONReceipt struct {
	Total      int               `json:"total"`
	Withheld   int               `json:"withheld"`
	Incidents  []JSONReceiptLine `json:"incidents"`
	NextCursor string            `json:"next_cursor,omitempty"`
}

// JSONReceiptLine is one incident of a receipt.
type JSONReceiptLine struct {
	Code         string `json:"code"`
	ID           string `json:"id"`
	Type         string `json:"type"`
	Governorate  string `json:"governorate"`
	Start        string `json:"date_start"`
	End          string `json:"date_end"`
	Precision    string `json:"date_precision"`
	Estimated    bool   `json:"date_estimated"`
	Verification string `json:"verification"`
	Visibility   string `json:"visibility"`
	Victims      int    `json:"victims"`
	Fatalities   int    `json:"fatalities"`
}

// NewJSON is res in lang, with rc's incidents when rc is not nil.
func NewJSON(res Result, rc *store.Receipt, lang string) JSON {
	out := JSON{Statement: Sentence(res, lang), AtLeast: true, Note: CountedPhrase(res, lang),
		Query: res.Query, Counted: append([]string{}, res.Counted...), Total: res.Total}
	for _, g := range res.Groups {
		out.Groups = append(out.Groups, JSONGroup{Key: g.Key, Label: GroupLabel(res.Query.By, g.Key, lang), Figure: g.Figure})
	}
	if res.Query.By != "" {
		out.Unplaced = &res.Unplaced
	}
	if rc != nil {
		out.Receipt = ReceiptJSON(*rc)
	}
	return out
}

// ReceiptJSON is rc in the receipt's shape.
func ReceiptJSON(rc store.Receipt) *JSONReceipt {
	out := &JSONReceipt{Total: rc.Total, Withheld: rc.Withheld, Incidents: []JSONReceiptLine{}}
	for _, r := range rc.Incidents {
		out.Incidents = append(out.Incidents, JSONReceiptLine{Code: r.Code, ID: r.ID, Type: r.Type,
			Governorate: r.Admin1, Start: r.Date.Start, End: r.Date.End, Precision: r.Date.Precision,
			Estimated: r.Date.Estimated, Verification: r.Verification, Visibility: r.Visibility,
			Victims: r.Victims, Fatalities: r.Fatalities})
	}
	return out
}
