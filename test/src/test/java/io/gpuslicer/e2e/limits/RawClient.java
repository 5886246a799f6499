package io.gpuslicer.e2e.limits;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;

/** A raw HTTP/1.1 client socket, plain or TLS, for sending exactly the bytes a misbehaving client would. */
final class RawClient implements AutoCloseable {
    /** How long a test waits for the server to close before calling the connection held. */
    static final int GIVE_UP_MILLIS = 25_000;

    final Socket socket;

    private RawClient(Socket socket) throws IOException {
        this.socket = socket;
        socket.setSoTimeout(GIVE_UP_MILLIS);
    }

    static RawClient plain(int port) throws IOException {
        return new RawClient(new Socket("127.0.0.1", port));
    }

    /** TLS with the handshake done, trusting {@code caPem}. */
    static RawClient tls(int port, String caPem) throws Exception {
        SSLSocket s = (SSLSocket) trusting(caPem).getSocketFactory().createSocket("127.0.0.1", port);
        s.startHandshake();
        return new RawClient(s);
    }

    /** A TCP connection to a TLS port that never starts the handshake. */
    record Bare(Socket socket) {
        RawClient client() throws IOException {
            return new RawClient(socket);
        }
    }

    void send(String text) throws IOException {
        socket.getOutputStream().write(text.getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
    }

    /** Everything the server sends until it closes; throws if it is still open after {@link #GIVE_UP_MILLIS}. */
    String readUntilClosed() throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        InputStream in = socket.getInputStream();
        try {
            for (int n; (n = in.read(buf)) >= 0; ) {
                all.write(buf, 0, n);
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the server kept the connection open; received: " + all.toString(StandardCharsets.UTF_8), e);
        } catch (IOException reset) {
            // A reset is a close too.
        }
        return all.toString(StandardCharsets.UTF_8);
    }

    /** One response (headers and a Content-Length body), leaving the connection open. */
    String readResponse() throws IOException {
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed after " + head);
            }
            head.write(b);
        }
        String headers = head.toString(StandardCharsets.US_ASCII);
        int length = 0;
        for (String line : headers.split("\r\n")) {
            if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).trim());
            }
        }
        return headers + new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }

    private static SSLContext trusting(String caPem) throws Exception {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        trust.setCertificateEntry("ca", CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(caPem.getBytes(StandardCharsets.US_ASCII))));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
