package io.sibyl.app.cql.parse;

import io.sibyl.app.cql.ast.CqlIdentifiers;
import io.sibyl.app.cql.ast.Ordering;
import io.sibyl.app.cql.ast.QualifiedName;
import io.sibyl.app.cql.ast.Relation;
import io.sibyl.app.cql.ast.Select;
import io.sibyl.app.cql.ast.Selectable;
import io.sibyl.app.cql.ast.Selector;
import io.sibyl.app.cql.ast.Term;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** SELECT and its selectors. */
final class SelectParser {

    private final TokenCursor cur;
    private final TermParser terms;
    private final RelationParser relations;

    SelectParser(TokenCursor cur, TermParser terms, RelationParser relations) {
        this.cur = cur;
        this.terms = terms;
        this.relations = relations;
    }

    /** After SELECT. */
    Select select() {
        boolean distinct = false;
        // DISTINCT is not reserved: "SELECT distinct FROM t" selects a column named distinct.
        if (cur.isKeyword("DISTINCT") && !cur.peek(1).isKeyword("FROM") && !cur.peek(1).isKeyword("AS")
                && cur.peek(1).type() != TokenType.COMMA) {
            cur.next();
            distinct = true;
        }
        List<Selector> selectors = new ArrayList<>();
        if (!cur.accept(TokenType.STAR)) {
            do {
                Selectable selectable = selectable();
                String alias = cur.acceptKeyword("AS") ? cur.identifier() : null;
                selectors.add(new Selector(selectable, alias));
            } while (cur.accept(TokenType.COMMA));
        }
        cur.expectKeyword("FROM");
        QualifiedName table = cur.qualifiedName();
        List<Relation> where = cur.acceptKeyword("WHERE") ? relations.relations() : List.of();
        List<String> groupBy = new ArrayList<>();
        if (cur.isKeyword("GROUP") && cur.peek(1).isKeyword("BY")) {
            cur.next();
            cur.next();
            do {
                groupBy.add(cur.identifier());
            } while (cur.accept(TokenType.COMMA));
        }
        List<Ordering> orderBy = List.of();
        if (cur.acceptKeyword("ORDER")) {
            cur.expectKeyword("BY");
            orderBy = cur.orderings(false);
        }
        Term perPartitionLimit = null;
        if (cur.acceptKeyword("PER")) {
            cur.expectKeyword("PARTITION");
            cur.expectKeyword("LIMIT");
            perPartitionLimit = terms.intValue();
        }
        Term limit = cur.acceptKeyword("LIMIT") ? terms.intValue() : null;
        boolean allowFiltering = false;
        if (cur.acceptKeyword("ALLOW")) {
            cur.expectKeyword("FILTERING");
            allowFiltering = true;
        }
        return new Select(table, distinct, selectors, where, groupBy, orderBy, perPartitionLimit, limit,
                allowFiltering);
    }

    private Selectable selectable() {
        cur.enter();
        try {
            return selectableAtThisLevel();
        } finally {
            cur.leave();
        }
    }

    private Selectable selectableAtThisLevel() {
        Token t = cur.peek();
        boolean call = cur.peek(1).type() == TokenType.LPAREN;
        if (t.type() == TokenType.IDENT && call) {
            String name = t.text().toLowerCase(Locale.ROOT);
            if (name.equals("count") && isCountRows()) {
                return new Selectable.CountRows();
            }
            switch (name) {
                case "writetime", "ttl" -> {
                    cur.next();
                    cur.next();
                    String column = cur.identifier();
                    cur.expect(TokenType.RPAREN, ")");
                    return name.equals("ttl") ? new Selectable.Ttl(column) : new Selectable.WriteTime(column);
                }
                case "token" -> {
                    cur.next();
                    return new Selectable.Token(cur.identifierList());
                }
                default -> {
                    if (CqlIdentifiers.isReserved(name)) {
                        throw cur.noViableAlternative();
                    }
                    return function();
                }
            }
        }
        if (t.type() == TokenType.QUOTED_IDENT && call) {
            return function();
        }
        if (cur.isIdentifier()) {
            return new Selectable.Column(cur.identifier());
        }
        return new Selectable.Value(terms.term());
    }

    /** {@code count(*)} or {@code count(1)}: consumes it and answers true. */
    private boolean isCountRows() {
        Token arg = cur.peek(2);
        boolean star = arg.type() == TokenType.STAR;
        boolean one = arg.type() == TokenType.INTEGER && arg.text().equals("1");
        if ((star || one) && cur.peek(3).type() == TokenType.RPAREN) {
            for (int i = 0; i < 4; i++) {
                cur.next();
            }
            return true;
        }
        return false;
    }

    private Selectable function() {
        String name = terms.functionName();
        cur.expect(TokenType.LPAREN, "(");
        List<Selectable> args = new ArrayList<>();
        if (!cur.accept(TokenType.RPAREN)) {
            do {
                args.add(selectable());
            } while (cur.accept(TokenType.COMMA));
            cur.expect(TokenType.RPAREN, ")");
        }
        return new Selectable.Function(name, args);
    }
}
