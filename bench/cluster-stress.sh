#!/usr/bin/env bash
# Cluster benchmark (docs/performance.md): `sibyl stress` against a 3-node local cluster, RF=3, QUORUM, writes then
# reads, with each node's CPU seconds and work (HTTP requests it coordinated, mutations and reads its
# storage applied) read before and after each run. Usage: bench/cluster-stress.sh [seconds] [concurrency]
# Prints a table per workload; raw stress JSON lines go to target/cluster-bench/.
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${1:-30}
CONC=${2:-64}
NODES=3
OUT=target/cluster-bench
DATA=$OUT/data
rm -rf "$DATA"; mkdir -p "$OUT"
./sibyl --version >/dev/null            # builds the jar if needed

./sibyl local-cluster --nodes $NODES --data-dir "$DATA" > "$OUT/local-cluster.log" 2>&1 &
LC=$!
# SIGTERM: local-cluster stops its nodes cleanly (SIGINT is ignored by background jobs of a script)
trap 'kill $LC 2>/dev/null; wait $LC 2>/dev/null || true' EXIT
for i in $(seq 0 $((NODES-1))); do
  for _ in $(seq 1 120); do
    curl -sf "http://127.0.0.1:$((8080+i))/ready" >/dev/null 2>&1 && break; sleep 1
  done
done
sleep 3
TARGETS=$(for i in $(seq 0 $((NODES-1))); do printf "http://127.0.0.1:%d," $((8080+i)); done); TARGETS=${TARGETS%,}
CLK=$(getconf CLK_TCK)

cpu() {  # utime+stime of node i, in seconds
  local pid; pid=$(cat "$DATA/node$1/sibyl.pid")
  awk -v clk="$CLK" '{print ($14+$15)/clk}' "/proc/$pid/stat"
}
metric() {  # sum of a Prometheus counter family on node i
  curl -s "http://127.0.0.1:$((8080+$1))/metrics" | awk -v m="$2" 'index($1, m)==1 && $1 !~ /^#/ {s+=$2} END {printf "%.0f", s}'
}
snapshot() {
  for i in $(seq 0 $((NODES-1))); do
    echo "$i $(cpu $i) $(metric $i sibyl_http_requests_seconds_count) $(metric $i sibyl_write_latency_seconds_count) $(metric $i sibyl_read_latency_seconds_count)"
  done
}
run() {  # workload [extra stress flags]
  local before after
  before=$(snapshot)
  local t0; t0=$(date +%s.%N)
  if ! ./sibyl stress --target "$TARGETS" --workload "$1" --duration "${DURATION}s" --warmup 5s --concurrency "$CONC" \
      --rf 3 --consistency QUORUM --keys 50000 "${@:2}" --json > "$OUT/$1.out" 2>&1; then
    echo "stress $1 failed:"; tail -20 "$OUT/$1.out"; exit 1
  fi
  local t1; t1=$(date +%s.%N)
  after=$(snapshot)
  echo "== $1: $(tail -1 "$OUT/$1.out")"
  echo "node  cpu_s  cpu_%  http_requests  mutations_applied  local_reads"
  paste <(echo "$before") <(echo "$after") | awk -v secs="$(echo "$t1 - $t0" | bc)" \
    '{printf "node%d %6.1f %5.0f%% %14d %18d %12d\n", $1, $7-$2, 100*($7-$2)/secs, $8-$3, $9-$4, $10-$5}'
  echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
}
run ingest
# load keys 0..49999 (bulk) and flush, outside the measurement, then read them
./sibyl stress --target "$TARGETS" --workload read --load --keys 50000 --rf 3 --consistency QUORUM \
    --duration 1s --warmup 0s --concurrency 8 > "$OUT/load.out" 2>&1 || { tail -20 "$OUT/load.out"; exit 1; }
run read
