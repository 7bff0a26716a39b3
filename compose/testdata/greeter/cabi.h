// The allocator the Canonical ABI needs, shared by the C guests here.
#include <stdlib.h>

__attribute__((export_name("cabi_realloc")))
void *cabi_realloc(void *old, size_t old_size, size_t align, size_t new_size) {
	(void)old_size;
	if (new_size == 0)
		return (void *)align;
	void *p = realloc(old, new_size);
	if (!p)
		abort();
	return p;
}

// release frees what cabi_realloc allocated: a zero-length string or
// list was never allocated (its pointer is the alignment).
static void release(void *p, size_t len) {
	if (len > 0)
		free(p);
}
