package io.sibyl.stress;

import java.lang.management.ManagementFactory;

/**
 * The client's own CPU use, so a reader can see the load tool was not the bottleneck.
 * Percent as {@code top} shows it: 100 = one core busy for the whole interval.
 */
public final class CpuMeter {

    private final com.sun.management.OperatingSystemMXBean os;

    public CpuMeter() {
        java.lang.management.OperatingSystemMXBean bean = ManagementFactory.getOperatingSystemMXBean();
        this.os = bean instanceof com.sun.management.OperatingSystemMXBean sun ? sun : null;
    }

    /** Process CPU time in nanoseconds, or -1 when the JVM does not tell. */
    public long cpuNanos() {
        return os == null ? -1 : os.getProcessCpuTime();
    }

    public static int cores() {
        return Runtime.getRuntime().availableProcessors();
    }

    /** CPU percent over an interval, -1 when unknown. */
    public static double percent(long cpuStart, long cpuEnd, long wallNanos) {
        if (cpuStart < 0 || cpuEnd < 0 || wallNanos <= 0) {
            return -1;
        }
        return 100.0 * (cpuEnd - cpuStart) / wallNanos;
    }
}
