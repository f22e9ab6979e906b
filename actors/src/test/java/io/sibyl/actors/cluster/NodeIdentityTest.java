package io.sibyl.actors.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sibyl.actors.ring.TokenAllocator;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeIdentityTest {

    @TempDir
    Path dataDir;

    @Test
    void firstStartCreatesAndPersistsAnIdentity() throws Exception {
        NodeIdentity id = NodeIdentity.loadOrCreate(dataDir, "dc1", "rack1", 16, TokenAllocator.seeded(1));
        assertEquals(16, id.tokens().size());
        assertEquals(16, new HashSet<>(id.tokens()).size(), "tokens are distinct");
        assertEquals("dc1", id.dc());
        assertEquals("rack1", id.rack());
        Path file = dataDir.resolve("system").resolve("node-identity.json");
        assertTrue(Files.isRegularFile(file));
        assertFalse(Files.exists(file.resolveSibling("node-identity.json.tmp")), "temp file renamed away");
        String json = Files.readString(file);
        assertTrue(json.contains(id.id().value()), json);
        assertTrue(json.contains(String.valueOf(id.tokens().get(0))), json);
    }

    @Test
    void restartReturnsTheSameIdAndTokens() {
        NodeIdentity first = NodeIdentity.loadOrCreate(dataDir, "dc1", "rack2", 8, TokenAllocator.seeded(1));
        // A different allocator proves the tokens come from disk, not from a re-run of the same seed.
        NodeIdentity again = NodeIdentity.loadOrCreate(dataDir, "dc1", "rack2", 8, TokenAllocator.seeded(99));
        assertEquals(first, again);
    }

    @Test
    void twoDataDirectoriesAreTwoNodes(@TempDir Path other) {
        NodeIdentity a = NodeIdentity.loadOrCreate(dataDir, "dc1", "rack1", 4, TokenAllocator.secure());
        NodeIdentity b = NodeIdentity.loadOrCreate(other, "dc1", "rack1", 4, TokenAllocator.secure());
        assertNotEquals(a.id(), b.id());
        assertNotEquals(a.tokens(), b.tokens());
    }

    @Test
    void changingTheDataCenterIsRefused() {
        NodeIdentity id = NodeIdentity.loadOrCreate(dataDir, "dc1", "rack1", 16, TokenAllocator.seeded(1));
        var e = assertThrows(NodeIdentity.IdentityMismatchException.class,
                () -> NodeIdentity.loadOrCreate(dataDir, "dc2", "rack1", 16, TokenAllocator.seeded(1)));
        assertTrue(e.getMessage().contains("dc1") && e.getMessage().contains("dc2"), e.getMessage());
        assertTrue(e.getMessage().contains(id.id().value()), e.getMessage());
        // The stored identity is untouched by the refused start.
        assertEquals(id, NodeIdentity.loadOrCreate(dataDir, "dc1", "rack1", 16, TokenAllocator.seeded(2)));
    }

    @Test
    void changingTheRackIsRefused() {
        NodeIdentity.loadOrCreate(dataDir, "dc1", "rack1", 16, TokenAllocator.seeded(1));
        var e = assertThrows(NodeIdentity.IdentityMismatchException.class,
                () -> NodeIdentity.loadOrCreate(dataDir, "dc1", "rack9", 16, TokenAllocator.seeded(1)));
        assertTrue(e.getMessage().contains("rack9"), e.getMessage());
    }

    @Test
    void changingTheTokenCountIsRefused() {
        NodeIdentity.loadOrCreate(dataDir, "dc1", "rack1", 16, TokenAllocator.seeded(1));
        var e = assertThrows(NodeIdentity.IdentityMismatchException.class,
                () -> NodeIdentity.loadOrCreate(dataDir, "dc1", "rack1", 32, TokenAllocator.seeded(1)));
        assertTrue(e.getMessage().contains("num_tokens"), e.getMessage());
    }

    @Test
    void aCorruptFileIsNeverReplacedByANewIdentity() throws Exception {
        Path file = NodeIdentity.file(dataDir);
        Files.createDirectories(file.getParent());
        Files.writeString(file, "{\"format\": 1, \"node_id\": \"abc\", \"tok");
        assertThrows(UncheckedIOException.class,
                () -> NodeIdentity.loadOrCreate(dataDir, "dc1", "rack1", 16, TokenAllocator.seeded(1)));
        assertEquals("{\"format\": 1, \"node_id\": \"abc\", \"tok", Files.readString(file));
    }

    @Test
    void aLeftoverTempFileFromACrashDoesNotMatter() throws Exception {
        Path file = NodeIdentity.file(dataDir);
        Files.createDirectories(file.getParent());
        Files.writeString(file.resolveSibling("node-identity.json.tmp"), "garbage");
        NodeIdentity id = NodeIdentity.loadOrCreate(dataDir, "dc1", "rack1", 2, TokenAllocator.seeded(1));
        assertEquals(id, NodeIdentity.loadOrCreate(dataDir, "dc1", "rack1", 2, TokenAllocator.seeded(5)));
    }
}
