package wasi

import (
	"context"
	"strings"

	"github.com/witgo/witgo/canonabi"
	"github.com/witgo/witgo/engine"
)

// wasi:sockets@0.2.x with nothing granted, as p3_sockets.go does for
// 0.3: wasi:cli/command@0.2.x imports every sockets interface, so a
// component whose bindings cover the whole world links. instance-network
// hands out a network handle (it grants nothing), creating a socket and
// resolving a name answer access-denied (case 1 of 0.2's error-code
// enum; case 0 is unknown). No socket, datagram stream or address stream
// is ever handed out, so their methods are there only to link, and trap.

var (
	tcpMethods2 = strings.Fields(`start-bind finish-bind start-connect finish-connect
		start-listen finish-listen accept local-address remote-address is-listening
		address-family set-listen-backlog-size keep-alive-enabled set-keep-alive-enabled
		keep-alive-idle-time set-keep-alive-idle-time keep-alive-interval set-keep-alive-interval
		keep-alive-count set-keep-alive-count hop-limit set-hop-limit receive-buffer-size
		set-receive-buffer-size send-buffer-size set-send-buffer-size subscribe shutdown`)
	udpMethods2 = strings.Fields(`start-bind finish-bind stream local-address remote-address
		address-family unicast-hop-limit set-unicast-hop-limit receive-buffer-size
		set-receive-buffer-size send-buffer-size set-send-buffer-size subscribe`)
	incomingDatagramMethods = []string{"receive", "subscribe"}
	outgoingDatagramMethods = []string{"check-send", "send", "subscribe"}
	resolveAddressMethods   = []string{"resolve-next-address", "subscribe"}
)

// socketAccessDenied is err(access-denied) of wasi:sockets/network@0.2.x.
const socketAccessDenied = 1

// network is the object behind instance-network's handle: access to no
// part of the network.
type network struct{}

// sockets2 are the wasi:sockets interfaces, by name without version.
func (h *Host) sockets2() map[string]ifaceImpl {
	denied := fn0(fail(canonabi.EnumValue(socketAccessDenied)))
	return map[string]ifaceImpl{
		"wasi:sockets/network": {funcs: map[string]engine.HostFunc{
			// No host error is a network error: stream errors come from
			// stdio and files only.
			"network-error-code": fn0(none()),
		}, resources: []string{"network"}},
		"wasi:sockets/instance-network": {funcs: map[string]engine.HostFunc{
			"instance-network": func(ctx context.Context, _ []canonabi.Value) (canonabi.Value, error) {
				return h.newResource(ctx, "wasi:sockets/network", "network", &network{})
			},
		}},
		"wasi:sockets/tcp-create-socket": {funcs: map[string]engine.HostFunc{"create-tcp-socket": denied}},
		"wasi:sockets/udp-create-socket": {funcs: map[string]engine.HostFunc{"create-udp-socket": denied}},
		"wasi:sockets/tcp": {funcs: unreachableMethods(nil, "tcp-socket", tcpMethods2),
			resources: []string{"tcp-socket"}},
		"wasi:sockets/udp": {funcs: unreachableMethods(unreachableMethods(
			unreachableMethods(nil, "udp-socket", udpMethods2),
			"incoming-datagram-stream", incomingDatagramMethods),
			"outgoing-datagram-stream", outgoingDatagramMethods),
			resources: []string{"udp-socket", "incoming-datagram-stream", "outgoing-datagram-stream"}},
		"wasi:sockets/ip-name-lookup": {funcs: unreachableMethods(
			map[string]engine.HostFunc{"resolve-addresses": denied},
			"resolve-address-stream", resolveAddressMethods),
			resources: []string{"resolve-address-stream"}},
	}
}

// unreachableMethods adds to m (a new map if nil) the methods of a
// resource the host never hands out; each traps.
func unreachableMethods(m map[string]engine.HostFunc, resource string, methods []string) map[string]engine.HostFunc {
	if m == nil {
		m = map[string]engine.HostFunc{}
	}
	for _, name := range methods {
		m["[method]"+resource+"."+name] = noSocket
	}
	return m
}

func noSocket(context.Context, []canonabi.Value) (canonabi.Value, error) { return unit, errNoSockets }
