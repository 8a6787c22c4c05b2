package names

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// Each group is one name in several spellings and scripts: all must share
// one key, and the key of the next group must differ.
func TestKeyGroups(t *testing.T) {
	for _, group := range [][]string{
		{"Tahsin", "Tahseen", "تحسين", "TAHSIN"},
		{"Osama", "Usama", "Oussama", "أسامة", "اسامه"},
		{"Mohammed", "Muhammad", "Mohamed", "Mohammad", "Mohd", "Md", "محمد", "مُحَمَّد", "Muḥammad"},
		{"Yusuf", "Yousef", "Youssef", "Yoosuf", "يوسف"},
		{"Khaled", "Khalid", "Haled", "خالد"},
		{"Qassim", "Kassem", "Kasim", "قاسم"},
		{"Kadhim", "Kazim", "Kadim", "كاظم"},
		{"Sa'ad", "Saad", "Saʿd", "Sa3d", "سعد"},
		{"Fatimah", "Fatima", "Fatma", "فاطمة"},
		{"Jamal", "Djamel", "Jamaal", "جمال"},
		{"Philip", "Filip"},
		{"Walid", "Oualid", "Waleed", "وليد"},
		{"Zaid", "Zayd", "Zeid", "زيد"},
	} {
		want := Key(group[0])
		for _, s := range group[1:] {
			if got := Key(s); got != want {
				t.Errorf("Key(%q) = %q, Key(%q) = %q: want one key", s, got, group[0], want)
			}
		}
	}
	for _, pair := range [][2]string{{"Hassan", "Hashim"}, {"Sami", "Samir"}, {"Ghanem", "Ganem"}} {
		if Key(pair[0]) == Key(pair[1]) {
			t.Errorf("Key(%q) = Key(%q) = %q: want different keys", pair[0], pair[1], Key(pair[0]))
		}
	}
	// One key, told apart by their vowels when both are in Latin letters.
	for _, pair := range [][2]string{{"Ali", "Alaa"}, {"Omar", "Ammar"}, {"Hussein", "Hassan"}} {
		a, b := Tokens(pair[0]), Tokens(pair[1])
		if v := tokenScore(a[0], b[0]); v > 0.5 {
			t.Errorf("tokenScore(%q, %q) = %.2f, want at most 0.5", pair[0], pair[1], v)
		}
	}
}

func TestTokens(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"Ahmed al-Basri", "ahmed basri"},
		{"Ahmed Al Basri", "ahmed basri"},
		{"Ahmed El-Basri", "ahmed basri"},
		{"Ahmed Albasri", "ahmed basri"},
		{"أحمد البصري", "احمد بصري"},
		{"Laith ad-Dulaimi", "laith dulaimi"},
		{"Sami ash-Shammari", "sami shammari"},
		{"Abd al-Rahman Ali", "abdrahman ali"},
		{"Abdul Rahman Ali", "abdrahman ali"},
		{"Abdulrahman Ali", "abdrahman ali"},
		{"عبد الرحمن علي", "عبدرحمن علي"},
		{"Hamid Abed Sarhan", "hamid abed sarhan"},
		{"Ali bin Hassan", "ali hassan"},
		{"Alwan Jasim", "alwan jasim"}, // "al" of Alwan is no article
		{"  -- ", ""},
	} {
		var got []string
		for _, tk := range Tokens(tc.in) {
			got = append(got, tk.Text)
		}
		if strings.Join(got, " ") != tc.want {
			t.Errorf("Tokens(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestSimilarity(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		same bool
	}{
		{"Tahsin Osama", "Tahseen Usama", true},
		{"Tahsin Osama", "تحسين أسامة", true},
		{"Tahsin Osama Jabbar", "Tahseen Jabbar", true},           // missing middle name
		{"Jabbar, Tahseen Osama", "Tahsin Osama al-Jabbar", true}, // family name first
		{"Mohammed Ali Hassan", "Muhammad Hasan", true},           // missing father
		{"Ali Hussein Jabbar", "Ali Hassan Jabbar", false},        // Hussein is not Hassan
		{"Ahmed Ali Hassan", "Mohammed Ali Hassan", false},        // brothers
		{"Ahmed Salman", "Ahmed Jabbar", false},                   // the same given name
		{"Khaled Mohammad Nofan", "Jassem Mohammad Nofan", false}, // the same family
		{"Ali", "Ali", false},                                     // one token is too little
		{"", "Ali", false},
	} {
		m := Similarity(tc.a, tc.b)
		if got := m.Score >= Similar; got != tc.same {
			t.Errorf("Similarity(%q, %q) = %.2f %v: same = %v, want %v", tc.a, tc.b, m.Score, m.Reasons, got, tc.same)
		}
		if back := Similarity(tc.b, tc.a); back.Score-m.Score > 1e-9 || m.Score-back.Score > 1e-9 {
			t.Errorf("Similarity is not symmetric for %q, %q: %.3f and %.3f", tc.a, tc.b, m.Score, back.Score)
		}
		if m.Score > 0 && len(m.Reasons) == 0 {
			t.Errorf("Similarity(%q, %q) gives no reasons", tc.a, tc.b)
		}
	}
}

func FuzzSimilarity(f *testing.F) {
	for _, s := range []string{"Tahsin Osama", "تحسين أسامة", "Abd al-", "al al al", "ʿʾ'", "Mohd.", "a\xffb", "عبد", "Ou", "ـ"} {
		f.Add(s, "Tahseen Usama")
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		m := Similarity(a, b)
		if m.Score < 0 || m.Score > 1 {
			t.Fatalf("Similarity(%q, %q) = %v out of [0, 1]", a, b, m.Score)
		}
		for _, tk := range Tokens(a) {
			if tk.Key == "" || !utf8.ValidString(tk.Key) || Key(tk.Text) != tk.Key {
				t.Fatalf("Tokens(%q): token %q has key %q, Key gives %q", a, tk.Text, tk.Key, Key(tk.Text))
			}
		}
		if self := Similarity(a, a); len(Tokens(a)) >= 2 && self.Score < 0.999 {
			t.Fatalf("Similarity(%q, itself) = %v", a, self.Score)
		}
	})
}
