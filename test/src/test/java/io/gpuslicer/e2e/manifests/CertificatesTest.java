package io.gpuslicer.e2e.manifests;

import static io.gpuslicer.e2e.manifests.ManifestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("Serving certificates")
class CertificatesTest {

    static final Path OVERLAY = certs().resolve("cert-manager");
    static final List<HasMetadata> CERT_MANAGER = build(OVERLAY);

    static List<String> serviceDnsNames(String service) {
        return List.of(service, service + ".gpu-slicer", service + ".gpu-slicer.svc", service + ".gpu-slicer.svc.cluster.local");
    }

    static GenericKubernetesResource certManager(String kind, String name) {
        return CERT_MANAGER.stream().filter(o -> o instanceof GenericKubernetesResource && o.getKind().equals(kind)
                        && o.getMetadata().getName().equals(name)).map(GenericKubernetesResource.class::cast).findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " " + name));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> spec(GenericKubernetesResource r) {
        return (Map<String, Object>) r.getAdditionalProperties().get("spec");
    }

    @ParameterizedTest(name = "cert-manager issues {0}-tls for every DNS name of Service {0} from the gpu-slicer CA")
    @ValueSource(strings = {"gpu-slicer-webhook", "gpu-slicer-extender"})
    void certManagerCertificates(String service) {
        GenericKubernetesResource cert = certManager("Certificate", service);
        assertThat(cert.getApiVersion()).isEqualTo("cert-manager.io/v1");
        assertThat(cert.getMetadata().getNamespace()).isEqualTo("gpu-slicer");
        Map<String, Object> spec = spec(cert);
        assertThat(spec).containsEntry("secretName", service + "-tls");
        assertThat((List<String>) spec.get("dnsNames")).containsExactlyInAnyOrderElementsOf(serviceDnsNames(service));
        assertThat(named(root(), Service.class, service)).isNotNull();
        @SuppressWarnings("unchecked")
        Map<String, Object> issuerRef = (Map<String, Object>) spec.get("issuerRef");
        assertThat(issuerRef).containsEntry("kind", "Issuer").containsEntry("name", "gpu-slicer-ca");
        // the CA Issuer signs with the CA Certificate's Secret, which the self-signed Issuer made
        Map<String, Object> caIssuer = spec(certManager("Issuer", "gpu-slicer-ca"));
        @SuppressWarnings("unchecked")
        String caSecret = (String) ((Map<String, Object>) caIssuer.get("ca")).get("secretName");
        Map<String, Object> ca = spec(certManager("Certificate", "gpu-slicer-ca"));
        assertThat(ca).containsEntry("isCA", true).containsEntry("secretName", caSecret);
        assertThat(spec(certManager("Issuer", "gpu-slicer-selfsigned"))).containsKey("selfSigned");
    }

    @Test
    @DisplayName("the webhook Deployment mounts the Secret cert-manager writes")
    void webhookMountsTheIssuedSecret() {
        Deployment d = named(CERT_MANAGER, Deployment.class, "gpu-slicer-webhook");
        assertThat(d.getSpec().getTemplate().getSpec().getVolumes())
                .anyMatch(v -> v.getSecret() != null && v.getSecret().getSecretName().equals(spec(certManager("Certificate", "gpu-slicer-webhook")).get("secretName")));
    }

    @Test
    @DisplayName("the overlay annotates the MutatingWebhookConfiguration for cainjector with the webhook Certificate")
    void injectCaFrom() {
        MutatingWebhookConfiguration patch = (MutatingWebhookConfiguration) objects(OVERLAY.resolve("inject-ca-from.yaml")).get(0);
        assertThat(patch.getMetadata().getName()).isEqualTo("gpu-slicer");
        String ref = patch.getMetadata().getAnnotations().get("cert-manager.io/inject-ca-from");
        assertThat(ref).isEqualTo("gpu-slicer/gpu-slicer-webhook");
        GenericKubernetesResource cert = certManager("Certificate", ref.substring(ref.indexOf('/') + 1));
        assertThat(cert.getMetadata().getNamespace()).isEqualTo(ref.substring(0, ref.indexOf('/')));
        assertThat(Kustomization.in(OVERLAY).resourcePaths()).contains(manifests().normalize());
        // What `kubectl apply -k certs/cert-manager/` installs: the patched object, its webhooks intact.
        MutatingWebhookConfiguration installed = named(CERT_MANAGER, MutatingWebhookConfiguration.class, "gpu-slicer");
        assertThat(installed.getMetadata().getAnnotations()).containsEntry("cert-manager.io/inject-ca-from", ref);
        assertThat(installed.getWebhooks()).extracting(w -> w.getName()).containsExactly("pods.gpuslicer.io");
        assertThat(installed.getWebhooks().get(0).getClientConfig().getService().getName()).isEqualTo("gpu-slicer-webhook");
    }

    @Test
    @DisplayName("make-certs.sh issues CA-signed certificates for the Services, Secrets the Deployments mount, and a caBundle patch")
    void makeCertsScript(@TempDir Path tmp) throws Exception {
        assumeTrue(onPath("openssl") && onPath("bash"), "openssl and bash are needed to run the script");
        Path script = certs().resolve("make-certs.sh");
        assertThat(Files.isExecutable(script)).isTrue();
        Path out = tmp.resolve("out");
        ProcessBuilder pb = new ProcessBuilder("bash", script.toString(), "--out", out.toString(), "--days", "30")
                .redirectErrorStream(true);
        Process p = pb.start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(log).isZero();

        CertificateFactory cf = CertificateFactory.getInstance("X.509");
        X509Certificate ca = (X509Certificate) cf.generateCertificate(Files.newInputStream(out.resolve("ca.crt")));
        assertThat(ca.getBasicConstraints()).isGreaterThanOrEqualTo(0);

        Path overlay = out.resolve("overlay");
        for (String service : List.of("gpu-slicer-webhook", "gpu-slicer-extender")) {
            Secret secret = (Secret) objects(overlay.resolve("secret-" + service + "-tls.yaml")).get(0);
            assertThat(secret.getType()).isEqualTo("kubernetes.io/tls");
            assertThat(secret.getMetadata().getName()).isEqualTo(service + "-tls");
            assertThat(secret.getMetadata().getNamespace()).isEqualTo("gpu-slicer");
            assertThat(secret.getData()).containsKeys("tls.crt", "tls.key");
            assertThat(new String(Base64.getDecoder().decode(secret.getData().get("tls.key")), StandardCharsets.US_ASCII))
                    .startsWith("-----BEGIN PRIVATE KEY-----");
            X509Certificate leaf = (X509Certificate) cf.generateCertificate(
                    new ByteArrayInputStream(Base64.getDecoder().decode(secret.getData().get("tls.crt"))));
            leaf.verify(ca.getPublicKey());
            leaf.checkValidity();
            assertThat(leaf.getBasicConstraints()).isEqualTo(-1);
            assertThat(leaf.getExtendedKeyUsage()).contains("1.3.6.1.5.5.7.3.1");
            List<String> sans = new ArrayList<>();
            leaf.getSubjectAlternativeNames().forEach(san -> sans.add((String) san.get(1)));
            assertThat(sans).containsExactlyInAnyOrderElementsOf(serviceDnsNames(service));
        }
        Deployment webhook = named(root(), Deployment.class, "gpu-slicer-webhook");
        assertThat(webhook.getSpec().getTemplate().getSpec().getVolumes())
                .anyMatch(v -> v.getSecret() != null && v.getSecret().getSecretName().equals("gpu-slicer-webhook-tls"));

        // the caBundle patch: JSON6902 on webhooks[0] (pods.gpuslicer.io) of gpu-slicer, value = the CA
        JsonNode patch = yamlTree(Files.readString(overlay.resolve("cabundle-patch.yaml")));
        assertThat(patch.isArray()).isTrue();
        assertThat(patch.get(0).path("op").asText()).isEqualTo("add");
        assertThat(patch.get(0).path("path").asText()).isEqualTo("/webhooks/0/clientConfig/caBundle");
        assertThat(Base64.getDecoder().decode(patch.get(0).path("value").asText()))
                .isEqualTo(Files.readAllBytes(out.resolve("ca.crt")));
        MutatingWebhookConfiguration mwc = named(root(), MutatingWebhookConfiguration.class, "gpu-slicer");
        assertThat(mwc.getWebhooks().get(0).getName()).isEqualTo("pods.gpuslicer.io");

        // what `kubectl apply -k OUT/overlay` installs: the webhook's caBundle is the CA, nothing else changed
        MutatingWebhookConfiguration installed = named(build(overlay), MutatingWebhookConfiguration.class, "gpu-slicer");
        assertThat(installed.getWebhooks().get(0).getClientConfig().getCaBundle()).isEqualTo(patch.get(0).path("value").asText());
        assertThat(installed.getWebhooks().get(0).getClientConfig().getService()).isEqualTo(mwc.getWebhooks().get(0).getClientConfig().getService());
        assertThat(mwc.getWebhooks().get(0).getClientConfig().getCaBundle()).as("manifests/ itself ships without a caBundle").isNull();

        // the overlay is a kustomization over manifests/ that resolves
        Kustomization k = Kustomization.in(overlay);
        assertThat(k.resourcePaths()).contains(manifests().toRealPath());
        assertThat(k.raw().path("patches").get(0).path("target").path("name").asText()).isEqualTo("gpu-slicer");

        // a second run refuses to overwrite the CA; --rotate re-issues leaves under the same CA
        Process again = new ProcessBuilder("bash", script.toString(), "--out", out.toString()).redirectErrorStream(true).start();
        again.getInputStream().readAllBytes();
        assertThat(again.waitFor()).isNotZero();
        Process rotate = new ProcessBuilder("bash", script.toString(), "--out", out.toString(), "--rotate")
                .redirectErrorStream(true).start();
        String rotateLog = new String(rotate.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(rotate.waitFor()).as(rotateLog).isZero();
        X509Certificate caAfter = (X509Certificate) cf.generateCertificate(Files.newInputStream(out.resolve("ca.crt")));
        assertThat(caAfter).isEqualTo(ca);
        X509Certificate rotated = (X509Certificate) cf.generateCertificate(
                Files.newInputStream(out.resolve("gpu-slicer-webhook/tls.crt")));
        rotated.verify(ca.getPublicKey());
    }

    static boolean onPath(String tool) {
        try {
            Process p = new ProcessBuilder("sh", "-c", "command -v " + tool).start();
            p.getInputStream().readAllBytes();
            return p.waitFor() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }
}
