//go:build ignore

// Command filter reads govulncheck's JSON output (-format json) on
// standard input and fails when the code calls a vulnerable function whose
// OSV id is not accepted in the file named by its one argument. It is run
// by scripts/vulncheck.sh; it is not part of rasd.
//
// An accepted line is "GO-YYYY-NNNN module reason…"; the module must match
// the finding's ("stdlib" for the Go standard library), so that accepting
// a toolchain finding never hides the same id in a dependency.
package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
)

type frame struct {
	Module   string `json:"module"`
	Version  string `json:"version"`
	Package  string `json:"package"`
	Function string `json:"function"`
	Receiver string `json:"receiver"`
}

type message struct {
	Finding *struct {
		OSV          string  `json:"osv"`
		FixedVersion string  `json:"fixed_version"`
		Trace        []frame `json:"trace"`
	} `json:"finding"`
	OSV *struct {
		ID      string `json:"id"`
		Summary string `json:"summary"`
	} `json:"osv"`
}

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: go run filter.go ACCEPTED_FILE < govulncheck.json")
		os.Exit(2)
	}
	accepted, err := readAccepted(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	type called struct{ module, fixed, where string }
	found := map[string]called{}
	summary := map[string]string{}
	dec := json.NewDecoder(bufio.NewReader(os.Stdin))
	for {
		var m message
		if err := dec.Decode(&m); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			fmt.Fprintln(os.Stderr, "govulncheck output is not JSON:", err)
			os.Exit(2)
		}
		if m.OSV != nil {
			summary[m.OSV.ID] = m.OSV.Summary
		}
		// Only a trace that ends in a function is code that calls the
		// vulnerable symbol; package- and module-level findings are not.
		if f := m.Finding; f != nil && len(f.Trace) > 0 && f.Trace[0].Function != "" {
			t := f.Trace[0]
			where := t.Package + "." + t.Function
			if t.Receiver != "" {
				where = t.Package + "." + t.Receiver + "." + t.Function
			}
			found[f.OSV] = called{module: t.Module, fixed: f.FixedVersion, where: where}
		}
	}
	ids := make([]string, 0, len(found))
	for id := range found {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	var failed, waived int
	for _, id := range ids {
		c := found[id]
		line := fmt.Sprintf("%s in %s (calls %s; fixed in %s): %s", id, c.module, c.where, c.fixed, summary[id])
		if reason, ok := accepted[id+" "+c.module]; ok {
			waived++
			fmt.Printf("ACCEPTED %s\n         because: %s\n", line, reason)
			continue
		}
		failed++
		fmt.Printf("CALLED   %s\n", line)
	}
	for key := range accepted {
		id := strings.Fields(key)[0]
		if _, ok := found[id]; !ok {
			fmt.Printf("note: %s is accepted in %s but no longer found: remove it\n", key, os.Args[1])
		}
	}
	fmt.Printf("govulncheck: %d called vulnerabilities not accepted, %d accepted (see above)\n", failed, waived)
	if failed > 0 {
		fmt.Println("Update the module (go get MODULE@FIXED_VERSION) or the Go toolchain; accept a finding only with a reason.")
		os.Exit(1)
	}
}

func readAccepted(path string) (map[string]string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	for n, line := range strings.Split(string(b), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Fields(line)
		if len(f) < 3 || !strings.HasPrefix(f[0], "GO-") {
			return nil, fmt.Errorf("%s:%d: want 'GO-YYYY-NNNN MODULE reason'", path, n+1)
		}
		out[f[0]+" "+f[1]] = strings.Join(f[2:], " ")
	}
	return out, nil
}
