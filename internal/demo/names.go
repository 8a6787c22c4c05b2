package demo

// Word lists for the fictional sample. Names are common Iraqi given names
// and generic occupational or place-derived family names, combined at
// random, so no record describes a real person. The Arabic spellings keep
// hamza forms (أ إ آ ئ ء), taa marbuta (ة) and alef maqsura (ى) on purpose:
// search normalisation must fold them.

// name is one name in Arabic script and its usual Latin transliteration.
type name struct{ ar, latin string }

var maleNames = []name{
	{"مصطفى", "Mustafa"}, {"أمجد", "Amjad"}, {"حسين", "Hussein"}, {"علي", "Ali"},
	{"سجاد", "Sajjad"}, {"مرتضى", "Murtadha"}, {"حيدر", "Haider"}, {"عباس", "Abbas"},
	{"أحمد", "Ahmed"}, {"محمد", "Mohammed"}, {"كرار", "Karrar"}, {"منتظر", "Muntadhar"},
	{"صفاء", "Safaa"}, {"أسامة", "Osama"}, {"عيسى", "Issa"}, {"يحيى", "Yahya"},
	{"إبراهيم", "Ibrahim"}, {"ضياء", "Dhiaa"}, {"عمر", "Omar"}, {"يوسف", "Yousif"},
	{"جعفر", "Jaafar"}, {"مهدي", "Mahdi"}, {"فاضل", "Fadhil"}, {"رعد", "Raad"},
	{"باسم", "Basim"}, {"هشام", "Hisham"}, {"إيهاب", "Ehab"}, {"حمزة", "Hamza"},
}

var femaleNames = []name{
	{"زينب", "Zainab"}, {"نور", "Noor"}, {"فاطمة", "Fatima"}, {"مريم", "Maryam"},
	{"هدى", "Huda"}, {"إسراء", "Israa"}, {"آمنة", "Amina"}, {"رشا", "Rasha"},
	{"سارة", "Sara"}, {"ريم", "Reem"}, {"سجى", "Saja"}, {"ضحى", "Duha"},
	{"منى", "Muna"}, {"ليلى", "Layla"}, {"إيمان", "Iman"}, {"رقية", "Ruqaya"},
	{"دعاء", "Duaa"}, {"هبة", "Hiba"}, {"شيماء", "Shaimaa"}, {"بان", "Ban"},
}

var familyNames = []name{
	{"الدهامات", "al-Dahamat"}, {"الحداد", "al-Haddad"}, {"النجار", "al-Najjar"},
	{"العطار", "al-Attar"}, {"الخياط", "al-Khayyat"}, {"الصباغ", "al-Sabbagh"},
	{"الصفار", "al-Saffar"}, {"البناء", "al-Bannaa"}, {"الكاتب", "al-Katib"},
	{"البصري", "al-Basri"}, {"الكوفي", "al-Kufi"}, {"البغدادي", "al-Baghdadi"},
	{"الحلي", "al-Hilli"}, {"الناصري", "al-Nasiri"}, {"الموصلي", "al-Mawsili"},
	{"العماري", "al-Amari"}, {"السماوي", "al-Samawi"}, {"الكربلائي", "al-Karbalai"},
	{"النجفي", "al-Najafi"}, {"الواسطي", "al-Wasiti"}, {"الديواني", "al-Diwani"},
	{"آل مرعي", "Al Marei"}, {"الأمين", "al-Amin"}, {"الإمامي", "al-Imami"},
}

// roleWords are how a victim's role reads before their name: English, then
// Arabic masculine and feminine (the definite form used in an idafa, as in
// "اغتيال الناشط ..."). The order follows roleCodes.
var roleCodes = []string{"activist", "journalist", "media_worker", "blogger", "hrd",
	"lawyer", "protest_organiser", "ngo_staff", "trade_unionist", "relative", "other"}

var roleWords = [][3]string{
	{"activist", "الناشط", "الناشطة"},
	{"journalist", "الصحفي", "الصحفية"},
	{"cameraman", "المصوّر", "المصوّرة"},
	{"blogger", "المدوّن", "المدوّنة"},
	{"human rights defender", "المدافع عن حقوق الإنسان", "المدافعة عن حقوق الإنسان"},
	{"lawyer", "المحامي", "المحامية"},
	{"protest organiser", "منظّم الاحتجاجات", "منظّمة الاحتجاجات"},
	{"aid worker", "الموظف في منظمة إنسانية", "الموظفة في منظمة إنسانية"},
	{"trade unionist", "النقابي", "النقابية"},
	{"relative of an activist", "قريب أحد الناشطين", "قريبة أحد الناشطين"},
	{"resident", "المواطن", "المواطنة"},
}

// modus is a modus operandi in both languages; kinds says which incident
// types it fits (bits of kindViolent etc.), so a threat never comes with a
// silenced pistol.
type modus struct {
	en, ar string
	kinds  uint8
	tag    string // added to the incident's tags
}

const (
	kindViolent uint8 = 1 << iota
	kindThreat
	kindCustody
	kindProperty
	kindLegal
)

var modi = []modus{
	{"car with tinted windows and no plates", "سيارة بزجاج مظلل بلا لوحات", kindViolent | kindCustody, ""},
	{"gunmen on a motorcycle", "مسلحون على دراجة نارية", kindViolent, ""},
	{"pistol with a silencer", "مسدس كاتم للصوت", kindViolent, ""},
	{"sticky bomb under the car", "عبوة لاصقة تحت السيارة", kindViolent | kindProperty, ""},
	{"stopped at a fake checkpoint", "إيقاف عند سيطرة وهمية", kindCustody | kindViolent, ""},
	{"pickup truck without plates", "سيارة بيك آب بلا لوحات", kindCustody, ""},
	{"taken from home at night by men in plain clothes", "اقتياد من المنزل ليلًا على يد رجال بملابس مدنية", kindCustody, ""},
	{"threat letter with a bullet left at the door", "رسالة تهديد مع رصاصة عند الباب", kindThreat, ""},
	{"threats by phone and WhatsApp", "تهديدات عبر الهاتف وواتساب", kindThreat, ""},
	{"name on a hit list circulated on social media", "الاسم في قائمة اغتيالات نُشرت على مواقع التواصل", kindThreat, "hit-list"},
	{"hand grenade thrown at the house", "رمي قنبلة يدوية على المنزل", kindProperty, ""},
	{"office set on fire", "إضرام النار في المكتب", kindProperty, ""},
	{"complaint of insulting state institutions", "شكوى بتهمة إهانة مؤسسات الدولة", kindLegal, ""},
	{"summons by an investigating judge", "استدعاء من قاضي التحقيق", kindLegal, ""},
}

// groupKinds are fictional perpetrator names per perpetrator type; the
// numbers make them obviously invented and never a real group's name.
var groupKinds = map[string][2]string{
	"militia":         {"Fictional Armed Group ", "الجماعة المسلحة الوهمية "},
	"political_party": {"Fictional Party ", "الحزب الوهمي "},
	"tribal":          {"Fictional Tribe ", "العشيرة الوهمية "},
	"security_forces": {"Fictional Security Unit ", "الوحدة الأمنية الوهمية "},
}

const groupsPerKind = 12

// sources are who "told us", for narratives.
var sources = [][2]string{
	{"a family member", "أحد أفراد العائلة"},
	{"an eyewitness", "شاهد عيان"},
	{"local media", "وسائل إعلام محلية"},
	{"a partner organisation", "منظمة شريكة"},
	{"posts on social media", "منشورات على وسائل التواصل الاجتماعي"},
	{"the victim", "الضحية نفسها"},
}

var monthsEN = [12]string{"January", "February", "March", "April", "May", "June",
	"July", "August", "September", "October", "November", "December"}

// Iraqi (Levantine) month names, as Iraqi documenters write them.
var monthsAR = [12]string{"كانون الثاني", "شباط", "آذار", "نيسان", "أيار", "حزيران",
	"تموز", "آب", "أيلول", "تشرين الأول", "تشرين الثاني", "كانون الأول"}

// outcomeNouns describe an outcome in a narrative without needing gender
// agreement: "المصير: الإصابة".
var outcomeNouns = map[string][2]string{
	"killed":   {"killed", "القتل"},
	"injured":  {"injured", "الإصابة"},
	"unharmed": {"unharmed", "النجاة دون أذى"},
	"abducted": {"abducted", "الاختطاف"},
	"released": {"released", "الإفراج"},
	"missing":  {"missing", "الفقدان"},
	"fled":     {"fled", "الفرار"},
}
