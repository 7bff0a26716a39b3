package wasi_test

import (
	"context"
	"testing"

	"github.com/witgo/witgo/engine/wasi"
	"github.com/witgo/witgo/internal/wast"
)

// socketsProbeWAT imports wasi:sockets@0.2.0 as a wasip2 toolchain does
// (network's types, then the interfaces that use them) and exports
// probe: it takes instance-network's network, asks create-tcp-socket for
// an IPv4 socket, drops the network and returns the error code it got,
// or 100 when it got a socket. The error-code cases are the WIT's.
const socketsProbeWAT = `(component
  (import "wasi:sockets/network@0.2.0" (instance $network
    (export "network" (type (sub resource)))
    (type $ec (enum "unknown" "access-denied" "not-supported" "invalid-argument"
      "out-of-memory" "timeout" "concurrency-conflict" "not-in-progress" "would-block"
      "invalid-state" "new-socket-limit" "address-not-bindable" "address-in-use"
      "remote-unreachable" "connection-refused" "connection-reset" "connection-aborted"
      "datagram-too-large" "name-unresolvable" "temporary-resolver-failure"
      "permanent-resolver-failure"))
    (export "error-code" (type (eq $ec)))
    (type $fam (enum "ipv4" "ipv6"))
    (export "ip-address-family" (type (eq $fam)))))
  (alias export $network "network" (type $net))
  (alias export $network "error-code" (type $ec))
  (alias export $network "ip-address-family" (type $fam))
  (import "wasi:sockets/instance-network@0.2.0" (instance $inet
    (export "network" (type $n (eq $net)))
    (export "instance-network" (func (result (own $n))))))
  (import "wasi:sockets/tcp@0.2.0" (instance $tcp
    (export "tcp-socket" (type (sub resource)))))
  (alias export $tcp "tcp-socket" (type $sock))
  (import "wasi:sockets/tcp-create-socket@0.2.0" (instance $create
    (export "error-code" (type $e (eq $ec)))
    (export "ip-address-family" (type $f (eq $fam)))
    (export "tcp-socket" (type $s (eq $sock)))
    (export "create-tcp-socket" (func (param "address-family" $f) (result (result (own $s) (error $e)))))))

  (core module $Mem (memory (export "mem") 1))
  (core instance $mem (instantiate $Mem))
  (core func $inet (canon lower (func $inet "instance-network")))
  (core func $create (canon lower (func $create "create-tcp-socket") (memory (core memory $mem "mem"))))
  (core func $dropnet (canon resource.drop $net))
  (core module $M
    (import "" "inet" (func $inet (result i32)))
    (import "" "create" (func $create (param i32 i32)))
    (import "" "dropnet" (func $dropnet (param i32)))
    (import "" "mem" (memory 1))
    (func (export "probe") (result i32)
      (local $net i32)
      (local.set $net (call $inet))
      (call $create (i32.const 0) (i32.const 16))
      (call $dropnet (local.get $net))
      (if (result i32) (i32.load8_u (i32.const 16))
        (then (i32.load8_u (i32.const 20)))
        (else (i32.const 100)))))
  (core instance $m (instantiate $M (with "" (instance
    (export "inet" (func $inet)) (export "create" (func $create))
    (export "dropnet" (func $dropnet)) (export "mem" (memory $mem "mem"))))))
  (func (export "probe") (result u32) (canon lift (core func $m "probe"))))`

// TestSocketsDeniedInComponent: a component importing wasi:sockets@0.2.0
// links, gets a network, and is refused a TCP socket with access-denied.
func TestSocketsDeniedInComponent(t *testing.T) {
	ctx := context.Background()
	c, err := sharedEngine(t).Compile(ctx, wast.ComponentFromWAT(t, socketsProbeWAT))
	if err != nil {
		t.Fatal(err)
	}
	_, inst := instance3(t, c, wasi.Config{})
	res, err := inst.Call(ctx, "probe")
	if err != nil {
		t.Fatal(err)
	}
	const accessDenied = 1 // the WIT's error-code: unknown, access-denied, ...
	if res.Uint() != accessDenied {
		t.Errorf("probe = %d, want error-code access-denied (%d)", res.Uint(), accessDenied)
	}
}
