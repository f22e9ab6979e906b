package io.sibyl.storage.compaction;

/**
 * {@code compaction_throughput}: a token bucket shared by every compaction of the node, so together they
 * write at most this many bytes per second (0 = unthrottled), leaving disk bandwidth to reads and
 * flushes. Compaction threads wait here; reads and writes never do.
 */
public final class CompactionThrottle {

    private volatile long bytesPerSecond;
    private double available;
    private long last = System.nanoTime();

    public CompactionThrottle(long bytesPerSecond) {
        setRate(bytesPerSecond);
    }

    public static CompactionThrottle unthrottled() {
        return new CompactionThrottle(0);
    }

    public void setRate(long bytesPerSecond) {
        if (bytesPerSecond < 0) {
            throw new IllegalArgumentException("compaction_throughput must not be negative");
        }
        this.bytesPerSecond = bytesPerSecond;
    }

    public long rate() {
        return bytesPerSecond;
    }

    /** Takes {@code bytes} from the bucket, sleeping until they are available. */
    public void acquire(long bytes) throws InterruptedException {
        long rate = bytesPerSecond;
        if (rate == 0 || bytes <= 0) {
            return;
        }
        long sleepNanos;
        synchronized (this) {
            long now = System.nanoTime();
            // At most one second of burst, so an idle period does not let a later burst flood the disk.
            available = Math.min(rate, available + (now - last) * rate / 1e9);
            last = now;
            available -= bytes;
            sleepNanos = available >= 0 ? 0 : (long) (-available * 1e9 / rate);
        }
        if (sleepNanos > 0) {
            Thread.sleep(sleepNanos / 1_000_000, (int) (sleepNanos % 1_000_000));
        }
    }
}
