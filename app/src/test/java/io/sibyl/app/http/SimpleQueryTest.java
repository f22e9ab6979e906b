package io.sibyl.app.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.apache.pekko.http.javadsl.model.Uri;
import org.junit.jupiter.api.Test;

class SimpleQueryTest {

    private static final List<String> NAMES = List.of("consistency", "limit", "a", "ab", "page_size", "x");

    @Provide
    Arbitrary<String> queries() {
        // mostly plain pairs, sometimes characters that force the fallback
        return Arbitraries.of("consistency", "limit", "a", "ab", "=", "&", "ONE", "10", "x", "-", "%41", "+", ";", "", "==")
                .list().ofMaxSize(8).map(parts -> String.join("", parts));
    }

    /** Whenever the fast path accepts a query string, it answers every lookup exactly as pekko's parser. */
    @Property(tries = 2000)
    void agreesWithPekko(@ForAll("queries") String raw) {
        SimpleQuery q = SimpleQuery.parse(raw);
        if (q == SimpleQuery.NOT_SIMPLE) {
            return;
        }
        var pekko = Uri.create("http://h/p" + (raw.isEmpty() ? "" : "?" + raw)).query();
        for (String name : NAMES) {
            assertEquals(pekko.get(name), q.get(name), raw + " / " + name);
        }
    }

    @Test
    void plainAndFallback() {
        SimpleQuery q = SimpleQuery.parse("consistency=ONE&limit=5&limit=6");
        assertNotSame(SimpleQuery.NOT_SIMPLE, q);
        assertEquals(java.util.Optional.of("ONE"), q.get("consistency"));
        assertEquals(java.util.Optional.of("5"), q.get("limit"));
        assertEquals(java.util.Optional.empty(), q.get("consistenc"));
        assertEquals(java.util.Optional.of(""), SimpleQuery.parse("paging_state=").get("paging_state"));
        for (String s : new String[]{"a=%20", "a=b+c", "a", "a=1&", "&a=1", "=1", "a=1;b=2"}) {
            assertSame(SimpleQuery.NOT_SIMPLE, SimpleQuery.parse(s), s);
        }
    }
}
