package adapter

import (
	_ "embed"
	"fmt"

	"github.com/witgo/witgo/wit"
)

//go:embed imports.wit
var worldWIT []byte

// worldName is the world in imports.wit that lists the adapter's imports.
const worldName = "adapter"

// World parses the WIT world of the WASI 0.2.0 functions the adapter
// imports (imports.wit, embedded). Each call returns a fresh Resolve.
func World() (res *wit.Resolve, world wit.WorldID, err error) {
	res = wit.NewResolve()
	pkg, err := res.AddSource("imports.wit", worldWIT)
	if err != nil {
		return nil, 0, fmt.Errorf("adapter: imports.wit: %w", err)
	}
	world, err = res.SelectWorld(pkg, worldName)
	if err != nil {
		return nil, 0, fmt.Errorf("adapter: imports.wit: %w", err)
	}
	return res, world, nil
}
