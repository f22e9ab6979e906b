package io.sibyl.app.cql.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.datastax.oss.protocol.internal.ProtocolConstants;
import com.datastax.oss.protocol.internal.response.Error;
import com.datastax.oss.protocol.internal.response.error.AlreadyExists;
import com.datastax.oss.protocol.internal.response.error.ReadTimeout;
import com.datastax.oss.protocol.internal.response.error.Unavailable;
import com.datastax.oss.protocol.internal.response.error.WriteTimeout;
import io.sibyl.actors.consistency.ConsistencyLevel;
import io.sibyl.actors.consistency.ReadTimeoutException;
import io.sibyl.actors.consistency.UnavailableException;
import io.sibyl.actors.consistency.WriteTimeoutException;
import io.sibyl.actors.consistency.WriteType;
import io.sibyl.app.errors.AlreadyExistsException;
import io.sibyl.app.errors.InvalidRequestException;
import io.sibyl.app.errors.OverloadedException;
import io.sibyl.app.errors.PayloadTooLargeException;
import io.sibyl.app.errors.SyntaxErrorException;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** Every docs/api.md error code as the native protocol's error, with its payload. */
class NativeErrorsTest {

    private static Error map(Throwable t) {
        return assertInstanceOf(Error.class, NativeErrors.toMessage(new CompletionException(t), "test"));
    }

    @Test
    void requestErrors() {
        assertEquals(ProtocolConstants.ErrorCode.SYNTAX_ERROR, map(new SyntaxErrorException("bad", 1, 2)).code);
        assertEquals(ProtocolConstants.ErrorCode.INVALID, map(new InvalidRequestException("no")).code);
        assertEquals(ProtocolConstants.ErrorCode.INVALID, map(new PayloadTooLargeException("value", 10)).code);
        assertEquals(ProtocolConstants.ErrorCode.OVERLOADED, map(new OverloadedException("busy")).code);
        AlreadyExists exists = assertInstanceOf(AlreadyExists.class, map(new AlreadyExistsException("ks", "t")));
        assertEquals(ProtocolConstants.ErrorCode.ALREADY_EXISTS, exists.code);
        assertEquals("ks", exists.keyspace);
        assertEquals("t", exists.table);
    }

    @Test
    void consistencyErrorsCarryTheirPayloads() {
        Unavailable u = assertInstanceOf(Unavailable.class, map(new UnavailableException(ConsistencyLevel.QUORUM, 2, 1)));
        assertEquals(ProtocolConstants.ErrorCode.UNAVAILABLE, u.code);
        assertEquals(ProtocolConstants.ConsistencyLevel.QUORUM, u.consistencyLevel);
        assertEquals(2, u.required);
        assertEquals(1, u.alive);

        WriteTimeout w = assertInstanceOf(WriteTimeout.class,
                map(new WriteTimeoutException(ConsistencyLevel.ALL, 1, 3, WriteType.CAS)));
        assertEquals(ProtocolConstants.ErrorCode.WRITE_TIMEOUT, w.code);
        assertEquals(ProtocolConstants.ConsistencyLevel.ALL, w.consistencyLevel);
        assertEquals(1, w.received);
        assertEquals(3, w.blockFor);
        assertEquals("CAS", w.writeType);

        ReadTimeout r = assertInstanceOf(ReadTimeout.class,
                map(new ReadTimeoutException(ConsistencyLevel.LOCAL_QUORUM, 1, 2, true)));
        assertEquals(ProtocolConstants.ErrorCode.READ_TIMEOUT, r.code);
        assertEquals(ProtocolConstants.ConsistencyLevel.LOCAL_QUORUM, r.consistencyLevel);
        assertEquals(2, r.blockFor);
        assertTrue(r.dataPresent);
    }

    @Test
    void anythingElseIsAServerError() {
        Error e = map(new IllegalStateException("boom"));
        assertEquals(ProtocolConstants.ErrorCode.SERVER_ERROR, e.code);
        assertTrue(e.message.contains("boom"), e.message);
    }

    /** Found by NodeFuzzTest: a message over a [string]'s 65,535 bytes broke the frame and the driver dropped the connection. */
    @Test
    void messagesAreCutToFitAProtocolString() {
        String huge = "unconfigured table " + "\u00e9".repeat(70_000);
        Error e = (Error) NativeErrors.toMessage(new InvalidRequestException(huge), "SELECT");
        assertTrue(e.message.getBytes(java.nio.charset.StandardCharsets.UTF_8).length <= 65_535, "fits: " + e.message.length());
        assertTrue(e.message.startsWith("unconfigured table \u00e9") && e.message.endsWith("...(70019 chars)"), e.message.substring(0, 40));
        String pairs = "\ud83d\ude00".repeat(NativeErrors.MAX_STRING_CHARS); // never cut inside a surrogate pair
        assertTrue(!Character.isHighSurrogate(NativeErrors.fit(pairs).charAt(NativeErrors.MAX_STRING_CHARS - 1)));
        assertEquals("short", NativeErrors.fit("short"));
    }
}
