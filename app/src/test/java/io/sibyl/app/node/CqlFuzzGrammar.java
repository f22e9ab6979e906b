package io.sibyl.app.node;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Random CQL for the fuzz tests: statements of the subset Sibyl speaks (docs/api.md), built from a small
 * grammar over the fuzz keyspace's tables, then often mutated at the token level (a token deleted,
 * duplicated, swapped or replaced), with random literals, deep nesting and huge strings.
 *
 * <p>Never generated: statements that touch the role the fuzzer logs in as ({@code fuzzer}), or that
 * change {@code system_auth}'s replication (a one-node cluster would lose its roles' QUORUM).
 */
final class CqlFuzzGrammar {
    private static final String[] TABLES = {"fz.t", "fz.c", "fz.l", "t", "c", "fz.missing", "nope.t", "system_auth.roles",
            "system_auth.role_permissions", "system_auth.role_members", "system.local", "system.peers", "\"fz\".\"t\"",
            "fz2.t"};
    private static final String[] COLUMNS = {"k", "v", "pk", "ck", "s", "m", "l", "st", "role", "salted_hash",
            "is_superuser", "nope", "\"K\"", "*"};
    private static final String[] ROLES = {"r1", "r2", "sibyl", "nobody", "\"R 3\"", "''"};
    private static final String[] KEYSPACES = {"fz", "fz2", "fz3", "system_auth", "system", "nope"};
    private static final String[] TYPES = {"int", "text", "bigint", "blob", "uuid", "timeuuid", "timestamp", "boolean",
            "double", "float", "decimal", "varint", "inet", "date", "time", "list<int>", "set<text>", "map<text, int>",
            "frozen<list<int>>", "tinyint", "smallint", "ascii", "counter", "list<list<int>>", "nope"};
    private static final String[] PERMISSIONS = {"ALL", "ALL PERMISSIONS", "SELECT", "MODIFY", "CREATE", "ALTER", "DROP",
            "AUTHORIZE", "DESCRIBE", "EXECUTE", "NOPE"};
    private static final Pattern TOKEN = Pattern.compile(
            "'(?:[^']++|'')*+'|\"(?:[^\"]++|\"\")*+\"|0[xX][0-9a-fA-F]*|-?[0-9]+(?:\\.[0-9]+)?(?:[eE][+-]?[0-9]+)?|[A-Za-z_][A-Za-z0-9_]*|\\S");

    private final Random r;

    CqlFuzzGrammar(Random r) {
        this.r = r;
    }

    /** A statement, mutated about half of the time. */
    String next() {
        String s = statement(0);
        int mutations = r.nextInt(4) == 0 ? 0 : r.nextInt(3);
        for (int i = 0; i < mutations; i++) s = mutate(s);
        return s;
    }

    String statement(int depth) {
        switch (r.nextInt(21)) {
            case 0, 1, 2: return select();
            case 3, 4: return insert();
            case 5: return update();
            case 6: return delete();
            case 7: return depth > 1 ? insert() : batch(depth);
            case 8: return createKeyspace();
            case 9: return createTable();
            case 10: return alterTable();
            case 11: return pick("DROP TABLE ", "DROP TABLE IF EXISTS ", "TRUNCATE ", "TRUNCATE TABLE ") + table();
            case 12: return pick("DROP KEYSPACE ", "DROP KEYSPACE IF EXISTS ", "USE ") + keyspace();
            case 13: return role();
            case 14: return grant();
            case 15: return pick("LIST ROLES", "LIST ROLES OF " + roleName(), "LIST ALL PERMISSIONS",
                    "LIST ALL PERMISSIONS OF " + roleName() + " NORECURSIVE", "LIST SELECT ON TABLE " + table(),
                    "LIST USERS");
            case 16: return "SELECT " + column() + " FROM " + table() + " WHERE " + column() + " IN (" + literals(r.nextInt(6)) + ")";
            case 17: return "INSERT INTO " + table() + " JSON " + quote(jsonish());
            case 18: return nested();
            case 19: return "ALTER KEYSPACE " + pick("fz", "fz2", "nope") + " WITH replication = " + replication();
            default: return randomText();
        }
    }

    private String select() {
        StringBuilder b = new StringBuilder("SELECT ");
        b.append(pick("*", "k, v", "DISTINCT pk", "count(*)", "token(k)", "writetime(v)", "ttl(v)", "k AS x", "JSON *",
                column() + ", " + column(), "max(v)", "now()", column()));
        b.append(" FROM ").append(table());
        if (r.nextInt(4) != 0) {
            b.append(" WHERE ").append(relation());
            for (int i = r.nextInt(3); i > 0; i--) b.append(" AND ").append(relation());
        }
        if (r.nextInt(5) == 0) b.append(" ORDER BY ").append(column()).append(pick(" ASC", " DESC", ""));
        if (r.nextInt(4) == 0) b.append(" PER PARTITION LIMIT ").append(literal());
        if (r.nextInt(3) == 0) b.append(" LIMIT ").append(pick("1", "0", "-1", "100000", "2147483648", "?", literal()));
        if (r.nextInt(4) == 0) b.append(" ALLOW FILTERING");
        return b.toString();
    }

    private String relation() {
        return switch (r.nextInt(6)) {
            case 0 -> "token(" + column() + ") " + pick(">", ">=", "<", "<=") + " " + literal();
            case 1 -> column() + " IN (" + literals(r.nextInt(4)) + ")";
            case 2 -> "(" + column() + ", " + column() + ") " + pick("=", ">", "<") + " (" + literals(2) + ")";
            case 3 -> column() + " CONTAINS " + literal();
            default -> column() + " " + pick("=", "=", ">", "<", ">=", "<=", "!=", "LIKE") + " " + literal();
        };
    }

    private String insert() {
        int n = 1 + r.nextInt(3);
        List<String> cols = new ArrayList<>();
        for (int i = 0; i < n; i++) cols.add(column());
        StringBuilder b = new StringBuilder("INSERT INTO ").append(table()).append(" (").append(String.join(", ", cols))
                .append(") VALUES (").append(literals(r.nextInt(5) == 0 ? n + 1 : n)).append(")");
        if (r.nextInt(4) == 0) b.append(" IF NOT EXISTS");
        if (r.nextInt(4) == 0) b.append(using());
        return b.toString();
    }

    private String using() {
        return pick(" USING TTL ", " USING TIMESTAMP ") + pick(literal(), "-1", "0", "630720001", "9223372036854775807")
                + (r.nextBoolean() ? " AND TTL " + literal() : "");
    }

    private String update() {
        StringBuilder b = new StringBuilder("UPDATE ").append(table());
        if (r.nextInt(4) == 0) b.append(using());
        b.append(" SET ").append(pick(column() + " = " + literal(), "l = l + [1]", "s = s - {'a'}", "m['k'] = 1",
                "l[0] = 5", "v = v + 1", column() + " = " + column()));
        b.append(" WHERE ").append(relation());
        if (r.nextBoolean()) b.append(" AND ").append(relation());
        if (r.nextInt(4) == 0) b.append(pick(" IF EXISTS", " IF v = 1", " IF v > " + literal()));
        return b.toString();
    }

    private String delete() {
        return "DELETE " + pick("", column() + " ", "m['k'] ", "l[0] ") + "FROM " + table()
                + (r.nextInt(4) == 0 ? " USING TIMESTAMP " + literal() : "") + " WHERE " + relation()
                + (r.nextBoolean() ? " AND " + relation() : "") + (r.nextInt(5) == 0 ? " IF EXISTS" : "");
    }

    private String batch(int depth) {
        StringBuilder b = new StringBuilder("BEGIN ").append(pick("", "UNLOGGED ", "COUNTER ", "LOGGED ")).append("BATCH ");
        if (r.nextInt(5) == 0) b.append("USING TIMESTAMP ").append(literal()).append(' ');
        for (int i = r.nextInt(5); i >= 0; i--) {
            b.append(pick(insert(), update(), delete(), select(), statement(depth + 1))).append(pick("; ", " ", ";; "));
        }
        return b.append("APPLY BATCH").toString();
    }

    private String createKeyspace() {
        return "CREATE KEYSPACE " + pick("", "IF NOT EXISTS ") + pick("fz2", "fz3", "fz", "system_auth", "x".repeat(49), ident())
                + " WITH replication = " + replication() + (r.nextInt(4) == 0 ? " AND durable_writes = " + literal() : "");
    }

    private String replication() {
        return pick("{'class': 'SimpleStrategy', 'replication_factor': " + pick("1", "1", "3", "0", "-1", "'x'", literal()) + "}",
                "{'class': 'NetworkTopologyStrategy', 'dc1': " + pick("1", "2", literal()) + "}",
                "{'class': 'Nope'}", "{}", "{'replication_factor': 1}", mapLiteral(0));
    }

    private String createTable() {
        StringBuilder b = new StringBuilder("CREATE TABLE ").append(pick("", "IF NOT EXISTS "))
                .append(pick("fz.n1", "fz.n2", "fz2.t", "fz.t", "system_auth.evil", "nope.t", "n3")).append(" (");
        int n = 1 + r.nextInt(4);
        for (int i = 0; i < n; i++) {
            b.append(pick("k", "v", "ck", "s", "x" + i, ident())).append(' ').append(pick(TYPES));
            if (r.nextInt(6) == 0) b.append(" static");
            if (i == 0 && r.nextBoolean()) b.append(" PRIMARY KEY");
            b.append(", ");
        }
        if (r.nextBoolean()) b.append("PRIMARY KEY (").append(pick("k", "(k, v)", "k, ck", "(k), ck, v", "nope", "")).append(")");
        b.append(")");
        if (r.nextInt(3) == 0) {
            b.append(" WITH ").append(pick("default_time_to_live = " + literal(), "gc_grace_seconds = " + literal(),
                    "comment = " + literal(), "compaction = {'class': " + pick("'SizeTieredCompactionStrategy'",
                            "'LeveledCompactionStrategy'", "'Nope'", literal()) + "}",
                    "speculative_retry = " + pick("'99p'", "'100p'", "'ALWAYS'", "'5ms'", literal()),
                    "CLUSTERING ORDER BY (ck DESC)", "nope = 1", "caching = {'keys': 'ALL'}"));
        }
        return b.toString();
    }

    private String alterTable() {
        return "ALTER TABLE " + table() + pick(" ADD " + ident() + " " + pick(TYPES), " DROP " + column(),
                " ADD (a int, b text)", " WITH gc_grace_seconds = " + literal(), " WITH comment = " + literal(),
                " RENAME k TO k2", " ALTER v TYPE text");
    }

    private String role() {
        String opts = " WITH " + pick("PASSWORD = " + literal(), "LOGIN = " + pick("true", "false", literal()),
                "SUPERUSER = " + pick("true", "false", literal()), "PASSWORD = 'p' AND LOGIN = true AND SUPERUSER = " + pick("true", "false"),
                "OPTIONS = {}", "nope = 1");
        return switch (r.nextInt(6)) {
            case 0 -> "CREATE " + pick("ROLE ", "USER ", "ROLE IF NOT EXISTS ") + roleName() + (r.nextBoolean() ? opts : "");
            case 1 -> "ALTER " + pick("ROLE ", "USER ") + roleName() + opts;
            case 2 -> "DROP " + pick("ROLE ", "USER ", "ROLE IF EXISTS ") + roleName();
            case 3 -> "GRANT " + roleName() + " TO " + roleName();
            case 4 -> "REVOKE " + roleName() + " FROM " + roleName();
            default -> "LIST ROLES OF " + roleName();
        };
    }

    private String grant() {
        String on = pick("ALL KEYSPACES", "KEYSPACE " + keyspace(), "TABLE " + table(), table(), "ROLE r1", "ALL FUNCTIONS");
        return r.nextBoolean() ? "GRANT " + pick(PERMISSIONS) + " ON " + on + " TO " + roleName()
                : "REVOKE " + pick(PERMISSIONS) + " ON " + on + " FROM " + roleName();
    }

    /** Deep nesting: parentheses, collection literals, or casts around a literal. */
    private String nested() {
        int depth = pick(new int[] {10, 100, 1000, 5000, 20000});
        String open = pick("(", "[", "{", "(int)", "{'a': ");
        String close = switch (open) {
            case "(" -> ")";
            case "[" -> "]";
            case "{" -> "}";
            case "(int)" -> "";
            default -> "}";
        };
        String inner = open.repeat(depth) + "1" + close.repeat(depth);
        return pick("SELECT * FROM fz.t WHERE k = " + inner, "INSERT INTO fz.t (k, v) VALUES ('a', " + inner + ")",
                "UPDATE fz.l SET l = " + inner + " WHERE k = 'a'", "SELECT " + inner + " FROM fz.t",
                "BEGIN BATCH ".repeat(depth / 10 + 1) + "APPLY BATCH");
    }

    private String randomText() {
        int n = r.nextInt(200);
        StringBuilder b = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            b.append(switch (r.nextInt(4)) {
                case 0 -> (char) (32 + r.nextInt(95));
                case 1 -> (char) r.nextInt(0x10000);
                case 2 -> pick(" SELECT ", " FROM ", " WHERE ", "'", "\"", "--", "/*", "*/", "$$", ";", "?", ":x", "\n");
                default -> pick(" ", "k", "1", "(", ")", ",");
            });
        }
        return b.toString();
    }

    String literal() {
        return switch (r.nextInt(24)) {
            case 0 -> Integer.toString(r.nextInt());
            case 1 -> Long.toString(r.nextLong());
            case 2 -> "99999999999999999999999999999";
            case 3 -> Double.toString(r.nextDouble() * 1e300);
            case 4 -> pick("NaN", "Infinity", "-Infinity", "-0.0", "1e400", "1.", ".5", "0x", "0xZZ");
            case 5 -> quote(randomString(r.nextInt(20)));
            case 6 -> "''";
            case 7 -> quote("x".repeat(pick(new int[] {1000, 70_000, 300_000})));
            case 8 -> "0x" + "ab".repeat(r.nextInt(50));
            case 9 -> java.util.UUID.randomUUID().toString();
            case 10 -> pick("true", "false", "null", "NULL", "unset");
            case 11 -> "[" + literals(r.nextInt(4)) + "]";
            case 12 -> "{" + literals(r.nextInt(4)) + "}";
            case 13 -> mapLiteral(0);
            case 14 -> pick("?", ":name", ":k", "?");
            case 15 -> quote(pick("2026-11-20T00:00:01Z", "2026-13-40", "1970-01-01", "12:00:00", "25:61:00", "127.0.0.1",
                    "::1", "999.1.1.1", "not-a-uuid"));
            case 16 -> "$$" + randomString(10).replace("$", "") + "$$";
            case 17 -> "(" + literal() + ", " + literal() + ")";
            case 18 -> "(" + pick("int", "text", "blob", "nope") + ") " + literal();
            case 19 -> pick("now()", "uuid()", "toTimestamp(now())", "token('a')", "nope(1)", "minTimeuuid('x')");
            case 20 -> "-" + r.nextInt(1000);
            default -> Integer.toString(r.nextInt(10));
        };
    }

    private String literals(int n) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) out.add(r.nextInt(3) == 0 ? literal() : pick("'a'", "1", "'b'", "2"));
        return String.join(", ", out);
    }

    private String mapLiteral(int depth) {
        int n = r.nextInt(3);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) out.add(pick("'a'", "'class'", "1", literal()) + ": " + (depth < 2 && r.nextBoolean() ? mapLiteral(depth + 1) : literal()));
        return "{" + String.join(", ", out) + "}";
    }

    private String jsonish() {
        return pick("{\"k\": \"a\", \"v\": 1}", "{\"k\": 1}", "{}", "[]", "{\"k\": \"a\", \"nope\": 1}", "{\"k\": ",
                "{\"k\": \"a\", \"v\": \"x\"}", "null", "{\"k\": \"a\", \"v\": 99999999999999}", randomString(20));
    }

    private String table() {
        return r.nextInt(10) == 0 ? ident() : pick(TABLES);
    }

    private String column() {
        return r.nextInt(10) == 0 ? ident() : pick(COLUMNS);
    }

    private String keyspace() {
        return r.nextInt(10) == 0 ? ident() : pick(KEYSPACES);
    }

    private String roleName() {
        return pick(ROLES);
    }

    private String ident() {
        return switch (r.nextInt(5)) {
            case 0 -> "\"" + randomString(8).replace("\"", "\"\"") + "\"";
            case 1 -> "a".repeat(pick(new int[] {49, 300, 70_000}));
            case 2 -> pick("select", "token", "key", "ttl", "writetime", "system", "primary");
            default -> "i" + Integer.toHexString(r.nextInt(1 << 16));
        };
    }

    private String randomString(int n) {
        StringBuilder b = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            b.append(r.nextInt(4) == 0 ? (char) r.nextInt(0x10000) : (char) (32 + r.nextInt(95)));
        }
        return b.toString();
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "''") + "'";
    }

    /** A token-level mutation of {@code cql}, or raw text surgery when the statement has few tokens. */
    String mutate(String cql) {
        List<String> tokens = new ArrayList<>();
        Matcher m = TOKEN.matcher(cql);
        while (m.find()) tokens.add(m.group());
        if (tokens.size() < 2) return cql + pick(" ", "'", "(", ";", literal());
        int i = r.nextInt(tokens.size());
        switch (r.nextInt(8)) {
            case 0 -> tokens.remove(i);
            case 1 -> tokens.add(i, tokens.get(i));
            case 2 -> Collections.swap(tokens, i, r.nextInt(tokens.size()));
            case 3 -> tokens.set(i, literal());
            case 4 -> tokens.add(i, pick("(", ")", ",", ";", "'", "\"", "?", "*", "WHERE", "AND", "IF", "--", "/*", "=", "."));
            case 5 -> {
                return cql.substring(0, r.nextInt(cql.length() + 1)); // truncated
            }
            case 6 -> tokens.set(i, tokens.get(i).toLowerCase(java.util.Locale.ROOT).repeat(1 + r.nextInt(3)));
            default -> tokens.set(i, column());
        }
        return String.join(" ", tokens);
    }

    @SafeVarargs
    private <T> T pick(T... options) {
        return options[r.nextInt(options.length)];
    }

    private int pick(int[] options) {
        return options[r.nextInt(options.length)];
    }
}
