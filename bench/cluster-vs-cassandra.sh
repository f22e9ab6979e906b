#!/usr/bin/env bash
# Three nodes of each system on the same 2 cores, the same client, one run: the cassandra-anchor load client
# (Apache Cassandra Java driver 4.19, prepared async statements, token-aware, 64 in flight, RF 3, QUORUM)
# drives
#   - a 3-node Sibyl local cluster over the CQL native protocol (`sibyl local-cluster --nodes 3`: group
#     commit, every ack durable; CQL ports 9042-9044 on 127.0.0.1), and
#   - the anchor's 3-node Apache Cassandra 5.0.9 cluster (bin/cluster3.sh: 127.0.0.1-3, 1 GB heap each,
#     periodic commit log, Cassandra's default)
# through W1 (ingest) and R1 (point reads of the loaded keys after a flush), ROUNDS times, alternating.
# Prints each result row, each node's CPU seconds and, for Sibyl, each node's share of coordinated requests,
# mutations and local reads. Usage: ANCHOR=/tmp/cassandra-anchor bench/cluster-vs-cassandra.sh [ROUNDS]
set -euo pipefail
cd "$(dirname "$0")/.."
ANCHOR=${ANCHOR:?set ANCHOR to a built cassandra-anchor directory}
ROUNDS=${1:-1}
DURATION=${DURATION:-30}
WARMUP=${WARMUP:-60}   # three JVMs on 2 cores are still JIT-compiling after 10 s (docs/performance.md)
OUT=$PWD/target/cluster-vs-cassandra
mkdir -p "$OUT"
./sibyl --version >/dev/null                       # builds the jar if needed
HZ=$(getconf CLK_TCK)

sibyl_cpu() { for i in 0 1 2; do awk -v n=$i -v hz=$HZ '{printf "n%d=%.1f ", n, ($14+$15)/hz}' /proc/$(cat "$OUT/sibyl-data/node$i/sibyl.pid")/stat; done; }
sibyl_work() { # coordinated CQL/HTTP requests, mutations, local reads per node
  for i in 0 1 2; do
    curl -s "http://127.0.0.1:$((8080+i))/metrics" | awk -v n=$i '
      $1 !~ /^#/ && index($1,"sibyl_coordinator_requests_seconds_count")==1 {c+=$2}
      $1 !~ /^#/ && index($1,"sibyl_write_latency_seconds_count")==1 {w+=$2}
      $1 !~ /^#/ && index($1,"sibyl_read_latency_seconds_count")==1 {r+=$2}
      END {printf "n%d coord=%d mutations=%d reads=%d\n", n, c, w, r}'
  done
}
run() { # system label workload-args...
  local system=$1 label=$2; shift 2
  (cd "$ANCHOR" && bin/load --label "$system-$label" --warmup "$WARMUP" --duration "$DURATION" --concurrency 64 \
      --results "$OUT" --state "$OUT/$system.state" --opt rf=3 --opt cl=QUORUM "$@") \
      | grep -E "^label |^$system-$label |per-second|first errors" || true
}

sibyl_round() {
  rm -rf "$OUT/sibyl-data" "$OUT/sibyl.state"
  ./sibyl local-cluster --nodes 3 --data-dir "$OUT/sibyl-data" > "$OUT/sibyl-cluster.log" 2>&1 &
  local lc=$!
  for i in 0 1 2; do until curl -sf "localhost:$((8080+i))/ready" >/dev/null; do sleep 0.5; done; done
  local hosts="127.0.0.1:9042,127.0.0.1:9043,127.0.0.1:9044" dc=dc1
  for w in W1 R1; do
    if [ $w = R1 ]; then for i in 0 1 2; do ./sibyl flush --host http://127.0.0.1:$((8080+i)) >/dev/null; done; sleep 5; fi
    local c0 c1; c0=$(sibyl_cpu); sibyl_work > "$OUT/work0"
    run sibyl "$w-r$1" --workload $w --opt hosts=$hosts --opt dc=$dc
    c1=$(sibyl_cpu); sibyl_work > "$OUT/work1"
    echo "sibyl-$w-r$1 cpu_s before: $c0 after: $c1 load $(cut -d' ' -f1-3 /proc/loadavg)"
    paste "$OUT/work0" "$OUT/work1" | awk '{split($2,a,"=");split($6,b,"=");split($3,c,"=");split($7,d,"=");split($4,e,"=");split($8,f,"=");
      printf "  %s coordinated %d, mutations %d, local reads %d\n", $1, b[2]-a[2], d[2]-c[2], f[2]-e[2]}'
    sleep 3
  done
  kill "$lc"; wait "$lc" 2>/dev/null || true
}

cassandra_round() {
  (cd "$ANCHOR" && bin/cluster3.sh stop >/dev/null 2>&1 || true; rm -rf /tmp/cass-n1 /tmp/cass-n2 /tmp/cass-n3; bin/cluster3.sh start periodic >/dev/null)
  rm -f "$OUT/cassandra.state"
  local hosts="127.0.0.1:9042,127.0.0.2:9042,127.0.0.3:9042"
  for w in W1 R1; do
    if [ $w = R1 ]; then (cd "$ANCHOR" && bin/cluster3.sh flush >/dev/null && bin/cluster3.sh wait-compactions 120 >/dev/null); fi
    local c0 c1; c0=$(cd "$ANCHOR" && bin/cluster3.sh cpu)
    run cassandra "$w-r$1" --workload $w --opt hosts=$hosts --opt dc=datacenter1
    c1=$(cd "$ANCHOR" && bin/cluster3.sh cpu)
    echo "cassandra-$w-r$1 cpu ticks before: $c0 after: $c1 load $(cut -d' ' -f1-3 /proc/loadavg)"
    sleep 3
  done
  (cd "$ANCHOR" && bin/cluster3.sh stop >/dev/null; rm -rf /tmp/cass-n1 /tmp/cass-n2 /tmp/cass-n3)
}

for r in $(seq 1 "$ROUNDS"); do
  sibyl_round "$r"
  cassandra_round "$r"
done
echo "results: $OUT/results.csv"
