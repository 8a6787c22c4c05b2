package vocab

import (
	_ "embed"
	"strconv"
	"strings"
	"sync"
)

//go:embed data/population.csv
var populationCSV string

// PopulationSource cites where Population's figures come from.
const PopulationSource = "United Nations, World Population Prospects 2022, medium variant, total population in 2022 (data/population.csv says which file)"

var populations = sync.OnceValue(func() map[string]int {
	out := map[string]int{}
	for i, line := range strings.Split(populationCSV, "\n") {
		f := strings.Split(strings.TrimSpace(line), ",")
		if len(f) != 3 || strings.HasPrefix(f[0], "#") || f[0] == "country" {
			continue
		}
		n, err := strconv.Atoi(f[2])
		if err != nil || n <= 0 || len(f[0]) != 2 {
			panic("vocab: data/population.csv line " + strconv.Itoa(i+1) + " is not country,year,thousands")
		}
		out[f[0]] = n * 1000
	}
	return out
})

// Population is a country's population (ISO 3166-1 alpha-2 code), and
// whether the data file has it (PopulationSource).
func Population(country string) (int, bool) {
	n, ok := populations()[country]
	return n, ok
}
