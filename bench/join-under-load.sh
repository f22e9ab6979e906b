#!/usr/bin/env bash
# Write throughput and p99 while a node joins: a 3-node local cluster takes QUORUM ingest at RF 2 for 200 s; a 4th
# node bootstraps at t=75 s. Usage: bench/join-under-load.sh (ports 8080-8083, 7000-7003; DIR=/tmp/sibyl-join-bench).
set -u
cd "$(dirname "$0")/.."
D=${DIR:-/tmp/sibyl-join-bench}; rm -rf $D; mkdir -p $D
./sibyl local-cluster --nodes 3 --data-dir $D --base-cql-port 0 > $D/lc.log 2>&1 &
LC=$!
for i in $(seq 1 120); do grep -q "All 3 nodes are ready" $D/lc.log && break; sleep 1; done
echo "cluster ready $(date +%T)"
./sibyl stress --target http://127.0.0.1:8080,http://127.0.0.1:8081,http://127.0.0.1:8082 --rf 2 --consistency QUORUM \
   --duration 200s --warmup 5s --concurrency 32 --keyspace jb --progress-interval 10s > $D/stress.log 2>&1 &
ST=$!
sleep 75
echo "join starts $(date +%T)"; J0=$(date +%s)
./sibyl start --http-port 8083 --cluster-port 7003 --cql-port 0 --seeds 127.0.0.1:7000,127.0.0.1:7001 --dc dc1 --rack rack1 \
   --data-dir $D/node3 --node-name node3 > $D/n3.out 2>&1 &
for i in $(seq 1 300); do
  s=$(curl -s localhost:8083/v1/cluster 2>/dev/null | python3 -c 'import sys,json
try:
  d=json.load(sys.stdin); print(" ".join(n.get("state","?") for n in d.get("nodes",[])))
except Exception: print("-")' 2>/dev/null)
  r=$(curl -s -o /dev/null -w '%{http_code}' localhost:8083/ready)
  [ "$r" = 200 ] && break; sleep 1
done
J1=$(date +%s); echo "node3 UN after $((J1-J0)) s ($(date +%T))"
curl -s localhost:8080/v1/admin/streams | head -c 600; echo
wait $ST
cat $D/stress.log | tail -30
./sibyl status --host http://127.0.0.1:8080 jb 2>&1 | tail -5
kill $(cat $D/node3/sibyl.pid) 2>/dev/null; kill $LC; sleep 15
