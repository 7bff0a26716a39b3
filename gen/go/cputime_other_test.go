//go:build !unix

package gogen

import "time"

func processCPU() time.Duration { return 0 }
