#!/usr/bin/env bash
# Runs every Go fuzz target in the module (func FuzzXxx in any package) for
# FUZZTIME each, one after another. Finds the targets itself, so a new fuzz
# target is picked up without editing anything.
#
# Usage: scripts/fuzz.sh [FUZZTIME [NAME-REGEXP]]   e.g. scripts/fuzz.sh 5s
# With FUZZ_QUIET=1 a passing target prints one line; a failing one prints
# everything go test said (the failing input is saved under testdata/fuzz/).
# Every target runs even when one fails; the status is 1 if any failed.
set -euo pipefail
cd "$(dirname "$0")/.."
fuzztime=${1:-5s}
filter=${2:-.}
go=${GO:-go}

# `go test -list` prints a package's matching names, then a line
# "ok <tab> <import path> <tab> <time>" for that package.
listing=$("$go" test -run='^$' -list='^Fuzz' ./...)
targets=()
names=()
while IFS= read -r line; do
	case "$line" in
	Fuzz*) names+=("$line") ;;
	ok*)
		pkg=$(awk '{print $2}' <<<"$line")
		for name in "${names[@]}"; do
			if grep -Eq -- "$filter" <<<"$name"; then
				targets+=("$pkg $name")
			fi
		done
		names=()
		;;
	esac
done <<<"$listing"

if ((${#targets[@]} == 0)); then
	echo "fuzz: no fuzz targets match '$filter'"
	exit 0
fi
echo "fuzz: ${#targets[@]} targets, $fuzztime each"
failed=()
# run_target runs cmd, leaving its output in out and its exit status in
# status; without FUZZ_QUIET=1 the output is also shown as it comes.
run_target() {
	if [[ ${FUZZ_QUIET:-} != 1 ]]; then
		echo "fuzz: $pkg $name"
		out=$("${cmd[@]}" 2>&1 | tee /dev/stderr) && status=0 || status=$?
	else
		out=$("${cmd[@]}" 2>&1) && status=0 || status=$?
	fi
}
for target in "${targets[@]}"; do
	read -r pkg name <<<"$target"
	# No minimizing: on large seeds it can take the whole run and look stalled.
	cmd=("$go" test -run='^$' -fuzz="^${name}\$" -fuzztime="$fuzztime" -fuzzminimizetime=0 "$pkg")
	# Go 1.26's fuzz coordinator can report a bare "context deadline exceeded"
	# when -fuzztime ends while a worker is mid-call (go.dev/issue/75804, fixed
	# in Go 1.27). That is no finding: no input is written. Retry such a run
	# once; a real finding always says "Failing input written".
	run_target
	if ((status != 0)) && grep -q 'context deadline exceeded' <<<"$out" &&
		! grep -q 'Failing input written' <<<"$out"; then
		echo "fuzz: $pkg $name hit the fuzztime shutdown race (go.dev/issue/75804); running it again"
		run_target
	fi
	if [[ ${FUZZ_QUIET:-} != 1 ]]; then
		((status == 0)) || failed+=("$pkg $name")
		continue
	fi
	if ((status == 0)); then
		execs=$(grep -o 'execs: [0-9]*' <<<"$out" | tail -n 1 || true)
		echo "fuzz: ok $pkg $name (${execs:-no execs reported})"
	else
		echo "fuzz: FAIL $pkg $name"
		echo "$out"
		failed+=("$pkg $name")
	fi
done
if ((${#failed[@]} > 0)); then
	echo "fuzz: ${#failed[@]} of ${#targets[@]} targets failed:"
	printf '  %s\n' "${failed[@]}"
	exit 1
fi
