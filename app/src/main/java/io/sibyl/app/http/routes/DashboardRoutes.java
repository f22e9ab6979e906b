package io.sibyl.app.http.routes;

import io.sibyl.app.errors.NotFoundException;
import io.sibyl.app.http.ApiRequest;
import io.sibyl.app.http.HttpApi;
import io.sibyl.app.http.Responses;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.Location;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.model.headers.CacheControl;
import org.apache.pekko.http.javadsl.model.headers.CacheDirectives;
import org.apache.pekko.http.scaladsl.model.HttpRequest;

/**
 * {@code GET /ui} and {@code /ui/**}: the web dashboard (docs/operations.md, "The web dashboard"), static
 * files from the class path's {@code ui/} directory inside the jar. The page itself only reads the node's
 * JSON endpoints, so every node serves the same files and nothing is fetched from the internet (the
 * Content-Security-Policy forbids it). {@code GET /} redirects to {@code /ui/}.
 */
public final class DashboardRoutes {
    static final String ROOT = "ui/";

    /** Only what the dashboard ships; anything else under /ui is 404. */
    private static final Map<String, ContentType> TYPES = Map.of(
            "html", ContentTypes.TEXT_HTML_UTF8,
            "js", ContentTypes.parse("text/javascript; charset=UTF-8"),
            "css", ContentTypes.parse("text/css; charset=UTF-8"),
            "svg", ContentTypes.parse("image/svg+xml"),
            "png", ContentTypes.parse("image/png"),
            "txt", ContentTypes.TEXT_PLAIN_UTF8);

    /** Same-origin only: the dashboard talks to the node that served it and loads nothing from elsewhere. */
    static final String CONTENT_SECURITY_POLICY =
            "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'";

    private final ClassLoader loader;
    /** The jar's files do not change while the node runs: each is read once. */
    private final Map<String, Optional<byte[]>> cache = new ConcurrentHashMap<>();

    public DashboardRoutes() {
        this(DashboardRoutes.class.getClassLoader());
    }

    DashboardRoutes(ClassLoader loader) {
        this.loader = loader;
    }

    public void register(HttpApi api) {
        api.get("/", r -> Responses.done(HttpResponse.create()
                .withStatus(StatusCodes.FOUND)
                .addHeader(Location.create("/ui/"))));
        api.get("/ui", r -> Responses.done(file("index.html")));
        api.get("/ui/**", r -> Responses.done(file(relativePath(r))));
    }

    /** The request's path below /ui, from its decoded segments; a segment that could climb out is refused. */
    static String relativePath(ApiRequest r) {
        List<String> segments = r.pathParams();
        for (String s : segments) {
            if (s.equals("..") || s.equals(".") || s.contains("/") || s.contains("\\") || s.indexOf('\0') >= 0) {
                throw new NotFoundException("no such file: " + path(r));
            }
        }
        return String.join("/", segments);
    }

    private static String path(ApiRequest r) {
        return ((HttpRequest) r.http()).uri().path().toString();
    }

    HttpResponse file(String relative) {
        int dot = relative.lastIndexOf('.');
        ContentType type = dot < 0 ? null : TYPES.get(relative.substring(dot + 1));
        Optional<byte[]> bytes = type == null ? Optional.empty() : cache.computeIfAbsent(relative, this::load);
        if (bytes.isEmpty()) {
            throw new NotFoundException("no such file: /ui/" + relative);
        }
        return HttpResponse.create()
                .withStatus(StatusCodes.OK)
                .withEntity(HttpEntities.create(type, bytes.get()))
                // the page is small and changes with the jar: always revalidate, so an upgraded node serves its own
                .addHeader(CacheControl.create(CacheDirectives.NO_CACHE))
                .addHeader(RawHeader.create("X-Content-Type-Options", "nosniff"))
                .addHeader(RawHeader.create("Content-Security-Policy", CONTENT_SECURITY_POLICY));
    }

    private Optional<byte[]> load(String relative) {
        try (InputStream in = loader.getResourceAsStream(ROOT + relative)) {
            return in == null ? Optional.empty() : Optional.of(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read dashboard file " + ROOT + relative, e);
        }
    }
}
