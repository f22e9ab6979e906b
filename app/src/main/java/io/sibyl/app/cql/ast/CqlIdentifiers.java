package io.sibyl.app.cql.ast;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * CQL's identifier rules, shared by the parser (which names may appear unquoted) and by
 * {@code toCql()} (when a name must be printed in double quotes to read back the same).
 */
public final class CqlIdentifiers {

    /**
     * Cassandra's reserved keywords (CQL reference, appendix A), plus the words its lexer turns into
     * literals (true, false, nan, infinity, null): none of them can be an unquoted identifier.
     */
    private static final Set<String> RESERVED = Set.of(
            "add", "allow", "alter", "and", "apply", "asc", "authorize", "batch", "begin", "by",
            "columnfamily", "create", "default", "delete", "desc", "describe", "drop", "entries",
            "execute", "false", "from", "full", "grant", "if", "in", "index", "infinity", "insert",
            "into", "is", "keyspace", "limit", "materialized", "mbean", "mbeans", "modify", "nan",
            "norecursive", "not", "null", "of", "on", "or", "order", "primary", "rename", "replace",
            "revoke", "schema", "select", "set", "table", "to", "token", "true", "truncate", "unlogged",
            "unset", "update", "use", "using", "view", "where", "with");

    private static final Pattern PLAIN = Pattern.compile("[a-z][a-z0-9_]*");

    private CqlIdentifiers() {
    }

    /** Whether {@code word} (any case) is reserved and so must be quoted to be used as a name. */
    public static boolean isReserved(String word) {
        return RESERVED.contains(word.toLowerCase(Locale.ROOT));
    }

    /** The name as CQL text: bare when it would read back unchanged, else in double quotes. */
    public static String quoteIfNeeded(String name) {
        if (PLAIN.matcher(name).matches() && !RESERVED.contains(name)) {
            return name;
        }
        return '"' + name.replace("\"", "\"\"") + '"';
    }
}
