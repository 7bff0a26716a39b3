package wasi

import (
	"testing"

	"github.com/witgo/witgo/canonabi"
)

// TestSocketsDenied: instance-network hands out a network; creating a
// TCP or UDP socket and resolving a name answer access-denied (case 1 of
// 0.2's error-code, after unknown); the methods of resources that are
// never handed out trap.
func TestSocketsDenied(t *testing.T) {
	r := newRig(t, Config{})
	before := r.h.res.len()
	net := r.must("wasi:sockets/instance-network#instance-network")
	if net.Kind() != canonabi.KindOwn || r.h.res.len() != before+1 {
		t.Fatalf("instance-network = %v (host objects %d -> %d), want a new own handle", net, before, r.h.res.len())
	}
	ipv4 := canonabi.EnumValue(0)
	for name, args := range map[string][]canonabi.Value{
		"wasi:sockets/tcp-create-socket#create-tcp-socket": {ipv4},
		"wasi:sockets/udp-create-socket#create-udp-socket": {canonabi.EnumValue(1)},
		"wasi:sockets/ip-name-lookup#resolve-addresses":    {net, canonabi.StringValue("example.com")},
	} {
		v := r.must(name, args...)
		e, _ := v.Payload()
		if v.Kind() != canonabi.KindResult || v.Case() != 1 || e.Kind() != canonabi.KindEnum || e.Case() != 1 {
			t.Errorf("%s = %v, want err(access-denied) (enum case 1)", name, v)
		}
	}
	if v := r.must("wasi:sockets/network#network-error-code", canonabi.HandleValue(canonabi.KindBorrow, 1)); v.Kind() != canonabi.KindOption || v.Case() != 0 {
		t.Errorf("network-error-code = %v, want none", v)
	}
	for _, name := range []string{
		"wasi:sockets/tcp#[method]tcp-socket.start-connect",
		"wasi:sockets/udp#[method]udp-socket.stream",
		"wasi:sockets/udp#[method]outgoing-datagram-stream.send",
		"wasi:sockets/ip-name-lookup#[method]resolve-address-stream.resolve-next-address",
	} {
		if _, err := r.call(name); err == nil {
			t.Errorf("%s answered although no such resource can exist", name)
		}
	}
}
