package io.sibyl.stress;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HttpConnectionTest {

    /** A scripted server: for each request it reads (head + Content-Length body), records it, and writes the next canned answer. */
    private ServerSocket server;
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final AtomicInteger connections = new AtomicInteger();

    private URI serve(List<List<String>> answersPerConnection) throws IOException {
        server = new ServerSocket(0);
        Thread t = new Thread(() -> {
            for (List<String> answers : answersPerConnection) {
                try (Socket s = server.accept()) {
                    connections.incrementAndGet();
                    InputStream in = s.getInputStream();
                    OutputStream out = s.getOutputStream();
                    for (String answer : answers) {
                        requests.add(readRequest(in));
                        // written in small pieces so the client must reassemble lines and bodies
                        byte[] bytes = answer.getBytes(StandardCharsets.ISO_8859_1);
                        for (int i = 0; i < bytes.length; i += 7) {
                            out.write(bytes, i, Math.min(7, bytes.length - i));
                            out.flush();
                        }
                    }
                } catch (IOException e) {
                    return;
                }
            }
        });
        t.setDaemon(true);
        t.start();
        return URI.create("http://127.0.0.1:" + server.getLocalPort());
    }

    private static String readRequest(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0) {
            head.write(c);
            String h = head.toString(StandardCharsets.ISO_8859_1);
            if (h.endsWith("\r\n\r\n")) {
                int length = 0;
                for (String line : h.split("\r\n")) {
                    if (line.toLowerCase().startsWith("content-length:")) {
                        length = Integer.parseInt(line.substring(15).trim());
                    }
                }
                byte[] body = in.readNBytes(length);
                return h + new String(body, StandardCharsets.UTF_8);
            }
        }
        throw new IOException("client closed");
    }

    @AfterEach
    void close() throws IOException {
        if (server != null) {
            server.close();
        }
    }

    private static StressRequest put(URI base, String body) {
        return new StressRequest("PUT", 0, base, "/v1/x/rows?consistency=ONE", "application/json",
                body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void sendsWholeRequestsAndReadsContentLengthAndChunkedAnswersOnOneConnection() throws IOException {
        URI base = serve(List.of(List.of(
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}",
                "HTTP/1.1 503 Service Unavailable\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n{\"err\r\n4;x=y\r\nor\":\r\n3\r\n1}\n\r\n0\r\n\r\n")));
        try (HttpConnection c = new HttpConnection(base, Duration.ofSeconds(5))) {
            HttpConnection.Response first = c.exchange(put(base, "{\"k\":\"é\"}"));
            assertEquals(200, first.status());
            assertArrayEquals("{}".getBytes(StandardCharsets.UTF_8), first.body());
            HttpConnection.Response second = c.exchange(new StressRequest("GET", 0, base, "/v1/y", null, null));
            assertEquals(503, second.status());
            assertEquals("{\"error\":1}\n", new String(second.body(), StandardCharsets.UTF_8));
        }
        assertEquals(1, connections.get(), "keep-alive: both requests on one connection");
        String put = requests.get(0);
        assertTrue(put.startsWith("PUT /v1/x/rows?consistency=ONE HTTP/1.1\r\n"), put);
        assertTrue(put.contains("Host: 127.0.0.1:" + base.getPort() + "\r\n"), put);
        assertTrue(put.contains("Content-Length: 10\r\n"), "UTF-8 byte length: " + put);
        assertTrue(put.endsWith("\r\n\r\n{\"k\":\"é\"}"), put);
        assertTrue(requests.get(1).startsWith("GET /v1/y HTTP/1.1\r\n"));
        assertTrue(!requests.get(1).contains("Content-Length"), "a GET without body sends no Content-Length");
    }

    @Test
    void pipelinedRequestsLeaveInOneWriteAndAnswersAreReadInOrder() throws IOException {
        URI base = serve(List.of(List.of(
                "HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\na",
                "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 2\r\n\r\nbb",
                "HTTP/1.1 201 Created\r\nContent-Length: 3\r\n\r\nccc")));
        try (HttpConnection c = new HttpConnection(base, Duration.ofSeconds(5))) {
            StressRequest first = put(base, "1");
            c.append(first);
            c.append(put(base, "22"));
            c.append(put(base, "333"));
            c.flush();
            HttpConnection.Response a = c.read(first);
            assertEquals(200, a.status());
            assertEquals("a", new String(a.body(), StandardCharsets.UTF_8));
            HttpConnection.Response b = c.read(first);
            assertEquals(503, b.status());
            assertEquals("bb", new String(b.body(), StandardCharsets.UTF_8));
            HttpConnection.Response d = c.read(first);
            assertEquals(201, d.status());
            assertEquals("ccc", new String(d.body(), StandardCharsets.UTF_8));
            assertTrue(!c.hasBufferedInput(), "nothing left after the third answer");
        }
        assertEquals(1, connections.get());
        assertEquals(3, requests.size());
        assertTrue(requests.get(0).endsWith("\r\n\r\n1"), requests.get(0));
        assertTrue(requests.get(1).endsWith("\r\n\r\n22"), requests.get(1));
        assertTrue(requests.get(2).endsWith("\r\n\r\n333"), requests.get(2));
    }

    @Test
    void reconnectsAfterConnectionClose() throws IOException {
        URI base = serve(List.of(
                List.of("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 1\r\n\r\na"),
                List.of("HTTP/1.1 201 Created\r\nContent-Length: 1\r\n\r\nb")));
        try (HttpConnection c = new HttpConnection(base, Duration.ofSeconds(5))) {
            assertEquals("a", new String(c.exchange(put(base, "1")).body(), StandardCharsets.UTF_8));
            HttpConnection.Response second = c.exchange(put(base, "2"));
            assertEquals(201, second.status());
            assertEquals("b", new String(second.body(), StandardCharsets.UTF_8));
        }
        assertEquals(2, connections.get());
    }

    @Test
    void aSilentServerTimesOut() throws IOException {
        try (ServerSocket silent = new ServerSocket(0)) {
            URI base = URI.create("http://127.0.0.1:" + silent.getLocalPort());
            try (HttpConnection c = new HttpConnection(base, Duration.ofMillis(200))) {
                assertThrows(SocketTimeoutException.class, () -> c.exchange(put(base, "{}")));
            }
        }
    }

    @Test
    void aServerThatHangsUpMidAnswerIsAnError() throws IOException {
        URI base = serve(List.of(List.of("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc")));
        try (HttpConnection c = new HttpConnection(base, Duration.ofSeconds(5))) {
            assertThrows(IOException.class, () -> c.exchange(put(base, "{}")));
        }
    }
}
