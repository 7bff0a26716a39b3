package wast

import (
	"strings"
)

// Kind is the kind of a script command.
type Kind string

const (
	KindComponent        Kind = "component"         // define and instantiate; becomes the current instance
	KindDefinition       Kind = "definition"        // (component definition $X ...): define only
	KindInstance         Kind = "instance"          // (component instance $i $X): instantiate a definition
	KindModule           Kind = "module"            // a top-level core (module ...)
	KindInvoke           Kind = "invoke"            // a bare (invoke ...)
	KindAssertReturn     Kind = "assert_return"     // invoke, compare results
	KindAssertTrap       Kind = "assert_trap"       // invoke (or instantiate Module) must trap
	KindAssertInvalid    Kind = "assert_invalid"    // Module must fail validation
	KindAssertMalformed  Kind = "assert_malformed"  // Module must fail to parse or decode
	KindAssertUnlinkable Kind = "assert_unlinkable" // Module must fail to instantiate
	KindRegister         Kind = "register"          // (register "name" $i?)
)

// Script is a parsed .wast file.
type Script struct {
	File     string
	Commands []Command
}

// Command is one top-level form of a script.
type Command struct {
	Kind Kind
	Line int
	// Name is the $id of a component, definition or instance, or the
	// name of a register command.
	Name string
	// Of is the definition an instance command instantiates, or the
	// instance a register command names ("" = the current one).
	Of string
	// Module is the component (or core module) of component, definition,
	// module, assert_invalid, assert_malformed, assert_unlinkable and an
	// assert_trap that instantiates.
	Module *Module
	// Invoke is the call of invoke, assert_return and assert_trap.
	Invoke *Invoke
	// Expected are assert_return's results.
	Expected []Value
	// Message is the expected failure text of the assert_* commands.
	Message string
}

// Module is a component (or core module) of a script.
type Module struct {
	Line int
	// Core is true for a core (module ...).
	Core bool
	// Name is the component's $id, if any.
	Name string
	// Form is "text", "binary" or "quote".
	Form string
	// Text is the component's text as `jco parse` takes it: the source
	// verbatim (`component definition $X` becomes `component $X`), or for
	// the quote form the quoted strings joined; empty for binary.
	Text string
	// Binary holds the bytes of the binary form.
	Binary []byte
}

// Invoke is a call of an instance's export.
type Invoke struct {
	Line int
	// Instance is the $id of the instance called; "" means the last one
	// instantiated.
	Instance string
	Func     string
	Args     []Value
}

// Parse reads a .wast script. file names it in errors.
func Parse(file, src string) (*Script, error) {
	top, err := readAll(src)
	if err != nil {
		if se, ok := err.(*SyntaxError); ok {
			se.File = file
		}
		return nil, err
	}
	s := &Script{File: file}
	p := &scriptParser{src: src}
	for _, n := range top {
		cmd, err := p.command(n)
		if err != nil {
			if se, ok := err.(*SyntaxError); ok {
				se.File = file
			}
			return nil, err
		}
		s.Commands = append(s.Commands, cmd)
	}
	return s, nil
}

type scriptParser struct{ src string }

func (p *scriptParser) errorf(n *node, format string, args ...any) error {
	return syntaxErrorf(n.line, format, args...)
}

func (p *scriptParser) command(n *node) (Command, error) {
	cmd := Command{Line: n.line}
	switch h := n.head(); h {
	case "component":
		if len(n.kids) > 1 && n.kids[1].isAtom("instance") {
			return p.instance(n)
		}
		m, err := p.module(n)
		if err != nil {
			return cmd, err
		}
		cmd.Kind, cmd.Module, cmd.Name = KindComponent, m, m.Name
		if len(n.kids) > 1 && n.kids[1].isAtom("definition") {
			cmd.Kind = KindDefinition // unnamed: only validated
		}
		return cmd, nil
	case "module":
		m, err := p.module(n)
		if err != nil {
			return cmd, err
		}
		cmd.Kind, cmd.Module, cmd.Name = KindModule, m, m.Name
		return cmd, nil
	case "invoke":
		inv, err := p.invoke(n)
		cmd.Kind, cmd.Invoke = KindInvoke, inv
		return cmd, err
	case "assert_return":
		if len(n.kids) < 2 || n.kids[1].head() != "invoke" {
			return cmd, p.errorf(n, "assert_return needs an (invoke ...)")
		}
		inv, err := p.invoke(n.kids[1])
		if err != nil {
			return cmd, err
		}
		cmd.Kind, cmd.Invoke = KindAssertReturn, inv
		for _, k := range n.kids[2:] {
			v, err := parseValue(k, 0)
			if err != nil {
				return cmd, err
			}
			cmd.Expected = append(cmd.Expected, v)
		}
		return cmd, nil
	case "assert_trap", "assert_invalid", "assert_malformed", "assert_unlinkable":
		cmd.Kind = Kind(h)
		if len(n.kids) != 3 || n.kids[2].kind != nodeString {
			return cmd, p.errorf(n, "%s needs a form and a message string", h)
		}
		cmd.Message = n.kids[2].text
		body := n.kids[1]
		if h == "assert_trap" && body.head() == "invoke" {
			inv, err := p.invoke(body)
			cmd.Invoke = inv
			return cmd, err
		}
		if hb := body.head(); hb != "component" && hb != "module" {
			return cmd, p.errorf(body, "%s needs a (component ...) or (module ...)", h)
		}
		m, err := p.module(body)
		cmd.Module = m
		return cmd, err
	case "register":
		cmd.Kind = KindRegister
		if len(n.kids) < 2 || len(n.kids) > 3 || n.kids[1].kind != nodeString {
			return cmd, p.errorf(n, `register needs a "name" and an optional $instance`)
		}
		cmd.Name = n.kids[1].text
		if len(n.kids) == 3 {
			if !n.kids[2].isID() {
				return cmd, p.errorf(n, "register: %q is not a $name", n.kids[2].text)
			}
			cmd.Of = n.kids[2].text
		}
		return cmd, nil
	case "":
		return cmd, p.errorf(n, "a command must start with a keyword")
	default:
		return cmd, p.errorf(n, "unknown command %q", h)
	}
}

// instance reads (component instance $i $X).
func (p *scriptParser) instance(n *node) (Command, error) {
	cmd := Command{Kind: KindInstance, Line: n.line}
	if len(n.kids) != 4 || !n.kids[2].isID() || !n.kids[3].isID() {
		return cmd, p.errorf(n, "component instance needs an instance $name and a definition $name")
	}
	cmd.Name, cmd.Of = n.kids[2].text, n.kids[3].text
	return cmd, nil
}

// module reads a (component ...) or (module ...) form in any of its
// three shapes, with or without `definition`.
func (p *scriptParser) module(n *node) (*Module, error) {
	m := &Module{Line: n.line, Core: n.head() == "module", Form: "text"}
	rest := n.kids[1:]
	text := p.src[n.start:n.end]
	if len(rest) > 0 && rest[0].isAtom("definition") {
		// Cut the word out so jco sees a plain component.
		d := rest[0]
		cut := d.end
		for cut < n.end && (p.src[cut] == ' ' || p.src[cut] == '\t') {
			cut++
		}
		text = p.src[n.start:d.start] + p.src[cut:n.end]
		rest = rest[1:]
	}
	if len(rest) > 0 && rest[0].isID() {
		m.Name = rest[0].text
		rest = rest[1:]
	}
	if len(rest) > 0 && (rest[0].isAtom("binary") || rest[0].isAtom("quote")) {
		m.Form = rest[0].text
		var sb strings.Builder
		for _, k := range rest[1:] {
			if k.kind != nodeString {
				return nil, p.errorf(k, "%s form: expected only strings", m.Form)
			}
			if m.Form == "quote" && sb.Len() > 0 {
				sb.WriteByte(' ')
			}
			sb.WriteString(k.text)
		}
		if m.Form == "binary" {
			m.Binary = []byte(sb.String())
			return m, nil
		}
		word := "component"
		if m.Core {
			word = "module"
		}
		m.Text = "(" + word + " " + sb.String() + ")"
		return m, nil
	}
	m.Text = text
	return m, nil
}

// invoke reads (invoke $inst? "name" arg...).
func (p *scriptParser) invoke(n *node) (*Invoke, error) {
	inv := &Invoke{Line: n.line}
	rest := n.kids[1:]
	if len(rest) > 0 && rest[0].isID() {
		inv.Instance = rest[0].text
		rest = rest[1:]
	}
	if len(rest) == 0 || rest[0].kind != nodeString {
		return nil, p.errorf(n, `invoke needs a "function name"`)
	}
	inv.Func = rest[0].text
	for _, k := range rest[1:] {
		v, err := parseValue(k, 0)
		if err != nil {
			return nil, err
		}
		inv.Args = append(inv.Args, v)
	}
	return inv, nil
}
