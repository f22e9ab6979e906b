package io.sibyl.app.cql.parse;

import io.sibyl.app.cql.ast.Statement;
import java.util.Locale;
import java.util.Objects;

/**
 * Parses one CQL statement into its AST. A hand-written recursive-descent parser over
 * {@link CqlLexer}'s tokens; each call builds its own state, so it is thread-safe.
 */
public final class CqlParser {

    private final TokenCursor cur;
    private final TermParser terms;
    private final RelationParser relations;

    private CqlParser(String query) {
        this.cur = new TokenCursor(CqlLexer.tokenize(query));
        this.terms = new TermParser(cur);
        this.relations = new RelationParser(cur, terms);
    }

    /**
     * The statement in {@code query}, which may end with a semicolon.
     *
     * @throws CqlSyntaxException when the text is not one valid statement of the supported subset
     */
    public static Statement parse(String query) {
        Objects.requireNonNull(query, "query");
        return new CqlParser(query).statementAndEnd();
    }

    private Statement statementAndEnd() {
        Statement statement = statement();
        cur.accept(TokenType.SEMICOLON);
        if (!cur.is(TokenType.EOF)) {
            throw cur.mismatched("EOF");
        }
        return statement;
    }

    private Statement statement() {
        Token first = cur.peek();
        if (first.type() == TokenType.IDENT) {
            String keyword = first.text().toUpperCase(Locale.ROOT);
            SchemaParser schema = new SchemaParser(cur, terms);
            RoleParser roles = new RoleParser(cur);
            boolean roleObject = RoleParser.isRoleKeyword(cur.peek(1));
            ModificationParser modifications = new ModificationParser(cur, terms, relations);
            switch (keyword) {
                case "SELECT":
                    cur.next();
                    return new SelectParser(cur, terms, relations).select();
                case "INSERT":
                    cur.next();
                    return modifications.insert();
                case "UPDATE":
                    cur.next();
                    return modifications.update();
                case "DELETE":
                    cur.next();
                    return modifications.delete();
                case "BEGIN":
                    cur.next();
                    return modifications.batch();
                case "CREATE":
                    cur.next();
                    return roleObject ? roles.create() : schema.create();
                case "ALTER":
                    cur.next();
                    return roleObject ? roles.alter() : schema.alter();
                case "DROP":
                    cur.next();
                    return roleObject ? roles.drop() : schema.drop();
                case "TRUNCATE":
                    cur.next();
                    return schema.truncate();
                case "GRANT":
                    cur.next();
                    return roles.grant();
                case "REVOKE":
                    cur.next();
                    return roles.revoke();
                case "LIST":
                    cur.next();
                    return roles.list();
                case "USE":
                    cur.next();
                    return schema.use();
                default:
                    break;
            }
        }
        throw cur.noViableAlternative();
    }
}
