package io.sibyl.app.cql.ast;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/** The {@code name = value AND ...} properties of keyspaces and tables, kept generic and in written order. */
final class Options {

    private Options() {
    }

    static Map<String, Term> copy(Map<String, Term> options) {
        return Collections.unmodifiableMap(new LinkedHashMap<>(options));
    }

    static String toCql(Map<String, Term> options) {
        return options.entrySet().stream()
                .map(e -> CqlIdentifiers.quoteIfNeeded(e.getKey()) + " = " + e.getValue().toCql())
                .collect(Collectors.joining(" AND "));
    }
}
