package wast

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
)

// Compiler turns component text into binaries with jco's `parse` (the
// wasm-tools text parser it bundles). One node process compiles a whole
// batch (starting node costs about 0.4 s, a parse well under a
// millisecond), and each result, the binary or jco's error, is cached
// under Dir by the SHA-256 of jco's version and the text.
type Compiler struct {
	Node, JCO, Version string // node, jco's package directory and version (FindJCO)
	Dir                string // cache directory; "" caches nothing
}

// Result is the outcome of compiling one text: Binary, or Err (a
// *ParseError when jco refused the text).
type Result struct {
	Binary []byte
	Err    error
}

// ParseError is jco's message for a text it cannot parse.
type ParseError struct{ Msg string }

func (e *ParseError) Error() string { return "jco parse: " + e.Msg }

// NewCompiler finds jco (ErrNoJCO if absent) and caches in cacheDir
// (DefaultCacheDir() for the repository's .cache/wast).
func NewCompiler(cacheDir string) (*Compiler, error) {
	node, pkg, version, err := FindJCO()
	if err != nil {
		return nil, err
	}
	return &Compiler{Node: node, JCO: pkg, Version: version, Dir: cacheDir}, nil
}

// DefaultCacheDir is the repository's .cache/wast, or a directory under
// the OS's temporary directory outside a repository.
func DefaultCacheDir() string {
	if root := RepoRoot(); root != "" {
		return filepath.Join(root, ".cache", "wast")
	}
	return filepath.Join(os.TempDir(), "witgo-wast")
}

// Compile compiles texts, returning one Result per text. The error is
// for a failure of the tool itself (node missing, crashing).
func (c *Compiler) Compile(texts []string) ([]Result, error) {
	results := make([]Result, len(texts))
	keys := make([]string, len(texts))
	var todo []int
	for i, t := range texts {
		keys[i] = c.key(t)
		if r, ok := c.cached(keys[i]); ok {
			results[i] = r
			continue
		}
		todo = append(todo, i)
	}
	for len(todo) > 0 {
		batch := make([]string, len(todo))
		for j, i := range todo {
			batch[j] = texts[i]
		}
		got, err := c.run(batch)
		if len(got) == 0 && err != nil {
			return nil, err
		}
		for j, r := range got {
			i := todo[j]
			results[i] = r
			c.store(keys[i], r)
		}
		// A short batch means jco's wasm trapped on the last text (after
		// which it cannot be used): go on in a fresh process.
		todo = todo[len(got):]
	}
	return results, nil
}

// cacheFormat names the current way of making cache entries (2: parse
// errors only from parse itself).
const cacheFormat = "wast-cache-2"

func (c *Compiler) key(text string) string {
	h := sha256.New()
	// cacheFormat changes when the way results are made changes, so that
	// older entries are not read.
	fmt.Fprintf(h, "jco %s\x00%s\x00", c.Version, cacheFormat)
	h.Write([]byte(text))
	return hex.EncodeToString(h.Sum(nil))
}

func (c *Compiler) cached(key string) (Result, bool) {
	if c.Dir == "" {
		return Result{}, false
	}
	base := filepath.Join(c.Dir, key[:2], key)
	if b, err := os.ReadFile(base + ".wasm"); err == nil {
		return Result{Binary: b}, true
	}
	if b, err := os.ReadFile(base + ".err"); err == nil {
		return Result{Err: &ParseError{Msg: string(b)}}, true
	}
	return Result{}, false
}

// store writes a result atomically (a temporary file renamed), so that
// concurrent test processes never read half a file.
func (c *Compiler) store(key string, r Result) {
	if c.Dir == "" {
		return
	}
	dir := filepath.Join(c.Dir, key[:2])
	if os.MkdirAll(dir, 0o755) != nil {
		return
	}
	data, ext := r.Binary, ".wasm"
	var pe *ParseError
	if errors.As(r.Err, &pe) {
		data, ext = []byte(pe.Msg), ".err"
	} else if r.Err != nil {
		return
	}
	f, err := os.CreateTemp(dir, key+".tmp*")
	if err != nil {
		return
	}
	_, werr := f.Write(data)
	if cerr := f.Close(); werr != nil || cerr != nil {
		os.Remove(f.Name())
		return
	}
	if os.Rename(f.Name(), filepath.Join(dir, key+ext)) != nil {
		os.Remove(f.Name())
	}
}

// parseScript runs in node: it reads a JSON array of texts on stdin and
// writes one JSON line per text, {"b": base64} or {"e": message}. After a
// trap inside jco's wasm (which leaves it unusable) it stops with exit
// code 3. Only parse's own failures become {"e"}; stdin and stdout are
// streams (readFileSync(0) and writeSync(1) fail with EAGAIN on the
// non-blocking pipes Go gives a child).
const parseScript = `
import { once } from 'node:events';
const { parse } = await import(process.argv[1]);
const chunks = [];
for await (const c of process.stdin) chunks.push(c);
const texts = JSON.parse(Buffer.concat(chunks).toString('utf8'));
for (const t of texts) {
  let rec, trapped = false;
  try {
    rec = { b: Buffer.from(await parse(t)).toString('base64') };
  } catch (e) {
    rec = { e: String((e && e.message) || e) };
    trapped = e instanceof WebAssembly.RuntimeError;
  }
  if (!process.stdout.write(JSON.stringify(rec) + '\n')) await once(process.stdout, 'drain');
  if (trapped) { process.exitCode = 3; break; }
}
`

// run compiles one batch in one node process. It returns the results it
// got, which are fewer than texts if the process stopped early.
func (c *Compiler) run(texts []string) ([]Result, error) {
	in, err := json.Marshal(texts)
	if err != nil {
		return nil, err
	}
	api := (&url.URL{Scheme: "file", Path: filepath.ToSlash(filepath.Join(c.JCO, "dist", "api.js"))}).String()
	cmd := exec.Command(c.Node, "--input-type=module", "-e", parseScript, api)
	cmd.Stdin = bytes.NewReader(in)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, runErr := cmd.Output()
	var results []Result
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(nil, 1<<30)
	for sc.Scan() && len(results) < len(texts) {
		var line struct{ B, E *string }
		if err := json.Unmarshal(sc.Bytes(), &line); err != nil {
			return results, fmt.Errorf("jco parse: bad output line: %v", err)
		}
		switch {
		case line.B != nil:
			b, err := base64.StdEncoding.DecodeString(*line.B)
			if err != nil {
				return results, fmt.Errorf("jco parse: bad output line: %v", err)
			}
			results = append(results, Result{Binary: b})
		case line.E != nil:
			results = append(results, Result{Err: &ParseError{Msg: tidyJCOError(*line.E)}})
		default:
			return results, errors.New("jco parse: empty output line")
		}
	}
	if runErr != nil && len(results) == len(texts) {
		runErr = nil // the texts are done; a late exit status does not matter
	}
	if runErr != nil {
		return results, fmt.Errorf("jco parse (node %s): %v\n%s", c.Node, runErr, stderr.Bytes())
	}
	if len(results) < len(texts) {
		return results, fmt.Errorf("jco parse: %d results for %d texts\n%s", len(results), len(texts), stderr.Bytes())
	}
	return results, nil
}
