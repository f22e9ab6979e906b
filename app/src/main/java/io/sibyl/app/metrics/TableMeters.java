package io.sibyl.app.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.sibyl.storage.engine.TableMetrics;
import io.sibyl.storage.engine.TableStore;
import io.sibyl.storage.memtable.Memtable;
import io.sibyl.storage.sstable.SSTableReader;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The meters of one table, tagged {@code keyspace} and {@code table}, built once when the table is opened
 * or created and removed when it is dropped. Counters and timers are fed by the engine's hot paths
 * ({@link TableMetrics}); gauges read the table's current state at scrape time.
 */
final class TableMeters implements TableMetrics {
    private final MeterRegistry registry;
    private final List<Meter> meters = new ArrayList<>();
    private final Timer writes;
    private final Timer reads;
    private final Counter tombstonesScanned;
    private final Counter tombstoneFailures;
    private final Counter checksumFailures;
    private final Counter flushes;
    private final DistributionSummary flushedBytes;

    TableMeters(MeterRegistry registry, TableStore table) {
        this.registry = registry;
        Tags tags = Tags.of("keyspace", table.metadata().keyspace(), "table", table.metadata().name());
        writes = add(Timer.builder("sibyl.write.latency").description("Local writes, until durable per commitlog_sync")
                .serviceLevelObjectives(LatencyBuckets.BOUNDS).tags(tags).register(registry));
        reads = add(Timer.builder("sibyl.read.latency").description("Local reads (point and range)")
                .serviceLevelObjectives(LatencyBuckets.BOUNDS).tags(tags).register(registry));
        tombstonesScanned = add(Counter.builder("sibyl.tombstones.scanned").description("Tombstones scanned by reads")
                .tags(tags).register(registry));
        tombstoneFailures = add(Counter.builder("sibyl.tombstone.failures")
                .description("Reads aborted by tombstone_failure_threshold").tags(tags).register(registry));
        checksumFailures = add(Counter.builder("sibyl.sstable.checksum.failures")
                .description("Reads failed by a corrupt SSTable chunk (checksum mismatch or undecodable)")
                .tags(tags).register(registry));
        flushes = add(Counter.builder("sibyl.memtable.flushes").description("Memtables flushed to SSTables")
                .tags(tags).register(registry));
        flushedBytes = add(DistributionSummary.builder("sibyl.memtable.flushed").baseUnit("bytes")
                .description("SSTable bytes written by flushes").tags(tags).register(registry));
        add(Gauge.builder("sibyl.memtable.bytes", table, TableMeters::memtableBytes).baseUnit("bytes")
                .description("Data in the current and flushing memtables").tags(tags).register(registry));
        add(Gauge.builder("sibyl.memtable.flushing", table, t -> t.flushingMemtables().size())
                .description("Memtables being flushed").tags(tags).register(registry));
        add(Gauge.builder("sibyl.sstables", table, t -> t.sstables().size())
                .description("Live SSTables").tags(tags).register(registry));
        add(Gauge.builder("sibyl.sstable.bytes", table, TableMeters::sstableBytes).baseUnit("bytes")
                .description("Live SSTables' bytes on disk").tags(tags).register(registry));
    }

    private <M extends Meter> M add(M meter) {
        meters.add(meter);
        return meter;
    }

    private static double memtableBytes(TableStore t) {
        long n = t.currentMemtable().liveDataSize();
        for (Memtable m : t.flushingMemtables()) {
            n += m.liveDataSize();
        }
        return n;
    }

    private static double sstableBytes(TableStore t) {
        long n = 0;
        for (SSTableReader r : t.sstables()) {
            n += r.bytesOnDisk();
        }
        return n;
    }

    @Override
    public void written(long nanos) {
        writes.record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void read(long nanos, long tombstones) {
        reads.record(nanos, TimeUnit.NANOSECONDS);
        if (tombstones > 0) {
            tombstonesScanned.increment(tombstones);
        }
    }

    @Override
    public void tombstoneFailure(long tombstones) {
        tombstoneFailures.increment();
        tombstonesScanned.increment(tombstones);
    }

    @Override
    public void corruptSSTableRead() {
        checksumFailures.increment();
    }

    @Override
    public void flushed(long memtableBytes, long sstableBytes) {
        flushes.increment();
        flushedBytes.record(sstableBytes);
    }

    @Override
    public void close() {
        for (Meter m : meters) {
            registry.remove(m);
        }
    }
}
