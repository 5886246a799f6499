package io.gpuslicer.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gpuslicer.policy.PolicyLoader;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.stream.Stream;

import static io.gpuslicer.webhook.TestWebhook.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** The webhook over real HTTPS, driven by the AdmissionReview bodies kube-apiserver sent. */
class WebhookServerTest {
    @TempDir
    Path dir;
    private TestWebhook webhook;

    @BeforeEach
    void start() throws Exception {
        webhook = new TestWebhook(dir, PolicyLoader.defaultPolicyText(), null);
    }

    @AfterEach
    void stop() throws Exception {
        webhook.close();
    }

    private static JsonNode json(HttpResponse<Buffer> response) {
        return AdmissionHandlerTest.json(response.bodyAsString());
    }

    @Test
    void theKubectlRunSampleIsPatchedWithTheExactPlacementOperations() throws Exception {
        HttpResponse<Buffer> response = webhook.mutate(Samples.bytes(Samples.KUBECTL_RUN));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.getHeader("Content-Type")).isEqualTo("application/json");
        JsonNode review = json(response);
        assertThat(review.at("/response/uid").asText()).isEqualTo("7b2c4a7c-28f5-4ebb-9c97-f431362b9c74");
        assertThat(Samples.patchOf(review)).isEqualTo(AdmissionHandlerTest.json(
                AdmissionHandlerTest.KUBECTL_RUN_PATCH.formatted(webhook.server.policy().current().version())));
    }

    @ParameterizedTest(name = "the captured request {0} is answered 200 with a patch")
    @ValueSource(strings = {Samples.PCN_ONLY, Samples.GENERATE_NAME, Samples.DRY_RUN, Samples.REINVOCATION})
    void everyCapturedRequestIsPatched(String sample) throws Exception {
        HttpResponse<Buffer> response = webhook.mutate(Samples.bytes(sample));
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode review = json(response);
        assertThat(review.at("/response/uid").asText()).isEqualTo(Samples.review(sample).at("/request/uid").asText());
        assertThat(review.at("/response/allowed").asBoolean()).isTrue();
        assertThat(review.at("/response/patchType").asText()).isEqualTo("JSONPatch");
    }

    static Stream<Arguments> badInputs() {
        byte[] valid = Samples.bytes(Samples.KUBECTL_RUN);
        byte[] oversize = new byte[(int) WebhookServer.BODY_LIMIT_BYTES + 1024];
        Arrays.fill(oversize, (byte) ' ');
        return Stream.of(
                arguments("a body that is not JSON", "application/json", "not json".getBytes(StandardCharsets.UTF_8), 400, "the body is not JSON"),
                arguments("an empty body", "application/json", new byte[0], 400, "empty body"),
                arguments("a text/plain content type", "text/plain", valid, 415, "Content-Type must be application/json, got \"text/plain\""),
                arguments("no content type", null, valid, 415, "Content-Type must be application/json, got none"),
                arguments("an admission.k8s.io/v1beta1 review", "application/json",
                        new String(valid, StandardCharsets.UTF_8).replace("admission.k8s.io/v1", "admission.k8s.io/v1beta1").getBytes(StandardCharsets.UTF_8),
                        400, "unsupported apiVersion \"admission.k8s.io/v1beta1\""),
                arguments("a review of another kind", "application/json",
                        "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"ConversionReview\",\"request\":{\"uid\":\"x\"}}".getBytes(StandardCharsets.UTF_8),
                        400, "unsupported kind \"ConversionReview\""),
                arguments("a request without uid", "application/json",
                        new String(valid, StandardCharsets.UTF_8).replace("\"uid\":\"7b2c4a7c-28f5-4ebb-9c97-f431362b9c74\",", "").getBytes(StandardCharsets.UTF_8),
                        400, "request.uid is missing"),
                arguments("a body over the 4 MiB limit", "application/json", oversize, 413, "request body exceeds the limit of 4194304 bytes"));
    }

    @ParameterizedTest(name = "{0} gets {3} with a JSON error")
    @MethodSource("badInputs")
    void badInputGetsAClearClientErrorNeverA500(String name, String contentType, byte[] body, int status, String message) throws Exception {
        HttpResponse<Buffer> response = webhook.post(contentType, body);
        assertThat(response.statusCode()).isEqualTo(status);
        JsonNode error = json(response);
        assertThat(error.at("/error/code").asInt()).isEqualTo(status);
        assertThat(error.at("/error/message").asText()).startsWith(message);
        assertThat(webhook.get(true, "/healthz").statusCode()).as("still serving").isEqualTo(200);
    }

    @Test
    void aNonPodObjectIsAllowedWithoutPatch() throws Exception {
        ObjectNode review = Samples.review(Samples.KUBECTL_RUN);
        ((ObjectNode) review.at("/request/kind")).put("kind", "Secret");
        HttpResponse<Buffer> response = webhook.mutate(Samples.toBytes(review));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json(response).at("/response/allowed").asBoolean()).isTrue();
        assertThat(json(response).at("/response").has("patch")).isFalse();
    }

    @Test
    void unknownPathsAndMethodsGetJsonErrors() throws Exception {
        HttpResponse<Buffer> notFound = webhook.get(true, "/nope");
        assertThat(notFound.statusCode()).isEqualTo(404);
        assertThat(json(notFound).at("/error/code").asInt()).isEqualTo(404);
        HttpResponse<Buffer> wrongMethod = webhook.get(true, "/mutate");
        assertThat(wrongMethod.statusCode()).isEqualTo(405);
        assertThat(json(wrongMethod).at("/error/code").asInt()).isEqualTo(405);
    }

    @Test
    void healthAndReadinessAnswerOnBothPortsAndMetricsOnTheManagementPort() throws Exception {
        for (boolean tls : new boolean[]{true, false}) {
            assertThat(webhook.get(tls, "/healthz").statusCode()).isEqualTo(200);
            assertThat(webhook.get(tls, "/readyz").statusCode()).isEqualTo(200);
        }
        webhook.mutate(Samples.bytes(Samples.KUBECTL_RUN));
        ObjectNode unknownType = Samples.review(Samples.KUBECTL_RUN);
        ((ObjectNode) unknownType.at("/request/object/metadata/labels")).put("gpuslicer.io/workload-type", "gaming");
        webhook.mutate(Samples.toBytes(unknownType));
        webhook.post("application/json", "{}".getBytes(StandardCharsets.UTF_8));

        String metrics = webhook.scrape();
        assertThat(metrics)
                .contains("gpuslicer_webhook_admissions_total{outcome=\"patched\",workload_type=\"development\"} 1.0")
                .contains("gpuslicer_webhook_admissions_total{outcome=\"denied\",workload_type=\"none\"} 1.0")
                .contains("gpuslicer_webhook_admissions_total{outcome=\"error\",workload_type=\"none\"} 1.0")
                .contains("gpuslicer_webhook_admission_seconds_bucket{le=")
                .contains("gpuslicer_webhook_admission_seconds_count 3");
        assertThat(webhook.get(true, "/metrics").statusCode()).as("metrics are not on the TLS port").isEqualTo(404);
    }

    @Test
    void aValidPolicyIsAppliedOnChangeAndAnInvalidOneIsRefusedKeepingTheLastGood() throws Exception {
        String training = PolicyLoader.defaultPolicyText().replace("defaultWorkloadType: development", "defaultWorkloadType: training");
        Files.writeString(webhook.policy(), training);
        await(webhook.server.pollFiles());
        assertThat(json(webhook.mutate(Samples.bytes(Samples.KUBECTL_RUN))).at("/response/warnings").isMissingNode()).isTrue();
        assertThat(decisionType()).isEqualTo("training");

        Files.writeString(webhook.policy(), training.replace("mode: mig", "mode: quantum"));
        await(webhook.server.pollFiles());
        assertThat(decisionType()).as("last good policy kept").isEqualTo("training");

        String metrics = webhook.scrape();
        assertThat(metrics).contains("gpuslicer_policy_reloads_total{result=\"applied\"} 1.0")
                .contains("gpuslicer_policy_reloads_total{result=\"rejected\"} 1.0");
    }

    private String decisionType() throws Exception {
        JsonNode patch = Samples.patchOf(json(webhook.mutate(Samples.bytes(Samples.KUBECTL_RUN))));
        String decision = patch.get(0).at("/value/gpuslicer.io~1decision").asText();
        return AdmissionHandlerTest.json(decision).get("type").asText();
    }

    @Test
    void aRotatedCertificateIsServedToNewConnectionsWhileOpenConnectionsKeepWorking() throws Exception {
        HttpClient client = webhook.vertx.createHttpClient(new HttpClientOptions().setSsl(true).setVerifyHost(false)
                .setKeepAlive(true).setTrustOptions(new PemTrustOptions().addCertValue(Buffer.buffer(webhook.ca.caPem()))));
        int port = webhook.server.actualPort();
        RequestOptions healthz = new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1").setPort(port).setURI("/healthz");
        var before = await(client.request(healthz).compose(req -> req.send().compose(resp -> resp.body().map(b -> req.connection()))));
        assertThat(commonName(before)).isEqualTo("CN=webhook-1");

        webhook.writeCertificate("webhook-2");
        await(webhook.server.pollFiles());

        // The pooled connection still carries requests: nothing was dropped.
        var reused = await(client.request(healthz).compose(req -> req.send().compose(resp -> resp.body().map(b -> req.connection()))));
        assertThat(reused).isSameAs(before);
        assertThat(commonName(reused)).isEqualTo("CN=webhook-1");

        HttpClient fresh = webhook.vertx.createHttpClient(new HttpClientOptions().setSsl(true).setVerifyHost(false)
                .setTrustOptions(new PemTrustOptions().addCertValue(Buffer.buffer(webhook.ca.caPem()))));
        var after = await(fresh.request(healthz).compose(req -> req.send().compose(resp -> resp.body().map(b -> req.connection()))));
        assertThat(commonName(after)).isEqualTo("CN=webhook-2");
        assertThat(webhook.server.actualPort()).isEqualTo(port);
        assertThat(webhook.scrape()).contains("gpuslicer_webhook_certificate_reloads_total{result=\"applied\"} 1.0");
        await(client.close());
        await(fresh.close());
    }

    @Test
    void onlyTls12AndTls13AreOffered() throws Exception {
        // The test JVM lifts the JDK's own TLS 1.1 ban (legacy-tls-allowed.security): only the server's list refuses it.
        org.assertj.core.api.Assertions.assertThat(java.security.Security.getProperty("jdk.tls.disabledAlgorithms")).doesNotContain("TLSv1.1");
        HttpClient tls11 = webhook.vertx.createHttpClient(new HttpClientOptions().setSsl(true).setVerifyHost(false)
                .setEnabledSecureTransportProtocols(java.util.Set.of("TLSv1.1"))
                .setTrustOptions(new PemTrustOptions().addCertValue(Buffer.buffer(webhook.ca.caPem()))));
        var attempt = tls11.request(HttpMethod.GET, webhook.server.actualPort(), "127.0.0.1", "/healthz")
                .compose(req -> req.send().map(HttpClientResponse::statusCode));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> await(attempt)).hasRootCauseInstanceOf(javax.net.ssl.SSLHandshakeException.class);
        await(tls11.close());
    }

    private static String commonName(io.vertx.core.http.HttpConnection connection) throws Exception {
        return ((X509Certificate) connection.peerCertificates().get(0)).getSubjectX500Principal().getName();
    }
}
