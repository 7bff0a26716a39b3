//go:build linux

package wasi

import (
	"io/fs"
	"syscall"
	"time"
)

func sysStat(info fs.FileInfo) (hostStat, bool) {
	st, ok := info.Sys().(*syscall.Stat_t)
	if !ok {
		return hostStat{}, false
	}
	return hostStat{
		links: uint64(st.Nlink),
		atime: time.Unix(st.Atim.Unix()),
		ctime: time.Unix(st.Ctim.Unix()),
		dev:   uint64(st.Dev),
		ino:   st.Ino,
	}, true
}
