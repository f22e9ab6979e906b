package io.sibyl.app.http;

import java.util.Optional;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;

/** Test access to {@link HttpAccess}'s header parsing. */
public final class HttpAccessProbe {
    private HttpAccessProbe() {
    }

    public static String[] basic(String header) {
        return HttpAccess.basic(Optional.of(RawHeader.create("Authorization", header)));
    }
}
