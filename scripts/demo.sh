#!/usr/bin/env bash
# What `make demo` shows: the WIT front end on testdata/demo, then a Go
# component end to end: bindings from WIT, a wasip1 build, a component with
# witgo's own WASI adapter, and a call on witgo's bundled engine.
set -euo pipefail
cd "$(dirname "$0")/.."
witgo=$PWD/bin/witgo
say() { printf '\n$ %s\n' "$*"; }

say "witgo wit testdata/demo | head -n 20"
"$witgo" wit testdata/demo | head -n 20
say "witgo wit --check testdata/demo-broken    # a diagnostic, exit status 1"
! "$witgo" wit --check testdata/demo-broken
say "witgo wit --abi --world shop testdata/demo | head -n 8"
"$witgo" wit --abi --world shop testdata/demo | head -n 8

# The Go component, built in a scratch copy of testdata/demo-app.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -R testdata/demo-app/. "$work"
cd "$work"
echo
echo "(in a copy of testdata/demo-app: wit/app.wit and main.go)"
say "witgo bindgen --world app --out gen wit"
"$witgo" bindgen --world app --out gen wit
find gen -name '*.go' | sort
say "GOOS=wasip1 GOARCH=wasm go build -buildmode=c-shared -o core.wasm ."
GOOS=wasip1 GOARCH=wasm GOFLAGS=-mod=mod go build -buildmode=c-shared -o core.wasm .
say "witgo component new --wit wit --world app core.wasm -o app.wasm"
"$witgo" component new --wit wit --world app core.wasm -o app.wasm
ls -l core.wasm app.wasm | awk '{print $5, $NF}'
say "witgo component wit app.wasm | head -n 18"
"$witgo" component wit app.wasm | head -n 18
say "witgo run --invoke 'greet(\"world\")' app.wasm"
"$witgo" run --invoke 'greet("world")' app.wasm
say "witgo run --invoke 'summarize(\"the quick brown fox jumps\")' app.wasm"
"$witgo" run --invoke 'summarize("the quick brown fox jumps")' app.wasm
