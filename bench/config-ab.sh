#!/usr/bin/env bash
# Sequential A/B of node configurations with the same client: for each round and each config file, a fresh
# single node (`./sibyl start --config FILE`, GC logged to target/config-ab/gc-NAME-rROUND.log) driven by the
# cassandra-anchor load client over the CQL native protocol (64 in flight, CL ONE, RF 1, 30 s after 10 s
# warm-up): W1 (load), flush, R1 (point reads), A (YCSB-A); WORKLOADS="W1 TS" picks others. Configs alternate within each round, so slow
# drifts of the machine hit every config alike. NAME is the file's base name without .conf.
# A file NAME.jvm next to NAME.conf adds its JVM options to the node's (e.g. -XX:MaxTenuringThreshold=1).
# After each load the node's G1 young pauses in the measured window are summarised (bench/gc-pauses.py).
# Usage: ANCHOR=/tmp/cassandra-anchor bench/config-ab.sh ROUNDS A.conf B.conf [C.conf ...]
#   e.g. sed 's/^  file_cache_size = auto/  file_cache_size = 0/' config/sibyl.conf > /tmp/nocache.conf
#        ANCHOR=/tmp/cassandra-anchor bench/config-ab.sh 2 config/sibyl.conf /tmp/nocache.conf
set -u
cd "$(dirname "$0")/.."
ANCHOR=${ANCHOR:?set ANCHOR to a built cassandra-anchor directory}
ROUNDS=$1; shift
WORKLOADS=${WORKLOADS:-W1 R1 A}   # in this order; a flush follows W1
OUT=$PWD/target/config-ab; mkdir -p "$OUT"
HZ=$(getconf CLK_TCK)
./sibyl --version >/dev/null                       # builds the jar if needed
load() { local pid=$1 label=$2; shift 2; local c0 c1 w0
  c0=$(awk '{print $14+$15}' /proc/$pid/stat)
  w0=$(date +%s.%N)
  (cd "$ANCHOR" && bin/load --label "$label" --warmup 10 --duration 30 --results "$OUT" --state "$OUT/s.state" "$@") \
    | grep -E "^$label |first errors" || true
  c1=$(awk '{print $14+$15}' /proc/$pid/stat)
  echo "$label server_cpu_s $(( (c1-c0)/HZ )) load $(cut -d' ' -f1-3 /proc/loadavg)"
  # The measured window: 10 s of warm-up after the load started, then 30 s (node uptime seconds).
  python3 bench/gc-pauses.py "$GCLOG" "$(python3 -c "print($w0 - $START + 10)")" "$(python3 -c "print($w0 - $START + 40)")" "$label"
  sleep 3; }
for r in $(seq 1 "$ROUNDS"); do
  for conf in "$@"; do
    name=$(basename "$conf" .conf); conf=$(realpath "$conf")
    rm -rf "$OUT/data" "$OUT/s.state"
    extra=""; [ -f "${conf%.conf}.jvm" ] && extra=$(cat "${conf%.conf}.jvm")
    GCLOG=$OUT/gc-$name-r$r.log; START=$(date +%s.%N)
    gc="-XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:MaxTenuringThreshold=1"; case "$extra" in *-XX:+Use*GC*) gc="";; esac   # a .jvm may pick the collector
    SIBYL_JAVA_OPTS="-Xms640m -Xmx640m $gc -XX:+PerfDisableSharedMem -Xss512k $extra -Xlog:gc:file=$GCLOG" \
      ./sibyl start --config "$conf" --data-dir "$OUT/data" --dc datacenter1 > "$OUT/node-$name.log" 2>&1 &
    node=$!
    until curl -sf localhost:8080/ready >/dev/null; do sleep 0.1; done
    pid=$(pgrep -f "sibyl.jar start --config $conf" | head -1)
    for wl in $WORKLOADS; do
      load "$pid" "$name-$wl-r$r" --workload "$wl" --opt dc=datacenter1
      if [ "$wl" = W1 ]; then
        ./sibyl flush >/dev/null; until ./sibyl compactionstats | grep -q "pending tasks: 0"; do sleep 1; done
      fi
    done
    curl -s localhost:8080/metrics | grep -E "^sibyl_(key|chunk)_cache_(hits|misses)_total" | tr '\n' ' '; echo
    kill "$node"; wait "$node" 2>/dev/null
  done
done
