//go:build !linux

package wasi

import "io/fs"

func sysStat(fs.FileInfo) (hostStat, bool) { return hostStat{}, false }
