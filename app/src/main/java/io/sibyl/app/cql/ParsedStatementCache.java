package io.sibyl.app.cql;

import io.sibyl.app.cql.ast.Statement;
import io.sibyl.app.cql.parse.CqlParser;
import io.sibyl.app.cql.parse.CqlSyntaxException;
import io.sibyl.app.errors.SyntaxErrorException;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Parsed statements by query text (docs/design.md: parse once). Bounded: when full, it is cleared,
 * which costs a re-parse of the hot statements and never blocks readers.
 */
public final class ParsedStatementCache {
    private final ConcurrentHashMap<String, Statement> cache = new ConcurrentHashMap<>();
    private final int maxSize;

    public ParsedStatementCache(int maxSize) {
        this.maxSize = Math.max(1, maxSize);
    }

    public Statement parse(String query) {
        Statement s = cache.get(query);
        if (s != null) return s;
        try {
            s = CqlParser.parse(query);
        } catch (CqlSyntaxException e) {
            throw new SyntaxErrorException(e.getMessage(), e.line(), e.column());
        }
        if (cache.size() >= maxSize) cache.clear();
        cache.put(query, s);
        return s;
    }
}
