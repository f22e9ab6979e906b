#!/usr/bin/env bash
# Memtable objects and GC copying per row (docs/performance.md, "Memtable packed rows"): starts one node
# (HTTP 8280, cluster 7200, CQL 9242 unless HTTP_PORT/CLUSTER_PORT/CQL_PORT say otherwise) with the default
# heap and G1 options plus a GC log, creates the ingest table, takes `jmap -histo:live`, runs
# `sibyl stress --workload ingest` for DURATION at RATE ops/s (0 = full speed), takes the histogram again,
# and prints objects/bytes per row (histogram difference over the stress run's rows) and young-GC sums.
# Usage: bench/memtable-objects.sh JARDIR LABEL RATE DURATION     e.g. bench/memtable-objects.sh /tmp/a a 2500 10s
# JARDIR is a copy of app/target (sibyl.jar and lib/). Keep RATE*DURATION below a flush (~40k 1 KB rows).
# WORKLOAD=timeseries (or another sibyl stress workload that writes) instead of ingest; EXTRA_OPTS adds node JVM options.
set -u
jd=$1; label=$2; rate=$3; dur=$4
here="$(cd "$(dirname "$0")" && pwd)"
hp=${HTTP_PORT:-8280}; out=${OUT:-/tmp/memtable-objects}/$label; rm -rf "$out"; mkdir -p "$out"
java -Xms640m -Xmx640m -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:+PerfDisableSharedMem -Xss512k ${EXTRA_OPTS:-} \
  -Xlog:gc,gc+heap=debug,gc+age=trace:file="$out/gc.log":uptime -jar "$jd/sibyl.jar" start --data-dir "$out/data" \
  --http-port "$hp" --cluster-port "${CLUSTER_PORT:-7200}" --cql-port "${CQL_PORT:-9242}" > "$out/node.log" 2>&1 &
pid=$!
for _ in $(seq 1 240); do curl -sf "http://127.0.0.1:$hp/ready" >/dev/null 2>&1 && break; sleep 0.5; done
S="java -Xms256m -Xmx256m -XX:+UseParallelGC -jar $jd/sibyl.jar stress --target http://127.0.0.1:$hp --workload ${WORKLOAD:-ingest} --keyspace memobj --warmup 0s --json"
$S --duration 1s --rate 10 > "$out/stress0.log" 2>&1          # creates the table
jmap -histo:live $pid > "$out/histo0.txt"
grep -c "Pause Young" "$out/gc.log" > "$out/young0"
$S --duration "$dur" --rate "$rate" --seed 7 > "$out/stress.log" 2>&1
cp "$out/gc.log" "$out/gc-run.log"
jmap -histo:live $pid > "$out/histo1.txt"
kill $pid; wait $pid 2>/dev/null
rows=$(grep -o '"ops":[0-9]*' "$out/stress.log" | cut -d: -f2)
echo "$label: $rows rows"
python3 "$here/histo-diff.py" "$out/histo0.txt" "$out/histo1.txt" "$rows" | head -20
python3 "$here/gc-young-sums.py" "$out/gc-run.log" "$(cat "$out/young0")" "$rows"
