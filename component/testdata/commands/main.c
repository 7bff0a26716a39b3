/* A preview1 command (clang --target=wasm32-wasi, no -mexec-model):
   `component new` makes it a component exporting wasi:cli/run. It prints
   its arguments and $GREETING; "exit3" calls exit(3), "return3" returns 3
   from main. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv) {
	printf("hello from a c command\n");
	printf("args:");
	for (int i = 1; i < argc; i++)
		printf(" [%s]", argv[i]);
	printf("\n");
	const char *g = getenv("GREETING");
	printf("GREETING=%s\n", g ? g : "(unset)");
	if (argc > 1 && strcmp(argv[1], "exit3") == 0) {
		fprintf(stderr, "exiting with 3\n");
		exit(3);
	}
	if (argc > 1 && strcmp(argv[1], "return3") == 0)
		return 3;
	printf("done\n");
	return 0;
}
