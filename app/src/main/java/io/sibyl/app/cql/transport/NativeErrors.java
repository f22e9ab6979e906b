package io.sibyl.app.cql.transport;

import com.datastax.oss.protocol.internal.Message;
import com.datastax.oss.protocol.internal.ProtocolConstants.ErrorCode;
import com.datastax.oss.protocol.internal.response.Error;
import com.datastax.oss.protocol.internal.response.error.AlreadyExists;
import com.datastax.oss.protocol.internal.response.error.ReadFailure;
import com.datastax.oss.protocol.internal.response.error.ReadTimeout;
import com.datastax.oss.protocol.internal.response.error.Unavailable;
import com.datastax.oss.protocol.internal.response.error.WriteTimeout;
import io.sibyl.app.http.ErrorMapper;
import java.util.Map;

/**
 * The one place where failures become native protocol ERROR messages. It starts from
 * {@link ErrorMapper#toError}, so an exception is classified once for both front ends (the docs/api.md
 * code and its details), and renders that code as the protocol's error code with its payload.
 */
final class NativeErrors {

    private NativeErrors() {
    }

    /**
     * Longest text put in a protocol {@code [string]} (a 2-byte length of UTF-8 bytes: at most 65,535). At 3
     * bytes per UTF-16 char this stays under it. Found by NodeFuzzTest: an error message echoing a 70,000-char
     * identifier overflowed the length, the driver could not decode the frame and dropped the connection.
     */
    static final int MAX_STRING_CHARS = 8192;

    /** {@code s} cut to fit a protocol {@code [string]}, marked as cut. */
    static String fit(String s) {
        if (s == null || s.length() <= MAX_STRING_CHARS) return s;
        int end = MAX_STRING_CHARS;
        if (Character.isHighSurrogate(s.charAt(end - 1))) end--; // never half a surrogate pair
        return s.substring(0, end) + "...(" + s.length() + " chars)";
    }

    static Message toMessage(Throwable t, String what) {
        ErrorMapper.ApiError e = ErrorMapper.toError(t, what);
        String msg = fit(e.message() == null ? e.code() : e.message());
        Map<String, Object> d = e.details();
        return switch (e.code()) {
            case "SYNTAX_ERROR" -> new Error(ErrorCode.SYNTAX_ERROR, msg);
            case "INVALID", "NOT_FOUND", "PAYLOAD_TOO_LARGE" -> new Error(ErrorCode.INVALID, msg);
            case "ALREADY_EXISTS" -> new AlreadyExists(msg, text(d.get("keyspace")), text(d.get("table")));
            case "UNAVAILABLE" -> new Unavailable(msg, NativeConsistency.codeOfName(d.get("consistency")),
                    integer(d.get("required")), integer(d.get("alive")));
            case "UNAUTHORIZED" -> new Error(e.status() == 401 ? ErrorCode.AUTH_ERROR : ErrorCode.UNAUTHORIZED, msg);
            case "OVERLOADED" -> new Error(ErrorCode.OVERLOADED, msg);
            // drivers try the next coordinator on IS_BOOTSTRAPPING, which is what a drained node wants
            case "DRAINED" -> new Error(ErrorCode.IS_BOOTSTRAPPING, msg);
            case "WRITE_TIMEOUT" -> new WriteTimeout(msg, NativeConsistency.codeOfName(d.get("consistency")),
                    integer(d.get("received")), integer(d.get("block_for")),
                    d.get("write_type") == null ? "SIMPLE" : d.get("write_type").toString());
            case "READ_TIMEOUT" -> new ReadTimeout(msg, NativeConsistency.codeOfName(d.get("consistency")),
                    integer(d.get("received")), integer(d.get("block_for")), Boolean.TRUE.equals(d.get("data_present")));
            case "READ_FAILURE" -> new ReadFailure(msg, NativeConsistency.codeOfName(d.get("consistency")),
                    integer(d.get("received")), integer(d.get("block_for")), 1, Map.of(), false);
            default -> new Error(ErrorCode.SERVER_ERROR, msg);
        };
    }

    private static String text(Object o) {
        return o == null ? "" : fit(o.toString());
    }

    private static int integer(Object o) {
        return o instanceof Number n ? n.intValue() : 0;
    }
}
