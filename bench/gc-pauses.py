#!/usr/bin/env python3
"""Summarises the GC pauses of a -Xlog:gc log between two uptimes (seconds).

Usage: bench/gc-pauses.py GC.log FROM_S TO_S [LABEL]
Prints: LABEL gc pauses N (per s), median/p90/max ms, share of the window paused.
"""
import re
import sys

log, t0, t1 = sys.argv[1], float(sys.argv[2]), float(sys.argv[3])
label = sys.argv[4] if len(sys.argv) > 4 else log
# G1's and Shenandoah's pauses, and ZGC's allocation stalls (its pauses proper are below a millisecond).
pat = re.compile(r"^\[(\d+\.\d+)s\].*(Pause |Allocation Stall)[^\n]*?(\d+\.\d+)ms$")
pauses = []
with open(log) as f:
    for line in f:
        m = pat.match(line.strip())
        if m and t0 <= float(m.group(1)) <= t1:
            pauses.append(float(m.group(3)))
if not pauses:
    print(f"{label} gc pauses 0 in {t1 - t0:.0f} s")
    sys.exit(0)
pauses.sort()
def q(p):
    return pauses[min(len(pauses) - 1, int(p * len(pauses)))]
window = t1 - t0
print(f"{label} gc pauses {len(pauses)} ({len(pauses) / window:.1f}/s) median {q(0.5):.1f} ms p90 {q(0.9):.1f} ms "
      f"max {pauses[-1]:.1f} ms paused {100 * sum(pauses) / 1000 / window:.1f}%")
