package io.sibyl.storage.types;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** list, set and map: encoding round trips, Cassandra's frozen-collection order, and cell splitting. */
class CollectionTypeTest {

    private static final ListType LIST_INT = CqlTypes.list(IntType.INSTANCE);
    private static final SetType SET_TEXT = CqlTypes.set(TextType.INSTANCE);
    private static final MapType MAP_INT_TEXT = CqlTypes.map(IntType.INSTANCE, TextType.INSTANCE);
    private static final SetType SET_BLOB = CqlTypes.set(BlobType.INSTANCE);
    private static final ListType LIST_OF_FROZEN_SETS = CqlTypes.list(new SetType(IntType.INSTANCE, true));

    @Property
    void listRoundTripAndOrder(@ForAll("intLists") List<Integer> a, @ForAll("intLists") List<Integer> b) {
        assertEquals(a, LIST_INT.deserialize(LIST_INT.serialize(a)));
        assertEquals(Integer.signum(lexicographic(a, b)),
                Integer.signum(LIST_INT.compare(LIST_INT.serialize(a), LIST_INT.serialize(b))));
    }

    @Property
    void setRoundTripSortsAndCollapses(@ForAll("textLists") List<String> elements) {
        Set<String> input = new HashSet<>(elements);
        Object decoded = SET_TEXT.deserialize(SET_TEXT.serialize(input));
        assertEquals(input, decoded);
        List<String> iterated = new ArrayList<>((Set<?>) decoded).stream().map(String.class::cast).toList();
        for (int i = 1; i < iterated.size(); i++) {
            assertTrue(TextType.INSTANCE.compareValues(iterated.get(i - 1), iterated.get(i)) < 0,
                    "set iterates in element order");
        }
    }

    @Property
    void mapRoundTripAndCells(@ForAll("intTextMaps") Map<Integer, String> input) {
        Object decoded = MAP_INT_TEXT.deserialize(MAP_INT_TEXT.serialize(input));
        assertEquals(input, decoded);
        assertEquals(new ArrayList<>(new java.util.TreeSet<>(input.keySet())),
                new ArrayList<>(((Map<?, ?>) decoded).keySet()), "map iterates in key order");

        List<CollectionCell> cells = MAP_INT_TEXT.toCells(input);
        assertEquals(input.size(), cells.size());
        for (int i = 1; i < cells.size(); i++) {
            assertTrue(MAP_INT_TEXT.pathComparator().compare(cells.get(i - 1).path(), cells.get(i).path()) < 0);
        }
        assertEquals(input, MAP_INT_TEXT.fromCells(cells));
    }

    @Property
    void setCellsArePathsWithEmptyValues(@ForAll("textLists") List<String> elements) {
        Set<String> input = new HashSet<>(elements);
        List<CollectionCell> cells = SET_TEXT.toCells(input);
        assertEquals(input.size(), cells.size());
        for (int i = 0; i < cells.size(); i++) {
            assertEquals(0, cells.get(i).value().length);
            if (i > 0) {
                assertTrue(SET_TEXT.pathComparator().compare(cells.get(i - 1).path(), cells.get(i).path()) < 0);
            }
        }
        assertEquals(input, SET_TEXT.fromCells(cells));
    }

    @Property
    void listCellsKeepInsertionOrder(@ForAll("intLists") List<Integer> input) {
        List<CollectionCell> cells = LIST_INT.toCells(input);
        for (int i = 1; i < cells.size(); i++) {
            assertTrue(LIST_INT.pathComparator().compare(cells.get(i - 1).path(), cells.get(i).path()) < 0,
                    "list cell paths sort in insertion order");
        }
        for (CollectionCell cell : cells) {
            assertEquals(16, cell.path().length);
            assertEquals(1, ((UUID) TimeuuidType.INSTANCE.deserialize(cell.path())).version());
        }
        assertEquals(input, LIST_INT.fromCells(cells));
    }

    @Property
    void nestedFrozenSetsRoundTrip(@ForAll("intLists") List<Integer> a, @ForAll("intLists") List<Integer> b) {
        List<Set<Integer>> value = List.of(new HashSet<>(a), new HashSet<>(b));
        assertEquals(value, LIST_OF_FROZEN_SETS.deserialize(LIST_OF_FROZEN_SETS.serialize(value)));
    }

    @Test
    void knownEncodings() {
        assertEquals("00000002" + "00000004" + "00000001" + "00000004" + "00000002",
                Hex.encode(LIST_INT.serialize(List.of(1, 2))));
        Map<Integer, String> map = new LinkedHashMap<>();
        map.put(2, "b");
        map.put(1, "a");
        assertEquals("00000002" + "00000004" + "00000001" + "00000001" + "61"
                        + "00000004" + "00000002" + "00000001" + "62",
                Hex.encode(MAP_INT_TEXT.serialize(map)));
        assertEquals("00000000", Hex.encode(SET_TEXT.serialize(Set.of())));
    }

    @Test
    void setOfBlobsCollapsesEqualArrays() {
        Set<byte[]> input = new HashSet<>(List.of(new byte[] {1}, new byte[] {1}, new byte[] {0}));
        Set<?> decoded = (Set<?>) SET_BLOB.deserialize(SET_BLOB.serialize(input));
        assertEquals(2, decoded.size());
        assertTrue(decoded.contains(new byte[] {1}));
        assertEquals(0, ((byte[]) decoded.iterator().next())[0]);
    }

    @Test
    void decimalSetCollapsesNumericallyEqualElements() {
        SetType setDecimal = CqlTypes.set(DecimalType.INSTANCE);
        assertEquals(1, setDecimal.valueOf(List.of(new BigDecimal("1.0"), new BigDecimal("1.00"))).size());
    }

    @Test
    void frozenFlagAndNames() {
        assertTrue(LIST_INT.isMultiCell());
        assertTrue(LIST_INT.isCollection());
        assertFalse(LIST_INT.withFrozen(true).isMultiCell());
        assertEquals("frozen<list<int>>", LIST_INT.withFrozen(true).cqlName());
        assertEquals("map<int, text>", MAP_INT_TEXT.cqlName());
        assertEquals("list<frozen<set<int>>>", LIST_OF_FROZEN_SETS.cqlName());
        assertFalse(IntType.INSTANCE.isMultiCell());
    }

    @Test
    void rejectsNullsAndBadBytes() {
        assertThrows(IllegalArgumentException.class, () -> LIST_INT.serialize(Arrays.asList(1, null)));
        assertThrows(IllegalArgumentException.class, () -> LIST_INT.serialize(Set.of(1)));
        assertThrows(IllegalArgumentException.class, () -> LIST_INT.deserialize(new byte[] {0, 0, 0, 1, 0}));
        assertThrows(IllegalArgumentException.class, () -> LIST_INT.deserialize(new byte[] {0, 0, 0, 0, 7}));
        assertThrows(IllegalArgumentException.class, () -> MAP_INT_TEXT.deserialize(new byte[] {0x7f, 0, 0, 0}));
    }

    private static int lexicographic(List<Integer> a, List<Integer> b) {
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            int c = Integer.compare(a.get(i), b.get(i));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(a.size(), b.size());
    }

    @Provide
    Arbitrary<List<Integer>> intLists() {
        return Arbitraries.integers().between(-3, 3).list().ofMaxSize(6);
    }

    @Provide
    Arbitrary<List<String>> textLists() {
        return TypeArbitraries.text().list().ofMaxSize(8);
    }

    @Provide
    Arbitrary<Map<Integer, String>> intTextMaps() {
        return Arbitraries.maps(Arbitraries.integers(), TypeArbitraries.text()).ofMaxSize(8);
    }
}
