package io.sibyl.app.cql.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sibyl.app.cql.ast.AlterTable;
import io.sibyl.app.cql.ast.Assignment;
import io.sibyl.app.cql.ast.Batch;
import io.sibyl.app.cql.ast.BatchType;
import io.sibyl.app.cql.ast.ColumnDefinition;
import io.sibyl.app.cql.ast.Condition;
import io.sibyl.app.cql.ast.CreateKeyspace;
import io.sibyl.app.cql.ast.CreateTable;
import io.sibyl.app.cql.ast.Delete;
import io.sibyl.app.cql.ast.Deletion;
import io.sibyl.app.cql.ast.Insert;
import io.sibyl.app.cql.ast.Literal;
import io.sibyl.app.cql.ast.Modification;
import io.sibyl.app.cql.ast.Operator;
import io.sibyl.app.cql.ast.Ordering;
import io.sibyl.app.cql.ast.QualifiedName;
import io.sibyl.app.cql.ast.Relation;
import io.sibyl.app.cql.ast.Select;
import io.sibyl.app.cql.ast.Selectable;
import io.sibyl.app.cql.ast.Selector;
import io.sibyl.app.cql.ast.SortOrder;
import io.sibyl.app.cql.ast.Statement;
import io.sibyl.app.cql.ast.Term;
import io.sibyl.app.cql.ast.Update;
import io.sibyl.app.cql.ast.Using;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Generated statements (without bind markers, whose indices depend on printing order) printed with
 * {@code toCql()} parse back to the same AST.
 */
class CqlRoundTripPropertyTest {

    @Property(tries = 500, edgeCases = EdgeCasesMode.NONE)
    void printedStatementsParseBackEqual(@ForAll("statements") Statement statement) {
        String cql = statement.toCql();
        assertEquals(statement, CqlParser.parse(cql), cql);
    }

    @Property(tries = 500, edgeCases = EdgeCasesMode.NONE)
    void printedTermsParseBackEqual(@ForAll("terms") Term term) {
        String cql = "INSERT INTO t (c) VALUES (" + term.toCql() + ")";
        assertEquals(term, ((Insert) CqlParser.parse(cql)).values().get(0), cql);
    }

    @Provide
    Arbitrary<Statement> statements() {
        return Arbitraries.oneOf(select(), modification().map(m -> (Statement) m), createTable(), createKeyspace(),
                alterTable(), batch());
    }

    @Provide
    Arbitrary<Term> terms() {
        return term(2);
    }

    // ---- names -----------------------------------------------------------------------------------

    private static Arbitrary<String> name() {
        return Arbitraries.oneOf(
                Arbitraries.of("k", "ck", "value", "key", "ttl", "count", "type", "text", "writetime",
                        "exists", "distinct", "json", "static", "MixedCase", "with space", "select", "from",
                        "quote\"d", "1st", "token", "where"),
                Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(6));
    }

    private static Arbitrary<QualifiedName> table() {
        return Combinators.combine(name().injectNull(0.5), name()).as(QualifiedName::new);
    }

    private static Arbitrary<String> type() {
        Arbitrary<String> nativeType = Arbitraries.of("int", "text", "bigint", "timestamp", "uuid", "blob",
                "double", "decimal", "boolean", "varchar");
        return Arbitraries.oneOf(nativeType,
                nativeType.map(t -> "list<" + t + ">"),
                nativeType.map(t -> "frozen<set<" + t + ">>"),
                Combinators.combine(nativeType, nativeType).as((a, b) -> "map<" + a + ", frozen<list<" + b + ">>>"),
                Combinators.combine(nativeType, nativeType).as((a, b) -> "tuple<" + a + ", " + b + ">"));
    }

    // ---- terms -----------------------------------------------------------------------------------

    private static Arbitrary<Literal> literal() {
        return Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(8).map(Literal::string),
                Arbitraries.bigIntegers().between(new BigInteger("-99999999999999999999"),
                        new BigInteger("99999999999999999999")).map(Literal::integer),
                Combinators.combine(Arbitraries.longs(), Arbitraries.integers().between(-5, 8))
                        .as((unscaled, scale) -> Literal.decimal(BigDecimal.valueOf(unscaled, scale))),
                Arbitraries.of(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY).map(Literal::special),
                Arbitraries.of(true, false).map(Literal::bool),
                Arbitraries.randomValue(r -> new UUID(r.nextLong(), r.nextLong())).map(Literal::uuid),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(6).map(Literal::hex),
                Arbitraries.just(Literal.NULL));
    }

    private static Arbitrary<Term> term(int depth) {
        Arbitrary<Term> leaf = literal().map(l -> (Term) l);
        if (depth == 0) {
            return leaf;
        }
        Arbitrary<Term> inner = term(depth - 1);
        Arbitrary<List<Term>> elements = inner.list().ofMaxSize(3);
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(5, leaf),
                net.jqwik.api.Tuple.of(1, elements.map(Term.ListLiteral::new)),
                net.jqwik.api.Tuple.of(1, elements.map(Term.SetLiteral::new)),
                net.jqwik.api.Tuple.of(1, Combinators.combine(inner, inner).as(Term.Entry::new).list()
                        .ofMinSize(1).ofMaxSize(3).map(Term.MapLiteral::new)),
                net.jqwik.api.Tuple.of(1, elements.filter(l -> !l.isEmpty()).map(Term.TupleLiteral::new)),
                net.jqwik.api.Tuple.of(1, Combinators.combine(Arbitraries.of("now", "uuid", "totimestamp", "MyFn"),
                        elements).as(Term.FunctionCall::new)),
                net.jqwik.api.Tuple.of(1, Combinators.combine(type(), leaf).as(Term.TypeCast::new)));
    }

    private static Arbitrary<Term> intValue() {
        return Arbitraries.longs().between(0, 1_000_000).map(n -> (Term) Literal.integer(n));
    }

    // ---- clauses ---------------------------------------------------------------------------------

    private static Arbitrary<Relation> relation() {
        Arbitrary<Operator> cmp = Arbitraries.of(Operator.EQ, Operator.NEQ, Operator.LT, Operator.LTE, Operator.GT,
                Operator.GTE);
        Arbitrary<Term> value = term(1);
        Arbitrary<List<String>> names = name().list().ofMinSize(1).ofMaxSize(3);
        return Arbitraries.oneOf(
                Combinators.combine(name(), cmp, value).as(Relation.SingleColumn::new),
                Combinators.combine(name(), value.list().ofMaxSize(3)).as((c, vs) ->
                        new Relation.SingleColumn(c, Operator.IN, new Term.ListLiteral(vs))),
                Combinators.combine(name(), Arbitraries.of(Operator.CONTAINS, Operator.CONTAINS_KEY), value)
                        .as(Relation.SingleColumn::new),
                Combinators.combine(names, cmp, value.list().ofMinSize(1).ofMaxSize(3))
                        .as((cs, op, vs) -> new Relation.MultiColumn(cs, op, new Term.TupleLiteral(vs))),
                Combinators.combine(names, cmp, value).as(Relation.Token::new));
    }

    private static Arbitrary<Condition> condition() {
        return Combinators.combine(name(), term(0).injectNull(0.7),
                Arbitraries.of(Operator.EQ, Operator.NEQ, Operator.LT, Operator.GTE), term(1)).as(Condition::new);
    }

    private static Arbitrary<Using> using(boolean ttl) {
        return Combinators.combine(ttl ? intValue().injectNull(0.5) : Arbitraries.just(null),
                intValue().injectNull(0.5)).as(Using::new);
    }

    private static Arbitrary<Select> select() {
        Arbitrary<Selectable> selectable = Arbitraries.oneOf(
                name().map(Selectable.Column::new),
                name().list().ofMinSize(1).ofMaxSize(2).map(Selectable.Token::new),
                name().map(Selectable.WriteTime::new),
                name().map(Selectable.Ttl::new),
                Arbitraries.just(new Selectable.CountRows()),
                Combinators.combine(Arbitraries.of("max", "tojson", "Fn"),
                        name().map(n -> (Selectable) new Selectable.Column(n)).list().ofMaxSize(2))
                        .as(Selectable.Function::new),
                literal().filter(l -> !(l.value() instanceof Double)).map(Selectable.Value::new));
        Arbitrary<Selector> selector = Combinators.combine(selectable, name().injectNull(0.6)).as(Selector::new);
        Arbitrary<Ordering> ordering = Combinators.combine(name(), Arbitraries.of(SortOrder.class)).as(Ordering::new);
        return Combinators.combine(table(), Arbitraries.of(true, false), selector.list().ofMaxSize(3),
                relation().list().ofMaxSize(3), name().list().ofMaxSize(2), ordering.list().ofMaxSize(2),
                intValue().injectNull(0.6), intValue().injectNull(0.5))
                .as((t, distinct, sel, where, groupBy, orderBy, ppl, limit) ->
                        new Select(t, distinct, sel, where, groupBy, orderBy, ppl, limit, limit == null));
    }

    private static Arbitrary<Modification> modification() {
        Arbitrary<Modification> insert = Combinators.combine(table(), name().list().ofMinSize(1).ofMaxSize(3),
                term(2).list().ofMinSize(1).ofMaxSize(3), Arbitraries.of(true, false), using(true))
                .as(Insert::new);
        Arbitrary<Assignment> assignment = Arbitraries.oneOf(
                Combinators.combine(name(), term(2)).as(Assignment.SetValue::new),
                Combinators.combine(name(), term(0), term(1)).as(Assignment.SetElement::new),
                Combinators.combine(name(), term(1)).as(Assignment.Add::new),
                Combinators.combine(name(), term(1)).as(Assignment.Subtract::new),
                Combinators.combine(name(), term(1)).as(Assignment.Prepend::new));
        Arbitrary<Modification> update = Combinators.combine(table(), using(true), assignment.list().ofMinSize(1)
                        .ofMaxSize(3), relation().list().ofMinSize(1).ofMaxSize(2), Arbitraries.of(true, false),
                condition().list().ofMaxSize(2))
                .as((t, u, a, w, exists, conds) -> new Update(t, u, a, w, exists, exists ? List.of() : conds));
        Arbitrary<Deletion> deletion = Combinators.combine(name(), term(0).injectNull(0.6)).as(Deletion::new);
        Arbitrary<Modification> delete = Combinators.combine(deletion.list().ofMaxSize(2), table(), using(false),
                        relation().list().ofMinSize(1).ofMaxSize(2), Arbitraries.of(true, false),
                        condition().list().ofMaxSize(2))
                .as((d, t, u, w, exists, conds) -> new Delete(d, t, u, w, exists, exists ? List.of() : conds));
        return Arbitraries.oneOf(insert, update, delete);
    }

    private static Arbitrary<Batch> batch() {
        return Combinators.combine(Arbitraries.of(BatchType.class), intValue().injectNull(0.5),
                modification().list().ofMaxSize(3)).as(Batch::new);
    }

    private static Arbitrary<Map<String, Term>> options() {
        Arbitrary<Term> value = Arbitraries.oneOf(literal().map(l -> (Term) l),
                Combinators.combine(literal(), literal()).as((k, v) -> new Term.Entry(k, v)).list().ofMaxSize(3)
                        .map(Term.MapLiteral::new));
        return Arbitraries.maps(name(), value).ofMaxSize(3).map(LinkedHashMap::new);
    }

    private static Arbitrary<Statement> createKeyspace() {
        return Combinators.combine(name(), Arbitraries.of(true, false), options().filter(m -> !m.isEmpty()))
                .as(CreateKeyspace::new);
    }

    private static Arbitrary<Statement> createTable() {
        Arbitrary<ColumnDefinition> column = Combinators.combine(name(), type(), Arbitraries.of(true, false))
                .as(ColumnDefinition::new);
        Arbitrary<Ordering> ordering = Combinators.combine(name(), Arbitraries.of(SortOrder.class)).as(Ordering::new);
        return Combinators.combine(table(), Arbitraries.of(true, false), column.list().ofMinSize(1).ofMaxSize(4),
                name().list().ofMinSize(1).ofMaxSize(2), name().list().ofMaxSize(2), ordering.list().ofMaxSize(2),
                options())
                .as((t, ine, cols, pk, ck, order, opts) -> new CreateTable(t, ine, cols, pk, ck, order, opts));
    }

    private static Arbitrary<Statement> alterTable() {
        Arbitrary<AlterTable.Action> action = Arbitraries.oneOf(
                Combinators.combine(name(), type(), Arbitraries.of(true, false)).as(ColumnDefinition::new)
                        .list().ofMinSize(1).ofMaxSize(2).map(AlterTable.AddColumns::new),
                name().list().ofMinSize(1).ofMaxSize(2).map(AlterTable.DropColumns::new),
                options().filter(m -> !m.isEmpty()).map(AlterTable.SetOptions::new));
        return Combinators.combine(table(), action).as(AlterTable::new);
    }
}
