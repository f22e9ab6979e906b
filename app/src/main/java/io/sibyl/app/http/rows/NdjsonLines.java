package io.sibyl.app.http.rows;

import io.sibyl.app.errors.PayloadTooLargeException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Splits NDJSON bytes, fed chunk by chunk, into numbered lines grouped in batches of at most
 * {@code batchLines}: lines are numbered from 1 counting blank ones, blank lines (spaces, tabs, a
 * CR) are dropped, a last line without a newline counts, and a line longer than {@code maxLineBytes}
 * fails with PAYLOAD_TOO_LARGE. Lines point into the fed arrays (no copy), except one that spans
 * two chunks. Not thread-safe: one per body.
 */
final class NdjsonLines {

    /** Line {@code number}'s bytes: {@code bytes[offset, offset + length)}, without the newline. */
    record Line(long number, byte[] bytes, int offset, int length) {
    }

    private final int maxLineBytes;
    private final int batchLines;
    /** The start of a line that the previous chunks did not finish. */
    private byte[] carry = new byte[0];
    private int carryLength;
    private long lastNumber;
    private List<Line> batch;
    private List<List<Line>> full = new ArrayList<>();

    NdjsonLines(int maxLineBytes, int batchLines) {
        this.maxLineBytes = maxLineBytes;
        this.batchLines = Math.max(1, batchLines);
        this.batch = new ArrayList<>(this.batchLines);
    }

    /** Every line of a whole body, in batches. */
    static List<List<Line>> split(byte[] body, int maxLineBytes, int batchLines) {
        NdjsonLines lines = new NdjsonLines(maxLineBytes, batchLines);
        List<List<Line>> out = new ArrayList<>(lines.feed(body, 0, body.length));
        out.addAll(lines.finish());
        return out;
    }

    /** Takes the next chunk (not modified afterwards by the caller); returns the batches it completed. */
    List<List<Line>> feed(byte[] chunk, int offset, int length) {
        int end = offset + length;
        int start = offset;
        for (int i = offset; i < end; i++) {
            if (chunk[i] != '\n') {
                continue;
            }
            if (carryLength > 0) {
                appendCarry(chunk, start, i - start);
                lineEnded(carry, 0, carryLength);
                carry = new byte[0];
                carryLength = 0;
            } else {
                lineEnded(chunk, start, i - start);
            }
            start = i + 1;
        }
        if (start < end) {
            appendCarry(chunk, start, end - start);
        }
        return takeFull();
    }

    /** At the end of the body: the last line (if it had no newline) and the last, partly filled batch. */
    List<List<Line>> finish() {
        if (carryLength > 0) {
            lineEnded(carry, 0, carryLength);
            carryLength = 0;
        }
        if (!batch.isEmpty()) {
            full.add(batch);
            batch = new ArrayList<>(batchLines);
        }
        return takeFull();
    }

    private void lineEnded(byte[] bytes, int offset, int length) {
        long number = ++lastNumber;
        if (length > maxLineBytes) {
            throw new PayloadTooLargeException("NDJSON line", maxLineBytes);
        }
        if (isBlank(bytes, offset, length)) {
            return;
        }
        batch.add(new Line(number, bytes, offset, length));
        if (batch.size() == batchLines) {
            full.add(batch);
            batch = new ArrayList<>(batchLines);
        }
    }

    private void appendCarry(byte[] chunk, int offset, int length) {
        if ((long) carryLength + length > maxLineBytes) {
            throw new PayloadTooLargeException("NDJSON line", maxLineBytes);
        }
        if (carryLength + length > carry.length) {
            carry = Arrays.copyOf(carry, Math.max(carryLength + length, carry.length * 2));
        }
        System.arraycopy(chunk, offset, carry, carryLength, length);
        carryLength += length;
    }

    private List<List<Line>> takeFull() {
        if (full.isEmpty()) {
            return List.of();
        }
        List<List<Line>> out = full;
        full = new ArrayList<>();
        return out;
    }

    private static boolean isBlank(byte[] bytes, int offset, int length) {
        for (int i = offset; i < offset + length; i++) {
            byte b = bytes[i];
            if (b != ' ' && b != '\t' && b != '\r') {
                return false;
            }
        }
        return true;
    }
}
