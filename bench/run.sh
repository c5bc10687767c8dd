#!/usr/bin/env bash
# Runs the bench (or, with "node" first, the node) with the open-file limit raised for many connections:
#   bench/run.sh idle --secret S --connections 50000 --pid PID
#   bench/run.sh node --host 127.0.0.1 --directory dir.json --jwt-secret S --rate-limit 100000
# Each connection is one file descriptor on each side; raising the hard limit needs root with
# CAP_SYS_RESOURCE (else the current hard limit is the ceiling, and this script says so).
# Set SWITCHBOARD_NOFILE for another limit, BENCH_JAVA_OPTS / NODE_JAVA_OPTS for JVM options.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
want="${SWITCHBOARD_NOFILE:-200000}"

hard="$(ulimit -Hn)"
if [ "$hard" != unlimited ] && [ "$hard" -lt "$want" ]; then
  if ! ulimit -Hn "$want" 2>/dev/null; then
    echo "run.sh: cannot raise the hard open-file limit to $want; keeping $hard (about $((hard - 100)) connections)" >&2
    want="$hard"
  fi
fi
ulimit -Sn "$want"

# One source address and one node port give at most this many client ports: beyond, use --local-addresses.
read -r low high < /proc/sys/net/ipv4/ip_local_port_range || true
if [ -n "${low:-}" ]; then
  echo "run.sh: open files $(ulimit -n); ephemeral ports $low-$high ($((high - low + 1)) per source address)" >&2
fi

if [ "${1:-}" = node ]; then
  shift
  # shellcheck disable=SC2086
  exec java ${NODE_JAVA_OPTS:-} -jar "$here/../node/target/switchboard.jar" "$@"
fi
# shellcheck disable=SC2086
exec java ${BENCH_JAVA_OPTS:-} -jar "$here/target/switchboard-bench.jar" "$@"
