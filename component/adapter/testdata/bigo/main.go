// bigo is the "big Go" program of issue 5: it prints with fmt, reads its
// arguments and environment, allocates 64 MiB, sleeps 10 ms, reads the
// clock, and uses files in a preopened directory. Built with
// GOOS=wasip1 GOARCH=wasm and run through the preview1 adapter, either as
// a command (_start) or as a c-shared reactor exporting wasi:cli/run.
package main

import (
	"fmt"
	"os"
	"sort"
	"strings"
	"time"
)

func main() { program() }

//go:wasmexport wasi:cli/run@0.2.0#run
func run() uint32 {
	program()
	return 0
}

func program() {
	fmt.Println("args:", strings.Join(os.Args[1:], "|"))
	env := os.Environ()
	sort.Strings(env)
	fmt.Println("env:", strings.Join(env, "|"))

	big := make([]byte, 64<<20)
	for i := range big {
		big[i] = byte(i >> 12)
	}
	sum := 0
	for i := 0; i < len(big); i += 4096 {
		sum += int(big[i])
	}
	fmt.Println("allocated MiB:", len(big)>>20, "checksum:", sum)

	start := time.Now()
	time.Sleep(10 * time.Millisecond)
	fmt.Println("slept >= 10ms:", time.Since(start) >= 10*time.Millisecond)
	fmt.Println("wall clock after 2020:", time.Now().Year() > 2020)

	data, err := os.ReadFile("/data/hello.txt")
	fmt.Printf("read: %q %v\n", data, err)
	err = os.WriteFile("/data/out.txt", []byte("written by go"), 0o644)
	fmt.Println("write:", err)
	f, err := os.OpenFile("/data/out.txt", os.O_APPEND|os.O_WRONLY, 0)
	if err == nil {
		_, err = f.WriteString("+more")
		f.Close()
	}
	fmt.Println("append:", err)
	data, err = os.ReadFile("/data/out.txt")
	fmt.Printf("reread: %q %v\n", data, err)
	entries, err := os.ReadDir("/data")
	var names []string
	for _, e := range entries {
		names = append(names, fmt.Sprintf("%s:%v", e.Name(), e.IsDir()))
	}
	fmt.Println("dir:", strings.Join(names, " "), err)
	st, err := os.Stat("/data/hello.txt")
	if err == nil {
		fmt.Println("stat:", st.Size(), st.ModTime().Unix(), st.IsDir())
	} else {
		fmt.Println("stat:", err)
	}
	_, err = os.Stat("/data/missing")
	fmt.Println("missing is not-exist:", os.IsNotExist(err))
	fmt.Println("mkdir:", os.Mkdir("/data/sub", 0o755))
	fmt.Println("remove:", os.Remove("/data/out.txt"))
	fmt.Fprintln(os.Stderr, "done")
}
