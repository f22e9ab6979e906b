package io.sibyl.app.http.rows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sibyl.app.errors.PayloadTooLargeException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class NdjsonLinesTest {

    /** "number:text" per kept line, from a whole body. */
    static List<String> lines(List<List<NdjsonLines.Line>> batches) {
        List<String> out = new ArrayList<>();
        for (List<NdjsonLines.Line> batch : batches) {
            for (NdjsonLines.Line l : batch) {
                out.add(l.number() + ":" + new String(l.bytes(), l.offset(), l.length(), StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    static List<String> chunked(byte[] body, List<Integer> cuts, int maxLine, int batchLines) {
        NdjsonLines splitter = new NdjsonLines(maxLine, batchLines);
        List<List<NdjsonLines.Line>> batches = new ArrayList<>();
        int at = 0;
        for (int cut : cuts) {
            int end = Math.min(body.length, at + cut);
            // Each chunk in its own array, as the HTTP layer hands them over.
            byte[] chunk = java.util.Arrays.copyOfRange(body, at, end);
            batches.addAll(splitter.feed(chunk, 0, chunk.length));
            at = end;
        }
        byte[] rest = java.util.Arrays.copyOfRange(body, at, body.length);
        batches.addAll(splitter.feed(rest, 0, rest.length));
        batches.addAll(splitter.finish());
        for (List<NdjsonLines.Line> b : batches) {
            assertTrue(!b.isEmpty() && b.size() <= batchLines, "batch size " + b.size());
        }
        return lines(batches);
    }

    @Test
    void numbersLinesCountingBlankOnesAndKeepsALastLineWithoutNewline() {
        byte[] body = "{\"a\":1}\n\n  \t\r\n{\"a\":2}\r\n{\"a\":3}".getBytes(StandardCharsets.UTF_8);
        assertEquals(List.of("1:{\"a\":1}", "4:{\"a\":2}\r", "5:{\"a\":3}"), lines(NdjsonLines.split(body, 100, 2)));
        assertEquals(List.of(), lines(NdjsonLines.split(new byte[0], 100, 2)));
        assertEquals(List.of(), lines(NdjsonLines.split("\n\n \n".getBytes(StandardCharsets.UTF_8), 100, 2)));
    }

    @Test
    void aLineOverTheLimitIsPayloadTooLargeEvenAcrossChunks() {
        byte[] ok = "12345\n1234\n".getBytes(StandardCharsets.UTF_8);
        assertEquals(List.of("1:12345", "2:1234"), lines(NdjsonLines.split(ok, 5, 10)));
        assertThrows(PayloadTooLargeException.class,
                () -> NdjsonLines.split("123456\n".getBytes(StandardCharsets.UTF_8), 5, 10));
        assertThrows(PayloadTooLargeException.class,
                () -> NdjsonLines.split("1\n123456".getBytes(StandardCharsets.UTF_8), 5, 10));
        // Never buffers more than the limit while waiting for a newline.
        NdjsonLines s = new NdjsonLines(5, 10);
        s.feed("123".getBytes(StandardCharsets.UTF_8), 0, 3);
        assertThrows(PayloadTooLargeException.class, () -> s.feed("456".getBytes(StandardCharsets.UTF_8), 0, 3));
    }

    @Property(tries = 300)
    void chunkBoundariesDoNotChangeTheLines(@ForAll @Size(max = 30) List<@IntRange(min = 0, max = 3) Integer> kinds,
                                            @ForAll @Size(max = 20) List<@IntRange(min = 0, max = 9) Integer> cuts,
                                            @ForAll @IntRange(min = 1, max = 4) int batchLines) {
        StringBuilder sb = new StringBuilder();
        int i = 0;
        for (int k : kinds) {
            sb.append(switch (k) {
                case 0 -> "{\"n\":" + i + "}\n";
                case 1 -> "\n";
                case 2 -> " \r\n";
                default -> "[" + i + ",\"é\"]\r\n";
            });
            i++;
        }
        if (i % 2 == 1) {
            sb.append("{\"last\":true}");
        }
        byte[] body = sb.toString().getBytes(StandardCharsets.UTF_8);
        List<String> whole = lines(NdjsonLines.split(body, 1000, batchLines));
        assertEquals(whole, chunked(body, cuts, 1000, batchLines));
        long kept = kinds.stream().filter(k -> k == 0 || k == 3).count() + (i % 2 == 1 ? 1 : 0);
        assertEquals(kept, whole.size());
    }
}
