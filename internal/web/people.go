package web

// registerPeople declares the person and organisation pages.
func (s *Server) registerPeople() {}
