package io.sibyl.app.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

class HttpApiSegmentsTest {

    @Test
    void splitsOnSlashesSkippingEmptySegments() {
        assertEquals(List.of("v1", "keyspaces", "ks"), HttpApi.segments("/v1//keyspaces/ks/"));
        assertEquals(List.of(), HttpApi.segments("/"));
        assertEquals(List.of(), HttpApi.segments(""));
    }

    @Test
    void decodesPercentEscapesAfterSplitting() {
        // an encoded slash stays inside its segment; multi-byte UTF-8 escapes decode to one character
        assertEquals(List.of("rows", "a/b", "é ü", "100%"), HttpApi.segments("/rows/a%2Fb/%C3%A9%20%C3%BC/100%25"));
    }

    @Test
    void matchesLiteralsParametersAndATrailingRest() {
        String[] row = "v1/keyspaces/{}/tables/{}/rows/**".split("/");
        assertEquals(List.of("ks", "t", "k1"), HttpApi.match(row, HttpApi.segments("/v1/keyspaces/ks/tables/t/rows/k1")));
        assertEquals(List.of("ks", "t", "k1", "2"), HttpApi.match(row, HttpApi.segments("/v1/keyspaces/ks/tables/t/rows/k1/2")));
        assertNull(HttpApi.match(row, HttpApi.segments("/v1/keyspaces/ks/tables/t/rows")), "** needs one segment at least");
        assertNull(HttpApi.match(row, HttpApi.segments("/v1/keyspaces/ks/views/t/rows/k1")), "a literal differs");
        String[] table = "v1/keyspaces/{}/tables/{}".split("/");
        assertEquals(List.of("ks", "t"), HttpApi.match(table, HttpApi.segments("/v1/keyspaces/ks/tables/t")));
        assertNull(HttpApi.match(table, HttpApi.segments("/v1/keyspaces/ks/tables/t/rows")), "longer path");
        assertNull(HttpApi.match(table, HttpApi.segments("/v1/keyspaces/ks/tables")), "shorter path");
        assertEquals(List.of(), HttpApi.match(new String[0], HttpApi.segments("/")), "the root");
    }
}
