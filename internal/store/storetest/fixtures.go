package storetest

import "github.com/rasd-project/rasd/internal/model"

// Incident returns a complete incident with two victims given inline, one
// named in Arabic with hamza forms and one in Latin script.
func Incident() model.Incident {
	lat, lon := 31.04, 46.26
	return model.Incident{
		Type: "killing",
		Date: model.Date{Start: "2019-12-08", End: "2019-12-08", Precision: "day"},
		Place: model.Place{Country: "IQ", Admin1: "IQ-DQ", District: "IQG17Q04", Locality: "الناصرية",
			Lat: &lat, Lon: &lon, GeoPrecision: "exact"},
		Perpetrators: []model.Perpetrator{{Type: "unidentified_gunmen", ModusOperandi: "car with tinted windows and no plates"}},
		Victims: []model.Victim{
			{Role: "activist", Outcome: "killed", Person: &model.Person{NameAR: "أمجد الدهامات", NameLatin: "Amjad al-Dahamat",
				Gender: "male", BirthYear: 1990, Roles: []string{"activist"}, HomeAdmin1: "IQ-DQ", Status: "deceased"}},
			{Role: "journalist", Outcome: "injured", Person: &model.Person{NameAR: "زينب مصطفى", NameLatin: "Zainab Mustafa",
				Aliases: []string{"Um Ali"}, Gender: "female", Roles: []string{"journalist"}}},
		},
		Fatalities:   1,
		SummaryEN:    "Activist shot dead by gunmen outside a police station in Nasiriyah; a journalist was wounded.",
		SummaryAR:    "اغتيال ناشط برصاص مسلحين أمام مركز للشرطة في الناصرية وإصابة صحفية.",
		NarrativeEN:  "Witnesses described two killers on a motorcycle.",
		Verification: "corroborated",
		MotiveLink:   "unconfirmed",
		Visibility:   model.VisibilityInternal,
		Tags:         []string{"protests", "october-2019"},
	}
}
