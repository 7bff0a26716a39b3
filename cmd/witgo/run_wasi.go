package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/witgo/witgo/engine/wasi"
)

// guestExit is the exit status a guest program chose: witgo exits with
// it and prints nothing more.
type guestExit int

func (e guestExit) Error() string { return fmt.Sprintf("the guest exited with status %d", int(e)) }

// wasiConfig is what `witgo run` grants the guest: its arguments (the
// component's path first, as wasmtime passes it), the environment asked
// for, witgo's stdio, and the directories granted.
func wasiConfig(c *cli.Context) (wasi.Config, error) {
	args := c.Args().Slice()
	if len(args) > 1 && args[1] == "--" {
		args = append(args[:1:1], args[2:]...)
	}
	cfg := wasi.Config{Args: args, Stdin: os.Stdin, Stdout: c.App.Writer, Stderr: c.App.ErrWriter}
	if c.Bool("inherit-env") {
		for _, kv := range os.Environ() {
			k, v, _ := strings.Cut(kv, "=")
			cfg.Env = append(cfg.Env, [2]string{k, v})
		}
	}
	for _, kv := range values(c, "env") {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || k == "" {
			return cfg, usagef(c, "--env %q: want K=V", kv)
		}
		cfg.Env = append(cfg.Env, [2]string{k, v})
	}
	for _, flag := range []string{"dir", "dir-rw"} {
		for _, spec := range values(c, flag) {
			host, guest, ok := strings.Cut(spec, "::")
			if !ok {
				guest = host
			}
			if host == "" || guest == "" {
				return cfg, usagef(c, "--%s %q: want HOST[::GUEST]", flag, spec)
			}
			info, err := os.Stat(host)
			if err != nil {
				return cfg, fmt.Errorf("--%s: %w", flag, err)
			}
			if !info.IsDir() {
				return cfg, fmt.Errorf("--%s: %s is not a directory", flag, host)
			}
			cfg.Preopens = append(cfg.Preopens, wasi.Preopen{Host: host, Guest: guest, Writable: flag == "dir-rw"})
		}
	}
	return cfg, nil
}

// compileCacheDir is where compiled core modules are kept between runs
// (as wasmtime keeps its cache): $WITGO_CACHE_DIR, or witgo/wazero in the
// user's cache directory; "" (memory only) with --no-cache or when there
// is no such directory.
func compileCacheDir(c *cli.Context) string {
	if c.Bool("no-cache") {
		return ""
	}
	if dir := os.Getenv("WITGO_CACHE_DIR"); dir != "" {
		return dir
	}
	dir, err := os.UserCacheDir()
	if err != nil {
		return ""
	}
	return filepath.Join(dir, "witgo", "wazero")
}

// repeated is a flag given any number of times. Unlike a StringSliceFlag
// it does not split values at commas, which paths and variables may hold.
type repeated []string

func (r *repeated) Set(v string) error { *r = append(*r, v); return nil }
func (r *repeated) String() string     { return strings.Join(*r, " ") }

func values(c *cli.Context, name string) []string {
	if r, ok := c.Generic(name).(*repeated); ok && r != nil {
		return *r
	}
	return nil
}
