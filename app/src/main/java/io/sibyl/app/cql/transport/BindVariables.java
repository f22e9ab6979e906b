package io.sibyl.app.cql.transport;

import io.sibyl.actors.schema.KeyspaceMetadata;
import io.sibyl.actors.schema.Schema;
import io.sibyl.app.cql.ast.Assignment;
import io.sibyl.app.cql.ast.Batch;
import io.sibyl.app.cql.ast.Condition;
import io.sibyl.app.cql.ast.Delete;
import io.sibyl.app.cql.ast.Deletion;
import io.sibyl.app.cql.ast.Insert;
import io.sibyl.app.cql.ast.InsertJson;
import io.sibyl.app.cql.ast.Modification;
import io.sibyl.app.cql.ast.Operator;
import io.sibyl.app.cql.ast.QualifiedName;
import io.sibyl.app.cql.ast.Relation;
import io.sibyl.app.cql.ast.Select;
import io.sibyl.app.cql.ast.Statement;
import io.sibyl.app.cql.ast.Term;
import io.sibyl.app.cql.ast.Using;
import io.sibyl.app.errors.InvalidRequestException;
import io.sibyl.storage.schema.ColumnMetadata;
import io.sibyl.storage.schema.TableMetadata;
import io.sibyl.storage.types.BigintType;
import io.sibyl.storage.types.CqlType;
import io.sibyl.storage.types.CqlTypes;
import io.sibyl.storage.types.IntType;
import io.sibyl.storage.types.ListType;
import io.sibyl.storage.types.MapType;
import io.sibyl.storage.types.SetType;
import io.sibyl.storage.types.TextType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The type of every bind marker of a statement, found from the column that receives it, as
 * Cassandra reports them in a PREPARED result ({@code [limit]}, {@code [ttl]}, {@code [timestamp]},
 * {@code in(c)} for the special ones): the protocol's values are binary, so the server must know
 * a marker's type to decode it, and the driver must know it to encode it. Also the variable indexes
 * of the partition key columns, which the driver needs for token-aware routing.
 */
final class BindVariables {

    /** One marker's receiver. */
    record Variable(String keyspace, String table, String name, CqlType type) {}

    /** The variables by marker index, and the partition key's variable indexes (empty when not all bound). */
    record Analysis(List<Variable> variables, int[] partitionKeyIndexes) {}

    private final Schema schema;
    private final String sessionKeyspace;
    private final Variable[] found;
    private int[] pkIndexes = new int[0];

    private BindVariables(Schema schema, String sessionKeyspace, int markerCount) {
        this.schema = schema;
        this.sessionKeyspace = sessionKeyspace;
        this.found = new Variable[markerCount];
    }

    /** @throws InvalidRequestException when a table or column does not exist, or a marker's type cannot be told */
    static Analysis of(Statement statement, Schema schema, String sessionKeyspace) {
        int count = statement.bindCount();
        if (count == 0) {
            return new Analysis(List.of(), new int[0]);
        }
        BindVariables v = new BindVariables(schema, sessionKeyspace, count);
        v.statement(statement);
        List<Variable> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            if (v.found[i] == null) {
                throw new InvalidRequestException("cannot infer the type of bind marker " + (i + 1)
                        + " (a marker is supported where a column, LIMIT, TTL or TIMESTAMP receives it)");
            }
            out.add(v.found[i]);
        }
        return new Analysis(List.copyOf(out), v.pkIndexes);
    }

    private void statement(Statement s) {
        if (s instanceof Batch b) {
            special(b.timestamp(), null, "[timestamp]", BigintType.INSTANCE);
            for (Modification m : b.statements()) {
                statement(m);
            }
            pkIndexes = new int[0]; // a batch is routed by the driver, not by one key
        } else if (s instanceof Insert i) {
            TableMetadata t = table(i.table());
            for (int c = 0; c < i.columns().size() && c < i.values().size(); c++) {
                ColumnMetadata col = column(t, i.columns().get(c));
                receive(i.values().get(c), t, col.name(), col.type());
            }
            using(i.using(), t);
            pkIndexes = partitionKeyIndexes(t, i.columns(), i.values());
        } else if (s instanceof InsertJson i) {
            TableMetadata t = table(i.table());
            receive(i.json(), t, "[json]", TextType.INSTANCE);
            using(i.using(), t);
        } else if (s instanceof io.sibyl.app.cql.ast.Update u) {
            TableMetadata t = table(u.table());
            using(u.using(), t);
            for (Assignment a : u.assignments()) {
                ColumnMetadata col = column(t, a.column());
                if (a instanceof Assignment.SetElement e) {
                    receive(e.key(), t, "key(" + col.name() + ")", elementKeyType(col));
                    receive(e.value(), t, "value(" + col.name() + ")", elementValueType(col));
                } else if (a instanceof Assignment.Subtract && col.type() instanceof MapType m) {
                    receive(a.value(), t, col.name(), CqlTypes.set(m.keyType()));
                } else {
                    receive(a.value(), t, col.name(), col.type());
                }
            }
            relations(u.where(), t);
            conditions(u.conditions(), t);
            pkIndexes = partitionKeyIndexes(t, u.where());
        } else if (s instanceof Delete d) {
            TableMetadata t = table(d.table());
            for (Deletion target : d.targets()) {
                if (target.key() != null) {
                    ColumnMetadata col = column(t, target.column());
                    receive(target.key(), t, "key(" + col.name() + ")", elementKeyType(col));
                }
            }
            using(d.using(), t);
            relations(d.where(), t);
            conditions(d.conditions(), t);
            pkIndexes = partitionKeyIndexes(t, d.where());
        } else if (s instanceof Select sel) {
            TableMetadata t = table(sel.table());
            relations(sel.where(), t);
            special(sel.perPartitionLimit(), t, "[per_partition_limit]", IntType.INSTANCE);
            special(sel.limit(), t, "[limit]", IntType.INSTANCE);
            pkIndexes = partitionKeyIndexes(t, sel.where());
        }
    }

    private void using(Using using, TableMetadata t) {
        special(using.ttl(), t, "[ttl]", IntType.INSTANCE);
        special(using.timestamp(), t, "[timestamp]", BigintType.INSTANCE);
    }

    private void special(Term term, TableMetadata t, String name, CqlType type) {
        if (term instanceof Term.BindMarker m) {
            put(m, t, name, type);
        }
    }

    private void relations(List<Relation> where, TableMetadata t) {
        for (Relation r : where) {
            if (r instanceof Relation.SingleColumn sc) {
                ColumnMetadata col = column(t, sc.column());
                CqlType type = switch (sc.operator()) {
                    case CONTAINS -> elementValueTypeForContains(col);
                    case CONTAINS_KEY -> elementKeyType(col);
                    default -> col.type();
                };
                if (sc.operator() == Operator.IN) {
                    if (sc.value() instanceof Term.BindMarker m) {
                        put(m, t, "in(" + col.name() + ")", CqlTypes.list(type));
                    } else {
                        receive(sc.value(), t, col.name(), CqlTypes.list(type));
                    }
                } else {
                    receive(sc.value(), t, col.name(), type);
                }
            } else if (r instanceof Relation.Token tk) {
                receive(tk.value(), t, "partition key token", BigintType.INSTANCE);
            } else if (r instanceof Relation.MultiColumn mc && mc.value() instanceof Term.TupleLiteral tuple) {
                for (int i = 0; i < tuple.elements().size() && i < mc.columns().size(); i++) {
                    ColumnMetadata col = column(t, mc.columns().get(i));
                    receive(tuple.elements().get(i), t, col.name(), col.type());
                }
            }
        }
    }

    private void conditions(List<Condition> conditions, TableMetadata t) {
        for (Condition c : conditions) {
            ColumnMetadata col = column(t, c.column());
            CqlType type = col.type();
            if (c.element() != null) {
                receive(c.element(), t, "key(" + col.name() + ")", elementKeyType(col));
                type = elementValueType(col);
            }
            if (c.operator() == Operator.IN) {
                if (c.value() instanceof Term.BindMarker m) {
                    put(m, t, "in(" + col.name() + ")", CqlTypes.list(type));
                } else {
                    receive(c.value(), t, col.name(), CqlTypes.list(type));
                }
            } else {
                receive(c.value(), t, col.name(), type);
            }
        }
    }

    /** A term received by a column of {@code type}: a marker, or markers inside a collection literal. */
    private void receive(Term term, TableMetadata t, String name, CqlType type) {
        if (term instanceof Term.BindMarker m) {
            put(m, t, name, type);
        } else if (term instanceof Term.ListLiteral l) {
            CqlType e = type instanceof ListType lt ? lt.elementType() : type instanceof SetType st ? st.elementType() : null;
            if (e != null) l.elements().forEach(x -> receive(x, t, name, e));
        } else if (term instanceof Term.SetLiteral s) {
            CqlType e = type instanceof SetType st ? st.elementType() : type instanceof ListType lt ? lt.elementType() : null;
            if (e != null) s.elements().forEach(x -> receive(x, t, name, e));
        } else if (term instanceof Term.MapLiteral m && type instanceof MapType mt) {
            for (Term.Entry e : m.entries()) {
                receive(e.key(), t, name, mt.keyType());
                receive(e.value(), t, name, mt.valueType());
            }
        } else if (term instanceof Term.TypeCast c) {
            try {
                receive(c.term(), t, name, CqlTypes.parse(c.type()));
            } catch (IllegalArgumentException e) {
                throw new InvalidRequestException("Unknown type " + c.type());
            }
        }
    }

    private void put(Term.BindMarker m, TableMetadata t, String name, CqlType type) {
        found[m.index()] = new Variable(t == null ? "" : t.keyspace(), t == null ? "" : t.name(),
                m.name() != null ? m.name() : name, type);
    }

    private static CqlType elementKeyType(ColumnMetadata col) {
        if (col.type() instanceof MapType m) return m.keyType();
        if (col.type() instanceof ListType) return IntType.INSTANCE;
        if (col.type() instanceof SetType s) return s.elementType();
        throw new InvalidRequestException("Invalid element access on column " + col.name() + " of type "
                + col.type().cqlName());
    }

    private static CqlType elementValueType(ColumnMetadata col) {
        if (col.type() instanceof MapType m) return m.valueType();
        if (col.type() instanceof ListType l) return l.elementType();
        throw new InvalidRequestException("Invalid element access on column " + col.name() + " of type "
                + col.type().cqlName());
    }

    private static CqlType elementValueTypeForContains(ColumnMetadata col) {
        if (col.type() instanceof SetType s) return s.elementType();
        return elementValueType(col);
    }

    private int[] partitionKeyIndexes(TableMetadata t, List<String> columns, List<Term> values) {
        List<ColumnMetadata> pk = t.partitionKeyColumns();
        int[] out = new int[pk.size()];
        for (int p = 0; p < pk.size(); p++) {
            int c = columns.indexOf(pk.get(p).name());
            if (c < 0 || c >= values.size() || !(values.get(c) instanceof Term.BindMarker m)) {
                return new int[0];
            }
            out[p] = m.index();
        }
        return out;
    }

    private int[] partitionKeyIndexes(TableMetadata t, List<Relation> where) {
        List<ColumnMetadata> pk = t.partitionKeyColumns();
        int[] out = new int[pk.size()];
        Arrays.fill(out, -1);
        for (Relation r : where) {
            if (r instanceof Relation.SingleColumn sc && sc.operator() == Operator.EQ
                    && sc.value() instanceof Term.BindMarker m) {
                for (int p = 0; p < pk.size(); p++) {
                    if (pk.get(p).name().equals(sc.column())) out[p] = m.index();
                }
            }
        }
        for (int i : out) {
            if (i < 0) return new int[0];
        }
        return out;
    }

    private TableMetadata table(QualifiedName name) {
        String ks = name.keyspace() != null ? name.keyspace() : sessionKeyspace;
        if (ks == null || ks.isEmpty()) {
            throw new InvalidRequestException(
                    "No keyspace has been specified. USE a keyspace, or explicitly specify keyspace.tablename");
        }
        KeyspaceMetadata keyspace = schema.keyspace(ks);
        if (keyspace == null) {
            throw new InvalidRequestException("Keyspace '" + ks + "' does not exist");
        }
        TableMetadata table = keyspace.table(name.name());
        if (table == null) {
            throw new InvalidRequestException("unconfigured table " + name.name());
        }
        return table;
    }

    private static ColumnMetadata column(TableMetadata t, String name) {
        ColumnMetadata c = t.column(name);
        if (c == null) {
            throw new InvalidRequestException("Undefined column name " + name);
        }
        return c;
    }
}
