package io.sibyl.app.cql.parse;

import io.sibyl.app.cql.ast.Condition;
import io.sibyl.app.cql.ast.Operator;
import io.sibyl.app.cql.ast.Relation;
import io.sibyl.app.cql.ast.Term;
import java.util.ArrayList;
import java.util.List;

/** WHERE relations and IF conditions. */
final class RelationParser {

    private final TokenCursor cur;
    private final TermParser terms;

    RelationParser(TokenCursor cur, TermParser terms) {
        this.cur = cur;
        this.terms = terms;
    }

    /** {@code relation AND relation ...}, after WHERE. */
    List<Relation> relations() {
        List<Relation> relations = new ArrayList<>();
        do {
            relations.add(relation());
        } while (cur.acceptKeyword("AND"));
        return relations;
    }

    private Relation relation() {
        if (cur.isKeyword("token") && cur.peek(1).type() == TokenType.LPAREN) {
            cur.next();
            List<String> columns = cur.identifierList();
            Operator op = comparison();
            return new Relation.Token(columns, op, terms.term());
        }
        if (cur.is(TokenType.LPAREN)) {
            List<String> columns = cur.identifierList();
            if (cur.acceptKeyword("IN")) {
                return new Relation.MultiColumn(columns, Operator.IN, terms.inValues());
            }
            Operator op = comparison();
            return new Relation.MultiColumn(columns, op, terms.term());
        }
        String column = cur.identifier();
        if (cur.acceptKeyword("IN")) {
            return new Relation.SingleColumn(column, Operator.IN, terms.inValues());
        }
        if (cur.acceptKeyword("CONTAINS")) {
            Operator op = cur.acceptKeyword("KEY") ? Operator.CONTAINS_KEY : Operator.CONTAINS;
            return new Relation.SingleColumn(column, op, terms.term());
        }
        Operator op = comparison();
        return new Relation.SingleColumn(column, op, terms.term());
    }

    /**
     * After IF in UPDATE / DELETE: true for {@code IF EXISTS}; otherwise fills {@code conditions}.
     * EXISTS is not reserved, so {@code IF exists = 1} is a condition on a column named "exists".
     */
    boolean ifClause(List<Condition> conditions) {
        if (cur.isKeyword("EXISTS") && !startsConditionOperator(cur.peek(1))) {
            cur.next();
            return true;
        }
        do {
            conditions.add(condition());
        } while (cur.acceptKeyword("AND"));
        return false;
    }

    private static boolean startsConditionOperator(Token t) {
        return switch (t.type()) {
            case EQ, NEQ, LT, LTE, GT, GTE, LBRACKET -> true;
            default -> t.isKeyword("IN");
        };
    }

    private Condition condition() {
        String column = cur.identifier();
        Term element = null;
        if (cur.accept(TokenType.LBRACKET)) {
            element = terms.term();
            cur.expect(TokenType.RBRACKET, "]");
        }
        if (cur.acceptKeyword("IN")) {
            return new Condition(column, element, Operator.IN, terms.inValues());
        }
        Operator op = comparison();
        return new Condition(column, element, op, terms.term());
    }

    private Operator comparison() {
        Operator op = switch (cur.peek().type()) {
            case EQ -> Operator.EQ;
            case NEQ -> Operator.NEQ;
            case LT -> Operator.LT;
            case LTE -> Operator.LTE;
            case GT -> Operator.GT;
            case GTE -> Operator.GTE;
            default -> throw cur.noViableAlternative();
        };
        cur.next();
        return op;
    }
}
