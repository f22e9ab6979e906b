package io.sibyl.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HistoryTest {

    @Test
    void pairsInvocationsWithTheirProcessCompletionAndInFlightOpsBecomeInfo() {
        History h = History.of(List.of(
                Op.invoke(0, "add", null, 1L, 10),
                Op.invoke(1, "add", null, 2L, 11),
                Op.invoke(0, "add", null, 1L, 0).complete(Op.Type.OK, 1L, 20, null),
                Op.invoke(0, "add", null, 3L, 30)));
        List<History.Pair> pairs = History.pairs(h.ops());
        assertEquals(3, pairs.size());
        assertEquals(Op.Type.OK, pairs.get(0).completion().type());
        assertEquals(20, pairs.get(0).end());
        assertEquals(Op.Type.INFO, pairs.get(1).completion().type());
        assertEquals(Long.MAX_VALUE, pairs.get(1).end());
        assertEquals(30, pairs.get(2).start());
    }

    @Test
    void aProcessWithTwoOpsInFlightIsRejected() {
        List<Op> bad = History.of(List.of(Op.invoke(0, "add", null, 1L, 10), Op.invoke(0, "add", null, 2L, 11))).ops();
        assertThrows(IllegalArgumentException.class, () -> History.pairs(bad));
    }

    @Test
    void writesOneJsonObjectPerOpWithIndexProcessTypeFValueTime(@TempDir Path dir) throws Exception {
        History h = History.of(List.of(Op.invoke(3, "cas", "k7", List.of(1L, 2L), 5),
                new Op(-1, 3, Op.Type.INFO, "cas", "k7", null, 9, "504 WRITE_TIMEOUT")));
        Path file = dir.resolve("h.jsonl");
        h.writeJsonLines(file);
        List<String> lines = Files.readAllLines(file);
        assertEquals(2, lines.size());
        JsonNode first = new ObjectMapper().readTree(lines.get(0));
        assertEquals(0, first.get("index").asInt());
        assertEquals("INVOKE", first.get("type").asText());
        assertEquals("[1,2]", first.get("value").toString());
        JsonNode second = new ObjectMapper().readTree(lines.get(1));
        assertEquals("504 WRITE_TIMEOUT", second.get("error").asText());
        assertTrue(second.get("value") == null, "null values are left out");
        assertTrue(first.get("ok") == null && first.get("invoke") == null, "only the record's fields: " + lines.get(0));
        List<Op> back = History.readJsonLines(file);
        assertEquals(h.ops().get(1), back.get(1));
        assertEquals(List.of(1, 2), back.get(0).value());   // numbers come back as Integer: checkers take any Number
    }
}
