package wasi

import (
	"encoding/binary"
	"hash/fnv"
	"io/fs"
	"time"

	"github.com/witgo/witgo/canonabi"
)

// descriptor-type cases.
const (
	typeUnknown     = 0
	typeBlockDevice = 1
	typeCharDevice  = 2
	typeDirectory   = 3
	typeFifo        = 4
	typeSymlink     = 5
	typeRegular     = 6
	typeSocket      = 7
)

func descriptorType(m fs.FileMode) uint32 {
	switch {
	case m.IsDir():
		return typeDirectory
	case m&fs.ModeSymlink != 0:
		return typeSymlink
	case m&fs.ModeNamedPipe != 0:
		return typeFifo
	case m&fs.ModeSocket != 0:
		return typeSocket
	case m&fs.ModeCharDevice != 0:
		return typeCharDevice
	case m&fs.ModeDevice != 0:
		return typeBlockDevice
	case m.IsRegular():
		return typeRegular
	}
	return typeUnknown
}

func someDatetime(t time.Time) canonabi.Value { return canonabi.SomeValue(datetime(t)) }

// descriptorStat is the descriptor-stat record of info.
func descriptorStat(info fs.FileInfo) canonabi.Value {
	links := uint64(1)
	atime, ctime := canonabi.NoneValue(), canonabi.NoneValue()
	if st, ok := sysStat(info); ok {
		links = st.links
		atime, ctime = someDatetime(st.atime), someDatetime(st.ctime)
	}
	return canonabi.RecordValue(
		canonabi.EnumValue(descriptorType(info.Mode())),
		canonabi.U64Value(links),
		canonabi.U64Value(uint64(info.Size())),
		atime,
		someDatetime(info.ModTime()),
		ctime,
	)
}

// metadataHash identifies the file (device and inode) as two u64s;
// without them, its name, size and time.
func metadataHash(info fs.FileInfo) canonabi.Value {
	h := fnv.New128a()
	if st, ok := sysStat(info); ok {
		var b [16]byte
		binary.LittleEndian.PutUint64(b[:8], st.dev)
		binary.LittleEndian.PutUint64(b[8:], st.ino)
		h.Write(b[:])
	} else {
		h.Write([]byte(info.Name() + info.ModTime().String()))
	}
	sum := h.Sum(nil)
	return canonabi.RecordValue(canonabi.U64Value(binary.LittleEndian.Uint64(sum[:8])),
		canonabi.U64Value(binary.LittleEndian.Uint64(sum[8:])))
}

// hostStat is what the OS tells beyond fs.FileInfo.
type hostStat struct {
	links        uint64
	atime, ctime time.Time
	dev, ino     uint64
}
