#!/usr/bin/env bash
# Paired runs of two commands, as benches/README.md's before/after figures are taken:
#
#   benches/paired.sh [-n RUNS] [-i] 'COMMAND A' 'COMMAND B'
#
# A and B run in turn (A B A B ...), RUNS pairs (default 5) after one unmeasured pair, each under GNU time
# (`/usr/bin/time`), its output thrown away. Printed for each command: wall seconds, CPU seconds (user + system)
# and peak RSS (MiB), as min / median / max; then the ratio A/B of the CPU seconds taken pair by pair, so that a
# drift of the machine's speed during the call moves both sides of a pair alike. Quote the medians.
# A command that exits non-zero stops the call, unless -i is given (`kubeplan lint` exits 1 when it finds
# something).
#
# Each command is one string run by `sh -c`, e.g.
#   benches/paired.sh -n 3 'target/release/kubeplan plan /tmp/bench/ds-5k.yaml -o json' \
#                          '/tmp/kubeplan-main plan /tmp/bench/ds-5k.yaml -o json'
set -euo pipefail

runs=5
ignore_status=false
while [ $# -gt 2 ]; do
    case "$1" in
        -n) runs="$2"; shift 2 ;;
        -i) ignore_status=true; shift ;;
        *) break ;;
    esac
done
if [ $# -ne 2 ]; then
    echo "usage: benches/paired.sh [-n RUNS] [-i] 'COMMAND A' 'COMMAND B'" >&2
    exit 2
fi
[ -x /usr/bin/time ] || { echo "benches/paired.sh: needs GNU time (/usr/bin/time; Debian package time)" >&2; exit 2; }

log="$(mktemp)"
trap 'rm -f "$log"' EXIT

# One run: "LABEL wall user sys maxrss_kib" appended to the log; a failing command stops the call unless -i.
run() {
    /usr/bin/time -a -o "$log" -f "$1 %e %U %S %M" sh -c "$2 > /dev/null" || $ignore_status ||
        { echo "benches/paired.sh: command $1 failed: $2" >&2; exit 1; }
}

run warm-A "$1"
run warm-B "$2"
for _ in $(seq "$runs"); do
    run A "$1"
    run B "$2"
done

awk '
function sorted(a, n,    i, j, t) {
    for (i = 2; i <= n; i++) for (j = i; j > 1 && a[j - 1] > a[j]; j--) { t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
}
function median(a, n) { return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2 }
function report(label, a, n, fmt) { sorted(a, n); printf "%-16s " fmt " / " fmt " / " fmt "\n", label, a[1], median(a, n), a[n] }
$1 == "A" { na++; wa[na] = $2; ca[na] = $3 + $4; ma[na] = $5 / 1024 }
$1 == "B" { nb++; wb[nb] = $2; cb[nb] = $3 + $4; mb[nb] = $5 / 1024; r[nb] = cb[nb] > 0 ? ca[nb] / cb[nb] : 0 }
END {
    print "                 min / median / max"
    report("A wall s", wa, na, "%.3f"); report("A cpu s", ca, na, "%.3f"); report("A peak MiB", ma, na, "%.0f")
    report("B wall s", wb, nb, "%.3f"); report("B cpu s", cb, nb, "%.3f"); report("B peak MiB", mb, nb, "%.0f")
    report("A/B cpu", r, nb, "%.3f")
}' "$log"
