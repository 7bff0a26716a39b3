package wasi

import (
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"syscall"

	"github.com/witgo/witgo/canonabi"
)

// errorCode is wasi:filesystem/types error-code, by case index.
type errorCode uint32

const (
	ecAccess             errorCode = 0
	ecBadDescriptor      errorCode = 3
	ecBusy               errorCode = 4
	ecQuota              errorCode = 6
	ecExist              errorCode = 7
	ecFileTooLarge       errorCode = 8
	ecIllegalByteSeq     errorCode = 9
	ecInterrupted        errorCode = 11
	ecInvalid            errorCode = 12
	ecIO                 errorCode = 13
	ecIsDirectory        errorCode = 14
	ecLoop               errorCode = 15
	ecTooManyLinks       errorCode = 16
	ecNameTooLong        errorCode = 18
	ecNoEntry            errorCode = 20
	ecInsufficientMemory errorCode = 22
	ecInsufficientSpace  errorCode = 23
	ecNotDirectory       errorCode = 24
	ecNotEmpty           errorCode = 25
	ecUnsupported        errorCode = 27
	ecOverflow           errorCode = 30
	ecNotPermitted       errorCode = 31
	ecPipe               errorCode = 32
	ecReadOnly           errorCode = 33
	ecInvalidSeek        errorCode = 34
	ecTextFileBusy       errorCode = 35
	ecCrossDevice        errorCode = 36
)

// errnoCodes maps host errnos to the error-code of the same meaning.
var errnoCodes = map[syscall.Errno]errorCode{
	syscall.EACCES: ecAccess, syscall.EBADF: ecBadDescriptor, syscall.EBUSY: ecBusy,
	syscall.EDQUOT: ecQuota, syscall.EEXIST: ecExist, syscall.EFBIG: ecFileTooLarge,
	syscall.EILSEQ: ecIllegalByteSeq, syscall.EINTR: ecInterrupted, syscall.EINVAL: ecInvalid,
	syscall.EIO: ecIO, syscall.EISDIR: ecIsDirectory, syscall.ELOOP: ecLoop,
	syscall.EMLINK: ecTooManyLinks, syscall.ENAMETOOLONG: ecNameTooLong, syscall.ENOENT: ecNoEntry,
	syscall.ENOMEM: ecInsufficientMemory, syscall.ENOSPC: ecInsufficientSpace,
	syscall.ENOTDIR: ecNotDirectory, syscall.ENOTEMPTY: ecNotEmpty, syscall.ENOTSUP: ecUnsupported,
	syscall.EOVERFLOW: ecOverflow, syscall.EPERM: ecNotPermitted, syscall.EPIPE: ecPipe,
	syscall.EROFS: ecReadOnly, syscall.ESPIPE: ecInvalidSeek, syscall.ETXTBSY: ecTextFileBusy,
	syscall.EXDEV: ecCrossDevice,
}

// codeOf maps a Go error from the os package to an error-code. A path
// that os.Root refuses because it leaves the root is not-permitted, as
// wasmtime answers such paths.
func codeOf(err error) errorCode {
	var fe fsError
	if errors.As(err, &fe) {
		return fe.code
	}
	var errno syscall.Errno
	if errors.As(err, &errno) {
		if c, ok := errnoCodes[errno]; ok {
			return c
		}
	}
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return ecNoEntry
	case errors.Is(err, fs.ErrExist):
		return ecExist
	case errors.Is(err, fs.ErrPermission):
		return ecNotPermitted
	case strings.Contains(err.Error(), "escapes from parent"), strings.Contains(err.Error(), "path escapes"):
		return ecNotPermitted
	}
	return ecIO
}

// fsError is an error-code the host decides itself.
type fsError struct{ code errorCode }

func (e fsError) Error() string { return fmt.Sprintf("wasi filesystem error-code %d", e.code) }

func fsFail(code errorCode) canonabi.Value { return fail(canonabi.EnumValue(uint32(code))) }

// fsResult is ok(v), or the error-code of err.
func fsResult(v canonabi.Value, err error) (canonabi.Value, error) {
	if err != nil {
		return fsFail(codeOf(err)), nil
	}
	return ok(v), nil
}

// fsUnit is ok(), or the error-code of err.
func fsUnit(err error) (canonabi.Value, error) {
	if err != nil {
		return fsFail(codeOf(err)), nil
	}
	return okUnit(), nil
}
