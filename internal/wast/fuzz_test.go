package wast

import (
	"os"
	"testing"
)

// FuzzParseScript: any input parses or fails with an error, never a
// panic, and every value of a parsed script has a WAVE form or an error.
func FuzzParseScript(f *testing.F) {
	f.Add(sampleScript)
	for _, file := range referenceFiles(f) {
		b, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(b))
	}
	f.Fuzz(func(t *testing.T, src string) {
		s, err := Parse("fuzz.wast", src)
		if err != nil {
			return
		}
		for _, c := range s.Commands {
			if c.Invoke != nil {
				for _, v := range c.Invoke.Args {
					_, _ = v.WAVE()
				}
			}
			for _, v := range c.Expected {
				_, _ = v.WAVE()
			}
		}
	})
}
