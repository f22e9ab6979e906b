package io.sibyl.storage.types;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CqlTypesTest {

    @Test
    void parsesEveryNativeTypeByItsName() {
        assertEquals(18, CqlTypes.all().size());
        CqlTypes.all().forEach((name, type) -> assertSame(type, CqlTypes.parse(name)));
        assertSame(TextType.INSTANCE, CqlTypes.parse("varchar"));
        assertSame(BigintType.INSTANCE, CqlTypes.parse("  BigInt "));
        assertSame(TimeuuidType.INSTANCE, CqlTypes.parse("TIMEUUID"));
    }

    @Test
    void parsesCollections() {
        assertEquals(CqlTypes.list(IntType.INSTANCE), CqlTypes.parse("list<int>"));
        assertEquals(CqlTypes.map(TextType.INSTANCE, IntType.INSTANCE), CqlTypes.parse(" MAP < varchar ,INT > "));
        assertEquals(new SetType(UuidType.INSTANCE, true), CqlTypes.parse("frozen<set<uuid>>"));
        CqlType nested = CqlTypes.parse("map<text, frozen<list<frozen<set<int>>>>>");
        MapType map = (MapType) nested;
        assertTrue(map.isMultiCell());
        ListType inner = (ListType) map.valueType();
        assertTrue(inner.frozen());
        assertEquals(new SetType(IntType.INSTANCE, true), inner.elementType());
        // Inside frozen<>, nested collections are frozen without saying so.
        assertEquals(CqlTypes.parse("frozen<list<frozen<set<int>>>>"), CqlTypes.parse("frozen<list<set<int>>>"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"int", "map<text, int>", "frozen<list<int>>", "list<frozen<map<int, blob>>>",
            "set<timeuuid>", "frozen<map<frozen<list<int>>, frozen<set<text>>>>"})
    void cqlNameParsesBackToTheSameType(String text) {
        CqlType type = CqlTypes.parse(text);
        assertEquals(text, type.cqlName());
        assertEquals(type, CqlTypes.parse(type.cqlName()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "  ", "integer", "list", "list<>", "list<int", "map<int>", "map<int,>",
            "list<int>>", "frozen<int>", "list<list<int>>", "map<text, set<int>>", "set<int> x", "counter",
            "duration", "list<counter>", "in t", "<int>"})
    void rejectsInvalidTypes(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CqlTypes.parse(text));
        assertTrue(e.getMessage().contains("Invalid CQL type"), e.getMessage());
    }

    @Test
    void unknownTypeIsNamedInTheMessage() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CqlTypes.parse("list<foo>"));
        assertTrue(e.getMessage().contains("unknown type foo"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> CqlTypes.parse("list<list<int>>"));
        assertTrue(e.getMessage().contains("non-frozen collections are not allowed"), e.getMessage());
    }
}
