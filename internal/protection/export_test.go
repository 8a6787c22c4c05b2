package protection

// ThreatsExample is the documented example, for the tests.
var ThreatsExample = threatsExample

// Before is the board's order, as the store must give it.
func Before(a, b *Row) bool { return before(a, b) }
