//go:build unix

package gogen

import (
	"syscall"
	"time"
)

// processCPU is the CPU time (user + system) the process has used: on a
// shared machine it measures the generator's work where wall time
// measures the other tenants too.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
