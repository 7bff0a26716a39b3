package compose

import (
	"errors"
	"fmt"

	"github.com/witgo/witgo/component"
)

// Input is one component to compose: its binary and a name for messages
// (a file name, typically).
type Input struct {
	Name  string
	Bytes []byte
}

// Result is a composed component.
type Result struct {
	Component []byte
	// Warnings are problems that do not stop the composition, such as a
	// plug nobody uses (it is left out).
	Warnings []string
}

// Compose links inputs[0], the socket, with the plugs inputs[1:]: each
// import of the socket, and of the plugs it uses, is satisfied by a
// plug's export of a compatible name, or else becomes an import of the
// composed component. The result exports what the socket exports. It is
// validated, and with it the inputs it embeds, before it is returned; an
// invalid input is reported as such.
func Compose(inputs []Input) (*Result, error) {
	if len(inputs) < 2 {
		return nil, errors.New("compose: a socket component and at least one plug are needed")
	}
	parts := make([]*part, len(inputs))
	for i, in := range inputs {
		p, err := readPart(i, in)
		if err != nil {
			return nil, err
		}
		parts[i] = p
	}
	pl, err := makePlan(parts)
	if err != nil {
		return nil, err
	}
	b, err := buildWorld(pl)
	if err != nil {
		return nil, err
	}
	c, err := encode(pl, b)
	if err != nil {
		return nil, err
	}
	bin := c.Encode()
	if err := checkOutput(bin); err != nil {
		for _, p := range parts {
			if perr := component.Validate(p.comp); perr != nil {
				return nil, fmt.Errorf("%s: invalid component: %w", p.name, perr)
			}
		}
		return nil, fmt.Errorf("compose: the composed component is not valid (a bug in witgo compose, or a case it does not handle): %w", err)
	}
	return &Result{Component: bin, Warnings: pl.warnings}, nil
}

// checkOutput decodes and validates the composed binary.
func checkOutput(bin []byte) error {
	c, err := component.Decode(bin)
	if err != nil {
		return err
	}
	return component.Validate(c)
}
