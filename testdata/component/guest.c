// A C reactor (clang --target=wasm32-wasi -mexec-model=reactor) for
// guest/guest.wit with its Canonical ABI glue written by hand: witgo's
// component tests turn it into a component and run it under jco.
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
	char *ptr;
	size_t len;
} str_t;

// record entry { key: string, value: u32 }: 12 bytes, align 4.
typedef struct {
	str_t key;
	uint32_t value;
} entry_t;

typedef struct {
	entry_t *ptr;
	size_t len;
} entries_t;

__attribute__((import_module("test:guest/host@0.1.0"), import_name("log")))
extern void host_log(char *ptr, size_t len);

// fetch: func(prefix: string) -> list<entry>: the result goes to a return area.
__attribute__((import_module("test:guest/host@0.1.0"), import_name("fetch")))
extern void host_fetch(char *ptr, size_t len, entries_t *ret);

__attribute__((export_name("cabi_realloc")))
void *cabi_realloc(void *old, size_t old_size, size_t align, size_t new_size) {
	(void)old_size;
	(void)align; // malloc aligns to 16
	if (new_size == 0)
		return (void *)align;
	void *p = realloc(old, new_size);
	if (!p)
		abort();
	return p;
}

static void free_entries(entries_t l) {
	for (size_t i = 0; i < l.len; i++)
		free(l.ptr[i].key.ptr);
	free(l.ptr);
}

// run: func(prefix: string) -> u32
__attribute__((export_name("run")))
uint32_t run(char *prefix, size_t len) {
	entries_t got;
	host_fetch(prefix, len, &got);
	uint32_t sum = 0;
	for (size_t i = 0; i < got.len; i++) {
		host_log(got.ptr[i].key.ptr, got.ptr[i].key.len);
		sum += got.ptr[i].value;
	}
	free_entries(got);
	free(prefix);
	return sum;
}

static str_t ret_str;

// summarize: func(items: list<entry>) -> string, as "key=value,key=value".
__attribute__((export_name("test:guest/api@0.1.0#summarize")))
str_t *summarize(entry_t *items, size_t n) {
	size_t cap = 1;
	for (size_t i = 0; i < n; i++)
		cap += items[i].key.len + 12;
	char *out = malloc(cap);
	size_t at = 0;
	for (size_t i = 0; i < n; i++) {
		if (i > 0)
			out[at++] = ',';
		memcpy(out + at, items[i].key.ptr, items[i].key.len);
		at += items[i].key.len;
		at += (size_t)snprintf(out + at, cap - at, "=%u", items[i].value);
	}
	free_entries((entries_t){items, n});
	ret_str = (str_t){out, at};
	return &ret_str;
}

__attribute__((export_name("cabi_post_test:guest/api@0.1.0#summarize")))
void summarize_post(str_t *ret) { free(ret->ptr); }

static entry_t ret_entry;

// scale: func(e: entry, factor: u32) -> entry: the key is kept, value * factor.
__attribute__((export_name("test:guest/api@0.1.0#scale")))
entry_t *scale(char *key, size_t key_len, uint32_t value, uint32_t factor) {
	ret_entry = (entry_t){{key, key_len}, value * factor};
	return &ret_entry;
}

__attribute__((export_name("cabi_post_test:guest/api@0.1.0#scale")))
void scale_post(entry_t *ret) { free(ret->key.ptr); }
