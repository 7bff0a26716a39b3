// chello is a tiny C reactor (wasm32-wasi); the component tests turn it
// into a component with jco to check that it round-trips.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

__attribute__((export_name("greet"))) int greet(int n) {
	char *p = malloc(n + 1);
	memset(p, 'a', n);
	p[n] = 0;
	printf("%s\n", p);
	free(p);
	return n * 2;
}
