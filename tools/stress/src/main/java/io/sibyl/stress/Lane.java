package io.sibyl.stress;

import java.util.SplittableRandom;

/**
 * One of the {@code --concurrency} request chains: it sends a request, and its completion sends the
 * next. A lane never has two requests in flight, so its random source and body buffer need no locks
 * (the HttpClient's completion gives the happens-before edge between consecutive uses).
 */
public final class Lane {

    final int id;
    final SplittableRandom random;
    final StringBuilder body;

    public Lane(int id, long seed) {
        this.id = id;
        // Distinct, reproducible streams per lane for a given --seed.
        this.random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + id);
        this.body = new StringBuilder(2048);
    }

    /** The lane's body buffer, emptied for the next request. */
    StringBuilder freshBody() {
        body.setLength(0);
        return body;
    }
}
