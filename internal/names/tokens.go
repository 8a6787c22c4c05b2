package names

import (
	"strings"
	"unicode"

	"github.com/rasd-project/rasd/internal/textnorm"
)

// A Token is one word of a name, normalised, with its key.
type Token struct {
	Text string // textnorm form, article removed, "abd" compounds joined
	Key  string
}

// Tokens splits a full name into its tokens (docs/names.md, "Tokens"):
// articles (al-, el-, Al, ad-D…, ال) are dropped, "Abd al-X" and its
// spellings become one token, and words with no letter are skipped.
func Tokens(name string) []Token {
	words := strings.FieldsFunc(textnorm.Normalize(name), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && !isMark(r) || r == 'ـ'
	})
	var out []Token
	for i := 0; i < len(words); i++ {
		w := strings.Trim(words[i], "'’‘ʿʾ`´ʼʻ")
		next := ""
		if i+1 < len(words) {
			next = words[i+1]
		}
		if article(w, next) || i > 0 && next != "" && connector[w] {
			continue
		}
		if abd[w] && next != "" && (w != "abd" && w != "عبد" || article(next, after(words, i+2)) || strings.HasPrefix(next, "ال")) {
			// Abd al-Rahman, Abdul Rahman, عبد الرحمن: one name.
			i++
			for i+1 < len(words) && article(next, words[i+1]) {
				i++
				next = words[i]
			}
			w = abdOf(w) + stripArticle(next)
		} else {
			w = stripArticle(w)
			if b, rest, ok := splitAbd(w); ok {
				w = b + stripArticle(rest)
			}
		}
		if k := Key(w); k != "" {
			out = append(out, Token{Text: w, Key: k})
		}
	}
	return out
}

func after(words []string, i int) string {
	if i < len(words) {
		return words[i]
	}
	return ""
}

// connector are "son of" and "daughter of" inside a name (Ali bin Hassan).
var connector = map[string]bool{"bin": true, "ibn": true, "bint": true, "ben": true, "بن": true, "ابن": true, "بنت": true}

// abd are the spellings of "servant of" that begin a compound name; abd
// alone is a name too (Abed), and joins the next only before an article.
var abd = map[string]bool{"abd": true, "abdul": true, "abdel": true, "abdal": true, "abdol": true, "abdil": true, "abdu": true, "عبد": true}

func abdOf(w string) string {
	if isArabic(w) {
		return "عبد"
	}
	return "abd"
}

// splitAbd splits a joined compound: Abdulrahman, Abdullah, عبدالرحمن.
func splitAbd(w string) (string, string, bool) {
	for _, p := range []string{"abdul", "abdel", "abdal", "abdol", "abdil"} {
		if len(w) > len(p)+1 && strings.HasPrefix(w, p) {
			return "abd", w[len(p):], true
		}
	}
	if strings.HasPrefix(w, "عبدال") && len([]rune(w)) > 6 {
		return "عبد", strings.TrimPrefix(w, "عبدال"), true
	}
	return "", "", false
}

// latinArticles are the article alone, with the assimilated forms of the
// sun letters (ad-Dulaimi, ash-Shammari, an-Nasiri).
var latinArticles = map[string]string{"al": "", "el": "", "ul": "", "il": "", "ال": "",
	"ad": "d", "adh": "dh", "ar": "r", "as": "s", "ash": "sh", "at": "t", "ath": "th", "az": "z", "an": "n", "ed": "d", "es": "s", "er": "r", "en": "n", "et": "t"}

// article tells whether w is an article before next.
func article(w, next string) bool {
	c, ok := latinArticles[w]
	if !ok || next == "" {
		return false
	}
	return c == "" || strings.HasPrefix(next, c)
}

// stripArticle removes an article joined on (Albasri, البصري), when what
// remains is long enough to be a name and begins with a consonant.
func stripArticle(w string) string {
	if rest, ok := strings.CutPrefix(w, "ال"); ok && len([]rune(rest)) >= 2 {
		return rest
	}
	for _, p := range []string{"al", "el"} {
		if rest, ok := strings.CutPrefix(w, p); ok && len(rest) >= 4 && !latinVowel(rune(rest[0])) {
			return rest
		}
	}
	return w
}
