package io.sibyl.app.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** A raw-socket HTTP/1.1 client that, like Python's urllib, writes the whole request before reading the answer. */
final class RawHttp {
    record Answer(int status, String body) {}

    private RawHttp() {
    }

    /** The same with {@code Transfer-Encoding: chunked} (1 MiB chunks): the server does not know the length up front. */
    static Answer sendChunked(int port, String method, String path, byte[] body, int readTimeoutMs) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(readTimeoutMs);
            OutputStream out = s.getOutputStream();
            String head = method + " " + path + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n";
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            for (int off = 0; off < body.length; off += 1 << 20) {
                int n = Math.min(1 << 20, body.length - off);
                out.write((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(body, off, n);
                out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return read(s.getInputStream());
        }
    }

    static Answer send(int port, String method, String path, byte[] body, int readTimeoutMs) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(readTimeoutMs);
            OutputStream out = s.getOutputStream();
            String head = method + " " + path + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + body.length + "\r\nConnection: close\r\n\r\n";
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            for (int off = 0; off < body.length; off += 1 << 20) {
                out.write(body, off, Math.min(1 << 20, body.length - off));
            }
            out.flush();
            return read(s.getInputStream());
        }
    }

    private static Answer read(InputStream in) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        for (int n; (n = in.read(buf)) > 0; ) {
            all.write(buf, 0, n);
        }
        String text = all.toString(StandardCharsets.UTF_8);
        int status = Integer.parseInt(text.substring(9, 12));
        int bodyStart = text.indexOf("\r\n\r\n");
        return new Answer(status, bodyStart < 0 ? "" : text.substring(bodyStart + 4));
    }
}
