package io.sibyl.stress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class CqlTargetTest {

    @Test
    void parsesHostAndPortWithTheDefaultPort() {
        assertEquals(9043, CqlStress.contactPoint("cql://10.0.0.1:9043").getPort());
        assertEquals("10.0.0.1", CqlStress.contactPoint("cql://10.0.0.1:9043").getHostString());
        assertEquals(9042, CqlStress.contactPoint("cql://db.example").getPort());
        assertThrows(IllegalArgumentException.class, () -> CqlStress.contactPoint("cql://"));
    }

    @Test
    void refusesMixedSchemesAndBadConsistency() {
        StringWriter err = new StringWriter();
        int exit = new CommandLine(new StressCommand()).setErr(new PrintWriter(err))
                .execute("--target", "cql://127.0.0.1:1,http://127.0.0.1:2");
        assertEquals(2, exit);
        assertTrue(err.toString().contains("not both"), err.toString());
        err = new StringWriter();
        exit = new CommandLine(new StressCommand()).setErr(new PrintWriter(err))
                .execute("--target", "cql://127.0.0.1:1", "--consistency", "MOST");
        assertEquals(2, exit);
        assertTrue(err.toString().contains("bad --consistency"), err.toString());
    }
}
