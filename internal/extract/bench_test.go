package extract

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// BenchmarkExtract10kWords: a 10,000-word report (the annotated texts,
// Arabic and English, repeated). The target is 200 ms (BENCHMARKS.md).
func BenchmarkExtract10kWords(b *testing.B) {
	for _, lang := range []string{"en", "ar"} {
		b.Run(lang, func(b *testing.B) {
			files, _ := filepath.Glob("testdata/eval/" + lang + "*.txt")
			var sb strings.Builder
			for words := 0; words < 10000; {
				for _, f := range files {
					raw, err := os.ReadFile(f)
					if err != nil {
						b.Fatal(err)
					}
					_, text, _ := strings.Cut(string(raw), "\n---\n")
					sb.WriteString(text + "\n")
					words += len(strings.Fields(text))
				}
			}
			in := Input{Text: []byte(sb.String()), Published: "2022-06-30", Now: now}
			if _, err := Extract(in); err != nil {
				b.Fatal(err)
			}
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if _, err := Extract(in); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
