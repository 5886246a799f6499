package io.gpuslicer.e2e.manifests;

import static io.gpuslicer.e2e.manifests.ManifestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

@DisplayName("Deployments, Services and disruption budgets")
class WorkloadTest {

    static final List<HasMetadata> ROOT = root();

    static Stream<Arguments> allContainers() {
        // every Deployment of every kustomization, once (the cert-manager overlay includes the root)
        java.util.Map<String, Deployment> all = new java.util.TreeMap<>();
        for (Path dir : kustomizationDirs()) {
            ofType(build(dir), Deployment.class).forEach(d -> all.putIfAbsent(
                    d.getMetadata().getNamespace() + "/" + d.getMetadata().getName(), d));
        }
        List<Arguments> out = new ArrayList<>();
        for (Deployment d : all.values()) {
            for (Container c : containers(d)) {
                out.add(Arguments.of(d.getMetadata().getName() + "/" + c.getName(), d, c));
            }
        }
        return out.stream();
    }

    static Stream<Service> services() {
        return ofType(ROOT, Service.class).stream();
    }

    @Test
    @DisplayName("there are three Deployments: webhook, extender, scheduler")
    void threeDeployments() {
        assertThat(ofType(ROOT, Deployment.class)).extracting(d -> d.getMetadata().getName())
                .containsExactlyInAnyOrder("gpu-slicer-webhook", "gpu-slicer-extender", "gpu-slicer-scheduler");
    }

    @ParameterizedTest(name = "container {0} runs non-root, read-only, unprivileged, with every capability dropped")
    @MethodSource("allContainers")
    void containersAreHardened(String name, Deployment d, Container c) {
        PodSpec pod = d.getSpec().getTemplate().getSpec();
        SecurityContext sc = c.getSecurityContext();
        PodSecurityContext psc = Optional.ofNullable(pod.getSecurityContext()).orElse(new PodSecurityContext());
        assertThat(sc).as("container securityContext").isNotNull();
        assertThat(Optional.ofNullable(sc.getRunAsNonRoot()).orElse(psc.getRunAsNonRoot())).isTrue();
        Long uid = Optional.ofNullable(sc.getRunAsUser()).orElse(psc.getRunAsUser());
        assertThat(uid).isEqualTo(65532L);
        assertThat(sc.getReadOnlyRootFilesystem()).isTrue();
        assertThat(sc.getAllowPrivilegeEscalation()).isFalse();
        assertThat(sc.getPrivileged()).isIn(null, false);
        assertThat(sc.getCapabilities().getDrop()).contains("ALL");
        assertThat(sc.getCapabilities().getAdd()).isNullOrEmpty();
        String seccomp = sc.getSeccompProfile() != null ? sc.getSeccompProfile().getType()
                : psc.getSeccompProfile() == null ? null : psc.getSeccompProfile().getType();
        assertThat(seccomp).isEqualTo("RuntimeDefault");
        assertThat(pod.getHostNetwork()).isIn(null, false);
        assertThat(pod.getHostPID()).isIn(null, false);
    }

    @ParameterizedTest(name = "container {0} has cpu and memory requests and limits")
    @MethodSource("allContainers")
    void containersHaveResources(String name, Deployment d, Container c) {
        assertThat(c.getResources().getRequests()).containsKeys("cpu", "memory");
        assertThat(c.getResources().getLimits()).containsKeys("cpu", "memory");
        assertThat(c.getResources().getLimits().get("memory").getNumericalAmount())
                .isGreaterThanOrEqualTo(c.getResources().getRequests().get("memory").getNumericalAmount());
        assertThat(c.getResources().getLimits().get("cpu").getNumericalAmount())
                .isGreaterThanOrEqualTo(c.getResources().getRequests().get("cpu").getNumericalAmount());
    }

    @ParameterizedTest(name = "container {0} has liveness and readiness probes on one of its ports")
    @MethodSource("allContainers")
    void containersHaveProbes(String name, Deployment d, Container c) {
        for (Probe p : new Probe[] {c.getLivenessProbe(), c.getReadinessProbe()}) {
            assertThat(p).isNotNull();
            assertThat(p.getHttpGet()).isNotNull();
            assertThat(portExists(c, p.getHttpGet().getPort())).as("probe port %s", p.getHttpGet().getPort()).isTrue();
        }
    }

    @ParameterizedTest(name = "container {0} has a writable emptyDir at /tmp")
    @MethodSource("allContainers")
    void containersHaveTmp(String name, Deployment d, Container c) {
        VolumeMount tmp = c.getVolumeMounts().stream().filter(m -> m.getMountPath().equals("/tmp")).findFirst().orElseThrow();
        assertThat(tmp.getReadOnly()).isIn(null, false);
        assertThat(volume(d, tmp.getName()).getEmptyDir()).isNotNull();
    }

    @ParameterizedTest(name = "Service {0} selects exactly one Deployment's pods and targets its container ports")
    @MethodSource("services")
    void servicesMatchDeployments(Service svc) {
        List<Deployment> selected = ofType(ROOT, Deployment.class).stream()
                .filter(d -> d.getSpec().getTemplate().getMetadata().getLabels().entrySet()
                        .containsAll(svc.getSpec().getSelector().entrySet()))
                .toList();
        assertThat(svc.getSpec().getSelector()).isNotEmpty();
        assertThat(selected).hasSize(1);
        Container c = selected.get(0).getSpec().getTemplate().getSpec().getContainers().get(0);
        for (ServicePort p : svc.getSpec().getPorts()) {
            IntOrString target = p.getTargetPort() == null ? new IntOrString(p.getPort()) : p.getTargetPort();
            assertThat(portExists(c, target)).as("%s port %s → %s", svc.getMetadata().getName(), p.getPort(), target).isTrue();
        }
    }

    @ParameterizedTest(name = "Service {0} exposes port {1} onto container port {2}")
    @CsvSource({
            "gpu-slicer-webhook,  443,  8443",
            "gpu-slicer-webhook,  9090, 9090",
            "gpu-slicer-extender, 8888, 8888",
    })
    void servicePorts(String service, int port, int containerPort) {
        Service svc = named(ROOT, Service.class, service);
        Deployment d = named(ROOT, Deployment.class, service);
        ServicePort sp = svc.getSpec().getPorts().stream().filter(p -> p.getPort() == port).findFirst().orElseThrow();
        Container c = d.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(resolvePort(c, sp.getTargetPort())).contains(containerPort);
    }

    @Test
    @DisplayName("the webhook runs 2 replicas, spread over nodes, as system-cluster-critical, and a PDB keeps one")
    void webhookIsHighlyAvailable() {
        Deployment d = named(ROOT, Deployment.class, "gpu-slicer-webhook");
        PodSpec pod = d.getSpec().getTemplate().getSpec();
        assertThat(d.getSpec().getReplicas()).isEqualTo(2);
        assertThat(d.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable()).isEqualTo(new IntOrString(0));
        assertThat(pod.getPriorityClassName()).isEqualTo("system-cluster-critical");
        assertThat(pod.getAffinity().getPodAntiAffinity().getPreferredDuringSchedulingIgnoredDuringExecution())
                .anySatisfy(t -> {
                    assertThat(t.getPodAffinityTerm().getTopologyKey()).isEqualTo("kubernetes.io/hostname");
                    assertThat(matches(t.getPodAffinityTerm().getLabelSelector(), d.getSpec().getTemplate().getMetadata().getLabels())).isTrue();
                });
        PodDisruptionBudget pdb = named(ROOT, PodDisruptionBudget.class, "gpu-slicer-webhook");
        assertThat(pdb.getApiVersion()).isEqualTo("policy/v1");
        assertThat(pdb.getSpec().getMinAvailable()).isEqualTo(new IntOrString(1));
        assertThat(pdb.getSpec().getMinAvailable().getIntVal()).isLessThan(d.getSpec().getReplicas());
        assertThat(matches(pdb.getSpec().getSelector(), d.getSpec().getTemplate().getMetadata().getLabels())).isTrue();
        assertThat(matches(d.getSpec().getSelector(), d.getSpec().getTemplate().getMetadata().getLabels())).isTrue();
    }

    @Test
    @DisplayName("no PodDisruptionBudget selects pods of another Deployment")
    void pdbsSelectOneDeployment() {
        for (PodDisruptionBudget pdb : ofType(ROOT, PodDisruptionBudget.class)) {
            assertThat(ofType(ROOT, Deployment.class))
                    .filteredOn(d -> matches(pdb.getSpec().getSelector(), d.getSpec().getTemplate().getMetadata().getLabels()))
                    .hasSize(1);
        }
    }

    @Test
    @DisplayName("the webhook serves HTTPS probes on 8443 and mounts the policy and its TLS Secret where its flags point")
    void webhookContainer() {
        Deployment d = named(ROOT, Deployment.class, "gpu-slicer-webhook");
        Container c = d.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(c.getArgs().get(0)).isEqualTo("webhook");
        assertThat(c.getLivenessProbe().getHttpGet().getScheme()).isEqualTo("HTTPS");
        assertThat(c.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
        assertThat(c.getReadinessProbe().getHttpGet().getScheme()).isEqualTo("HTTPS");
        assertThat(c.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
        assertThat(resolvePort(c, c.getLivenessProbe().getHttpGet().getPort())).contains(8443);
        assertThat(flag(c, "--port")).isEqualTo("8443");
        assertThat(flag(c, "--metrics-port")).isEqualTo("9090");

        VolumeMount tls = mount(c, "/etc/gpu-slicer/tls");
        assertThat(tls.getReadOnly()).isTrue();
        assertThat(volume(d, tls.getName()).getSecret().getSecretName()).isEqualTo("gpu-slicer-webhook-tls");
        assertThat(flag(c, "--tls-cert")).isEqualTo("/etc/gpu-slicer/tls/tls.crt");
        assertThat(flag(c, "--tls-key")).isEqualTo("/etc/gpu-slicer/tls/tls.key");
        policyMounted(d, c);
    }

    @Test
    @DisplayName("the extender serves HTTP probes on 8888 under the prefix the scheduler calls, and mounts the policy")
    void extenderContainer() {
        Deployment d = named(ROOT, Deployment.class, "gpu-slicer-extender");
        Container c = d.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(c.getArgs().get(0)).isEqualTo("extender");
        assertThat(c.getLivenessProbe().getHttpGet().getScheme()).isIn(null, "HTTP");
        assertThat(resolvePort(c, c.getReadinessProbe().getHttpGet().getPort())).contains(8888);
        assertThat(c.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
        assertThat(flag(c, "--port")).isEqualTo("8888");
        assertThat(flag(c, "--prefix")).isEqualTo("/gpu-slicer");
        assertThat(c.getArgs()).noneMatch(a -> a.startsWith("--snapshot") || a.startsWith("--kubeconfig"));
        policyMounted(d, c);
    }

    @Test
    @DisplayName("the scheduler runs the upstream kube-scheduler v1.32.0 with its config file and probes 10259 over HTTPS")
    void schedulerContainer() {
        Deployment d = named(ROOT, Deployment.class, "gpu-slicer-scheduler");
        Container c = d.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(c.getImage()).isEqualTo("registry.k8s.io/kube-scheduler:v1.32.0");
        List<String> cmd = new ArrayList<>(c.getCommand());
        if (c.getArgs() != null) {
            cmd.addAll(c.getArgs());
        }
        assertThat(cmd).contains("--config=/etc/kubernetes/scheduler/config.yaml");
        for (Probe p : new Probe[] {c.getLivenessProbe(), c.getReadinessProbe()}) {
            assertThat(p.getHttpGet().getScheme()).isEqualTo("HTTPS");
            assertThat(p.getHttpGet().getPath()).isEqualTo("/healthz");
            assertThat(resolvePort(c, p.getHttpGet().getPort())).contains(10259);
        }
        VolumeMount m = mount(c, "/etc/kubernetes/scheduler");
        assertThat(volume(d, m.getName()).getConfigMap().getName()).isEqualTo("gpu-slicer-scheduler-config");
    }

    private static void policyMounted(Deployment d, Container c) {
        VolumeMount policy = mount(c, "/etc/gpu-slicer/policy");
        assertThat(policy.getReadOnly()).isTrue();
        assertThat(policy.getSubPath()).as("subPath mounts never see ConfigMap updates").isNull();
        assertThat(volume(d, policy.getName()).getConfigMap().getName()).isEqualTo("gpu-slicer-policy");
        assertThat(flag(c, "--policy")).isEqualTo("/etc/gpu-slicer/policy/policy.yaml");
    }

    static String flag(Container c, String name) {
        List<String> args = c.getArgs();
        for (int i = 0; i < args.size(); i++) {
            if (args.get(i).startsWith(name + "=")) {
                return args.get(i).substring(name.length() + 1);
            }
            if (args.get(i).equals(name) && i + 1 < args.size()) {
                return args.get(i + 1);
            }
        }
        throw new AssertionError(c.getName() + " has no " + name + " argument");
    }

    static VolumeMount mount(Container c, String path) {
        return c.getVolumeMounts().stream().filter(m -> m.getMountPath().equals(path)).findFirst()
                .orElseThrow(() -> new AssertionError(c.getName() + " mounts nothing at " + path));
    }

    static Volume volume(Deployment d, String name) {
        return d.getSpec().getTemplate().getSpec().getVolumes().stream().filter(v -> v.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no volume " + name));
    }

    static Optional<Integer> resolvePort(Container c, IntOrString port) {
        if (port == null || c.getPorts() == null) {
            return Optional.empty();
        }
        for (ContainerPort p : c.getPorts()) {
            if (port.getIntVal() != null ? port.getIntVal().equals(p.getContainerPort()) : port.getStrVal().equals(p.getName())) {
                return Optional.of(p.getContainerPort());
            }
        }
        return Optional.empty();
    }

    static boolean portExists(Container c, IntOrString port) {
        return resolvePort(c, port).isPresent();
    }
}
