package io.sibyl.app.cql.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.sibyl.app.cql.ast.RoleStatement;
import io.sibyl.app.cql.ast.Statement;
import io.sibyl.app.cql.parse.CqlParser;
import io.sibyl.app.cql.parse.CqlSyntaxException;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** The hand-written parser's role statements, and a property: mutated role statements parse or fail with a syntax error only. */
class RoleStatementParserTest {
    static final List<String> VALID = List.of(
            "CREATE ROLE IF NOT EXISTS alice WITH PASSWORD = 'pw' AND LOGIN = true AND SUPERUSER = false",
            "CREATE USER 'Bob'", "ALTER ROLE alice WITH PASSWORD = 'x'", "DROP ROLE IF EXISTS alice",
            "GRANT reader TO alice", "REVOKE reader FROM alice", "LIST ROLES", "LIST ROLES OF alice NORECURSIVE",
            "GRANT SELECT ON TABLE ks.t TO alice", "GRANT ALL PERMISSIONS ON ALL KEYSPACES TO admin",
            "GRANT SELECT, MODIFY ON KEYSPACE ks TO alice", "REVOKE MODIFY ON ks.t FROM alice",
            "LIST ALL PERMISSIONS OF alice", "LIST SELECT ON KEYSPACE ks", "LIST ALL");

    @Test
    void parsesEachFormAndPrintsNoPassword() {
        assertEquals(new RoleStatement.CreateRole("alice", true, new RoleStatement.RoleOptions("pw", true, false)),
                CqlParser.parse(VALID.get(0)));
        assertEquals(new RoleStatement.CreateRole("Bob", false, RoleStatement.RoleOptions.NONE), CqlParser.parse(VALID.get(1)));
        assertEquals(new RoleStatement.GrantPermissions(List.of("SELECT"), new RoleStatement.Resource("ks", "t", false), "alice"),
                CqlParser.parse("GRANT SELECT ON TABLE ks.t TO alice"));
        assertEquals(new RoleStatement.GrantRole("reader", "alice"), CqlParser.parse("GRANT reader TO alice"));
        assertEquals(new RoleStatement.ListPermissions(List.of("ALL"), null, "alice", false),
                CqlParser.parse("LIST ALL PERMISSIONS OF alice"));
        for (String q : VALID) {
            Statement s = CqlParser.parse(q);
            assertFalse(s.toCql().contains("'pw'"), s.toCql());
            if (!q.contains("PASSWORD =")) assertEquals(s, CqlParser.parse(s.toCql()), q);
        }
        assertThrows(CqlSyntaxException.class, () -> CqlParser.parse("GRANT FLY ON ks.t TO a"));
        assertThrows(CqlSyntaxException.class, () -> CqlParser.parse("CREATE ROLE a WITH COLOUR = 'x'"));
        assertThrows(CqlSyntaxException.class, () -> CqlParser.parse("GRANT ALL, SELECT ON ks.t TO a"));
        CqlSyntaxException e = assertThrows(CqlSyntaxException.class,
                () -> CqlParser.parse("CREATE ROLE a WITH PASSWORD 'hunter2'"));
        assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
    }

    @Property(tries = 400)
    void mutatedRoleStatementsParseOrFailWithASyntaxError(@ForAll("mutated") String query) {
        try {
            CqlParser.parse(query);
        } catch (CqlSyntaxException expected) {
            // the only failure a client's text may cause
        }
    }

    @Property(tries = 300)
    void randomAuthorizationHeadersNeverThrow(@ForAll("headers") String header) {
        io.sibyl.app.http.HttpAccessProbe.basic(header);
    }

    @Provide
    Arbitrary<String> mutated() {
        Arbitrary<String> base = Arbitraries.of(VALID);
        return base.flatMap(q -> Arbitraries.integers().between(0, q.length()).flatMap(cut ->
                Arbitraries.strings().ofMaxLength(6).withChars("'\";,=(){} abcALLONTO\u0000\u00e9").map(ins ->
                        q.substring(0, cut) + ins + q.substring(Math.min(q.length(), cut + ins.length() % 3)))));
    }

    @Provide
    Arbitrary<String> headers() {
        return Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(40),
                Arbitraries.strings().ofMaxLength(40).map(s -> "Basic " + s),
                Arbitraries.strings().ofMaxLength(30).map(s -> "Basic " + java.util.Base64.getEncoder()
                        .encodeToString(s.getBytes(java.nio.charset.StandardCharsets.UTF_8))));
    }
}
