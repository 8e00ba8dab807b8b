#!/bin/sh
# Build the go-yaml oracle (see README.md). Needs Debian's golang-go,
# golang-gopkg-yaml.v2-dev, golang-k8s-sigs-yaml-dev and golang-golang-x-text-dev.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-"$here/oracle"}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# A private copy of gopkg.in/yaml.v2 with marks.go added; everything else from the system.
mkdir -p "$work/src/gopkg.in" "$work/src/oracle"
cp -r /usr/share/gocode/src/gopkg.in/yaml.v2 "$work/src/gopkg.in/yaml.v2"
rm -f "$work/src/gopkg.in/yaml.v2/"*_test.go
cp "$here/marks.go" "$work/src/gopkg.in/yaml.v2/oracle_marks.go"
cp "$here/oracle.go" "$work/src/oracle/main.go"
cd "$work/src/oracle"
GO111MODULE=off GOPATH="$work:/usr/share/gocode" GOCACHE="$work/cache" GOFLAGS= \
    go build -o "$out" .
echo "built $out"
