#!/usr/bin/env bash
# `step.sh NAME COMMAND…` runs COMMAND and then says how long it took ("== NAME: 312 s"), so that the log of a
# run, a CI run's above all, shows where its time went. The exit status is COMMAND's.
set -uo pipefail
name="$1"; shift
start=$(date +%s)
"$@"
status=$?
took=$(( $(date +%s) - start ))
if [ "$status" -eq 0 ]; then
    printf '== %s: %d s\n' "$name" "$took" >&2
else
    printf '== %s: failed (exit %d) after %d s\n' "$name" "$status" "$took" >&2
fi
exit "$status"
