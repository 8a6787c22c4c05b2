package web

// registerRecords declares the routes of the record pages: incidents
// (incidents.go) and persons and organisations (people.go).
func (s *Server) registerRecords() {
	s.registerIncidents()
	s.registerPeople()
}
