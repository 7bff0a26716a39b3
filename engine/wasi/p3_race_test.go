//go:build race

package wasi_test

// raceDetector is set when the tests run with -race.
const raceDetector = true
