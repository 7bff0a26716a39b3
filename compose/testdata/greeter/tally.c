// The socket of witgo's compose resource test: a C reactor for world
// tally-socket of wit/counter.wit. It creates a counter (a resource the Go
// plug of ../counter exports), adds each item through a borrowed handle,
// and drops its own handle: handles cross the component boundary both ways.
#include <stdint.h>
#include <stdlib.h>

#include "cabi.h"

__attribute__((import_module("test:compose/counter@0.1.0"), import_name("[constructor]counter")))
extern int32_t counter_new(uint32_t start);

__attribute__((import_module("test:compose/counter@0.1.0"), import_name("[method]counter.add")))
extern uint32_t counter_add(int32_t self, uint32_t n);

__attribute__((import_module("test:compose/counter@0.1.0"), import_name("[resource-drop]counter")))
extern void counter_drop(int32_t self);

// open: func(start: u32) -> counter: the own handle passes to the caller.
__attribute__((export_name("test:compose/tally@0.1.0#open")))
int32_t open(uint32_t start) { return counter_new(start); }

// tally: func(start: u32, items: list<u32>) -> u32
__attribute__((export_name("test:compose/tally@0.1.0#tally")))
uint32_t tally(uint32_t start, uint32_t *items, size_t n) {
	int32_t c = counter_new(start);
	uint32_t total = start;
	for (size_t i = 0; i < n; i++)
		total = counter_add(c, items[i]);
	counter_drop(c);
	release(items, n);
	return total;
}
