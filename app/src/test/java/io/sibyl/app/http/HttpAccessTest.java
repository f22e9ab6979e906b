package io.sibyl.app.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.sibyl.app.cql.auth.DataResource;
import io.sibyl.app.cql.auth.Permission;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What each route family needs, and Basic header parsing. */
class HttpAccessTest {
    @Test
    void routeFamiliesHaveTheirRules() {
        assertInstanceOf(HttpAccess.Open.class, HttpAccess.rule("GET", List.of("health")));
        assertInstanceOf(HttpAccess.Open.class, HttpAccess.rule("GET", List.of("ready")));
        assertInstanceOf(HttpAccess.Login.class, HttpAccess.rule("POST", List.of("v1", "cql")));
        assertInstanceOf(HttpAccess.Superuser.class, HttpAccess.rule("GET", List.of("v1", "cluster")));
        assertInstanceOf(HttpAccess.Superuser.class, HttpAccess.rule("POST", List.of("v1", "admin", "flush")));
        assertInstanceOf(HttpAccess.Superuser.class, HttpAccess.rule("GET", List.of("metrics")));
        assertInstanceOf(HttpAccess.Superuser.class, HttpAccess.rule("GET", List.of()));
        assertEquals(new HttpAccess.Needs(Permission.SELECT, DataResource.table("ks", "t")),
                HttpAccess.rule("GET", List.of("v1", "keyspaces", "ks", "tables", "t", "rows", "a")));
        assertEquals(new HttpAccess.Needs(Permission.MODIFY, DataResource.table("ks", "t")),
                HttpAccess.rule("POST", List.of("v1", "keyspaces", "ks", "tables", "t", "rows:bulk")));
        assertEquals(new HttpAccess.Needs(Permission.MODIFY, DataResource.table("ks", "t")),
                HttpAccess.rule("DELETE", List.of("v1", "keyspaces", "ks", "tables", "t", "rows", "a")));
        assertEquals(new HttpAccess.Needs(Permission.DESCRIBE, DataResource.ROOT), HttpAccess.rule("GET", List.of("v1", "keyspaces")));
        assertEquals(new HttpAccess.Needs(Permission.DESCRIBE, DataResource.keyspace("ks")),
                HttpAccess.rule("GET", List.of("v1", "keyspaces", "ks", "tables")));
    }

    @Test
    void basicHeaders() {
        assertArrayEquals(new String[] {"a", "b:c"}, HttpAccessProbe.basic("Basic " + java.util.Base64.getEncoder()
                .encodeToString("a:b:c".getBytes())));
        assertArrayEquals(new String[] {"a", ""}, HttpAccessProbe.basic("basic YTo="));
        assertNull(HttpAccessProbe.basic("Basic !!"));
        assertNull(HttpAccessProbe.basic("Bearer x"));
        assertNull(HttpAccessProbe.basic("Basic Og=="));
        assertNull(HttpAccessProbe.basic(""));
    }
}
