package io.sibyl.verify.nemesis;

/** One fault applied: its kind, the node(s) it hit, and when (history clock, ns) it began and was healed. */
public record FaultWindow(String kind, String target, long start, long end) {
}
