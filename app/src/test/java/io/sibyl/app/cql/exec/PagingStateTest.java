package io.sibyl.app.cql.exec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sibyl.app.errors.InvalidRequestException;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class PagingStateTest {

    @Property(tries = 200)
    void roundTrips(@ForAll int keyIndex, @ForAll @Size(max = 40) byte[] key, @ForAll boolean inPartition,
                    @ForAll @Size(max = 4) List<@Size(max = 20) byte[]> clustering, @ForAll @IntRange(min = 1) int remaining,
                    @ForAll @IntRange(min = 0) int perPartition, @ForAll boolean hasKey, @ForAll boolean hasClustering) {
        byte[][] ck = hasClustering ? clustering.toArray(new byte[0][]) : null;
        PagingState s = new PagingState(keyIndex, hasKey ? key : null, inPartition, ck, remaining, perPartition);
        String token = s.encode();
        assertTrue(token.matches("[A-Za-z0-9_-]+"), "URL-safe: " + token);
        PagingState back = PagingState.decode(token);
        assertEquals(keyIndex, back.keyIndex());
        assertArrayEquals(hasKey ? key : null, back.partitionKey());
        assertEquals(inPartition, back.inPartition());
        if (ck == null) {
            assertEquals(null, back.lastClustering());
        } else {
            assertEquals(ck.length, back.lastClustering().length);
            for (int i = 0; i < ck.length; i++) {
                assertArrayEquals(ck[i], back.lastClustering()[i]);
            }
        }
        assertEquals(remaining, back.remaining());
        assertEquals(perPartition, back.perPartitionRemaining());
    }

    @Property(tries = 200)
    void garbageIsInvalidNeverACrash(@ForAll @Size(max = 60) byte[] junk) {
        String token = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(junk);
        try {
            PagingState.decode(token);
        } catch (InvalidRequestException e) {
            assertEquals("Invalid value for the paging state", e.getMessage());
        }
    }

    @Property(tries = 50)
    void truncatedTokensAreInvalid(@ForAll @IntRange(min = 1, max = 30) int cut) {
        String token = new PagingState(3, new byte[] {1, 2, 3}, true, new byte[][] {{4}, {5, 6}}, 10, 2).encode();
        String shorter = token.substring(0, Math.max(0, token.length() - cut));
        assertThrows(InvalidRequestException.class, () -> PagingState.decode(shorter.isEmpty() ? "!" : shorter));
    }
}
