package io.sibyl.storage.commitlog;

import io.sibyl.storage.util.Checksums;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads the records of one segment file and tells torn tails from corruption.
 *
 * <p>A record is damaged when its header CRC or payload CRC does not match, or it runs past the end of
 * the file. Damage is a <em>torn tail</em> — the write that was under way when the process or machine
 * died — only in the newest segment and only if no intact record follows it; then reading ends quietly.
 * In a preallocated (version 2) segment, a point from which every byte is zero is the clean end (nothing
 * was written past it); zeros followed by anything non-zero are damage like any other.
 * Anything else is corruption: {@link ReplayFailurePolicy#STOP} throws a {@link CommitLogReplayException}
 * naming the file and offset, {@link ReplayFailurePolicy#SKIP} logs it and resumes at the next intact record.
 */
public final class CommitLogReader {

    private static final Logger log = LoggerFactory.getLogger(CommitLogReader.class);

    /** Receives each intact record: where it starts and its payload. */
    @FunctionalInterface
    public interface RecordHandler {
        void record(CommitLogPosition position, byte[] payload);
    }

    private final Path file;
    private final long segmentId;
    private final boolean isLast;
    private final ReplayFailurePolicy policy;
    private byte[] data;
    private int version;

    public CommitLogReader(Path file, boolean isLast, ReplayFailurePolicy policy) {
        this.file = file;
        this.segmentId = CommitLogFormat.segmentId(file);
        this.isLast = isLast;
        this.policy = policy;
    }

    /** Reads every intact record in order; returns how many were handed over. */
    public int read(RecordHandler handler) {
        try {
            data = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read commit log segment " + file, e);
        }
        if (!headerIntact()) {
            if (isLast && data.length < CommitLogFormat.HEADER_SIZE + CommitLogFormat.RECORD_OVERHEAD) {
                log.info("Commit log segment {} ends inside its header (torn while being created); nothing to replay", file);
                return 0;
            }
            damaged(0, "bad segment header");
            return 0;
        }
        int records = 0;
        int pos = CommitLogFormat.HEADER_SIZE;
        boolean preallocated = version >= CommitLogFormat.PREALLOCATED_VERSION;
        while (pos < data.length) {
            if (preallocated && zerosFrom(pos)) {
                // the clean end of a preallocated segment: nothing was written past here. (A record never
                // starts with eight zero bytes: its length is > 0 and CRC32 of a zero length is not 0.)
                return records;
            }
            int length = recordLengthAt(pos);
            if (length >= 0) {
                int payloadStart = pos + 8;
                byte[] payload = new byte[length];
                System.arraycopy(data, payloadStart, payload, 0, length);
                handler.record(new CommitLogPosition(segmentId, pos), payload);
                records++;
                pos = payloadStart + length + 4;
                continue;
            }
            String reason = length == -1 ? "header CRC mismatch" : length == -2 ? "record runs past the end of the file"
                    : "payload CRC mismatch";
            int next = nextIntactRecord(pos + 1);
            if (next < 0 && isLast) {
                log.info("Commit log {} ends with a torn record at offset {} ({}); replay stops there", file, pos, reason);
                return records;
            }
            damaged(pos, reason + (next < 0 ? " (in a segment that was complete)" : "; intact records follow at offset " + next));
            if (next < 0) {
                return records;
            }
            pos = next;
        }
        return records;
    }

    private boolean headerIntact() {
        if (data.length < CommitLogFormat.HEADER_SIZE) {
            return false;
        }
        version = CommitLogFormat.intAt(data, 4);
        return CommitLogFormat.intAt(data, 0) == CommitLogFormat.MAGIC
                && version >= CommitLogFormat.MIN_READ_VERSION && version <= CommitLogFormat.VERSION
                && CommitLogFormat.longAt(data, 8) == segmentId
                && CommitLogFormat.intAt(data, 16) == Checksums.crc32(data, 0, 16);
    }

    /** The payload length of an intact record at {@code pos}; -1 bad header, -2 truncated, -3 bad payload. */
    private int recordLengthAt(int pos) {
        if (data.length - pos < 8) {
            return -2;
        }
        int length = CommitLogFormat.intAt(data, pos);
        if (CommitLogFormat.intAt(data, pos + 4) != Checksums.crc32OfInt(length) || length < 0) {
            return -1;
        }
        if ((long) pos + 8 + length + 4 > data.length) {
            return -2;
        }
        int crc = CommitLogFormat.intAt(data, pos + 8 + length);
        return crc == Checksums.crc32(data, pos + 8, length) ? length : -3;
    }

    /** True if every byte from {@code pos} to the end of the file is zero. */
    private boolean zerosFrom(int pos) {
        for (int p = pos; p < data.length; p++) {
            if (data[p] != 0) {
                return false;
            }
        }
        return true;
    }

    /** The offset of the first intact record at or after {@code from}, or -1. */
    private int nextIntactRecord(int from) {
        for (int p = from; p + CommitLogFormat.RECORD_OVERHEAD <= data.length; p++) {
            if (data[p + 7] == 0 && CommitLogFormat.intAt(data, p) == 0 && CommitLogFormat.intAt(data, p + 4) == 0) {
                continue; // eight zero bytes are never a record header (fast over a preallocated zero tail)
            }
            if (recordLengthAt(p) >= 0) {
                return p;
            }
        }
        return -1;
    }

    /** Corruption (not a torn tail): stop, or log and carry on, per policy. */
    void damaged(long offset, String reason) {
        if (policy == ReplayFailurePolicy.STOP) {
            throw new CommitLogReplayException(file, offset, reason, null);
        }
        log.error("Commit log corrupt in {} at offset {}: {}; skipping (commitlog_replay_failure_policy = skip)",
                file, offset, reason);
    }

    public Path file() {
        return file;
    }
}
