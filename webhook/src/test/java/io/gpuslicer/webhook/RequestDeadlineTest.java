package io.gpuslicer.webhook;

import io.gpuslicer.policy.PolicyLoader;
import io.gpuslicer.server.HttpJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** An AdmissionReview that stalls mid-body over TLS is answered 408 and its connection closed. */
class RequestDeadlineTest {
    @TempDir
    Path dir;

    @Test
    void aStalledAdmissionReviewIsAnswered408AndTheConnectionClosed() throws Exception {
        TestWebhook webhook = new TestWebhook(dir, PolicyLoader.defaultPolicyText(), null);
        try (SSLSocket socket = (SSLSocket) trusting(webhook.ca.caPem()).getSocketFactory()
                .createSocket("127.0.0.1", webhook.server.actualPort())) {
            socket.setSoTimeout((int) (HttpJson.REQUEST_DEADLINE_MILLIS * 4));
            OutputStream out = socket.getOutputStream();
            out.write(("POST /mutate HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 5000\r\n\r\n{\"kind\":\"AdmissionReview\"").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            long start = System.nanoTime();

            String answer = readUntilClosed(socket.getInputStream());

            assertThat(answer).startsWith("HTTP/1.1 408").contains("\"code\":408");
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isGreaterThanOrEqualTo(HttpJson.REQUEST_DEADLINE_MILLIS - 1000);
        } finally {
            webhook.close();
        }
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

    private static String readUntilClosed(InputStream in) throws Exception {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] buf = new byte[4096];
        try {
            for (int n; (n = in.read(buf)) >= 0; ) {
                all.write(buf, 0, n);
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the connection was not closed; received so far: " + all.toString(StandardCharsets.UTF_8), e);
        }
        return all.toString(StandardCharsets.UTF_8);
    }
}
