# witgo: `make test` is what CI runs (through .ci/run); `make demo` shows the
# tool working. Run `make help` for the list.

SHELL := bash
GO ?= go

# Debian packages the tests need; scripts/deps.sh installs the missing ones.
# component's `new` tests build a C reactor (clang, wasi-libc) and a Rust
# cdylib (Debian rustc with the wasm32 std, linked by lld-14).
APT_PACKAGES ?= clang lld wasi-libc libclang-rt-dev-wasm32 rustc libstd-rust-dev-wasm32 lld-14 rustfmt

# npm packages (name@exact-version) the tests need, installed into NPM_PREFIX.
# jco-transpile bundles wasm-tools.js, which component's spec tests use to
# compile .wast text; componentize-js builds the 12 MB component that
# component's large-input test and benchmarks decode.
NPM_PACKAGES ?= @bytecodealliance/jco-transpile@0.15.0 @bytecodealliance/componentize-js@0.22.0 @bytecodealliance/jco@1.35.0
NPM_PREFIX ?= $(CURDIR)/.cache/npm
export WITGO_JCO_WASM_TOOLS ?= $(NPM_PREFIX)/node_modules/@bytecodealliance/jco-transpile/vendor/wasm-tools.js

# How long each fuzz target runs: briefly in `make test`, longer in `make fuzz`.
TEST_FUZZTIME ?= 5s
FUZZTIME ?= 60s
# `make fuzz FUZZ=FuzzParse` runs only the targets whose names match.
FUZZ ?= .
BENCHTIME ?= 300ms
BENCH ?= .

WASI_WIT := ../shared/reference/wasi/0.2.0/wit

.PHONY: help test deps check-fmt vet unit fuzz-short fuzz bench build demo clean

help:
	@echo "make test    install what is missing, then gofmt check, go vet, all tests, a short run of every fuzz target"
	@echo "make demo    run witgo wit on testdata/demo and on the WASI 0.2.0 packages"
	@echo "make build   build bin/witgo"
	@echo "make bench   run the benchmarks briefly (BENCH=regexp BENCHTIME=$(BENCHTIME))"
	@echo "make fuzz    run every fuzz target for FUZZTIME=$(FUZZTIME) (FUZZ=regexp picks targets)"
	@echo "make deps    install missing test dependencies (quiet when all are present)"

test:
	@start=$$(date +%s); \
	$(MAKE) --no-print-directory deps check-fmt vet unit fuzz-short && \
	echo "make test: passed in $$(( $$(date +%s) - start ))s"

deps:
	@GO=$(GO) NPM_PACKAGES='$(NPM_PACKAGES)' NPM_PREFIX='$(NPM_PREFIX)' scripts/deps.sh $(APT_PACKAGES)

check-fmt:
	@files=$$(find . -name '*.go' -not -path './.git/*' -not -path './.cache/*' -not -path '*/node_modules/*' -print0 | xargs -0 -r gofmt -l); \
	if [ -n "$$files" ]; then echo "gofmt needed on:"; echo "$$files"; exit 1; fi

vet:
	$(GO) vet ./...

unit:
	WITGO_REQUIRE_TOOLS=1 $(GO) test -count=1 ./...

fuzz-short:
	@GO=$(GO) FUZZ_QUIET=1 scripts/fuzz.sh $(TEST_FUZZTIME)

fuzz:
	@GO=$(GO) scripts/fuzz.sh $(FUZZTIME) '$(FUZZ)'

bench:
	$(GO) test -run='^$$' -bench='$(BENCH)' -benchtime=$(BENCHTIME) -benchmem ./...

build:
	$(GO) build -o bin/witgo ./cmd/witgo

demo: build
	@scripts/demo.sh

clean:
	rm -rf bin witgo
