#!/usr/bin/env bash
# Installs what witgo's tests need when it is missing, and says nothing when
# everything is already there, so `make test` can call it every time.
#
# Usage: scripts/deps.sh [debian-package ...]
# The Makefile passes APT_PACKAGES; Go modules come from go.mod; NPM_PACKAGES
# (name@exact-version, space-separated) go into NPM_PREFIX (default
# .cache/npm, ignored by git) with the ordinary npm client.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
for pkg in "$@"; do
	if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
		missing+=("$pkg")
	fi
done
if ((${#missing[@]} > 0)); then
	if ! command -v apt-get >/dev/null; then
		echo "deps: missing Debian packages and no apt-get: ${missing[*]}" >&2
		exit 1
	fi
	sudo=()
	if ((EUID != 0)); then
		sudo=(sudo)
	fi
	echo "deps: installing ${missing[*]}" >&2
	"${sudo[@]}" apt-get update -qq
	DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# npm packages, each checked by the version in its installed package.json.
npm_prefix=${NPM_PREFIX:-.cache/npm}
npm_missing=()
for spec in ${NPM_PACKAGES:-}; do
	name=${spec%@*}
	want=${spec##*@}
	manifest="$npm_prefix/node_modules/$name/package.json"
	have=$(node -p 'require(require("path").resolve(process.argv[1])).version' "$manifest" 2>/dev/null || true)
	if [[ $have != "$want" ]]; then
		npm_missing+=("$spec")
	fi
done
if ((${#npm_missing[@]} > 0)); then
	if ! command -v npm >/dev/null; then
		echo "deps: npm is needed for ${npm_missing[*]} (Debian: apt-get install nodejs npm)" >&2
		exit 1
	fi
	echo "deps: installing ${npm_missing[*]} into $npm_prefix" >&2
	mkdir -p "$npm_prefix"
	npm install --prefix "$npm_prefix" --no-audit --no-fund --loglevel=error "${npm_missing[@]}" >/dev/null
fi

# Quiet and quick when the module cache already has everything. It reads a
# scratch copy of go.mod because `go mod download` rewrites the go line when a
# dependency asks for a newer Go, and this script must not edit the tree.
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
cp go.mod "$scratch/go.mod"
cp go.sum "$scratch/go.sum" 2>/dev/null || true
${GO:-go} mod download -modfile="$scratch/go.mod"
