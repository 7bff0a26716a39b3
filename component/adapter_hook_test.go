package component_test

import (
	"github.com/witgo/witgo/component"
	"github.com/witgo/witgo/component/adapter"
	"github.com/witgo/witgo/wit"
)

func init() {
	component.AdapterForTests = func() ([]byte, *wit.Resolve, wit.WorldID, error) {
		b, err := adapter.Module()
		if err != nil {
			return nil, nil, 0, err
		}
		r, w, err := adapter.World()
		return b, r, w, err
	}
}
