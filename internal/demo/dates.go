package demo

import (
	"strconv"
	"time"

	"github.com/rasd-project/rasd/internal/model"
)

// Dates are handled as days since 1970-01-01 and formatted by hand: the
// time package's formatting allocates, and a million incidents need two
// dates each.

var precisions = [...]string{"day", "week", "month", "year"}

// The October 2019 (Tishreen) protests and their first months carry a
// large share of the attacks; the rest of 2020 still more than later years.
var (
	peakLo = daysFromCivil(2019, 10, 1)
	hotHi  = daysFromCivil(2020, 1, 31)
	peakHi = daysFromCivil(2020, 12, 31)
)

// daysFromCivil is Howard Hinnant's days_from_civil (proleptic Gregorian).
func daysFromCivil(y, m, d int) int {
	if m <= 2 {
		y--
	}
	era := floorDiv(y, 400)
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}

// civilFromDays is the inverse of daysFromCivil.
func civilFromDays(z int) (y, m, d int) {
	z += 719468
	era := floorDiv(z, 146097)
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	d = doy - (153*mp+2)/5 + 1
	m = mp + 3
	if m > 12 {
		m -= 12
	}
	y = yoe + era*400
	if m <= 2 {
		y++
	}
	return y, m, d
}

func floorDiv(a, b int) int {
	q := a / b
	if a%b < 0 {
		q--
	}
	return q
}

func dayOf(t time.Time) int {
	y, m, d := t.Date()
	return daysFromCivil(y, int(m), d)
}

// window is the first and last day a date of precision p around day d
// covers: the Monday-to-Sunday week, the calendar month or year.
func window(p, d int) (start, end int) {
	switch precisions[p] {
	case "week":
		start = d - floorMod(d+3, 7) // 1970-01-01 was a Thursday
		return start, start + 6
	case "month":
		y, m, _ := civilFromDays(d)
		if m == 12 {
			return daysFromCivil(y, 12, 1), daysFromCivil(y, 12, 31)
		}
		return daysFromCivil(y, m, 1), daysFromCivil(y, m+1, 1) - 1
	case "year":
		y, _, _ := civilFromDays(d)
		return daysFromCivil(y, 1, 1), daysFromCivil(y, 12, 31)
	}
	return d, d
}

func floorMod(a, b int) int { return a - floorDiv(a, b)*b }

// drawDay picks a day in [from, to], weighted towards the protest peak.
func (g *Generator) drawDay() int {
	x := g.r.IntN(100)
	lo, hi := max(g.from, peakLo), min(g.to, hotHi)
	if x < 15 && lo <= hi {
		return lo + g.r.IntN(hi-lo+1)
	}
	if hi = min(g.to, peakHi); x < 40 && lo <= hi {
		return lo + g.r.IntN(hi-lo+1)
	}
	return g.from + g.r.IntN(g.to-g.from+1)
}

// date draws a date of precision p (or a random one if p < 0) whose whole
// window lies in [from, to]; a window that never fits falls back to a
// finer precision, down to the day, which always fits.
func (g *Generator) date(p int) (model.Date, int, int) {
	if p < 0 {
		p = tab.precP.index(g.r)
	}
	for ; ; p-- {
		for try := 0; try < 4; try++ {
			s, e := window(p, g.drawDay())
			if s >= g.from && e <= g.to {
				return g.formatDate(p, s, e), s, e
			}
		}
	}
}

func (g *Generator) formatDate(p, s, e int) model.Date {
	b := appendDay(g.buf[:0], s)
	if e != s {
		b = appendDay(append(b, ' '), e)
	}
	str := string(b) // one allocation for both ends
	dt := model.Date{Start: str[:10], End: str[len(str)-10:], Precision: precisions[p]}
	// Documenters guess coarse dates far more often than exact days.
	if (p == 0 && g.r.IntN(100) < 3) || (p > 0 && g.r.IntN(100) < 25) {
		dt.Estimated = true
	}
	return dt
}

func appendDay(b []byte, days int) []byte {
	y, m, d := civilFromDays(days)
	b = strconv.AppendInt(b, int64(y), 10)
	b = append(b, '-', byte('0'+m/10), byte('0'+m%10), '-', byte('0'+d/10), byte('0'+d%10))
	return b
}

// appendDatePhrase writes a narrative's opening, e.g. "In March 2020" or
// "في آذار 2020".
func appendDatePhrase(b []byte, ar bool, prec string, s int) []byte {
	y, m, d := civilFromDays(s)
	month := pick(ar, monthsEN[m-1], monthsAR[m-1])
	switch prec {
	case "year":
		b = append(b, pick(ar, "In ", "في عام ")...)
	case "month":
		b = append(append(append(b, pick(ar, "In ", "في ")...), month...), ' ')
	default:
		if prec == "week" {
			b = append(b, pick(ar, "In the week of ", "في الأسبوع الذي بدأ في ")...)
		} else {
			b = append(b, pick(ar, "On ", "في ")...)
		}
		b = strconv.AppendInt(b, int64(d), 10)
		b = append(append(append(b, ' '), month...), ' ')
	}
	return strconv.AppendInt(b, int64(y), 10)
}
