package importer

// The mapping of CPJ's columns onto rasd's (docs/import-cpj.md, which has
// this table in prose). Every value of a mapped column must be here: an
// unknown one refuses the file, listed with its lines.

// cpjCountries are CPJ's country names as ISO 3166-1 alpha-2 codes.
// CPJ lists Israel and the Occupied Palestinian Territory together (IL);
// Yugoslavia keeps its former code (YU, ISO 3166-3).
var cpjCountries = map[string]string{
	"Afghanistan": "AF", "Algeria": "DZ", "Angola": "AO", "Argentina": "AR", "Armenia": "AM",
	"Azerbaijan": "AZ", "Bahrain": "BH", "Bangladesh": "BD", "Barbados": "BB", "Belarus": "BY",
	"Bolivia": "BO", "Bosnia": "BA", "Brazil": "BR", "Bulgaria": "BG", "Burkina Faso": "BF",
	"Burundi": "BI", "Cambodia": "KH", "Cameroon": "CM", "Canada": "CA", "Central African Republic": "CF",
	"Chad": "TD", "Chile": "CL", "China": "CN", "Colombia": "CO", "Costa Rica": "CR", "Croatia": "HR",
	"Cyprus": "CY", "Democratic Republic of the Congo": "CD", "Denmark": "DK", "Dominican Republic": "DO",
	"East Timor": "TL", "Ecuador": "EC", "Egypt": "EG", "El Salvador": "SV", "Eritrea": "ER",
	"Ethiopia": "ET", "France": "FR", "Gabon": "GA", "Gambia": "GM", "Georgia": "GE", "Ghana": "GH",
	"Greece": "GR", "Guatemala": "GT", "Guinea": "GN", "Haiti": "HT", "Honduras": "HN", "India": "IN",
	"Indonesia": "ID", "Iran": "IR", "Iraq": "IQ", "Ireland": "IE",
	"Israel and the Occupied Palestinian Territory": "IL", "Ivory Coast": "CI", "Japan": "JP",
	"Kazakhstan": "KZ", "Kenya": "KE", "Kuwait": "KW", "Kyrgyzstan": "KG", "Latvia": "LV",
	"Lebanon": "LB", "Liberia": "LR", "Libya": "LY", "Lithuania": "LT", "Madagascar": "MG",
	"Maldives": "MV", "Mali": "ML", "Malta": "MT", "Mexico": "MX", "Montenegro": "ME",
	"Mozambique": "MZ", "Myanmar": "MM", "Nepal": "NP", "Netherlands": "NL", "Nicaragua": "NI",
	"Nigeria": "NG", "Pakistan": "PK", "Panama": "PA", "Papua New Guinea": "PG", "Paraguay": "PY",
	"Peru": "PE", "Philippines": "PH", "Poland": "PL", "Republic of Congo": "CG", "Russia": "RU",
	"Rwanda": "RW", "Saudi Arabia": "SA", "Serbia": "RS", "Sierra Leone": "SL", "Slovakia": "SK",
	"Somalia": "SO", "South Africa": "ZA", "South Sudan": "SS", "Spain": "ES", "Sri Lanka": "LK",
	"Sudan": "SD", "Syria": "SY", "Tajikistan": "TJ", "Tanzania": "TZ", "Thailand": "TH",
	"Tunisia": "TN", "Turkey": "TR", "Turkmenistan": "TM", "UK": "GB", "USA": "US", "Uganda": "UG",
	"Ukraine": "UA", "Uruguay": "UY", "Uzbekistan": "UZ", "Venezuela": "VE", "Vietnam": "VN",
	"Yemen": "YE", "Yugoslavia": "YU", "Zambia": "ZM", "Zimbabwe": "ZW",
}

// cpjDeath is typeOfDeath: every death CPJ lists is a killing; how it
// happened is a tag, and decides whether it is a murder for the impunity
// figures (docs/counting.md, "Impunity figures").
var cpjDeath = map[string]string{
	"Murder": "murder", "Crossfire": "crossfire", "Dangerous Assignment": "dangerous_assignment",
	"Unknown": "cause_unknown", "N/A": "",
}

// cpjRole is type: the victim's role.
var cpjRole = map[string]string{"Journalist": "journalist", "Media Worker": "media_worker"}

// cpjMotive is motiveConfirmed: the motive link (N/A: media workers, whose
// motive CPJ does not classify).
var cpjMotive = map[string]string{"Confirmed": "confirmed", "Unconfirmed": "unconfirmed", "N/A": ""}

// cpjFire is one entry of sourcesOfFire (a comma-separated list): the
// perpetrator type. rasd has no criminal, resident or mob type: those are
// unknown, CPJ's words kept in the original.
var cpjFire = map[string]string{
	"Political Group": "militia", "Paramilitary Group": "militia",
	"Military Officials": "security_forces", "Government Officials": "security_forces",
	"Criminal Group": "unknown", "Local Residents": "unknown", "Mob Violence": "unknown",
	"Unknown Fire": "unknown", "Unknown": "unknown",
}

// cpjImpunity is impunityMurder: the class the judicial steps the import
// makes derive (package accountability); "" where CPJ gives none.
var cpjImpunity = map[string]string{
	"Complete Impunity": "complete", "Partial Impunity": "partial", "Full Justice": "full_justice", "": "",
}

// cpjYesNo is threatened: Yes tags the incident threatened_before.
var cpjYesNo = map[string]bool{"Yes": true, "No": false, "": false}

// cpjGender is gender.
var cpjGender = map[string]string{"Male": "male", "Female": "female", "": ""}

// CPJColumns are the columns of CPJ's export, as in
// shared/data/real/cpj_killed_1992-2022.csv.
var CPJColumns = []string{"year", "combinedStatus", "fullName", "sortName", "primaryNationality",
	"secondaryNationality", "tertiaryNationality", "gender", "type", "lastStatus", "typeOfDeath", "status",
	"employedAs", "organizations", "jobs", "coverage", "mediums", "country", "location", "region", "state",
	"locality", "province", "localOrForeign", "sourcesOfFire", "motiveConfirmed", "accountabilityCrossfire",
	"accountabilityAssignment", "impunityMurder", "tortured", "captive", "threatened", "charges", "motive",
	"lengthOfSentence", "healthProblems", "impCountry", "entry", "sentenceDate", "sentence",
	"locationImprisoned", "Type of journalist"}

// CPJRequired are the columns an import cannot do without.
var CPJRequired = []string{"year", "fullName", "country", "type", "typeOfDeath", "motiveConfirmed", "impunityMurder"}

// cpjTowns are Iraqi towns CPJ names that are neither a governorate nor a
// district of the gazetteer under that spelling, with their governorate
// (keys as fold writes them). A place matching none is left without one.
var cpjTowns = map[string]string{
	"fallujah": "IQ-AN", "amiriyatalfallujah": "IQ-AN", "khalidiya": "IQ-AN", "jaziretalkhalideya": "IQ-AN",
	"garma": "IQ-AN", "ramadi": "IQ-AN",
	"abughraib": "IQ-BG", "latifiyah": "IQ-BG", "yusufiya": "IQ-BG", "mahmoudiya": "IQ-BG",
	"mahmoudiyya": "IQ-BG", "bahgdad": "IQ-BG", "iskandiriyah": "IQ-BB",
	"baqubah": "IQ-DI", "baqouba": "IQ-DI", "baaquba": "IQ-DI", "baquba": "IQ-DI", "buhrez": "IQ-DI",
	"samara": "IQ-SD", "samarra": "IQ-SD", "tikrit": "IQ-SD", "balad": "IQ-SD",
	"samawah": "IQ-MU", "diwaniyya": "IQ-QA", "amarah": "IQ-MA", "zubayr": "IQ-BA", "qurna": "IQ-BA",
	"shingal": "IQ-NI", "imamgharbi": "IQ-NI", "qayyarah": "IQ-NI", "shura": "IQ-NI",
}

// cpjVague are the words before a place CPJ gives only roughly ("an area
// southwest of Kirkuk"): the place is the town's governorate all the same.
var cpjVague = []string{"in an area outside ", "an area southwest of ", "an area outside ", "an area near ",
	"the outskirts of ", "southwest of ", "outside of ", "outside ", "south of ", "north of ", "near "}
