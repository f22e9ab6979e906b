#!/usr/bin/env bash
# Sequential A/B of node configurations with the same client: for each round and each config file, a fresh
# single node (`./sibyl start --config FILE`, GC logged to target/config-ab/gc-NAME-rROUND.log) driven by the
# cassandra-anchor load client over the CQL native protocol (64 in flight, CL ONE, RF 1, 30 s after 10 s
# warm-up): W1 (load), flush, R1 (point reads), A (YCSB-A). Configs alternate within each round, so slow
# drifts of the machine hit every config alike. NAME is the file's base name without .conf.
# Usage: ANCHOR=/tmp/cassandra-anchor bench/config-ab.sh ROUNDS A.conf B.conf [C.conf ...]
#   e.g. sed 's/^  file_cache_size = auto/  file_cache_size = 0/' config/sibyl.conf > /tmp/nocache.conf
#        ANCHOR=/tmp/cassandra-anchor bench/config-ab.sh 2 config/sibyl.conf /tmp/nocache.conf
set -u
cd "$(dirname "$0")/.."
ANCHOR=${ANCHOR:?set ANCHOR to a built cassandra-anchor directory}
ROUNDS=$1; shift
OUT=$PWD/target/config-ab; mkdir -p "$OUT"
HZ=$(getconf CLK_TCK)
./sibyl --version >/dev/null                       # builds the jar if needed
load() { local pid=$1 label=$2; shift 2; local c0 c1
  c0=$(awk '{print $14+$15}' /proc/$pid/stat)
  (cd "$ANCHOR" && bin/load --label "$label" --warmup 10 --duration 30 --results "$OUT" --state "$OUT/s.state" "$@") \
    | grep -E "^$label |first errors" || true
  c1=$(awk '{print $14+$15}' /proc/$pid/stat)
  echo "$label server_cpu_s $(( (c1-c0)/HZ )) load $(cut -d' ' -f1-3 /proc/loadavg)"; sleep 3; }
for r in $(seq 1 "$ROUNDS"); do
  for conf in "$@"; do
    name=$(basename "$conf" .conf); conf=$(realpath "$conf")
    rm -rf "$OUT/data" "$OUT/s.state"
    SIBYL_JAVA_OPTS="-Xms640m -Xmx640m -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:+PerfDisableSharedMem -Xss512k -Xlog:gc:file=$OUT/gc-$name-r$r.log" \
      ./sibyl start --config "$conf" --data-dir "$OUT/data" --dc datacenter1 > "$OUT/node-$name.log" 2>&1 &
    node=$!
    until curl -sf localhost:8080/ready >/dev/null; do sleep 0.1; done
    pid=$(pgrep -f "sibyl.jar start --config $conf" | head -1)
    load "$pid" "$name-W1-r$r" --workload W1 --opt dc=datacenter1
    ./sibyl flush >/dev/null; until ./sibyl compactionstats | grep -q "pending tasks: 0"; do sleep 1; done
    load "$pid" "$name-R1-r$r" --workload R1 --opt dc=datacenter1
    load "$pid" "$name-A-r$r" --workload A --opt dc=datacenter1
    curl -s localhost:8080/metrics | grep -E "^sibyl_(key|chunk)_cache_(hits|misses)_total" | tr '\n' ' '; echo
    kill "$node"; wait "$node" 2>/dev/null
  done
done
