package sqlstore

// SetMaxQueuedTexts lowers how many search texts a transaction holds before
// handing them over, so tests reach that path with a few records.
func SetMaxQueuedTexts(n int) (restore func()) {
	old := maxQueuedTexts
	maxQueuedTexts = n
	return func() { maxQueuedTexts = old }
}
