package io.sibyl.stress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class JsonTextTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Property
    void anyStringRoundTripsThroughJackson(@ForAll String value) throws Exception {
        String json = JsonText.appendString(new StringBuilder(), value).toString();
        assertEquals(value, JSON.readValue(json, String.class));
    }

    @Test
    void userRowIsValidJsonWithTenHundredCharFields() throws Exception {
        StringBuilder sb = new StringBuilder();
        UserTable.appendRow(sb, 7, UserTable.newText(1), new SplittableRandom(1));
        JsonNode row = JSON.readTree(sb.toString());
        assertEquals(Keys.user(7), row.get("y_id").asText());
        assertEquals(11, row.size());
        for (int i = 0; i < 10; i++) {
            assertEquals(100, row.get("field" + i).asText().length());
        }
        assertTrue(sb.length() > 1000, "about 1 KB per row");
    }

    @Test
    void fieldUpdateNamesKeyAndOneField() throws Exception {
        StringBuilder sb = new StringBuilder();
        UserTable.appendFieldUpdate(sb, 3, 4, UserTable.newText(1), new SplittableRandom(1));
        JsonNode row = JSON.readTree(sb.toString());
        assertEquals(2, row.size());
        assertEquals(Keys.user(3), row.get("y_id").asText());
        assertEquals(100, row.get("field4").asText().length());
    }

    @Test
    void createStatements() {
        assertEquals("CREATE KEYSPACE IF NOT EXISTS ks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 3}",
                AdminClient.createKeyspaceCql("ks", 3));
        assertTrue(UserTable.createTable("ks").startsWith("CREATE TABLE IF NOT EXISTS ks.usertable (y_id text PRIMARY KEY, field0 text,"));
        assertTrue(UserTable.createTable("ks").endsWith("field9 text)"));
        assertTrue(TimeseriesWorkload.createTable("ks").endsWith("WITH CLUSTERING ORDER BY (ts DESC)"));
    }
}
