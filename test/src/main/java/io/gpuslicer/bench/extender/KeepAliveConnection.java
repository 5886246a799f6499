package io.gpuslicer.bench.extender;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.zip.GZIPInputStream;

/**
 * One HTTP/1.1 keep-alive connection with one request in flight, as kube-scheduler's extender client
 * (Go net/http) uses it: {@code Accept-Encoding: gzip} (Go's transport adds it by default), the
 * response read by Content-Length or chunks and gunzipped here. Hand-written and blocking so that
 * the client adds no thread hops to the latency measured: the caller's thread writes the request and
 * reads the answer.
 */
final class KeepAliveConnection implements Closeable {
    private final String host;
    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;

    record Response(int status, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    KeepAliveConnection(String host, int port) throws IOException {
        this.host = host + ":" + port;
        this.socket = new Socket(host, port);
        socket.setTcpNoDelay(true);
        this.out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
        this.in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
    }

    Response post(String path, byte[] body) throws IOException {
        String head = "POST " + path + " HTTP/1.1\r\nHost: " + host + "\r\nUser-Agent: Go-http-client/1.1\r\n"
                + "Content-Length: " + body.length + "\r\nContent-Type: application/json\r\nAccept-Encoding: gzip\r\n\r\n";
        out.write(head.getBytes(StandardCharsets.US_ASCII));
        out.write(body);
        out.flush();
        return read();
    }

    Response get(String path) throws IOException {
        out.write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return read();
    }

    private Response read() throws IOException {
        String statusLine = line();
        if (!statusLine.startsWith("HTTP/1.1 ")) {
            throw new IOException("not an HTTP/1.1 response: " + statusLine);
        }
        int status = Integer.parseInt(statusLine.substring(9, 12));
        long length = -1;
        boolean chunked = false;
        boolean gzip = false;
        for (String h = line(); !h.isEmpty(); h = line()) {
            int colon = h.indexOf(':');
            String name = h.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = h.substring(colon + 1).trim();
            switch (name) {
                case "content-length" -> length = Long.parseLong(value);
                case "transfer-encoding" -> chunked = value.equalsIgnoreCase("chunked");
                case "content-encoding" -> gzip = value.equalsIgnoreCase("gzip");
                default -> {
                }
            }
        }
        byte[] raw;
        if (chunked) {
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            for (int size = Integer.parseInt(line().split(";")[0].trim(), 16); size > 0;
                 size = Integer.parseInt(line().split(";")[0].trim(), 16)) {
                all.write(in.readNBytes(size));
                line();
            }
            for (String trailer = line(); !trailer.isEmpty(); trailer = line()) {
                // trailers: none expected
            }
            raw = all.toByteArray();
        } else if (length >= 0) {
            raw = in.readNBytes((int) length);
            if (raw.length != length) {
                throw new IOException("connection closed after " + raw.length + " of " + length + " bytes");
            }
        } else {
            throw new IOException("response without Content-Length or chunked encoding");
        }
        if (gzip) {
            try (GZIPInputStream z = new GZIPInputStream(new ByteArrayInputStream(raw))) {
                raw = z.readAllBytes();
            }
        }
        return new Response(status, raw);
    }

    private String line() throws IOException {
        StringBuilder sb = new StringBuilder(64);
        int c;
        while ((c = in.read()) != '\n') {
            if (c < 0) {
                throw new IOException("connection closed by the server");
            }
            if (c != '\r') {
                sb.append((char) c);
            }
        }
        return sb.toString();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
