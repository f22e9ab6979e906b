package io.sibyl.app.cql.parse;

import io.sibyl.app.cql.ast.AlterKeyspace;
import io.sibyl.app.cql.ast.AlterTable;
import io.sibyl.app.cql.ast.ColumnDefinition;
import io.sibyl.app.cql.ast.CreateKeyspace;
import io.sibyl.app.cql.ast.CreateTable;
import io.sibyl.app.cql.ast.DropKeyspace;
import io.sibyl.app.cql.ast.DropTable;
import io.sibyl.app.cql.ast.Ordering;
import io.sibyl.app.cql.ast.QualifiedName;
import io.sibyl.app.cql.ast.Statement;
import io.sibyl.app.cql.ast.Term;
import io.sibyl.app.cql.ast.Truncate;
import io.sibyl.app.cql.ast.Use;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Keyspace and table definitions: CREATE / ALTER / DROP, TRUNCATE, USE. */
final class SchemaParser {

    private final TokenCursor cur;
    private final TermParser terms;

    SchemaParser(TokenCursor cur, TermParser terms) {
        this.cur = cur;
        this.terms = terms;
    }

    /** After CREATE. */
    Statement create() {
        if (cur.acceptKeyword("KEYSPACE") || cur.acceptKeyword("SCHEMA")) {
            boolean ifNotExists = ifNotExists();
            String keyspace = cur.identifier();
            cur.expectKeyword("WITH");
            return new CreateKeyspace(keyspace, ifNotExists, properties(null));
        }
        if (cur.acceptKeyword("TABLE") || cur.acceptKeyword("COLUMNFAMILY")) {
            return createTable();
        }
        throw cur.mismatched("KEYSPACE or TABLE");
    }

    /** After ALTER. */
    Statement alter() {
        if (cur.acceptKeyword("KEYSPACE") || cur.acceptKeyword("SCHEMA")) {
            boolean ifExists = ifExists();
            String keyspace = cur.identifier();
            cur.expectKeyword("WITH");
            return new AlterKeyspace(keyspace, ifExists, properties(null));
        }
        if (cur.acceptKeyword("TABLE") || cur.acceptKeyword("COLUMNFAMILY")) {
            return alterTable();
        }
        throw cur.mismatched("KEYSPACE or TABLE");
    }

    /** After DROP. */
    Statement drop() {
        if (cur.acceptKeyword("KEYSPACE") || cur.acceptKeyword("SCHEMA")) {
            boolean ifExists = ifExists();
            return new DropKeyspace(cur.identifier(), ifExists);
        }
        if (cur.acceptKeyword("TABLE") || cur.acceptKeyword("COLUMNFAMILY")) {
            boolean ifExists = ifExists();
            return new DropTable(cur.qualifiedName(), ifExists);
        }
        throw cur.mismatched("KEYSPACE or TABLE");
    }

    /** After TRUNCATE. */
    Statement truncate() {
        if (!cur.acceptKeyword("TABLE")) {
            cur.acceptKeyword("COLUMNFAMILY");
        }
        return new Truncate(cur.qualifiedName());
    }

    /** After USE. */
    Statement use() {
        return new Use(cur.identifier());
    }

    private Statement createTable() {
        boolean ifNotExists = ifNotExists();
        QualifiedName table = cur.qualifiedName();
        cur.expect(TokenType.LPAREN, "(");
        List<ColumnDefinition> columns = new ArrayList<>();
        List<String> partitionKey = new ArrayList<>();
        List<String> clusteringKey = new ArrayList<>();
        Token primaryKeyAt = null;
        do {
            Token start = cur.peek();
            if (cur.acceptKeyword("PRIMARY")) {
                cur.expectKeyword("KEY");
                primaryKeyAt = onePrimaryKey(primaryKeyAt, start);
                primaryKey(partitionKey, clusteringKey);
            } else {
                ColumnDefinition column = columnDefinition();
                columns.add(column);
                Token pk = cur.peek();
                if (cur.acceptKeyword("PRIMARY")) {
                    cur.expectKeyword("KEY");
                    primaryKeyAt = onePrimaryKey(primaryKeyAt, pk);
                    partitionKey.add(column.name());
                }
            }
        } while (cur.accept(TokenType.COMMA));
        cur.expect(TokenType.RPAREN, ")");
        List<Ordering> clusteringOrder = new ArrayList<>();
        Map<String, Term> options = cur.acceptKeyword("WITH") ? properties(clusteringOrder) : Map.of();
        return new CreateTable(table, ifNotExists, columns, partitionKey, clusteringKey, clusteringOrder, options);
    }

    private Token onePrimaryKey(Token previous, Token here) {
        if (previous != null) {
            throw cur.error(here, "multiple PRIMARY KEYs specified (exactly one required)");
        }
        return here;
    }

    /** {@code (pk, ck, ...)} or {@code ((pk1, pk2), ck, ...)}. */
    private void primaryKey(List<String> partitionKey, List<String> clusteringKey) {
        cur.expect(TokenType.LPAREN, "(");
        if (cur.is(TokenType.LPAREN)) {
            partitionKey.addAll(cur.identifierList());
        } else {
            partitionKey.add(cur.identifier());
        }
        while (cur.accept(TokenType.COMMA)) {
            clusteringKey.add(cur.identifier());
        }
        cur.expect(TokenType.RPAREN, ")");
    }

    private ColumnDefinition columnDefinition() {
        String name = cur.identifier();
        String type = terms.type();
        boolean isStatic = cur.acceptKeyword("STATIC");
        return new ColumnDefinition(name, type, isStatic);
    }

    private Statement alterTable() {
        QualifiedName table = cur.qualifiedName();
        if (cur.acceptKeyword("ADD")) {
            List<ColumnDefinition> columns = new ArrayList<>();
            if (cur.accept(TokenType.LPAREN)) {
                do {
                    columns.add(columnDefinition());
                } while (cur.accept(TokenType.COMMA));
                cur.expect(TokenType.RPAREN, ")");
            } else {
                columns.add(columnDefinition());
            }
            return new AlterTable(table, new AlterTable.AddColumns(columns));
        }
        if (cur.acceptKeyword("DROP")) {
            List<String> columns = cur.is(TokenType.LPAREN) ? cur.identifierList() : List.of(cur.identifier());
            return new AlterTable(table, new AlterTable.DropColumns(columns));
        }
        if (cur.acceptKeyword("WITH")) {
            return new AlterTable(table, new AlterTable.SetOptions(properties(null)));
        }
        throw cur.mismatched("ADD, DROP or WITH");
    }

    /**
     * {@code name = value AND ...}; when {@code clusteringOrder} is not null (CREATE TABLE) a
     * {@code CLUSTERING ORDER BY (...)} element may appear among them.
     */
    private Map<String, Term> properties(List<Ordering> clusteringOrder) {
        Map<String, Term> options = new LinkedHashMap<>();
        do {
            Token start = cur.peek();
            if (clusteringOrder != null && start.isKeyword("CLUSTERING") && cur.peek(1).isKeyword("ORDER")) {
                if (!clusteringOrder.isEmpty()) {
                    throw cur.error(start, "multiple definition for CLUSTERING ORDER BY");
                }
                cur.next();
                cur.next();
                cur.expectKeyword("BY");
                clusteringOrder.addAll(cur.orderings(true));
                continue;
            }
            String name = cur.identifier();
            cur.expect(TokenType.EQ, "=");
            if (options.put(name, terms.propertyValue()) != null) {
                throw cur.error(start, "multiple definition for property '" + name + "'");
            }
        } while (cur.acceptKeyword("AND"));
        return options;
    }

    private boolean ifNotExists() {
        if (cur.acceptKeyword("IF")) {
            cur.expectKeyword("NOT");
            cur.expectKeyword("EXISTS");
            return true;
        }
        return false;
    }

    private boolean ifExists() {
        if (cur.acceptKeyword("IF")) {
            cur.expectKeyword("EXISTS");
            return true;
        }
        return false;
    }
}
