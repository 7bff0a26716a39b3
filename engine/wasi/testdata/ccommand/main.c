// ccommand is a plain wasm32-wasi C command (main), made a component by
// `jco new --wasi-command` with wasmtime's preview1 adapter, so that the host
// is checked against an adapter it was not written beside.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <time.h>
int main(int argc, char **argv) {
	printf("argc=%d argv1=%s\n", argc, argc > 1 ? argv[1] : "-");
	const char *g = getenv("GREETING");
	printf("GREETING=%s\n", g ? g : "(unset)");
	FILE *f = fopen("/data/hello.txt", "r");
	if (!f) { perror("fopen"); return 3; }
	char line[128];
	while (fgets(line, sizeof line, f)) printf("line: %s", line);
	fclose(f);
	f = fopen("/data/new.txt", "w");
	if (f) { fprintf(f, "made by C\n"); fclose(f); printf("wrote\n"); } else perror("fopen w");
	f = fopen("/data/../secret.txt", "r");
	printf("escape: %s\n", f ? "ESCAPED" : "refused");
	struct timespec p = {0, 10000000}; nanosleep(&p, NULL);
	fprintf(stderr, "bye\n");
	return argc > 2 ? 7 : 0;
}
