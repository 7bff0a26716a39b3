package cabi

import "testing"

// An async export whose function returns at once: start, drive, exit.
func BenchmarkTaskImmediate(b *testing.B) {
	newFakeHost(&testing.T{})
	b.ReportAllocs()
	for b.Loop() {
		if StartTask(func() func() { return func() {} }) != callbackExit {
			b.Fatal("no exit")
		}
	}
}

// An async export that awaits one subtask: start (WAIT), the event
// through Callback, exit.
func BenchmarkTaskOneSubtask(b *testing.B) {
	newFakeHost(&testing.T{})
	b.ReportAllocs()
	for b.Loop() {
		StartTask(func() func() {
			AwaitSubtask(1 | 5<<4)
			return func() {}
		})
		if Callback(eventSubtask, 5, subtaskReturned) != callbackExit {
			b.Fatal("no exit")
		}
	}
}
