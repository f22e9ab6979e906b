package io.sibyl.storage.token;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.sibyl.storage.types.CqlTypes;
import io.sibyl.storage.types.Hex;
import io.sibyl.storage.types.IntType;
import io.sibyl.storage.types.TextType;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class PartitionKeysTest {

    @Property
    void decomposeInvertsCompose(@ForAll @Size(min = 1, max = 5) List<@Size(max = 300) byte[]> components) {
        byte[] composite = PartitionKeys.compose(components.toArray(new byte[0][]));
        List<byte[]> back = PartitionKeys.decompose(composite);
        assertEquals(components.size(), back.size());
        for (int i = 0; i < back.size(); i++) {
            assertArrayEquals(components.get(i), back.get(i));
        }
    }

    @Test
    void layoutIsLengthBytesAndEndOfComponent() {
        assertEquals("000161" + "00" + "000400000005" + "00",
                Hex.encode(PartitionKeys.serialize(List.of(TextType.INSTANCE, IntType.INSTANCE), List.of("a", 5))));
        assertEquals("00000005", Hex.encode(PartitionKeys.serialize(List.of(IntType.INSTANCE), List.of(5))));
        assertEquals("0000" + "00", Hex.encode(PartitionKeys.compose(new byte[0])));
    }

    @Test
    void rejectsBadInput() {
        assertThrows(IllegalArgumentException.class, () -> PartitionKeys.compose(new byte[70_000]));
        assertThrows(IllegalArgumentException.class, () -> PartitionKeys.decompose(new byte[] {0, 5, 1, 0}));
        assertThrows(IllegalArgumentException.class,
                () -> PartitionKeys.serialize(List.of(CqlTypes.parse("int")), List.of()));
    }

    @Test
    void tokenEdges() {
        assertEquals(Murmur3Partitioner.MIN_TOKEN, Murmur3Partitioner.token(new byte[0]));
        // Hashing is deterministic and the offset variant agrees with the whole-array one.
        byte[] key = Hex.decode("00112233445566778899aabbccddeeff80");
        assertEquals(MurmurHash3.hash3x64_128(key, 0, key.length, 0)[0], Murmur3Partitioner.token(key));
        byte[] padded = new byte[key.length + 3];
        System.arraycopy(key, 0, padded, 2, key.length);
        assertArrayEquals(MurmurHash3.hash3x64_128(key, 0, key.length, 0),
                MurmurHash3.hash3x64_128(padded, 2, key.length, 0));
    }
}
