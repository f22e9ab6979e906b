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

    @Test
    void cqlTargetsIgnoreThePipelineAndKeepTheOtherOptions() {
        StressCommand command = new StressCommand();
        new CommandLine(command).parseArgs("--target", "cql://10.0.0.1:9042,cql://10.0.0.2", "--pipeline", "4",
                "--consistency", "local_quorum", "--rate", "100");
        StressSettings s = command.settings();
        assertTrue(s.cql());
        assertEquals(1, s.pipeline());
        assertEquals("LOCAL_QUORUM", s.consistency());
        assertEquals(2, s.targets().size());
    }
}
