package io.sibyl.app.cql.schema;

import io.sibyl.app.cql.ast.Literal;
import io.sibyl.app.cql.ast.Term;
import io.sibyl.app.errors.InvalidRequestException;
import java.util.LinkedHashMap;
import java.util.Map;

/** Reads the constant values of {@code WITH} properties (no bind markers are allowed there). */
final class SchemaOptions {
    private SchemaOptions() {}

    static String string(String property, Term term) {
        if (term instanceof Literal l && l.value() != null) {
            Object v = l.value();
            if (v instanceof byte[]) {
                throw new InvalidRequestException("Invalid value for property '" + property + "'");
            }
            return v.toString();
        }
        throw new InvalidRequestException("Invalid value for property '" + property + "': expected a constant");
    }

    static int integer(String property, Term term) {
        String s = string(property, term);
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw new InvalidRequestException("Invalid value for property '" + property + "': '" + s + "' is not an integer");
        }
    }

    static boolean bool(String property, Term term) {
        String s = string(property, term).toLowerCase(java.util.Locale.ROOT);
        if (s.equals("true")) return true;
        if (s.equals("false")) return false;
        throw new InvalidRequestException("Invalid value for property '" + property + "': expected true or false");
    }

    static Map<String, String> map(String property, Term term) {
        Map<String, String> m = new LinkedHashMap<>();
        if (term instanceof Term.MapLiteral ml) {
            for (Term.Entry e : ml.entries()) {
                m.put(string(property, e.key()).toLowerCase(java.util.Locale.ROOT).equals("class")
                        ? "class" : string(property, e.key()), string(property, e.value()));
            }
            return m;
        }
        if (term instanceof Term.SetLiteral sl && sl.elements().isEmpty()) {
            return m;
        }
        throw new InvalidRequestException("Invalid value for property '" + property + "': expected a map");
    }
}
