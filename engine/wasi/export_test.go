package wasi

// OpenResources counts the host objects behind live handles (for tests
// that check nothing leaks).
func OpenResources(h *Host) int { return h.res.len() }
