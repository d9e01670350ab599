#!/bin/sh
# Runs differential tests on the host the way Relay runs them, "init --run TEST [ARGS]", from
# the build directory with stdin from /dev/null. Each test runs twice; both runs must match each
# other and tests/expected/TEST.out (stdout) and TEST.status (exit status), and stderr must be
# empty. Extra arguments come from TEST.args when it exists, one a line.
#
#   tests/check-host.sh BUILD EXPECTED TEST...          check
#   UPDATE=1 tests/check-host.sh BUILD EXPECTED TEST... rewrite the expected files
set -u
build=$1 expected=$(cd "$2" && pwd)
shift 2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0

run() { # run TEST N: output in $tmp/TEST.N.{out,err,status}
    name=$1 n=$2
    set --
    if [ -f "$expected/$name.args" ]; then # one argument a line, spaces and empty ones too
        while IFS= read -r line; do set -- "$@" "$line"; done <"$expected/$name.args"
    fi
    (cd "$build" && timeout 30 ./init --run "$name" "$@" </dev/null \
        >"$tmp/$name.$n.out" 2>"$tmp/$name.$n.err"; echo $? >"$tmp/$name.$n.status")
}

for t in "$@"; do
    run "$t" 1
    run "$t" 2
    why=
    if [ -s "$tmp/$t.1.err" ]; then
        why="stderr not empty: $(head -c 200 "$tmp/$t.1.err")"
    elif ! cmp -s "$tmp/$t.1.out" "$tmp/$t.2.out" ||
        ! cmp -s "$tmp/$t.1.status" "$tmp/$t.2.status"; then
        why="two runs differ"
    elif [ "${UPDATE:-}" ]; then
        cp "$tmp/$t.1.out" "$expected/$t.out"
        cp "$tmp/$t.1.status" "$expected/$t.status"
    elif ! cmp -s "$tmp/$t.1.out" "$expected/$t.out"; then
        why="stdout differs from expected: $(diff "$expected/$t.out" "$tmp/$t.1.out" | head -5)"
    elif ! cmp -s "$tmp/$t.1.status" "$expected/$t.status"; then
        why="exit status $(cat "$tmp/$t.1.status"), expected $(cat "$expected/$t.status")"
    fi
    if [ "$why" ]; then
        echo "FAIL $t: $why"
        failed=$((failed + 1))
    else
        echo "ok   $t"
    fi
done
[ "$failed" -eq 0 ]
