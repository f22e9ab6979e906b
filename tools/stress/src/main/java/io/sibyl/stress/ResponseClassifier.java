package io.sibyl.stress;

import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * Turns an answer into an {@link Outcome} by scanning the raw bytes for the one field that matters
 * (no JSON tree per response): {@code "code"} of an error, {@code "failed"} of a bulk answer,
 * {@code "rows"} of a read.
 */
public final class ResponseClassifier {

    private static final byte[] CODE = "\"code\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] FAILED = "\"failed\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ROWS = "\"rows\"".getBytes(StandardCharsets.US_ASCII);

    private ResponseClassifier() {
    }

    public static Outcome classify(Operation.Kind kind, int rows, int status, byte[] body) {
        if (status < 200 || status >= 300) {
            String code = errorCode(body);
            return new Outcome.Failure(code != null ? code : "HTTP_" + status);
        }
        return switch (kind) {
            case WRITE -> new Outcome.Success(rows, false);
            case READ -> new Outcome.Success(rows, isEmptyRead(body));
            case BULK -> {
                long failed = bulkFailed(body);
                // A partly failed bulk request is not a success: the caller asked for every row.
                yield failed > 0 ? new Outcome.Failure("BULK_ROWS_FAILED") : new Outcome.Success(rows, false);
            }
        };
    }

    public static Outcome.Failure classify(Throwable error) {
        Throwable t = error;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof HttpConnectTimeoutException) {
            return new Outcome.Failure("CONNECT_TIMEOUT");
        }
        if (t instanceof HttpTimeoutException || t instanceof java.net.SocketTimeoutException) {
            return new Outcome.Failure("TIMEOUT");
        }
        if (t instanceof ConnectException) {
            return new Outcome.Failure("CONNECTION_REFUSED");
        }
        if (t instanceof IOException) {
            return new Outcome.Failure("CONNECTION_ERROR");
        }
        return new Outcome.Failure("CLIENT_" + t.getClass().getSimpleName());
    }

    /** The string value of the first {@code "code"} field, or null. */
    static String errorCode(byte[] body) {
        int i = valueStart(body, CODE);
        if (i < 0 || i >= body.length || body[i] != '"') {
            return null;
        }
        int start = i + 1;
        int end = start;
        while (end < body.length && body[end] != '"' && end - start < 64) {
            end++;
        }
        if (end >= body.length || body[end] != '"' || end == start) {
            return null;
        }
        return new String(body, start, end - start, StandardCharsets.UTF_8);
    }

    /** The {@code "failed"} count of a bulk answer; 0 when absent. */
    static long bulkFailed(byte[] body) {
        int i = valueStart(body, FAILED);
        if (i < 0) {
            return 0;
        }
        long n = 0;
        while (i < body.length && body[i] >= '0' && body[i] <= '9') {
            n = n * 10 + (body[i] - '0');
            i++;
        }
        return n;
    }

    /** True when the answer has {@code "rows": []}; an answer without a rows field is not called empty. */
    static boolean isEmptyRead(byte[] body) {
        int i = valueStart(body, ROWS);
        if (i < 0 || i >= body.length || body[i] != '[') {
            return false;
        }
        i = skipWhitespace(body, i + 1);
        return i < body.length && body[i] == ']';
    }

    /** Index of the first non-blank byte after {@code "name" :}, or -1. */
    private static int valueStart(byte[] body, byte[] name) {
        if (body == null) {
            return -1;
        }
        int at = indexOf(body, name);
        if (at < 0) {
            return -1;
        }
        int i = skipWhitespace(body, at + name.length);
        if (i >= body.length || body[i] != ':') {
            return -1;
        }
        return skipWhitespace(body, i + 1);
    }

    private static int skipWhitespace(byte[] b, int i) {
        while (i < b.length && (b[i] == ' ' || b[i] == '\n' || b[i] == '\r' || b[i] == '\t')) {
            i++;
        }
        return i;
    }

    static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i <= hay.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
