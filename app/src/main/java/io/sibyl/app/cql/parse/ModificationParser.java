package io.sibyl.app.cql.parse;

import io.sibyl.app.cql.ast.Assignment;
import io.sibyl.app.cql.ast.Batch;
import io.sibyl.app.cql.ast.BatchType;
import io.sibyl.app.cql.ast.Condition;
import io.sibyl.app.cql.ast.CqlIdentifiers;
import io.sibyl.app.cql.ast.Delete;
import io.sibyl.app.cql.ast.Deletion;
import io.sibyl.app.cql.ast.Insert;
import io.sibyl.app.cql.ast.InsertJson;
import io.sibyl.app.cql.ast.Modification;
import io.sibyl.app.cql.ast.QualifiedName;
import io.sibyl.app.cql.ast.Relation;
import io.sibyl.app.cql.ast.Term;
import io.sibyl.app.cql.ast.Update;
import io.sibyl.app.cql.ast.Using;
import java.util.ArrayList;
import java.util.List;

/** INSERT, UPDATE, DELETE and BATCH. */
final class ModificationParser {

    private final TokenCursor cur;
    private final TermParser terms;
    private final RelationParser relations;

    ModificationParser(TokenCursor cur, TermParser terms, RelationParser relations) {
        this.cur = cur;
        this.terms = terms;
        this.relations = relations;
    }

    /** After INSERT. */
    Modification insert() {
        cur.expectKeyword("INTO");
        QualifiedName table = cur.qualifiedName();
        if (cur.acceptKeyword("JSON")) {
            Term json = cur.is(TokenType.STRING) ? terms.constant() : bindMarker();
            boolean ifNotExists = ifNotExists();
            return new InsertJson(table, json, ifNotExists, using(true));
        }
        List<String> columns = cur.identifierList();
        cur.expectKeyword("VALUES");
        cur.expect(TokenType.LPAREN, "(");
        List<Term> values = new ArrayList<>();
        do {
            values.add(terms.term());
        } while (cur.accept(TokenType.COMMA));
        cur.expect(TokenType.RPAREN, ")");
        boolean ifNotExists = ifNotExists();
        return new Insert(table, columns, values, ifNotExists, using(true));
    }

    /** After UPDATE. */
    Modification update() {
        QualifiedName table = cur.qualifiedName();
        Using using = using(true);
        cur.expectKeyword("SET");
        List<Assignment> assignments = new ArrayList<>();
        do {
            assignments.add(assignment());
        } while (cur.accept(TokenType.COMMA));
        cur.expectKeyword("WHERE");
        List<Relation> where = relations.relations();
        List<Condition> conditions = new ArrayList<>();
        boolean ifExists = cur.acceptKeyword("IF") && relations.ifClause(conditions);
        return new Update(table, using, assignments, where, ifExists, conditions);
    }

    /** After DELETE. */
    Modification delete() {
        List<Deletion> targets = new ArrayList<>();
        if (!cur.isKeyword("FROM")) {
            do {
                String column = cur.identifier();
                Term key = null;
                if (cur.accept(TokenType.LBRACKET)) {
                    key = terms.term();
                    cur.expect(TokenType.RBRACKET, "]");
                }
                targets.add(new Deletion(column, key));
            } while (cur.accept(TokenType.COMMA));
        }
        cur.expectKeyword("FROM");
        QualifiedName table = cur.qualifiedName();
        Using using = using(false);
        cur.expectKeyword("WHERE");
        List<Relation> where = relations.relations();
        List<Condition> conditions = new ArrayList<>();
        boolean ifExists = cur.acceptKeyword("IF") && relations.ifClause(conditions);
        return new Delete(targets, table, using, where, ifExists, conditions);
    }

    /** After BEGIN. */
    Batch batch() {
        BatchType type = BatchType.LOGGED;
        if (cur.acceptKeyword("UNLOGGED")) {
            type = BatchType.UNLOGGED;
        } else if (cur.acceptKeyword("COUNTER")) {
            type = BatchType.COUNTER;
        }
        cur.expectKeyword("BATCH");
        Term timestamp = using(false).timestamp();
        List<Modification> statements = new ArrayList<>();
        while (!cur.acceptKeyword("APPLY")) {
            if (cur.acceptKeyword("INSERT")) {
                statements.add(insert());
            } else if (cur.acceptKeyword("UPDATE")) {
                statements.add(update());
            } else if (cur.acceptKeyword("DELETE")) {
                statements.add(delete());
            } else {
                throw cur.mismatched("INSERT, UPDATE, DELETE or APPLY BATCH");
            }
            cur.accept(TokenType.SEMICOLON);
        }
        cur.expectKeyword("BATCH");
        return new Batch(type, timestamp, statements);
    }

    private Assignment assignment() {
        String column = cur.identifier();
        if (cur.accept(TokenType.LBRACKET)) {
            Term key = terms.term();
            cur.expect(TokenType.RBRACKET, "]");
            cur.expect(TokenType.EQ, "=");
            return new Assignment.SetElement(column, key, terms.term());
        }
        cur.expect(TokenType.EQ, "=");
        if (isColumnReference()) {
            Token ref = cur.peek();
            String other = cur.identifier();
            boolean add = cur.accept(TokenType.PLUS);
            if (!add && !cur.accept(TokenType.MINUS)) {
                throw cur.mismatched("'+' or '-'");
            }
            if (!other.equals(column)) {
                throw cur.error(ref, "only expressions of the form X = X " + (add ? "+" : "-")
                        + " <value> are supported (" + CqlIdentifiers.quoteIfNeeded(column) + ")");
            }
            Term value = terms.term();
            return add ? new Assignment.Add(column, value) : new Assignment.Subtract(column, value);
        }
        Term value = terms.term();
        if (cur.accept(TokenType.PLUS)) {
            Token ref = cur.peek();
            if (!cur.identifier().equals(column)) {
                throw cur.error(ref, "only expressions of the form X = <value> + X are supported ("
                        + CqlIdentifiers.quoteIfNeeded(column) + ")");
            }
            return new Assignment.Prepend(column, value);
        }
        return new Assignment.SetValue(column, value);
    }

    /** A name that is not a constant word (true, null...) nor a function call starts {@code X = X + v}. */
    private boolean isColumnReference() {
        return cur.isIdentifier() && cur.peek(1).type() != TokenType.LPAREN;
    }

    /** {@code USING TTL t AND TIMESTAMP t} in either order; DELETE and BATCH admit only TIMESTAMP. */
    private Using using(boolean ttlAllowed) {
        if (!cur.acceptKeyword("USING")) {
            return Using.NONE;
        }
        Term ttl = null;
        Term timestamp = null;
        do {
            Token t = cur.peek();
            if (ttlAllowed && cur.acceptKeyword("TTL")) {
                if (ttl != null) {
                    throw cur.error(t, "multiple definition for TTL");
                }
                ttl = terms.intValue();
            } else if (cur.acceptKeyword("TIMESTAMP")) {
                if (timestamp != null) {
                    throw cur.error(t, "multiple definition for TIMESTAMP");
                }
                timestamp = terms.intValue();
            } else {
                throw cur.mismatched(ttlAllowed ? "TTL or TIMESTAMP" : "TIMESTAMP");
            }
        } while (cur.acceptKeyword("AND"));
        return new Using(ttl, timestamp);
    }

    private Term bindMarker() {
        if (!cur.is(TokenType.QMARK) && !cur.is(TokenType.COLON)) {
            throw cur.noViableAlternative();
        }
        return terms.term();
    }

    private boolean ifNotExists() {
        if (cur.acceptKeyword("IF")) {
            cur.expectKeyword("NOT");
            cur.expectKeyword("EXISTS");
            return true;
        }
        return false;
    }
}
