#!/usr/bin/env bash
# The same client against both systems, in one run: the cassandra-anchor load client (Apache Cassandra Java
# driver 4.19, prepared async statements, 64 in flight, CL ONE, RF 1) drives
#   - Sibyl over the CQL native protocol (./sibyl start: group commit, every ack durable), and
#   - Apache Cassandra 5.0.9 (the anchor's single node: periodic commit log, Cassandra's default)
# through W1 (ingest, 10 x 100-char fields), R1 (point reads of the loaded keys, after a flush), A (YCSB-A: 50%
# reads, 50% updates of the loaded keys) and TS (time series, one reading per write), ROUNDS times, alternating. Prints each result row; results.csv and
# HdrHistogram files land in target/native-vs-cassandra/.
# Usage: ANCHOR=/tmp/cassandra-anchor bench/native-vs-cassandra.sh [ROUNDS]   (ports 8080, 7000, 9042)
#   ANCHOR is a built copy of the cassandra-anchor harness (bin/build.sh run once).
set -euo pipefail
cd "$(dirname "$0")/.."
ANCHOR=${ANCHOR:?set ANCHOR to a built cassandra-anchor directory}
ROUNDS=${1:-1}
DURATION=${DURATION:-30}
WARMUP=${WARMUP:-10}
OUT=$PWD/target/native-vs-cassandra
mkdir -p "$OUT"
./sibyl --version >/dev/null                       # builds the jar if needed
HZ=$(getconf CLK_TCK)

load() { # system pid label workload-args...
  local system=$1 pid=$2 label=$3; shift 3
  local c0 c1
  c0=$(awk '{print $14+$15}' /proc/$pid/stat)
  (cd "$ANCHOR" && bin/load --label "$system-$label" --warmup "$WARMUP" --duration "$DURATION" \
      --results "$OUT" --state "$OUT/$system.state" "$@") | grep -E "^label |^$system-$label |per-second|first errors" || true
  c1=$(awk '{print $14+$15}' /proc/$pid/stat)
  echo "$system-$label server_cpu_s $(( (c1-c0)/HZ )) load $(cut -d' ' -f1-3 /proc/loadavg)"
  sleep 3
}

sibyl_round() {
  rm -rf "$OUT/sibyl-data" "$OUT/sibyl.state"
  ./sibyl start --data-dir "$OUT/sibyl-data" --dc datacenter1 > "$OUT/sibyl.log" 2>&1 &
  local node=$!
  until curl -sf localhost:8080/ready >/dev/null; do sleep 0.1; done
  local pid
  pid=$(pgrep -f "sibyl.jar start --data-dir $OUT/sibyl-data" | head -1)
  load sibyl "$pid" "W1-r$1" --workload W1 --opt dc=datacenter1
  ./sibyl flush >/dev/null
  until ./sibyl compactionstats | grep -q "pending tasks: 0"; do sleep 1; done
  load sibyl "$pid" "R1-r$1" --workload R1 --opt dc=datacenter1
  load sibyl "$pid" "A-r$1" --workload A --opt dc=datacenter1
  load sibyl "$pid" "TS-r$1" --workload TS --opt dc=datacenter1
  kill "$node"; wait "$node" 2>/dev/null || true
}

cassandra_round() {
  (cd "$ANCHOR" && bin/cass stop >/dev/null 2>&1 || true; rm -rf /tmp/cass-anchor; bin/cass start --sync periodic >/dev/null)
  rm -f "$OUT/cassandra.state"
  local pid
  pid=$(cat /tmp/cass-anchor/cassandra.pid)
  load cassandra "$pid" "W1-r$1" --workload W1
  (cd "$ANCHOR" && bin/cass flush ycsb usertable >/dev/null && bin/cass wait-compactions 240 >/dev/null)
  load cassandra "$pid" "R1-r$1" --workload R1
  load cassandra "$pid" "A-r$1" --workload A
  load cassandra "$pid" "TS-r$1" --workload TS
  (cd "$ANCHOR" && bin/cass stop >/dev/null)
}

for r in $(seq 1 "$ROUNDS"); do
  sibyl_round "$r"
  cassandra_round "$r"
done
echo "results: $OUT/results.csv"
