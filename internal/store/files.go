package store

// SQLiteFile is the embedded store's database file inside a data
// directory: package sqlite opens it, package instance creates and wipes
// around it, package backup copies it. It is named here, beside the
// interface all of them share, so that none of them needs the others.
const SQLiteFile = "rasd.db"
