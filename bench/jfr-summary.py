#!/usr/bin/env python3
"""Summarise a JFR recording of a node (bench/pair.sh with JFR=1): bytes allocated over the recording
(jdk.ThreadAllocationStatistics, last minus first value per thread), and the top allocation sites and
CPU frames (jdk.ObjectAllocationSample weights, jdk.ExecutionSample counts), by top Sibyl frame.
Usage: jfr-summary.py RECORDING.jfr OPS [TOP]"""
import json, subprocess, sys, collections

def events(path, name):
    out = subprocess.run(["jfr", "print", "--json", "--stack-depth", "40", "--events", name, path], capture_output=True, text=True, check=True).stdout
    return json.loads(out)["recording"]["events"]

def frame_name(f):
    m = f.get("method") or {}
    t = (m.get("type") or {}).get("name", "?")
    return t.split(".")[-1] + "." + m.get("name", "?")

def site(ev, own=("io.sibyl", "io/sibyl")):
    frames = (ev["values"].get("stackTrace") or {}).get("frames") or []
    top = frame_name(frames[0]) if frames else "?"
    mine = next((frame_name(f) for f in frames if ((f.get("method") or {}).get("type") or {}).get("name", "").startswith(own)), "-")
    return top + " <- " + mine

path, ops = sys.argv[1], int(sys.argv[2]); top = int(sys.argv[3]) if len(sys.argv) > 3 else 12
first, last = {}, {}
for e in events(path, "jdk.ThreadAllocationStatistics"):
    tid = (e["values"].get("thread") or {}).get("javaThreadId") or (e["values"].get("thread") or {}).get("osThreadId")
    a = e["values"]["allocated"]
    first.setdefault(tid, a); last[tid] = a
alloc = sum(last[t] - first[t] for t in last)
print(f"allocated {alloc/1e6:.1f} MB over the recording; {alloc/max(ops,1):.0f} B/op ({ops} ops)")
w = collections.Counter()
for e in events(path, "jdk.ObjectAllocationSample"):
    w[site(e)] += e["values"]["weight"]
tot = sum(w.values()) or 1
print("allocation by site (top frame <- first Sibyl frame):")
for k, v in w.most_common(top):
    print(f"  {100*v/tot:5.1f}%  {k}")
c = collections.Counter()
for e in events(path, "jdk.ExecutionSample"):
    c[site(e)] += 1
tot = sum(c.values()) or 1
print(f"CPU samples ({tot}) by top frame <- first Sibyl frame:")
for k, v in c.most_common(top):
    print(f"  {100*v/tot:5.1f}%  {k}")
