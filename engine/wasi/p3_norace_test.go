//go:build !race

package wasi_test

const raceDetector = false
