// cprog prints with stdio and reads a file from a preopened directory;
// built with clang for wasm32-wasi (wasi-libc) and run through the
// preview1 adapter.
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int main(int argc, char **argv) {
	printf("argc=%d argv1=%s\n", argc, argc > 1 ? argv[1] : "-");
	const char *g = getenv("GREETING");
	printf("GREETING=%s\n", g ? g : "(unset)");
	FILE *f = fopen("/data/hello.txt", "r");
	if (!f) {
		perror("fopen");
		return 1;
	}
	char line[128];
	while (fgets(line, sizeof line, f))
		printf("line: %s", line);
	fclose(f);
	f = fopen("/data/new.txt", "w");
	if (!f) {
		perror("fopen w");
		return 1;
	}
	fprintf(f, "made by C %d\n", 42);
	fclose(f);
	DIR *d = opendir("/data");
	int n = 0;
	struct dirent *e;
	while (d && (e = readdir(d)))
		n++;
	if (d)
		closedir(d);
	printf("entries=%d\n", n);
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	printf("clock ok=%d\n", ts.tv_sec >= 0);
	fprintf(stderr, "bye\n");
	return 0;
}
