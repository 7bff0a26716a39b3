// cguest is a wasm32-wasi reactor (wasi-libc) exporting wasi:cli/run for
// the WASI host tests: it prints, reads a preopened file, tries to leave
// the preopen through "..", and returns err when a check failed.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

__attribute__((export_name("wasi:cli/run@0.2.0#run"))) int run(void) {
	int bad = 0;
	printf("hello from c\n");
	fprintf(stderr, "c stderr\n");
	const char *g = getenv("GREETING");
	printf("GREETING=%s\n", g ? g : "(unset)");
	FILE *f = fopen("/data/hello.txt", "r");
	if (!f) {
		perror("fopen /data/hello.txt");
		return 1;
	}
	char line[128];
	while (fgets(line, sizeof line, f))
		printf("line: %s", line);
	fclose(f);
	const char *escapes[] = {"/data/../secret.txt", "/data/sub/../../secret.txt", "/data/abs-link", "/data/rel-link"};
	for (int i = 0; i < 4; i++) {
		f = fopen(escapes[i], "r");
		if (f) {
			printf("ESCAPED via %s\n", escapes[i]);
			fclose(f);
			bad = 1;
		} else {
			printf("refused %s\n", escapes[i]);
		}
	}
	struct timespec t0, t1, pause = {0, 20 * 1000 * 1000};
	clock_gettime(CLOCK_MONOTONIC, &t0);
	nanosleep(&pause, NULL);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	long ms = (t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000;
	printf("slept >= 20ms: %d\n", ms >= 20);
	fflush(stdout);
	return bad;
}
