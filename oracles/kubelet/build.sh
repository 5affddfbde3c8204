#!/usr/bin/env bash
# Builds the kubelet KEP-2535 oracle against one Kubernetes release.
#
#   build.sh <minor> <out-binary>    e.g. build.sh 1.35 ~/.cache/vouch/oracle/bin/kubelet-1.35
#   build.sh --tidy <minor>          regenerate v<minor>/go.sum and the requirements (go mod tidy)
#   build.sh --init <minor> <version>  start v<minor>/go.mod for k8s.io/kubernetes v<version>
#                                    (e.g. --init 1.37 1.37.2), then run --tidy <minor>
#
# k8s.io/kubernetes replaces its staging modules (k8s.io/api, k8s.io/client-go, ...) with
# ./staging directories, which a dependent module cannot see: --init maps each of them to the
# published module of the same release (v0.<minor>.<patch>), as read from the release's go.mod.
#
# Go cannot compile files of two directories into one package, so the build directory is
# assembled in a temporary directory: common/*.go (the version-independent oracle) with
# v<minor>/adapter.go, go.mod and go.sum. The build is -mod=readonly: go.sum must be complete.
# GO (default /usr/local/go/bin/go, the machine's Go) and the usual GOMODCACHE/GOCACHE apply;
# GOTOOLCHAIN is local.
#
# The binary is built without optimisation, inlining or DWARF (-gcflags=all=-N -l -dwarf=false):
# the ~1,200 packages the pull manager drags in (client-go, apiserver, k8s.io/api) take a cold
# build far less CPU that way, and the oracle's speed does not matter.
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
GO="${GO:-/usr/local/go/bin/go}"
export GOTOOLCHAIN=local

if [ "${1:-}" = --init ]; then
  minor="${2:?usage: build.sh --init <minor> <version>}"; version="${3:?usage: build.sh --init <minor> <version>}"
  release_mod="$(cd "${TMPDIR:-/tmp}" && GOFLAGS=-mod=mod "$GO" mod download -json "k8s.io/kubernetes@v$version" \
    | sed -n 's/^[[:space:]]*"GoMod": "\(.*\)",*$/\1/p')"
  [ -f "$release_mod" ] || { echo "build.sh: no go.mod for k8s.io/kubernetes v$version" >&2; exit 2; }
  go_version="$(sed -n 's/^go \([0-9]*\.[0-9]*\).*/\1/p' "$release_mod")"
  mkdir -p "$HERE/v$minor"
  {
    printf 'module vouch.test/oracles/kubelet-%s\n\ngo %s.0\n\ngodebug default=go%s\n\n' "$minor" "$go_version" "$go_version"
    printf 'require k8s.io/kubernetes v%s\n\n' "$version"
    printf "// The ./staging replaces of k8s.io/kubernetes v%s's own go.mod, as the published modules.\n" "$version"
    echo "replace ("
    sed -n 's#^[[:space:]]*\(k8s\.io/[A-Za-z0-9._-]*\) => \./staging/.*#\t\1 => \1 v0.'"${version#*.}"'#p' "$release_mod"
    echo ")"
  } > "$HERE/v$minor/go.mod"
  exit 0
fi

tidy=false
if [ "${1:-}" = --tidy ]; then tidy=true; shift; fi
minor="${1:?usage: build.sh [--tidy] <minor> [<out-binary>]}"
src="$HERE/v$minor"
[ -f "$src/go.mod" ] || { echo "build.sh: no $src/go.mod" >&2; exit 2; }

work="$(mktemp -d "${TMPDIR:-/tmp}/kubelet-oracle-build.XXXXXX")"
trap 'rm -rf "$work"' EXIT
cp "$HERE"/common/*.go "$src"/*.go "$src/go.mod" "$work/"
[ -f "$src/go.sum" ] && cp "$src/go.sum" "$work/"

if $tidy; then
  (cd "$work" && GOFLAGS=-mod=mod "$GO" mod tidy)
  cp "$work/go.mod" "$work/go.sum" "$src/"
  exit 0
fi

out="${2:?usage: build.sh <minor> <out-binary>}"
case "$out" in /*) ;; *) out="$PWD/$out" ;; esac
mkdir -p "$(dirname "$out")"
# Unoptimised and without DWARF by default (-N -l -dwarf=false; the linker drops DWARF anyway,
# -w), which compiles the ~1,200 packages markedly faster on a cold cache: 1.36 took 341 CPU
# seconds (177 s on two cores) against 477 (252 s) with DWARF. The decisions do not depend on it. OPTIMIZE=1 builds as Go normally does, for the
# timings of benches/src/bin/node-compare.rs.
gcflags='all=-N -l -dwarf=false'
[ "${OPTIMIZE:-0}" = 1 ] && gcflags=''
(cd "$work" && GOFLAGS=-mod=readonly "$GO" build -trimpath -gcflags="$gcflags" -ldflags='-s -w' -o "$out.tmp" .)
mv -f "$out.tmp" "$out"
