package wasi

import (
	"testing"

	"github.com/witgo/witgo/canonabi"
)

// TestSocketsDenied3: nothing of the network is granted: creating a TCP
// or UDP socket and resolving a name answer access-denied (case 0).
func TestSocketsDenied3(t *testing.T) {
	r := newRig3(t, Config{})
	for _, name := range []string{
		"wasi:sockets/types@0.3#[static]tcp-socket.create",
		"wasi:sockets/types@0.3#[static]udp-socket.create",
		"wasi:sockets/ip-name-lookup@0.3#resolve-addresses",
	} {
		if got := r.errCase3(name, canonabi.EnumValue(0)); got != 0 {
			t.Errorf("%s: error case %d, want access-denied (0)", name, got)
		}
	}
	if _, err := r.call("wasi:sockets/types@0.3#[method]tcp-socket.bind"); err == nil {
		t.Error("a socket method answered although no socket can exist")
	}
}
