package wasi

import "github.com/witgo/witgo/engine"

func (h *Host) filesystem3() map[string]engine.HostFunc { return map[string]engine.HostFunc{} }

func (h *Host) preopens3() map[string]engine.HostFunc { return map[string]engine.HostFunc{} }
