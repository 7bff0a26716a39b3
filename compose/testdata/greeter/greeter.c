// The socket of witgo's compose tests: a C reactor (clang
// --target=wasm32-wasi -mexec-model=reactor) for wit/greeter.wit, with
// its Canonical ABI glue written by hand. It imports demo:app/words,
// which the Go component of testdata/demo-app exports, and writes a line
// to stderr per call so that it imports WASI too.
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cabi.h"

typedef struct {
	char *ptr;
	size_t len;
} str_t;

// record summary { count: u32, longest: option<string> }: 16 bytes.
typedef struct {
	uint32_t count;
	uint8_t has_longest;
	str_t longest;
} summary_t;

// option<string>: 12 bytes.
typedef struct {
	uint8_t some;
	str_t value;
} opt_str_t;

__attribute__((import_module("demo:app/words@0.1.0"), import_name("greet")))
extern void words_greet(char *ptr, size_t len, str_t *ret);

__attribute__((import_module("demo:app/words@0.1.0"), import_name("summarize")))
extern void words_summarize(char *ptr, size_t len, summary_t *ret);

static str_t ret_str;

__attribute__((export_name("test:compose/greeter@0.1.0#hello")))
str_t *hello(char *name, size_t len) {
	fprintf(stderr, "greeter: hello\n");
	str_t g;
	words_greet(name, len, &g);
	release(name, len);
	static const char prefix[] = "C says: ";
	size_t n = sizeof prefix - 1;
	char *out = malloc(n + g.len);
	memcpy(out, prefix, n);
	memcpy(out + n, g.ptr, g.len);
	release(g.ptr, g.len);
	ret_str = (str_t){out, n + g.len};
	return &ret_str;
}

__attribute__((export_name("cabi_post_test:compose/greeter@0.1.0#hello")))
void hello_post(str_t *ret) { release(ret->ptr, ret->len); }

static summary_t summarize(char *text, size_t len) {
	summary_t s;
	words_summarize(text, len, &s);
	release(text, len);
	return s;
}

__attribute__((export_name("test:compose/greeter@0.1.0#count")))
uint32_t count(char *text, size_t len) {
	fprintf(stderr, "greeter: count\n");
	summary_t s = summarize(text, len);
	if (s.has_longest)
		release(s.longest.ptr, s.longest.len);
	return s.count;
}

static opt_str_t ret_opt;

__attribute__((export_name("test:compose/greeter@0.1.0#longest")))
opt_str_t *longest(char *text, size_t len) {
	fprintf(stderr, "greeter: longest\n");
	summary_t s = summarize(text, len);
	ret_opt = (opt_str_t){s.has_longest, s.longest};
	return &ret_opt;
}

__attribute__((export_name("cabi_post_test:compose/greeter@0.1.0#longest")))
void longest_post(opt_str_t *ret) {
	if (ret->some)
		release(ret->value.ptr, ret->value.len);
}
