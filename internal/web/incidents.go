package web

// registerIncidents declares the incident pages.
func (s *Server) registerIncidents() {}
