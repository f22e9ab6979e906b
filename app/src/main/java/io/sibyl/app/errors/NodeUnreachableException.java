package io.sibyl.app.errors;

import java.util.Map;

/**
 * Another node this request had to ask (e.g. for its metrics) did not answer: {@code UNAVAILABLE}, 503,
 * with the node's id. Nothing was changed anywhere.
 */
public final class NodeUnreachableException extends RequestException {
    private final String node;

    public NodeUnreachableException(String node, String message, Throwable cause) {
        super(message, cause);
        this.node = node;
    }

    @Override public String code() { return "UNAVAILABLE"; }
    @Override public int status() { return 503; }

    @Override
    public Map<String, Object> details() {
        return Map.of("node", node);
    }
}
