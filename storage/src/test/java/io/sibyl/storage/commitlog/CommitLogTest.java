package io.sibyl.storage.commitlog;

import io.sibyl.storage.data.Mutation;
import io.sibyl.storage.data.PartitionUpdate;
import io.sibyl.storage.schema.TableMetadata;
import io.sibyl.storage.testutil.TestMutations;
import io.sibyl.storage.testutil.TestTables;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.stream.Materializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CommitLogTest {

    static ActorSystem system;
    static Materializer mat;
    static final TableMetadata KV = TestTables.kv();
    static final TableMetadata EVENTS = TestTables.events();

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        system = ActorSystem.create("CommitLogTest");
        mat = Materializer.matFromSystem(system);
    }

    @AfterAll
    static void stop() {
        system.terminate();
    }

    static TableMetadata schema(UUID id) {
        return id.equals(KV.id()) ? KV : id.equals(EVENTS.id()) ? EVENTS : null;
    }

    CommitLog open(CommitLogConfig config) throws IOException {
        return CommitLog.open(dir, config, 1, mat);
    }

    static <T> T await(java.util.concurrent.CompletionStage<T> s) throws Exception {
        return s.toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /** Everything replay hands over, in order. */
    record Replayed(List<PartitionUpdate> updates, List<CommitLogPosition> positions, CommitLogReplayer.Result result) {
    }

    Replayed replay(ReplayFailurePolicy policy, Map<UUID, CommitLogPosition> flushed) {
        List<PartitionUpdate> updates = new ArrayList<>();
        List<CommitLogPosition> positions = new ArrayList<>();
        CommitLogReplayer.Result r = CommitLogReplayer.replay(dir, policy, CommitLogTest::schema, new CommitLogReplayer.Target() {
            @Override
            public CommitLogPosition replayFrom(UUID tableId) {
                return flushed.getOrDefault(tableId, CommitLogPosition.NONE);
            }

            @Override
            public void apply(PartitionUpdate update, CommitLogPosition position) {
                updates.add(update);
                positions.add(position);
            }
        });
        return new Replayed(updates, positions, r);
    }

    List<Mutation> writeAll(CommitLog log, int n) throws Exception {
        List<Mutation> ms = new ArrayList<>();
        List<CompletableFuture<CommitLogPosition>> fs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Mutation m = TestMutations.kv(KV, i, i * 10L, 100 + i);
            ms.add(m);
            fs.add(log.append(m).toCompletableFuture());
        }
        CommitLogPosition last = CommitLogPosition.NONE;
        for (CompletableFuture<CommitLogPosition> f : fs) {
            CommitLogPosition p = f.get(10, TimeUnit.SECONDS);
            assertTrue(last.isBefore(p), "positions grow: " + last + " then " + p);
            last = p;
        }
        return ms;
    }

    static List<PartitionUpdate> updates(List<Mutation> ms) {
        return ms.stream().map(m -> m.updates().get(0)).toList();
    }

    @Test
    void recordsRoundTripThroughReplayInOrder() throws Exception {
        CommitLog log = open(CommitLogConfig.DEFAULT);
        List<Mutation> written = writeAll(log, 50);
        await(log.close());
        Replayed r = replay(ReplayFailurePolicy.STOP, Map.of());
        assertEquals(updates(written), r.updates());
        assertEquals(50, r.result().records());
    }

    @Test
    void concurrentWritersShareFsyncs() throws Exception {
        CommitLog log = open(CommitLogConfig.DEFAULT);
        int threads = 8;
        int each = 100;
        List<Thread> ts = new ArrayList<>();
        List<Throwable> errors = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int t = 0; t < threads; t++) {
            int base = t * each;
            Thread th = new Thread(() -> {
                for (int i = 0; i < each; i++) {
                    try {
                        await(log.append(TestMutations.kv(KV, base + i, i, 1)));
                    } catch (Exception e) {
                        errors.add(e);
                    }
                }
            });
            ts.add(th);
            th.start();
        }
        for (Thread th : ts) {
            th.join();
        }
        assertEquals(List.of(), errors);
        assertEquals(threads * each, log.recordCount());
        assertTrue(log.syncCount() < threads * each, "group commit: " + log.syncCount() + " fsyncs for " + threads * each);
        await(log.close());
        assertEquals(threads * each, replay(ReplayFailurePolicy.STOP, Map.of()).updates().size());
    }

    /**
     * Appends racing with close: every one is answered (none hangs), each either acknowledged or refused with
     * CommitLogFailedException, and every acknowledged one is in the log. Repeated, since the race has several
     * interleavings (enqueued before the writer's last poll, after it, after it stopped).
     */
    @Test
    void appendsRacingWithCloseAreAllAnsweredAndEveryAcknowledgedOneReplays() throws Exception {
        for (int round = 0; round < 12; round++) {
            Path roundDir = dir.resolve("round-" + round);
            CommitLog log = CommitLog.open(roundDir, CommitLogConfig.DEFAULT.withSegmentSize(1 << 20), 1, mat);
            int threads = 4;
            int each = 200;
            List<CompletableFuture<CommitLogPosition>> fs = java.util.Collections.synchronizedList(new ArrayList<>());
            java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(threads);
            List<Thread> ts = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int base = t * each;
                Thread th = new Thread(() -> {
                    started.countDown();
                    for (int i = 0; i < each; i++) {
                        fs.add(log.append(TestMutations.kv(KV, base + i, i, 1)).toCompletableFuture());
                    }
                });
                ts.add(th);
                th.start();
            }
            started.await();
            Thread.sleep(round % 3); // close at different points of the appends
            CompletableFuture<Void> closed = log.close().toCompletableFuture();
            for (Thread th : ts) {
                th.join();
            }
            closed.get(10, TimeUnit.SECONDS);
            int acked = 0;
            for (CompletableFuture<CommitLogPosition> f : fs) {
                try {
                    f.get(10, TimeUnit.SECONDS);
                    acked++;
                } catch (java.util.concurrent.ExecutionException e) {
                    assertTrue(e.getCause() instanceof CommitLogFailedException, "refused, not broken: " + e.getCause());
                }
            }
            List<PartitionUpdate> replayed = new ArrayList<>();
            CommitLogReplayer.replay(roundDir, ReplayFailurePolicy.STOP, CommitLogTest::schema, new CommitLogReplayer.Target() {
                @Override
                public CommitLogPosition replayFrom(UUID tableId) {
                    return CommitLogPosition.NONE;
                }

                @Override
                public void apply(PartitionUpdate update, CommitLogPosition position) {
                    replayed.add(update);
                }
            });
            assertEquals(threads * each, fs.size());
            assertTrue(replayed.size() >= acked, "round " + round + ": " + acked + " acknowledged but " + replayed.size() + " replayed");
        }
    }

    @Test
    void segmentsRollOverAndAreDeletedOnlyOnceEveryDirtyTableFlushedPastThem() throws Exception {
        CommitLog log = open(CommitLogConfig.DEFAULT.withSegmentSize(4096));
        List<CommitLogPosition> kvPositions = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            kvPositions.add(await(log.append(TestMutations.kvPadded(KV, i, 300, 1))));
        }
        // one events write in the first segment keeps it alive after kv is flushed
        await(log.append(Mutation.of(io.sibyl.storage.data.PartitionUpdate.partitionDeletion(EVENTS, TestTables.key(1),
                new io.sibyl.storage.data.DeletionTime(5, 5)))));
        int segments = log.segmentFiles().size();
        assertTrue(segments >= 3, "rolled over into " + segments + " segments");
        CommitLogPosition firstSegmentEnd = kvPositions.stream().filter(p -> p.segmentId() == 1).reduce((a, b) -> b).orElseThrow();
        // kv flushed up to (but not including) its last record in segment 1: segment 1 stays
        log.discardCompletedSegments(KV.id(), firstSegmentEnd);
        assertTrue(Files.exists(dir.resolve(CommitLogFormat.fileName(1))));
        CommitLogPosition now = log.currentPosition();
        log.discardCompletedSegments(KV.id(), now);
        // all finished segments but the one holding the events record are gone; the active one stays
        long eventsSegment = log.dirtyTables().entrySet().stream().filter(e -> e.getValue().containsKey(EVENTS.id()))
                .findFirst().orElseThrow().getKey();
        for (Path p : log.segmentFiles()) {
            long id = CommitLogFormat.segmentId(p);
            assertTrue(id == eventsSegment || id == now.segmentId(), "unexpected live segment " + p);
        }
        log.discardCompletedSegments(EVENTS.id(), now);
        await(log.close());
        assertEquals(List.of(), CommitLogReplayer.segments(dir), "everything flushed: no segment left after close");
    }

    @Test
    void replaySkipsWhatTablesAlreadyFlushed() throws Exception {
        CommitLog log = open(CommitLogConfig.DEFAULT);
        List<Mutation> written = writeAll(log, 10);
        CommitLogPosition mid = log.currentPosition();
        List<Mutation> later = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Mutation m = TestMutations.kv(KV, 100 + i, i, 1);
            later.add(m);
            await(log.append(m));
        }
        await(log.close());
        Replayed r = replay(ReplayFailurePolicy.STOP, Map.of(KV.id(), mid));
        assertEquals(updates(later), r.updates());
        assertEquals(10, r.result().updatesSkipped());
        assertEquals(10, written.size());
    }

    @Test
    void recordsOfUnknownTablesAreSkipped() throws Exception {
        TableMetadata gone = new TableMetadata("ks", "gone", UUID.randomUUID(), KV.columns(), KV.params());
        CommitLog log = open(CommitLogConfig.DEFAULT);
        await(log.append(TestMutations.kv(gone, 1, 1, 1)));
        Mutation kept = TestMutations.kv(KV, 2, 2, 2);
        await(log.append(kept));
        await(log.close());
        Replayed r = replay(ReplayFailurePolicy.STOP, Map.of());
        assertEquals(updates(List.of(kept)), r.updates());
        assertEquals(java.util.Set.of(gone.id()), r.result().unknownTables());
    }

    @Test
    void tornTailOfTheLastSegmentEndsReplayQuietly() throws Exception {
        CommitLog log = open(CommitLogConfig.DEFAULT.withSegmentSize(1 << 16));
        List<Mutation> written = writeAll(log, 5);
        long end = log.currentPosition().offset();
        await(log.close());
        Path seg = dir.resolve(CommitLogFormat.fileName(1));
        assertEquals(1 << 16, Files.size(seg), "preallocated to the segment size");
        byte[] intact = Files.readAllBytes(seg);
        // the last record half written, the rest of the preallocated file still zeros
        for (long cut : new long[]{end - 1, end - 6, end - 13}) {
            byte[] torn = intact.clone();
            java.util.Arrays.fill(torn, (int) cut, (int) end, (byte) 0);
            Files.write(seg, torn);
            Replayed r = replay(ReplayFailurePolicy.STOP, Map.of());
            assertEquals(updates(written.subList(0, 4)), r.updates(), "zeroed from " + cut);
        }
        // a file cut short inside the last record reads the same way
        for (long cut : new long[]{end - 1, end - 6, end - 13}) {
            Files.write(seg, intact);
            try (RandomAccessFile f = new RandomAccessFile(seg.toFile(), "rw")) {
                f.setLength(cut);
            }
            Replayed r = replay(ReplayFailurePolicy.STOP, Map.of());
            assertEquals(updates(written.subList(0, 4)), r.updates(), "cut to " + cut);
        }
        // only the header of the last record written (its payload still zeros)
        byte[] headerOnly = intact.clone();
        int lastStart = lastRecordStart(intact);
        java.util.Arrays.fill(headerOnly, lastStart + 8, (int) end, (byte) 0);
        Files.write(seg, headerOnly);
        assertEquals(4, replay(ReplayFailurePolicy.STOP, Map.of()).updates().size());
        // garbage (a half-written block) after the clean end of the newest segment: a torn tail too
        byte[] garbage = intact.clone();
        for (int i = 0; i < 300; i++) {
            garbage[(int) end + 40 + i] = (byte) (i * 31 + 7);
        }
        Files.write(seg, garbage);
        assertEquals(5, replay(ReplayFailurePolicy.STOP, Map.of()).updates().size());
    }

    @Test
    void preallocatedSegmentsEndCleanlyAtTheirZeroTail() throws Exception {
        CommitLog log = open(CommitLogConfig.DEFAULT.withSegmentSize(4096));
        List<Mutation> written = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            Mutation m = TestMutations.kvPadded(KV, i, 300, 1);
            written.add(m);
            await(log.append(m));
        }
        List<Path> files = CommitLogReplayer.segments(dir);
        assertTrue(files.size() >= 3, "rolled over: " + files);
        for (Path f : files) {
            assertEquals(4096, Files.size(f), "every segment has its full size from the start: " + f);
        }
        // as after a crash (nothing flushed, nothing closed): every segment, older ones included, ends at its zeros
        Replayed r = replay(ReplayFailurePolicy.STOP, Map.of());
        assertEquals(updates(written), r.updates());
        await(log.close());
    }

    @Test
    void aZeroedRecordBeforeIntactOnesIsCorruptionNotTheEnd() throws Exception {
        CommitLog log = open(CommitLogConfig.DEFAULT.withSegmentSize(1 << 16));
        List<CommitLogPosition> positions = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            positions.add(await(log.append(TestMutations.kv(KV, i, i, 1))));
        }
        await(log.close());
        Path seg = dir.resolve(CommitLogFormat.fileName(1));
        byte[] data = Files.readAllBytes(seg);
        int victim = positions.get(2).offset();
        java.util.Arrays.fill(data, victim, positions.get(3).offset(), (byte) 0); // a lost (zeroed) block mid-segment
        Files.write(seg, data);
        CommitLogReplayException e = assertThrows(CommitLogReplayException.class, () -> replay(ReplayFailurePolicy.STOP, Map.of()));
        assertEquals(victim, e.offset());
        assertEquals(List.of(positions.get(0), positions.get(1), positions.get(3), positions.get(4)),
                replay(ReplayFailurePolicy.SKIP, Map.of()).positions());
    }

    @Test
    void versionOneSegmentsStillReplayWithTheirOldRules() throws Exception {
        List<Mutation> ms = List.of(TestMutations.kv(KV, 1, 1, 1), TestMutations.kv(KV, 2, 2, 2));
        Path v1 = dir.resolve("CommitLog-1-7.log");
        Files.write(v1, versionOneSegment(7, ms, 0));
        assertEquals(updates(ms), replay(ReplayFailurePolicy.STOP, Map.of()).updates());
        // a v1 segment never had a zero tail: followed by a newer segment, zeros after its records are corruption
        Files.write(v1, versionOneSegment(7, ms, 100));
        CommitLog log = CommitLog.open(dir, CommitLogConfig.DEFAULT.withSegmentSize(1 << 16), 8, mat);
        await(log.append(TestMutations.kv(KV, 3, 3, 3)));
        CommitLogReplayException e = assertThrows(CommitLogReplayException.class, () -> replay(ReplayFailurePolicy.STOP, Map.of()));
        assertEquals(v1, e.file());
        await(log.close());
    }

    static byte[] versionOneSegment(long id, List<Mutation> ms, int zeroTail) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(1 << 16);
        b.putInt(CommitLogFormat.MAGIC).putInt(1).putLong(id);
        b.putInt(io.sibyl.storage.util.Checksums.crc32(b.array(), 0, 16));
        for (Mutation m : ms) {
            CommitLogFormat.writeRecord(b, io.sibyl.storage.serialization.MutationSerializer.serialize(m));
        }
        b.position(b.position() + zeroTail);
        return java.util.Arrays.copyOf(b.array(), b.position());
    }

    /** The start of the last record of a segment's bytes (records read by their lengths up to the zero tail). */
    static int lastRecordStart(byte[] data) {
        int pos = CommitLogFormat.HEADER_SIZE;
        int last = -1;
        while (pos + 8 <= data.length && CommitLogFormat.intAt(data, pos + 4) != 0) {
            last = pos;
            pos += CommitLogFormat.RECORD_OVERHEAD + CommitLogFormat.intAt(data, pos);
        }
        return last;
    }

    @Test
    void segmentSwitchesUseThePreparedSpareAndCloseLeavesNoSpare() throws Exception {
        List<Long> prepared = java.util.Collections.synchronizedList(new ArrayList<>());
        Files.write(dir.resolve(CommitLogFormat.fileName(1) + CommitLogFormat.SPARE_SUFFIX), new byte[] {1, 2, 3});
        CommitLog log = CommitLog.open(dir, CommitLogConfig.DEFAULT.withSegmentSize(4096), 1, mat, (d, id, size) -> {
            prepared.add(id);
            return CommitLogSegment.prepare(d, id, size);
        });
        for (int i = 0; i < 30; i++) {
            await(log.append(TestMutations.kvPadded(KV, i, 300, 1)));
        }
        long used = log.currentPosition().segmentId();
        assertTrue(used >= 3, "rolled over to segment " + used);
        // one preparation per segment used plus the one spare: no switch created a segment another way
        assertEquals(java.util.stream.LongStream.rangeClosed(1, used + 1).boxed().toList(), prepared);
        await(log.close());
        try (var left = Files.list(dir)) {
            assertEquals(List.of(), left.filter(f -> f.toString().endsWith(CommitLogFormat.SPARE_SUFFIX)).toList(),
                    "a closed log leaves no spare");
        }
        assertEquals(0, log.spareFailures());
    }

    @Test
    void aFailedSparePreparationIsReplacedInlineAndAFailedInlineOneFailsTheWrite() throws Exception {
        java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
        // call 1: the first segment; call 2: the spare fails; call 3: the inline replacement works; then all fail
        CommitLog log = CommitLog.open(dir, CommitLogConfig.DEFAULT.withSegmentSize(4096), 1, mat, (d, id, size) -> {
            int n = calls.incrementAndGet();
            if (n == 2 || n > 3) {
                throw new IOException("disk full (test) preparing " + id);
            }
            return CommitLogSegment.prepare(d, id, size);
        });
        List<Mutation> written = new ArrayList<>();
        CommitLogPosition last = null;
        Exception failed = null;
        for (int i = 0; i < 40 && failed == null; i++) {
            Mutation m = TestMutations.kvPadded(KV, i, 300, 1);
            try {
                last = await(log.append(m));
                written.add(m);
            } catch (java.util.concurrent.ExecutionException e) {
                failed = e;
            }
        }
        assertTrue(last != null && last.segmentId() == 3, "segment 2 failed, segment 3 created inline: " + last);
        assertTrue(failed != null, "once no segment can be created the write fails");
        assertTrue(failed.getCause() instanceof CommitLogFailedException, String.valueOf(failed.getCause()));
        assertTrue(failed.getCause().getMessage().contains("disk full (test)"), failed.getCause().getMessage());
        assertTrue(log.spareFailures() >= 2, "failures counted: " + log.spareFailures());
        await(log.close());
        assertEquals(updates(written), replay(ReplayFailurePolicy.STOP, Map.of()).updates());
    }

    @Test
    void badCrcInTheMiddleStopsReplayNamingFileAndOffset() throws Exception {
        CommitLog log = open(CommitLogConfig.DEFAULT);
        List<CommitLogPosition> positions = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            positions.add(await(log.append(TestMutations.kv(KV, i, i, 1))));
        }
        await(log.close());
        Path seg = dir.resolve(CommitLogFormat.fileName(1));
        int victim = positions.get(2).offset();
        flipByte(seg, victim + 10); // inside the payload of record 2
        CommitLogReplayException e = assertThrows(CommitLogReplayException.class, () -> replay(ReplayFailurePolicy.STOP, Map.of()));
        assertTrue(e.getMessage().contains(seg.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("offset " + victim), e.getMessage());
        assertEquals(victim, e.offset());
        assertEquals(seg, e.file());

        Replayed skipped = replay(ReplayFailurePolicy.SKIP, Map.of());
        assertEquals(4, skipped.updates().size(), "skip policy drops just the bad record");
    }

    @Test
    void damagedRecordHeaderMidLogIsCorruptionAndSkipResumesAtNextRecord() throws Exception {
        CommitLog log = open(CommitLogConfig.DEFAULT);
        List<CommitLogPosition> positions = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            positions.add(await(log.append(TestMutations.kv(KV, i, i, 1))));
        }
        await(log.close());
        Path seg = dir.resolve(CommitLogFormat.fileName(1));
        flipByte(seg, positions.get(1).offset() + 1); // the length of record 1
        CommitLogReplayException e = assertThrows(CommitLogReplayException.class, () -> replay(ReplayFailurePolicy.STOP, Map.of()));
        assertEquals(positions.get(1).offset(), e.offset());
        Replayed skipped = replay(ReplayFailurePolicy.SKIP, Map.of());
        assertEquals(List.of(positions.get(0), positions.get(2), positions.get(3), positions.get(4)), skipped.positions());
    }

    @Test
    void corruptionInAnEarlierSegmentIsNeverATornTail() throws Exception {
        CommitLog log = open(CommitLogConfig.DEFAULT.withSegmentSize(4096));
        for (int i = 0; i < 30; i++) {
            await(log.append(TestMutations.kvPadded(KV, i, 300, 1)));
        }
        await(log.close());
        Path first = dir.resolve(CommitLogFormat.fileName(1));
        byte[] data = Files.readAllBytes(first);
        int lastStart = lastRecordStart(data);
        int end = lastStart + CommitLogFormat.RECORD_OVERHEAD + CommitLogFormat.intAt(data, lastStart);
        java.util.Arrays.fill(data, end - 3, end, (byte) 0); // the complete first segment's last record torn
        Files.write(first, data);
        CommitLogReplayException e = assertThrows(CommitLogReplayException.class, () -> replay(ReplayFailurePolicy.STOP, Map.of()));
        assertEquals(first, e.file());
    }

    @Test
    void periodicModeAcknowledgesAndSyncsOnItsOwn() throws Exception {
        CommitLog log = open(CommitLogConfig.DEFAULT.withSync(CommitLogSync.PERIODIC)
                .withSegmentSize(1 << 20));
        List<Mutation> written = writeAll(log, 20);
        assertEquals(0, log.syncCount(), "periodic mode does not fsync per write");
        await(log.close());
        assertEquals(updates(written), replay(ReplayFailurePolicy.STOP, Map.of()).updates());
    }

    @Test
    void oversizedMutationsAndWritesAfterCloseFail() throws Exception {
        CommitLog log = open(CommitLogConfig.DEFAULT.withSegmentSize(8192));
        var big = log.append(TestMutations.kvPadded(KV, 1, 5000, 1)).toCompletableFuture();
        Exception e = assertThrows(Exception.class, () -> big.get(5, TimeUnit.SECONDS));
        assertTrue(e.getCause() instanceof MutationTooLargeException, String.valueOf(e.getCause()));
        await(log.close());
        var after = log.append(TestMutations.kv(KV, 1, 1, 1)).toCompletableFuture();
        Exception e2 = assertThrows(Exception.class, () -> after.get(5, TimeUnit.SECONDS));
        assertTrue(e2.getCause() instanceof CommitLogFailedException);
    }

    static void flipByte(Path file, long offset) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.seek(offset);
            int b = f.read();
            f.seek(offset);
            f.write(b ^ 0x5A);
        }
    }
}
