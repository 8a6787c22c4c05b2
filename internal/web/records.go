package web

// registerRecords declares the routes of the record pages: incidents,
// persons and organisations.
func (s *Server) registerRecords() {
}
