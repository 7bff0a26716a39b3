package wit

import (
	"encoding/json"
	"os"
	"reflect"
	"strings"
	"testing"
)

// treeToAny converts a jsonValue to what encoding/json's Unmarshal into
// `any` gives (with UseNumber), for differential testing.
func treeToAny(v *jsonValue) any {
	switch v.kind {
	case jsonNull:
		return nil
	case jsonBool:
		return v.text == "true"
	case jsonNumber:
		return json.Number(v.text)
	case jsonString:
		return v.text
	case jsonArray:
		out := make([]any, len(v.items))
		for i, it := range v.items {
			out[i] = treeToAny(it)
		}
		return out
	}
	out := make(map[string]any, len(v.fields))
	for _, f := range v.fields {
		out[f.key] = treeToAny(f.val)
	}
	return out
}

// checkTreeAgainstStdlib requires parseJSONTree to agree with encoding/json
// on b: same verdict and same value. The two differ on purpose only where
// encoding/json is lenient (invalid UTF-8, lone surrogates, duplicate keys)
// and on nesting depth.
func checkTreeAgainstStdlib(t *testing.T, b []byte) {
	t.Helper()
	tree, err := parseJSONTree(b)
	var std any
	d := json.NewDecoder(strings.NewReader(string(b)))
	d.UseNumber()
	stdErr := d.Decode(&std)
	if stdErr == nil && strings.TrimLeft(string(b[d.InputOffset():]), " \t\r\n") != "" {
		stdErr = errFromStd // trailing data
	}
	switch {
	case err == nil && stdErr != nil:
		t.Fatalf("accepted %q, which encoding/json rejects: %v", b, stdErr)
	case err != nil && stdErr == nil:
		for _, strict := range []string{"invalid UTF-8", "surrogate", "nesting deeper", "duplicate key"} {
			if strings.Contains(err.Error(), strict) {
				return
			}
		}
		t.Fatalf("rejected %q (%v), which encoding/json accepts", b, err)
	case err == nil:
		if got := treeToAny(tree); !reflect.DeepEqual(got, std) {
			t.Fatalf("%q: got %#v, encoding/json gives %#v", b, got, std)
		}
	}
}

var errFromStd = &json.SyntaxError{}

func TestJSONTreeAgainstStdlib(t *testing.T) {
	inputs := []string{
		`null`, `true`, `false`, `0`, `-0`, `12`, `-1.5e+10`, `1E3`, `0.25`,
		`01`, `-`, `1.`, `.5`, `1e`, `+1`, `0x10`, `NaN`, `nul`, `tru`,
		`""`, `"a\"b\\c\/d\b\f\n\r\t"`, `"\u00e9\u20AC"`, `"\ud83d\ude00"`, `"é☃"`,
		`"\x"`, `"\u12"`, `"\u12g4"`, "\"tab\there\"", `"unterminated`,
		`[]`, `[1,2,[3,[]]]`, `[1,]`, `[,1]`, `[1 2]`, `[`,
		`{}`, `{"a":1,"b":[{"c":null}]}`, `{"a":1,}`, `{"a"}`, `{1:2}`, `{"a":1 "b":2}`, `{"a":1,"a":2}`,
		` { "a" : [ 1 , 2 ] } `, `1 2`, `{} {}`, ``, `   `,
	}
	for _, in := range inputs {
		checkTreeAgainstStdlib(t, []byte(in))
	}
	for _, bad := range []string{`"\ud83d"`, `"\ude00x"`, "\"\xff\"", `{"a":1,"a":2}`, strings.Repeat("[", jsonMaxDepth+2) + strings.Repeat("]", jsonMaxDepth+2)} {
		if _, err := parseJSONTree([]byte(bad)); err == nil {
			t.Errorf("accepted %q", bad)
		}
	}
	for _, file := range witParserUIJSONFiles(t) {
		b, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		checkTreeAgainstStdlib(t, b)
	}
}

// FuzzJSONTree compares the scanner with encoding/json on any input.
func FuzzJSONTree(f *testing.F) {
	for _, s := range []string{`{"a":[1,-2.5e3,"x\u00e9\n"],"b":{"c":null,"d":true}}`, `[]`, `"\ud83d\ude00"`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		checkTreeAgainstStdlib(t, b)
	})
}
