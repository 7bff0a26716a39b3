// goguest is a Go command for the WASI host tests: what it does depends on
// its first argument. Built as a wasip1 reactor exporting wasi:cli/run and
// made a component with witgo's preview1 adapter.
package main

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"
)

func main() {}

//go:wasmexport wasi:cli/run@0.2.0#run
func run() uint32 {
	if len(os.Args) < 2 {
		fmt.Println("no command")
		return 1
	}
	switch os.Args[1] {
	case "hello":
		fmt.Println("hello from go", strings.Join(os.Args[2:], "|"))
		fmt.Fprintln(os.Stderr, "to stderr")
		fmt.Println("env:", strings.Join(os.Environ(), "|"), "HOME="+os.Getenv("HOME"))
	case "exit":
		n, _ := strconv.Atoi(os.Args[2])
		os.Exit(n)
	case "fail":
		return 1
	case "sleep":
		ms, _ := strconv.Atoi(os.Args[2])
		start := time.Now()
		time.Sleep(time.Duration(ms) * time.Millisecond)
		fmt.Println("slept", time.Since(start) >= time.Duration(ms)*time.Millisecond, time.Now().Year() > 2020)
	case "cat":
		data, err := os.ReadFile(os.Args[2])
		if err != nil {
			fmt.Println("error:", err)
			return 1
		}
		os.Stdout.Write(data)
	case "write":
		err := os.WriteFile(os.Args[2], []byte(os.Args[3]), 0o644)
		fmt.Println("write:", err)
	case "fs":
		fsTour(os.Args[2])
	case "stdin":
		var b [64]byte
		n, _ := os.Stdin.Read(b[:])
		fmt.Printf("stdin: %q\n", b[:n])
	case "big":
		n, _ := strconv.Atoi(os.Args[2])
		buf := make([]byte, 64<<10)
		for i := range buf {
			buf[i] = 'a' + byte(i%26)
		}
		for n > 0 {
			k := min(n, len(buf))
			os.Stdout.Write(buf[:k])
			n -= k
		}
	default:
		fmt.Println("unknown command", os.Args[1])
		return 1
	}
	return 0
}

// fsTour makes, lists, stats and removes files under dir.
func fsTour(dir string) {
	p := func(name string) string { return dir + "/" + name }
	fmt.Println("mkdir:", os.Mkdir(p("sub"), 0o755))
	fmt.Println("write:", os.WriteFile(p("sub/f.txt"), []byte("12345"), 0o644))
	st, err := os.Stat(p("sub/f.txt"))
	if err == nil {
		fmt.Println("stat:", st.Size(), st.IsDir(), st.ModTime().Year() > 2020)
	}
	entries, err := os.ReadDir(p("sub"))
	for _, e := range entries {
		fmt.Println("entry:", e.Name(), e.IsDir())
	}
	fmt.Println("readdir:", err)
	fmt.Println("rename:", os.Rename(p("sub/f.txt"), p("sub/g.txt")))
	data, err := os.ReadFile(p("sub/g.txt"))
	fmt.Printf("read: %q %v\n", data, err)
	_, err = os.Stat(p("missing"))
	fmt.Println("missing:", os.IsNotExist(err))
	fmt.Println("rmdir non-empty:", os.Remove(p("sub")) != nil)
	fmt.Println("unlink:", os.Remove(p("sub/g.txt")))
	fmt.Println("rmdir:", os.Remove(p("sub")))
}
