package io.sibyl.storage.token;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.sibyl.storage.types.CqlType;
import io.sibyl.storage.types.CqlTypes;
import io.sibyl.storage.types.Hex;
import io.sibyl.storage.types.TypeCoercion;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Tokens and key encodings recorded from a real Apache Cassandra 5.0.9 node (see the README next to
 * the CSVs): for every row of every CSV, our encoding of the key is Cassandra's and so is the token.
 */
class Murmur3VectorsTest {

    /** Partition key column types per vector file; a new file must be added here, not skipped. */
    private static final Map<String, List<String>> KEY_TYPES = Map.of(
            "tok_bigint.csv", List.of("bigint"),
            "tok_blob.csv", List.of("blob"),
            "tok_int.csv", List.of("int"),
            "tok_text.csv", List.of("text"),
            "tok_uuid.csv", List.of("uuid"),
            "tok_composite.csv", List.of("text", "int"));

    @Test
    void everyVectorMatchesCassandra() throws IOException {
        Path dir = vectorDirectory();
        List<Path> files;
        try (Stream<Path> list = Files.list(dir)) {
            files = list.filter(p -> p.getFileName().toString().endsWith(".csv")).sorted().collect(Collectors.toList());
        }
        assertFalse(files.isEmpty(), "no CSV files in " + dir);
        int checked = 0;
        List<String> failures = new ArrayList<>();
        for (Path file : files) {
            String name = file.getFileName().toString();
            List<String> typeNames = KEY_TYPES.get(name);
            assertNotNull(typeNames, "no key types known for vector file " + name);
            List<CqlType> types = typeNames.stream().map(CqlTypes::parse).collect(Collectors.toList());
            List<List<String>> rows = Csv.parse(Files.readString(file, StandardCharsets.UTF_8));
            List<String> header = rows.get(0);
            assertEquals("token", header.get(0), name);
            assertEquals("key_hex", header.get(header.size() - 1), name);
            assertEquals(types.size() + 2, header.size(), name + " header " + header);
            assertTrue(rows.size() > 1, name + " has no rows");
            for (List<String> row : rows.subList(1, rows.size())) {
                assertEquals(header.size(), row.size(), name + " row " + row);
                long token = Long.parseLong(row.get(0));
                String keyHex = row.get(row.size() - 1);
                List<Object> values = new ArrayList<>();
                for (int i = 0; i < types.size(); i++) {
                    values.add(keyValue(types.get(i), row.get(i + 1)));
                }
                String encoded = Hex.encode(PartitionKeys.serialize(types, values));
                if (!encoded.equals(keyHex)) {
                    failures.add(name + ": key " + row.subList(1, row.size() - 1) + " encoded " + encoded
                            + " expected " + keyHex);
                }
                long actual = Murmur3Partitioner.token(Hex.decode(keyHex));
                if (actual != token) {
                    failures.add(name + ": token of " + keyHex + " is " + actual + " expected " + token);
                }
                checked++;
            }
        }
        if (!failures.isEmpty()) {
            fail(failures.size() + " mismatches, first: " + String.join("\n", failures.subList(0, Math.min(10, failures.size()))));
        }
        assertTrue(checked >= 500, "only " + checked + " vectors checked");
    }

    /** CSV text of a key value: blobs are hex without 0x, everything else CQL text. */
    private static Object keyValue(CqlType type, String text) {
        return TypeCoercion.coerce(type, type.cqlName().equals("blob") ? "0x" + text : text);
    }

    /** The shared test data is beside the repository (../shared from the repo root); worktrees sit deeper. */
    static Path vectorDirectory() {
        Path dir = Paths.get("").toAbsolutePath();
        while (dir != null) {
            for (String candidate : new String[] {"shared/testdata/murmur3", "../shared/testdata/murmur3"}) {
                Path p = dir.resolve(candidate).normalize();
                if (Files.isDirectory(p)) {
                    return p;
                }
            }
            dir = dir.getParent();
        }
        fail("shared/testdata/murmur3 not found above " + Paths.get("").toAbsolutePath());
        return null;
    }
}
