package protection

// ThreatsExample is the documented example, for the tests.
var ThreatsExample = threatsExample
