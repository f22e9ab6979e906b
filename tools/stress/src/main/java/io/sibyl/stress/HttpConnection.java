package io.sibyl.stress;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;

/**
 * One keep-alive HTTP/1.1 connection with blocking I/O, used by one lane at a time.
 *
 * <p>Why not {@code java.net.http.HttpClient} for the measured requests: profiled here, it cost the
 * client about half a core for 6,000 requests/s (selector thread, executor hops, per-request
 * publishers and subscribers), and it writes the head and the body of a request in two packets, so
 * the server sees most bodies arrive late and must stream them. This connection writes the whole
 * request with one {@code write} and parses the answer in place: a lane thread blocked in
 * {@code read} costs nothing while it waits. Responses with {@code Content-Length} or chunked
 * bodies are understood; {@code Connection: close} closes the socket after the answer.
 */
public final class HttpConnection implements Closeable {

    /** A whole answer. */
    public record Response(int status, byte[] body) {}

    private final URI base;
    /** Non-null for https://: the TCP socket is wrapped in TLS after connecting. */
    private final SSLSocketFactory tls;
    private final int timeoutMillis;
    private final byte[] hostHeader;
    private Socket socket;
    private InputStream in;
    private OutputStream out;
    private byte[] request = new byte[4096];
    private final byte[] buf = new byte[16384];
    private int pos;
    private int limit;
    /** Bytes of appended requests not yet written. */
    private int pending;

    public HttpConnection(URI base, Duration timeout) {
        this(base, timeout, null, Credentials.NONE);
    }

    /**
     * @param tls         sockets for an https:// base; null: the JVM's default SSL socket factory (ignored for http://)
     * @param credentials the run's role, sent with every request (Credentials.NONE: no Authorization header)
     */
    public HttpConnection(URI base, Duration timeout, SSLSocketFactory tls, Credentials credentials) {
        this.base = base;
        this.tls = "https".equalsIgnoreCase(base.getScheme())
                ? (tls != null ? tls : (SSLSocketFactory) SSLSocketFactory.getDefault()) : null;
        this.timeoutMillis = (int) Math.min(Integer.MAX_VALUE, Math.max(1, timeout.toMillis()));
        String auth = credentials.header();
        this.hostHeader = ("Host: " + base.getHost() + ":" + port(base) + "\r\n"
                + (auth == null ? "" : "Authorization: " + auth + "\r\n")).getBytes(StandardCharsets.US_ASCII);
    }

    private static int port(URI uri) {
        return uri.getPort() > 0 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }

    /** Sends the request and reads its answer; on an I/O error the connection is closed (next use reconnects). */
    public Response exchange(StressRequest r) throws IOException {
        append(r);
        flush();
        return read(r);
    }

    /**
     * Adds a request to the ones to be written by the next {@link #flush()}: with pipelining, several
     * requests leave in one {@code write} and the server reads them with one {@code read}.
     */
    public void append(StressRequest r) {
        pending = writeRequest(pending, r);
    }

    /** Writes every appended request; on an I/O error the connection is closed (next use reconnects). */
    public void flush() throws IOException {
        try {
            if (socket == null) {
                connect();
            }
            out.write(request, 0, pending);
            pending = 0;
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    /**
     * Reads the answer to the oldest written request that has none yet (HTTP/1.1 answers come in
     * request order); on an I/O error the connection is closed.
     */
    public Response read(StressRequest r) throws IOException {
        try {
            if (socket == null) {
                throw new IOException("connection closed before the answer");
            }
            return readResponse(r.method().equals("HEAD"));
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    /** True if answer bytes already arrived and wait in the buffer: reading them needs no wait. */
    public boolean hasBufferedInput() {
        return pos < limit;
    }

    private void connect() throws IOException {
        Socket s = new Socket();
        try {
            s.setTcpNoDelay(true);
            s.setKeepAlive(true);
            s.connect(new InetSocketAddress(base.getHost(), port(base)), timeoutMillis);
            s.setSoTimeout(timeoutMillis);
            if (tls != null) {
                SSLSocket secure = (SSLSocket) tls.createSocket(s, base.getHost(), port(base), true);
                SSLParameters params = secure.getSSLParameters();
                params.setEndpointIdentificationAlgorithm("HTTPS"); // the certificate must name the host
                secure.setSSLParameters(params);
                secure.startHandshake();
                s = secure;
            }
        } catch (IOException e) {
            s.close();
            throw e;
        }
        socket = s;
        in = s.getInputStream();
        out = s.getOutputStream();
        pos = 0;
        limit = 0;
    }

    private int writeRequest(int start, StressRequest r) {
        int bodyLength = r.body() == null ? 0 : r.body().length;
        int n = start;
        n = put(n, r.method());
        n = put(n, " ");
        n = put(n, r.pathAndQuery());
        n = put(n, " HTTP/1.1\r\n");
        n = put(n, hostHeader);
        if (r.contentType() != null) {
            n = put(n, "Content-Type: ");
            n = put(n, r.contentType());
            n = put(n, "\r\n");
        }
        if (r.body() != null || !r.method().equals("GET")) {
            n = put(n, "Content-Length: ");
            n = put(n, Integer.toString(bodyLength));
            n = put(n, "\r\n");
        }
        n = put(n, "\r\n");
        if (bodyLength > 0) {
            n = put(n, r.body());
        }
        return n;
    }

    private int put(int n, String ascii) {
        int len = ascii.length();
        ensure(n + len);
        ascii.getBytes(0, len, request, n); // ASCII only: method, encoded path, header names and numbers
        return n + len;
    }

    private int put(int n, byte[] bytes) {
        ensure(n + bytes.length);
        System.arraycopy(bytes, 0, request, n, bytes.length);
        return n + bytes.length;
    }

    private void ensure(int size) {
        if (size > request.length) {
            request = Arrays.copyOf(request, Math.max(size, request.length * 2));
        }
    }

    private Response readResponse(boolean head) throws IOException {
        String statusLine = readLine();
        // HTTP/1.1 200 OK
        if (statusLine.length() < 12 || !statusLine.startsWith("HTTP/1.")) {
            throw new IOException("not an HTTP/1.x status line: " + statusLine);
        }
        int status = Integer.parseInt(statusLine.substring(9, 12));
        long contentLength = -1;
        boolean chunked = false;
        boolean close = statusLine.startsWith("HTTP/1.0");
        for (String line = readLine(); !line.isEmpty(); line = readLine()) {
            int colon = line.indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String name = line.substring(0, colon);
            String value = line.substring(colon + 1).trim();
            if (name.equalsIgnoreCase("Content-Length")) {
                contentLength = Long.parseLong(value);
            } else if (name.equalsIgnoreCase("Transfer-Encoding")) {
                chunked = value.toLowerCase(java.util.Locale.ROOT).contains("chunked");
            } else if (name.equalsIgnoreCase("Connection")) {
                close = value.equalsIgnoreCase("close");
            }
        }
        byte[] body;
        if (head || status == 204 || status == 304 || (status >= 100 && status < 200)) {
            body = new byte[0];
        } else if (chunked) {
            body = readChunked();
        } else if (contentLength >= 0) {
            body = readExactly((int) contentLength);
        } else {
            body = readToEnd();
            close = true;
        }
        if (close) {
            close();
        }
        return new Response(status, body);
    }

    private byte[] readChunked() throws IOException {
        byte[] out = new byte[0];
        int size = 0;
        while (true) {
            String line = readLine();
            int semi = line.indexOf(';');
            int chunk = Integer.parseInt((semi >= 0 ? line.substring(0, semi) : line).trim(), 16);
            if (chunk == 0) {
                while (!readLine().isEmpty()) {
                    // trailers: ignored
                }
                return size == out.length ? out : Arrays.copyOf(out, size);
            }
            byte[] part = readExactly(chunk);
            if (size + chunk > out.length) {
                out = Arrays.copyOf(out, Math.max(size + chunk, out.length * 2));
            }
            System.arraycopy(part, 0, out, size, chunk);
            size += chunk;
            readLine(); // CRLF after the chunk
        }
    }

    private byte[] readExactly(int n) throws IOException {
        byte[] out = new byte[n];
        int done = Math.min(n, limit - pos);
        System.arraycopy(buf, pos, out, 0, done);
        pos += done;
        while (done < n) {
            int r = in.read(out, done, n - done);
            if (r < 0) {
                throw new EOFException("connection closed after " + done + " of " + n + " body bytes");
            }
            done += r;
        }
        return out;
    }

    private byte[] readToEnd() throws IOException {
        java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
        all.write(buf, pos, limit - pos);
        pos = limit;
        in.transferTo(all);
        return all.toByteArray();
    }

    /** One header line without its CRLF (ISO-8859-1). */
    private String readLine() throws IOException {
        StringBuilder sb = null;
        while (true) {
            for (int i = pos; i < limit; i++) {
                if (buf[i] == '\n') {
                    int end = i > pos && buf[i - 1] == '\r' ? i - 1 : i;
                    String part = new String(buf, pos, end - pos, StandardCharsets.ISO_8859_1);
                    pos = i + 1;
                    if (sb == null) {
                        return part;
                    }
                    // a CR at the end of the previous fill belongs to this line ending
                    String s = sb.append(part).toString();
                    return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
                }
            }
            if (sb == null) {
                sb = new StringBuilder();
            }
            sb.append(new String(buf, pos, limit - pos, StandardCharsets.ISO_8859_1));
            if (sb.length() > 65536) {
                throw new IOException("HTTP header line longer than 64 KiB");
            }
            pos = 0;
            limit = in.read(buf, 0, buf.length);
            if (limit < 0) {
                limit = 0;
                throw new EOFException("connection closed by the server");
            }
        }
    }

    @Override
    public void close() {
        Socket s = socket;
        socket = null;
        in = null;
        out = null;
        pos = 0;
        limit = 0;
        pending = 0;
        if (s != null) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing a socket we are done with: nothing left to do about it
            }
        }
    }
}
