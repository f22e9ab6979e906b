package io.sibyl.storage.types;

import java.util.Locale;
import java.util.Set;

/**
 * Recursive descent over CQL type text. Cassandra's rules kept: {@code frozen<>} only around a
 * collection, everything inside a frozen collection is frozen, and a non-frozen collection may hold
 * only frozen collections.
 */
final class CqlTypeParser {

    private static final Set<String> UNSUPPORTED = Set.of("counter", "duration", "tuple", "vector");

    private final String text;
    private int pos;

    CqlTypeParser(String text) {
        if (text == null) {
            throw new IllegalArgumentException("Type text is null");
        }
        this.text = text;
    }

    CqlType parseWhole() {
        CqlType type = parseType(false);
        skipSpace();
        if (pos < text.length()) {
            throw error("unexpected '" + text.substring(pos) + "'");
        }
        return type;
    }

    /** @param insideFrozen true inside {@code frozen<...>}, where every collection is frozen */
    private CqlType parseType(boolean insideFrozen) {
        String name = identifier();
        switch (name) {
            case "frozen": {
                expect('<');
                CqlType inner = parseType(true);
                expect('>');
                if (!(inner instanceof CollectionType)) {
                    throw error("frozen<> is only allowed on collections, not on " + inner.cqlName());
                }
                return inner;
            }
            case "list": {
                expect('<');
                CqlType element = element(insideFrozen);
                expect('>');
                return new ListType(element, insideFrozen);
            }
            case "set": {
                expect('<');
                CqlType element = element(insideFrozen);
                expect('>');
                return new SetType(element, insideFrozen);
            }
            case "map": {
                expect('<');
                CqlType key = element(insideFrozen);
                expect(',');
                CqlType value = element(insideFrozen);
                expect('>');
                return new MapType(key, value, insideFrozen);
            }
            default: {
                NativeType type = CqlTypes.nativeType(name);
                if (type != null) {
                    return type;
                }
                if (UNSUPPORTED.contains(name)) {
                    throw error("type " + name + " is not supported by Sibyl");
                }
                throw error("unknown type " + name);
            }
        }
    }

    private CqlType element(boolean insideFrozen) {
        int start = pos;
        CqlType element = parseType(insideFrozen);
        if (element.isMultiCell()) {
            throw error("non-frozen collections are not allowed inside collections: "
                    + text.substring(start, pos).trim() + " (use frozen<...>)");
        }
        return element;
    }

    private String identifier() {
        skipSpace();
        int start = pos;
        while (pos < text.length() && (Character.isLetterOrDigit(text.charAt(pos)) || text.charAt(pos) == '_')) {
            pos++;
        }
        if (start == pos) {
            throw error(pos < text.length() ? "expected a type name at '" + text.substring(pos) + "'"
                    : "expected a type name at the end");
        }
        return text.substring(start, pos).toLowerCase(Locale.ROOT);
    }

    private void expect(char c) {
        skipSpace();
        if (pos >= text.length() || text.charAt(pos) != c) {
            throw error("expected '" + c + "'" + (pos < text.length() ? " at '" + text.substring(pos) + "'"
                    : " at the end"));
        }
        pos++;
    }

    private void skipSpace() {
        while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
            pos++;
        }
    }

    private IllegalArgumentException error(String problem) {
        return new IllegalArgumentException("Invalid CQL type '" + text + "': " + problem);
    }
}
