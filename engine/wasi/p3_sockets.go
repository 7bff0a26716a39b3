package wasi

import (
	"context"
	"errors"
	"strings"

	"github.com/witgo/witgo/canonabi"
	"github.com/witgo/witgo/engine"
)

// wasi:sockets@0.3.0 with nothing granted: wasi:cli/command's world
// imports it, so a command links, but creating a socket and resolving a
// name answer access-denied (case 0 of both error-codes), as a host
// without network permission does. With no socket ever handed out, the
// methods cannot be reached; they are there only to link, and trap.

var (
	tcpMethods = strings.Fields(`bind connect listen send receive get-local-address
		get-remote-address get-is-listening get-address-family set-listen-backlog-size
		get-keep-alive-enabled set-keep-alive-enabled get-keep-alive-idle-time
		set-keep-alive-idle-time get-keep-alive-interval set-keep-alive-interval
		get-keep-alive-count set-keep-alive-count get-hop-limit set-hop-limit
		get-receive-buffer-size set-receive-buffer-size get-send-buffer-size set-send-buffer-size`)
	udpMethods = strings.Fields(`bind connect disconnect send receive get-local-address
		get-remote-address get-address-family get-unicast-hop-limit set-unicast-hop-limit
		get-receive-buffer-size set-receive-buffer-size get-send-buffer-size set-send-buffer-size`)
)

var errNoSockets = errors.New("wasi: no sockets are granted")

func accessDenied() canonabi.Value { return fail(canonabi.VariantValue(0, nil)) }

func deniedSockets3() map[string]engine.HostFunc {
	unreachable := func(context.Context, []canonabi.Value) (canonabi.Value, error) { return unit, errNoSockets }
	m := map[string]engine.HostFunc{
		"[static]tcp-socket.create": fn0(accessDenied()),
		"[static]udp-socket.create": fn0(accessDenied()),
	}
	for _, name := range tcpMethods {
		m["[method]tcp-socket."+name] = unreachable
	}
	for _, name := range udpMethods {
		m["[method]udp-socket."+name] = unreachable
	}
	return m
}

func deniedNameLookup3() map[string]engine.HostFunc {
	return map[string]engine.HostFunc{"resolve-addresses": fn0(accessDenied())}
}
