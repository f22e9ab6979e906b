package io.sibyl.app.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
}
