package io.sibyl.app.http.rows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.Test;

class NdjsonIngestTest {

    /** Records each line's text and the array it was read from; every write succeeds. */
    private static final class Recorder implements NdjsonIngest.RowWriter<String> {
        final List<String> lines = new ArrayList<>();
        final List<byte[]> arrays = new ArrayList<>();

        @Override
        public synchronized String build(byte[] json, int offset, int length) {
            String line = new String(json, offset, length, StandardCharsets.UTF_8);
            if (line.contains("bad")) {
                throw new IllegalArgumentException("bad row");
            }
            lines.add(line);
            arrays.add(json);
            return line;
        }

        @Override
        public List<CompletableFuture<Void>> writeEach(List<String> rows) {
            List<CompletableFuture<Void>> out = new ArrayList<>();
            rows.forEach(r -> out.add(CompletableFuture.completedFuture(null)));
            return out;
        }
    }

    private static ByteString chunk(String s) {
        return ByteString.fromArrayUnsafe(s.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * A whole body made of several chunks (as pekko-http gathers it) is read chunk by chunk: a line inside a
     * chunk is read from the chunk's own array, not a copy of the body; a line across chunks is joined;
     * line numbers and a bad line's failure are as for one array.
     */
    @Test
    void aBodyOfSeveralChunksIsReadFromTheChunksOwnArrays() throws Exception {
        ByteString first = chunk("{\"a\":1}\n{\"a\":2}\n{\"a\"");
        ByteString second = chunk(":3}\n\n{\"bad\":4}\n{\"a\":5}\n");
        ByteString body = first.concat(second);
        assertTrue(body instanceof ByteString.ByteStrings, "a body of two chunks");
        Recorder r = new Recorder();
        Map<String, Object> answer = new NdjsonIngest(16, 1 << 20).run(body, r).toCompletableFuture().get();
        assertEquals(4L, answer.get("written"));
        assertEquals(1L, answer.get("failed"));
        @SuppressWarnings("unchecked")
        var errors = (List<Map<String, Object>>) answer.get("errors");
        assertEquals(5L, errors.get(0).get("line"), "blank line 4 counted, bad row on line 5");
        assertEquals(List.of("{\"a\":1}", "{\"a\":2}", "{\"a\":3}", "{\"a\":5}"), r.lines);
        assertSame(first.toArrayUnsafe(), r.arrays.get(0), "a line inside the first chunk: its own array");
        assertSame(second.toArrayUnsafe(), r.arrays.get(3), "a line inside the second chunk: its own array");
    }
}
