package io.sibyl.app.cql.auth;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sibyl.app.cli.ConfigLoader;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Safe by default: no unauthenticated node on a non-loopback address. */
class InsecureBindCheckTest {
    @Test
    void loopbackIsFineAnyOtherAddressNeedsAuthentication() {
        assertNull(InsecureBindCheck.problem(ConfigLoader.load(null, Map.of())));
        assertNull(InsecureBindCheck.problem(ConfigLoader.load(null, Map.of("sibyl.http.host", "localhost"))));
        String open = InsecureBindCheck.problem(ConfigLoader.load(null, Map.of("sibyl.http.host", "0.0.0.0")));
        assertNotNull(open);
        assertTrue(open.contains("PasswordAuthenticator") && open.contains("--allow-insecure"), open);
        assertNotNull(InsecureBindCheck.problem(ConfigLoader.load(null, Map.of("sibyl.cql.host", "0.0.0.0"))));
        assertNull(InsecureBindCheck.problem(ConfigLoader.load(null, Map.of("sibyl.cql.host", "0.0.0.0",
                "sibyl.cql.port", 0))));
        assertNull(InsecureBindCheck.problem(ConfigLoader.load(null, Map.of("sibyl.http.host", "0.0.0.0",
                "sibyl.auth.authenticator", "PasswordAuthenticator"))));
    }
}
