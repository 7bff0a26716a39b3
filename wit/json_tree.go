package wit

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// jsonValue is a parsed JSON value that, unlike map[string]any, keeps the
// order of object members: the order of a Resolve's maps is meaningful.
type jsonValue struct {
	kind   jsonKind
	text   string // string contents, or a number's literal text
	items  []*jsonValue
	fields []jsonField
}

type jsonField struct {
	key string
	val *jsonValue
}

type jsonKind uint8

const (
	jsonNull jsonKind = iota
	jsonBool
	jsonNumber
	jsonString
	jsonArray
	jsonObject
)

func (k jsonKind) String() string {
	return [...]string{"null", "a boolean", "a number", "a string", "an array", "an object"}[k]
}

// parseJSONTree reads exactly one JSON value from b.
func parseJSONTree(b []byte) (*jsonValue, error) {
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	v, err := readJSONValue(d)
	if err == io.EOF {
		err = io.ErrUnexpectedEOF // the input ended inside a value
	}
	if err != nil {
		return nil, err
	}
	if _, err := d.Token(); err != io.EOF {
		return nil, errors.New("unexpected data after the top-level value")
	}
	return v, nil
}

func readJSONValue(d *json.Decoder) (*jsonValue, error) {
	tok, err := d.Token()
	if err != nil {
		return nil, err
	}
	switch tok := tok.(type) {
	case nil:
		return &jsonValue{kind: jsonNull}, nil
	case bool:
		return &jsonValue{kind: jsonBool}, nil
	case json.Number:
		return &jsonValue{kind: jsonNumber, text: string(tok)}, nil
	case string:
		return &jsonValue{kind: jsonString, text: tok}, nil
	case json.Delim:
		switch tok {
		case '[':
			v := &jsonValue{kind: jsonArray}
			for d.More() {
				item, err := readJSONValue(d)
				if err != nil {
					return nil, err
				}
				v.items = append(v.items, item)
			}
			_, err := d.Token() // ']'
			return v, err
		case '{':
			v := &jsonValue{kind: jsonObject}
			var seen map[string]bool // only built for large objects
			for d.More() {
				kt, err := d.Token()
				if err != nil {
					return nil, err
				}
				key, ok := kt.(string)
				if !ok {
					return nil, fmt.Errorf("object key is %v, not a string", kt)
				}
				if v.hasKey(key, &seen) {
					return nil, fmt.Errorf("duplicate key %q", key)
				}
				val, err := readJSONValue(d)
				if err != nil {
					return nil, err
				}
				v.fields = append(v.fields, jsonField{key, val})
			}
			_, err := d.Token() // '}'
			return v, err
		}
	}
	return nil, fmt.Errorf("unexpected JSON token %v", tok)
}

// hasKey reports whether the object already has key, switching from a scan
// to a set once it grows, so hostile input stays linear.
func (v *jsonValue) hasKey(key string, seen *map[string]bool) bool {
	const scanLimit = 16
	if len(v.fields) < scanLimit {
		for _, f := range v.fields {
			if f.key == key {
				return true
			}
		}
		return false
	}
	if *seen == nil {
		*seen = make(map[string]bool, 2*len(v.fields))
		for _, f := range v.fields {
			(*seen)[f.key] = true
		}
	}
	if (*seen)[key] {
		return true
	}
	(*seen)[key] = true
	return false
}
