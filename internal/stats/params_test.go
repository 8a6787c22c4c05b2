package stats

import (
	"errors"
	"net/url"
	"reflect"
	"testing"
	"time"
)

// Params read from URLs and flags give the Query they name, and a Query
// written back as Params (and as a URL) reads as itself, its window as
// fixed days.
func TestParams(t *testing.T) {
	today := time.Date(2021, 2, 28, 15, 0, 0, 0, time.UTC)
	cases := []struct {
		url  string
		want Query
	}{
		{"", Query{}},
		{"last=all", Query{}},
		{"last=12m", Query{Window: Between("2020-03-01", "2021-02-28")}},
		{"last=12m&today=2020-12-31", Query{Window: Between("2020-01-01", "2020-12-31")}},
		{"since=2019-10-01", Query{Window: Since("2019-10-01")}},
		{"type=killing,kidnapping&type=killing&governorate=Baghdad&governorate=IQ-BA&min-verification=verified",
			Query{Types: []string{"killing", "kidnapping"}, Governorates: []string{"IQ-BG", "IQ-BA"}, MinVerification: "verified"}},
		{"role=journalist&outcome=killed&perpetrator=militia&by=month&group=unplaced&until=2020-12-31",
			Query{Window: Until("2020-12-31"), Roles: []string{"journalist"}, Outcomes: []string{"killed"},
				Perpetrators: []string{"militia"}, By: ByMonth, OnlyGroup: true}},
		{"by=type&group=killing", Query{By: ByType, OnlyGroup: true, Group: "killing"}},
		{"by=governorate&group=Baghdad", Query{By: ByGovernorate, OnlyGroup: true, Group: "IQ-BG"}},
		{"by=governorate&group=unplaced", Query{By: ByGovernorate, OnlyGroup: true}},
		{"by=month&group=2020-02", Query{By: ByMonth, OnlyGroup: true, Group: "2020-02"}},
	}
	for _, c := range cases {
		v, _ := url.ParseQuery(c.url)
		got, err := ParseValues(v).Query(today)
		if err != nil {
			t.Errorf("%q: %v", c.url, err)
			continue
		}
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("%q: %+v, want %+v", c.url, got, c.want)
		}
		back, err := ParseValues(got.Params().Values()).Query(today.AddDate(1, 0, 0))
		if err != nil || !reflect.DeepEqual(back, got) {
			t.Errorf("%q written back as %q reads %+v (%v) a year later", c.url, got.Params().Values().Encode(), back, err)
		}
	}
}

func TestParamsErrors(t *testing.T) {
	for query, param := range map[string]string{
		"last=12m&since=2020-01-01":         ParamLast,
		"last=twelve":                       ParamLast,
		"today=2021-01-01":                  ParamToday,
		"last=all&today=2021-01-01":         ParamToday,
		"since=1 October 2019":              ParamSince,
		"until=2020-13-01":                  ParamUntil,
		"since=2020-02-01&until=2020-01-01": ParamUntil,
		"type=murder":                       ParamType,
		"governorate=Atlantis":              ParamGovernorate,
		"role=poet":                         ParamRole,
		"perpetrator=aliens":                ParamPerpetrator,
		"outcome=vanished":                  ParamOutcome,
		"min-verification=disputed":         ParamMinVerification,
		"by=week":                           ParamBy,
		"group=killing":                     ParamGroup,
		"by=type&group='":                   ParamGroup,
		"by=type&group=unplaced":            ParamGroup,
		"by=governorate&group=Atlantis":     ParamGroup,
		"by=month&group=2020-13":            ParamGroup,
		"by=month&group=2020":               ParamGroup,
		"by=month&group=2020-02-01":         ParamGroup,
	} {
		v, _ := url.ParseQuery(query)
		_, err := ParseValues(v).Query(time.Now())
		var pe *ParamError
		if !errors.As(err, &pe) || pe.Param != param {
			t.Errorf("%q: %v, want a mistake in %s", query, err, param)
		}
	}
}
