package adapter

// Preview1 errno values (wasi_snapshot_preview1, witx `errno`).
const (
	errnoSuccess    = 0
	errno2Big       = 1
	errnoAcces      = 2
	errnoAgain      = 6
	errnoBadf       = 8
	errnoExist      = 20
	errnoFault      = 21
	errnoInval      = 28
	errnoIO         = 29
	errnoIsDir      = 31
	errnoMFile      = 33
	errnoNoEnt      = 44
	errnoNoMem      = 48
	errnoNoSys      = 52
	errnoNotDir     = 54
	errnoNotSup     = 58
	errnoPipe       = 64
	errnoSPipe      = 70
	errnoNotCapable = 76
)

// fsErrno maps wasi:filesystem/types error-code (by case index) to the
// preview1 errno of the same meaning.
var fsErrno = [...]int{
	2,  // access -> acces
	6,  // would-block -> again
	7,  // already
	8,  // bad-descriptor -> badf
	10, // busy
	16, // deadlock -> deadlk
	19, // quota -> dquot
	20, // exist
	22, // file-too-large -> fbig
	25, // illegal-byte-sequence -> ilseq
	26, // in-progress
	27, // interrupted -> intr
	28, // invalid -> inval
	29, // io
	31, // is-directory -> isdir
	32, // loop
	34, // too-many-links -> mlink
	35, // message-size -> msgsize
	37, // name-too-long
	43, // no-device -> nodev
	44, // no-entry -> noent
	46, // no-lock -> nolck
	48, // insufficient-memory -> nomem
	51, // insufficient-space -> nospc
	54, // not-directory -> notdir
	55, // not-empty -> notempty
	56, // not-recoverable
	58, // unsupported -> notsup
	59, // no-tty -> notty
	60, // no-such-device -> nxio
	61, // overflow
	63, // not-permitted -> perm
	64, // pipe
	69, // read-only -> rofs
	70, // invalid-seek -> spipe
	74, // text-file-busy -> txtbsy
	75, // cross-device -> xdev
}

// fileTypes maps wasi:filesystem descriptor-type (by case index) to the
// preview1 filetype: fifo has no preview1 counterpart (unknown), a socket
// is reported as a stream socket.
var fileTypes = [...]int{0, 1, 2, 3, 0, 7, 4, 6}
