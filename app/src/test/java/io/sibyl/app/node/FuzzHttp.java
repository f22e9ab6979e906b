package io.sibyl.app.node;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A raw-socket HTTP/1.1 client for the fuzz tests: it writes exactly the bytes it is given (no client-side
 * validation of the method, target or headers) with {@code Connection: close}, and reads the answer to EOF.
 */
final class FuzzHttp {
    record Answer(int status, Map<String, String> headers, String body) {}

    private FuzzHttp() {
    }

    /** Sends {@code head} (request line and headers, without the final empty line) and {@code body}. */
    static Answer exchange(int port, String head, byte[] body, int readTimeoutMs) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(readTimeoutMs);
            OutputStream out = s.getOutputStream();
            StringBuilder h = new StringBuilder(head);
            h.append("Host: localhost\r\nConnection: close\r\n");
            if (body != null) h.append("Content-Length: ").append(body.length).append("\r\n");
            h.append("\r\n");
            out.write(h.toString().getBytes(StandardCharsets.ISO_8859_1));
            try {
                if (body != null) out.write(body);
                out.flush();
            } catch (IOException e) {
                // the server may answer (e.g. 413) and close before the whole body is written: read what it said
            }
            return read(s.getInputStream());
        }
    }

    private static Answer read(InputStream in) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        try {
            for (int n; (n = in.read(buf)) > 0; ) all.write(buf, 0, n);
        } catch (java.net.SocketException e) {
            if (all.size() == 0) throw e; // a reset after the answer was read is fine
        }
        byte[] bytes = all.toByteArray();
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        int headEnd = text.indexOf("\r\n\r\n");
        if (!text.startsWith("HTTP/1.1 ") || headEnd < 0) throw new IOException("no HTTP answer: " + abbreviate(text));
        int status = Integer.parseInt(text.substring(9, 12));
        Map<String, String> headers = new LinkedHashMap<>();
        for (String line : text.substring(0, headEnd).split("\r\n")) {
            int c = line.indexOf(':');
            if (c > 0) headers.put(line.substring(0, c).trim().toLowerCase(Locale.ROOT), line.substring(c + 1).trim());
        }
        byte[] rawBody = java.util.Arrays.copyOfRange(bytes, headEnd + 4, bytes.length);
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) rawBody = dechunk(rawBody);
        return new Answer(status, headers, new String(rawBody, StandardCharsets.UTF_8));
    }

    private static byte[] dechunk(byte[] b) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int p = 0;
        while (p < b.length) {
            int eol = indexOf(b, p);
            if (eol < 0) break;
            String sizeText = new String(b, p, eol - p, StandardCharsets.ISO_8859_1);
            int semi = sizeText.indexOf(';');
            int size = Integer.parseInt((semi < 0 ? sizeText : sizeText.substring(0, semi)).trim(), 16);
            if (size == 0) break;
            out.write(b, eol + 2, Math.min(size, b.length - eol - 2));
            p = eol + 2 + size + 2;
        }
        return out.toByteArray();
    }

    private static int indexOf(byte[] b, int from) {
        for (int i = from; i + 1 < b.length; i++) if (b[i] == '\r' && b[i + 1] == '\n') return i;
        return -1;
    }

    static String abbreviate(String s) {
        return s.length() > 300 ? s.substring(0, 300) + "...(" + s.length() + " chars)" : s;
    }
}
