package extract

import "testing"

// Protection and accountability facts are proposed, typed, with their
// sentences, in both languages.
func TestProtectionAndAccountability(t *testing.T) {
	for _, c := range []struct {
		lang, text                        string
		listCount                         int
		promiseBy, deadline, due, commite string
		threatened, fled, to              string
	}{
		{"en", "A leaked memo named a list of nine activists in Dhi Qar. Activist Huda Kareem received death threats on Saturday. " +
			"Five days later her friend Karim Jawad fled to Istanbul. The governor promised results within three months and formed an investigative committee.",
			9, "governor", "within three months", "2020-02-07", "investigative committee", "Huda Kareem", "Karim Jawad", "TR"},
		{"ar", "وكشفت مذكرة مسربة عن قائمة تضم تسعة ناشطين في ذي قار. تلقت الناشطة هدى كريم تهديدات بالقتل يوم السبت. " +
			"وبعد خمسة أيام فر صديقها كريم جواد إلى إسطنبول. ووعد المحافظ بالكشف عن النتائج خلال ثلاثة أشهر، وأمر بتشكيل لجنة تحقيق.",
			9, "المحافظ", "خلال ثلاثة أشهر", "2020-02-07", "لجنة تحقيق", "هدى كريم", "كريم جواد", "TR"},
	} {
		res := run(t, c.text, "2019-11-07")
		p, a := res.Protection, res.Accountability
		if len(p.Lists) != 1 || p.Lists[0].Count != c.listCount || p.Lists[0].Sentences[0] != 0 {
			t.Errorf("%s lists %+v", c.lang, p.Lists)
		}
		if len(p.Threats) == 0 || p.Threats[0].Target != c.threatened || p.Threats[0].Date == nil || p.Threats[0].Date.Start != "2019-11-02" {
			t.Errorf("%s threats %+v", c.lang, p.Threats)
		}
		if len(p.Relocations) != 1 || p.Relocations[0].Person != c.fled || p.Relocations[0].Destination.Country != c.to || p.Relocations[0].Date.Start != "2019-11-07" {
			t.Errorf("%s relocations %+v", c.lang, p.Relocations)
		}
		if len(a.Promises) != 1 || a.Promises[0].By != c.promiseBy || a.Promises[0].Deadline != c.deadline || a.Promises[0].Due != c.due ||
			a.Promises[0].AuthorityType != "governor" {
			t.Errorf("%s promises %+v", c.lang, a.Promises)
		}
		if len(a.Committees) != 1 || a.Committees[0].Name != c.commite || a.Committees[0].FormedBy != c.promiseBy ||
			a.Committees[0].FormedByType != "governor" {
			t.Errorf("%s committees %+v", c.lang, a.Committees)
		}
		// A list, a flight and a promise propose no incident of their own.
		for _, inc := range res.Incidents {
			if inc.Type != "death_threat" {
				t.Errorf("%s: incident %s from %v", c.lang, inc.Type, inc.Sentences)
			}
		}
	}
}

// The kind of authority is read from who promised or formed: the longest
// phrase of the data, in either language.
func TestAuthorityOf(t *testing.T) {
	for _, c := range []struct{ lang, who, want string }{
		{"en", "The Prime Minister", "prime_minister"},
		{"en", "the Interior Minister", "minister"},
		{"en", "Basra's governor", "governor"},
		{"en", "a spokesman", ""},
		{"ar", "رئيس مجلس الوزراء", "prime_minister"},
		{"ar", "مجلس القضاء الأعلى", "judiciary"},
		{"ar", "المتحدث باسم الحكومة", ""},
	} {
		r, err := rulesFor(c.lang)
		if err != nil {
			t.Fatal(err)
		}
		if got := r.authorityOf(c.who); got != c.want {
			t.Errorf("%s %q: %q, want %q", c.lang, c.who, got, c.want)
		}
	}
}
