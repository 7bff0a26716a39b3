//go:build tools

// This file records the witgo dependency that go:generate runs.
package main

import _ "github.com/witgo/witgo/cmd/witgo"
