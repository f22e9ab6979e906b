package io.sibyl.app.cql.transport;

import com.datastax.oss.protocol.internal.response.result.ColumnSpec;
import com.datastax.oss.protocol.internal.response.result.DefaultRows;
import com.datastax.oss.protocol.internal.response.result.Rows;
import com.datastax.oss.protocol.internal.response.result.RowsMetadata;
import io.sibyl.actors.schema.KeyspaceMetadata;
import io.sibyl.actors.schema.Schema;
import io.sibyl.app.cql.schema.CqlDescriber;
import io.sibyl.app.errors.InvalidRequestException;
import io.sibyl.app.errors.SyntaxErrorException;
import io.sibyl.storage.schema.TableMetadata;
import io.sibyl.storage.types.CqlType;
import io.sibyl.storage.types.CqlTypes;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Queue;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Cassandra 4's server-side {@code DESCRIBE} statements, which cqlsh 6 (Cassandra 4.0 and later) sends to
 * the server instead of building the text from the driver's metadata:
 * {@code DESCRIBE [FULL] SCHEMA}, {@code KEYSPACES}, {@code [ONLY] KEYSPACE [ks]}, {@code TABLES},
 * {@code TABLE [ks.]t}, {@code TYPES/FUNCTIONS/AGGREGATES} (none: Sibyl has no such objects),
 * {@code CLUSTER}, and {@code DESCRIBE name} (a keyspace, else a table of the current keyspace), each with
 * an optional {@code WITH INTERNALS} (ignored). The result columns are Cassandra's:
 * {@code keyspace_name, type, name} for the lists, plus {@code create_statement} for elements, and
 * {@code cluster, partitioner, snitch} for the cluster. All rows come in one page.
 */
final class NativeDescribe {
    private NativeDescribe() {}

    private static final Pattern START = Pattern.compile("^\\s*(?i:desc|describe)(\\s|;|$)");

    /** Whether the statement is a DESCRIBE (the CQL parser does not know it). */
    static boolean isDescribe(String query) {
        return query != null && START.matcher(query).find();
    }

    private static final CqlType TEXT = CqlTypes.parse("text");

    /**
     * The rows of a DESCRIBE.
     *
     * @param currentKeyspace the connection's keyspace (USE), or null
     */
    static Rows describe(String query, Schema schema, String currentKeyspace, String clusterName) {
        List<String> words = tokens(query);
        int i = 1;
        boolean full = false;
        boolean only = false;
        if (i < words.size() && words.get(i).equalsIgnoreCase("full")) {
            full = true;
            i++;
        }
        if (i < words.size() && words.get(i).equalsIgnoreCase("only")) {
            only = true;
            i++;
        }
        if (i >= words.size()) {
            throw syntax(query);
        }
        String what = words.get(i).toLowerCase(Locale.ROOT);
        List<String> rest = new ArrayList<>(words.subList(i + 1, words.size()));
        // WITH INTERNALS: Sibyl's text has nothing internal to add
        if (rest.size() >= 2 && rest.get(rest.size() - 2).equalsIgnoreCase("with")
                && rest.get(rest.size() - 1).equalsIgnoreCase("internals")) {
            rest = rest.subList(0, rest.size() - 2);
        }
        if (full && !what.equals("schema")) throw syntax(query);
        if (only && !what.equals("keyspace")) throw syntax(query);
        switch (what) {
            case "schema" -> {
                noMore(rest, query);
                Elements out = new Elements();
                for (String ks : keyspaceNames(schema)) {
                    if (full || !SystemTables.isSystemKeyspace(ks)) keyspace(out, schema, ks, false);
                }
                return out.rows();
            }
            case "keyspaces" -> {
                noMore(rest, query);
                Names out = new Names();
                for (String ks : keyspaceNames(schema)) out.add(ks, "keyspace", ks);
                return out.rows();
            }
            case "tables", "columnfamilies" -> {
                noMore(rest, query);
                Names out = new Names();
                for (String ks : keyspaceNames(schema)) {
                    if (currentKeyspace != null && !currentKeyspace.equals(ks)) continue;
                    for (String t : tableNames(schema, ks)) out.add(ks, "table", t);
                }
                return out.rows();
            }
            case "types", "functions", "aggregates" -> {
                noMore(rest, query);
                return new Names().rows();
            }
            case "cluster" -> {
                noMore(rest, query);
                return cluster(clusterName);
            }
            case "keyspace" -> {
                String ks = rest.isEmpty() ? currentKeyspace : single(rest, query);
                if (ks == null) throw new InvalidRequestException("No keyspace specified and no current keyspace");
                Elements out = new Elements();
                keyspace(out, schema, identifier(ks), only);
                return out.rows();
            }
            case "table", "columnfamily" -> {
                String[] name = qualified(single(rest, query), currentKeyspace);
                Elements out = new Elements();
                table(out, schema, name[0], name[1]);
                return out.rows();
            }
            case "type", "function", "aggregate", "index" -> {
                String[] name = qualified(single(rest, query), currentKeyspace);
                throw new InvalidRequestException(capitalized(what) + " '" + name[1] + "' not found in keyspace '"
                        + name[0] + "' (Sibyl has no user types, functions, aggregates or secondary indexes)");
            }
            case "materialized" -> {
                if (rest.size() != 2 || !rest.get(0).equalsIgnoreCase("view")) throw syntax(query);
                String[] name = qualified(rest.get(1), currentKeyspace);
                throw new InvalidRequestException("Materialized view '" + name[1] + "' not found in keyspace '"
                        + name[0] + "' (Sibyl has no materialized views)");
            }
            default -> {
                // DESCRIBE name: a keyspace, else a table (of the current keyspace unless qualified)
                noMore(rest, query);
                String raw = words.get(i);
                Elements out = new Elements();
                if (!raw.contains(".")) {
                    String ks = identifier(raw);
                    if (schema.keyspace(ks) != null || keyspaceNames(schema).contains(ks)) {
                        keyspace(out, schema, ks, false);
                        return out.rows();
                    }
                    if (currentKeyspace == null) {
                        throw new InvalidRequestException("'" + ks + "' not found in keyspaces");
                    }
                }
                String[] name = qualified(raw, currentKeyspace);
                if (schema.table(name[0], name[1]) == null && SystemTables.systemTable(name[0], name[1]) == null) {
                    throw new InvalidRequestException("'" + name[1] + "' not found in keyspace '" + name[0] + "'");
                }
                table(out, schema, name[0], name[1]);
                return out.rows();
            }
        }
    }

    private static void keyspace(Elements out, Schema schema, String ks, boolean only) {
        KeyspaceMetadata meta = schema.keyspace(ks);
        if (meta != null) {
            out.add(ks, "keyspace", ks, CqlDescriber.keyspace(meta));
        } else if (SystemTables.LOCAL_SYSTEM_KEYSPACES.contains(ks)) {
            out.add(ks, "keyspace", ks, "CREATE KEYSPACE " + ks
                    + " WITH replication = {'class': 'org.apache.cassandra.locator.LocalStrategy'} AND durable_writes = true;");
        } else if (ks.equals("system_virtual_schema")) {
            out.add(ks, "keyspace", ks, "/*\nWarning: Keyspace system_virtual_schema is a virtual keyspace and cannot be "
                    + "recreated with CQL.\nStructure, for reference:\nVIRTUAL KEYSPACE system_virtual_schema;\n*/");
        } else {
            throw new InvalidRequestException("Keyspace '" + ks + "' not found");
        }
        if (only) return;
        for (String t : tableNames(schema, ks)) table(out, schema, ks, t);
    }

    private static void table(Elements out, Schema schema, String ks, String name) {
        TableMetadata t = schema.table(ks, name);
        if (t != null) {
            out.add(ks, "table", name, CqlDescriber.table(t));
            return;
        }
        SystemTables.SystemTable st = SystemTables.systemTable(ks, name);
        if (st != null) {
            out.add(ks, "table", name, ks.equals("system_virtual_schema")
                    ? "/*\nWarning: Table " + ks + "." + name + " is a virtual table and cannot be recreated with CQL.\n"
                            + "Structure, for reference:\nVIRTUAL " + st.createStatement().substring("CREATE ".length()) + "\n*/"
                    : st.createStatement());
            return;
        }
        if (schema.keyspace(ks) == null && !SystemTables.isSystemKeyspace(ks)) {
            throw new InvalidRequestException("Keyspace '" + ks + "' not found");
        }
        throw new InvalidRequestException("Table '" + name + "' not found in keyspace '" + ks + "'");
    }

    private static List<String> keyspaceNames(Schema schema) {
        List<String> names = new ArrayList<>(SystemTables.LOCAL_SYSTEM_KEYSPACES);
        names.add("system_virtual_schema");
        for (String ks : schema.keyspaces().keySet()) {
            if (!names.contains(ks)) names.add(ks);
        }
        names.sort(null);
        return names;
    }

    private static List<String> tableNames(Schema schema, String ks) {
        List<String> names = new ArrayList<>();
        KeyspaceMetadata meta = schema.keyspace(ks);
        if (meta != null) names.addAll(meta.tables().keySet());
        for (SystemTables.SystemTable t : SystemTables.systemTables()) {
            if (t.keyspace().equals(ks)) names.add(t.name());
        }
        names.sort(null);
        return names;
    }

    private static Rows cluster(String clusterName) {
        List<ColumnSpec> specs = List.of(spec("cluster", 0), spec("partitioner", 1), spec("snitch", 2));
        Queue<List<ByteBuffer>> data = new ArrayDeque<>();
        data.add(List.of(text(clusterName), text(SystemTables.PARTITIONER),
                text("org.apache.cassandra.locator.GossipingPropertyFileSnitch")));
        return new DefaultRows(new RowsMetadata(specs, null, new int[0], null), data);
    }

    /** Rows of keyspace_name, type, name. */
    private static final class Names {
        private final Queue<List<ByteBuffer>> data = new ArrayDeque<>();

        void add(String ks, String type, String name) {
            data.add(List.of(text(ks), text(type), text(name)));
        }

        Rows rows() {
            List<ColumnSpec> specs = List.of(spec("keyspace_name", 0), spec("type", 1), spec("name", 2));
            return new DefaultRows(new RowsMetadata(specs, null, new int[0], null), data);
        }
    }

    /** Rows of keyspace_name, type, name, create_statement. */
    private static final class Elements {
        private final Queue<List<ByteBuffer>> data = new ArrayDeque<>();

        void add(String ks, String type, String name, String create) {
            data.add(List.of(text(ks), text(type), text(name), text(create)));
        }

        Rows rows() {
            List<ColumnSpec> specs = List.of(spec("keyspace_name", 0), spec("type", 1), spec("name", 2),
                    spec("create_statement", 3));
            return new DefaultRows(new RowsMetadata(specs, null, new int[0], null), data);
        }
    }

    private static ColumnSpec spec(String name, int index) {
        return new ColumnSpec("system", "describe", name, index, NativeTypes.rawType(TEXT));
    }

    private static ByteBuffer text(String s) {
        return ByteBuffer.wrap(TEXT.serialize(s));
    }

    private static final Pattern TOKEN = Pattern.compile("\"((?:[^\"]|\"\")*)\"(?:\\.\"((?:[^\"]|\"\")*)\"|\\.([^\\s;\"]+))?|[^\\s;]+");

    /** Words of the statement; a quoted identifier keeps its quotes (see {@link #identifier}). */
    private static List<String> tokens(String query) {
        List<String> out = new ArrayList<>();
        Matcher m = TOKEN.matcher(query);
        while (m.find()) out.add(m.group());
        return out;
    }

    /** An identifier as the schema names it: unquoted ones are case-insensitive, quoted ones exact. */
    private static String identifier(String word) {
        if (word.length() >= 2 && word.startsWith("\"") && word.endsWith("\"")) {
            return word.substring(1, word.length() - 1).replace("\"\"", "\"");
        }
        return word.toLowerCase(Locale.ROOT);
    }

    /** keyspace and name of {@code [ks.]name}. */
    private static String[] qualified(String word, String currentKeyspace) {
        int dot = dotOutsideQuotes(word);
        if (dot < 0) {
            if (currentKeyspace == null) {
                throw new InvalidRequestException("No keyspace specified and no current keyspace");
            }
            return new String[] {currentKeyspace, identifier(word)};
        }
        return new String[] {identifier(word.substring(0, dot)), identifier(word.substring(dot + 1))};
    }

    private static int dotOutsideQuotes(String word) {
        boolean quoted = false;
        for (int i = 0; i < word.length(); i++) {
            char c = word.charAt(i);
            if (c == '"') quoted = !quoted;
            else if (c == '.' && !quoted) return i;
        }
        return -1;
    }

    private static String single(List<String> rest, String query) {
        if (rest.size() != 1) throw syntax(query);
        return rest.get(0);
    }

    private static void noMore(List<String> rest, String query) {
        if (!rest.isEmpty()) throw syntax(query);
    }

    private static String capitalized(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    private static SyntaxErrorException syntax(String query) {
        return new SyntaxErrorException("line 1:0 no viable alternative for DESCRIBE statement: " + query.strip(), 1, 1);
    }
}
