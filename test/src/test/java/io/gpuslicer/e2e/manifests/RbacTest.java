package io.gpuslicer.e2e.manifests;

import static io.gpuslicer.e2e.manifests.ManifestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

@DisplayName("RBAC")
class RbacTest {

    /** group/resource → the verbs any of our own ClusterRoles may grant. */
    static final Map<String, Set<String>> ALLOWED = Map.of(
            "/nodes", Set.of("get", "list", "watch"),
            "/pods", Set.of("get", "list", "watch", "patch"),
            "/pods/binding", Set.of("create"),
            "/namespaces", Set.of("get", "list", "watch"),
            "scheduling.k8s.io/priorityclasses", Set.of("get", "list", "watch"),
            "/events", Set.of("create", "patch"),
            "events.k8s.io/events", Set.of("create", "patch"));

    /** The built-in roles the second scheduler is bound to, as upstream's multiple-schedulers guide does. */
    static final Set<String> BUILT_IN_CLUSTER_ROLES = Set.of("system:kube-scheduler", "system:volume-scheduler");

    static final List<HasMetadata> ROOT = root();

    static Stream<ClusterRole> ourClusterRoles() {
        return ofType(ROOT, ClusterRole.class).stream();
    }

    /** Every (group/resource, verb) a rule grants; wildcards are kept as "*" so they show up. */
    static Set<String> grants(List<PolicyRule> rules) {
        Set<String> out = new HashSet<>();
        for (PolicyRule r : rules) {
            for (String g : r.getApiGroups()) {
                for (String res : r.getResources()) {
                    for (String v : r.getVerbs()) {
                        out.add(g + "/" + res + ":" + v);
                    }
                }
            }
        }
        return out;
    }

    /** What makes a role more than least privilege: wildcards, non-resource URLs, aggregation, any grant not in ALLOWED. */
    static List<String> leastPrivilegeViolations(ClusterRole role) {
        List<String> out = new java.util.ArrayList<>();
        if (role.getAggregationRule() != null) {
            out.add("aggregation rule");
        }
        for (PolicyRule r : role.getRules()) {
            if (r.getNonResourceURLs() != null && !r.getNonResourceURLs().isEmpty()) {
                out.add("non-resource URLs " + r.getNonResourceURLs());
            }
        }
        for (String grant : grants(role.getRules())) {
            String resource = grant.substring(0, grant.indexOf(':'));
            String verb = grant.substring(grant.indexOf(':') + 1);
            if (!ALLOWED.containsKey(resource) || !ALLOWED.get(resource).contains(verb)) {
                out.add(grant);
            }
        }
        return out;
    }

    @ParameterizedTest(name = "ClusterRole {0} grants only reads of nodes/pods/namespaces/priorityclasses, event writes, pod bindings and pod patches")
    @MethodSource("ourClusterRoles")
    void clusterRolesAreLeastPrivilege(ClusterRole role) {
        assertThat(leastPrivilegeViolations(role)).as(role.getMetadata().getName()).isEmpty();
    }

    @ParameterizedTest(name = "the least-privilege check rejects a role granting {0} {1} {2}, so it can fail")
    @CsvSource({
            "'', secrets,    get",
            "'', configmaps, list",
            "'', pods,       delete",
            "'', '*',        get",
            "'', nodes,      '*'",
            "'*', pods,      get"})
    void checkRejectsSecrets(String group, String resource, String verb) {
        ClusterRole bad = new io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder().withNewMetadata().withName("bad")
                .endMetadata().addNewRule().withApiGroups(group).withResources(resource).withVerbs(verb).endRule().build();
        assertThat(leastPrivilegeViolations(bad)).containsExactly(group + "/" + resource + ":" + verb);
    }

    @ParameterizedTest(name = "{0} can {2} {1} (and the other component cannot)")
    @CsvSource({
            "gpu-slicer-webhook,  /namespaces,                       get list watch, gpu-slicer-extender",
            "gpu-slicer-webhook,  scheduling.k8s.io/priorityclasses, get list watch, gpu-slicer-extender",
            "gpu-slicer-webhook,  /events,                           create patch,   ''",
            "gpu-slicer-extender, /nodes,                            get list watch, gpu-slicer-webhook",
            "gpu-slicer-extender, /pods,                             get list watch patch, gpu-slicer-webhook",
            "gpu-slicer-extender, /events,                           create patch,   ''",
            "gpu-slicer-extender, /pods/binding,                     create,         gpu-slicer-webhook",
    })
    void eachComponentHasWhatItNeeds(String component, String resource, String verbs, String notFor) {
        Set<String> granted = grants(named(ROOT, ClusterRole.class, component).getRules());
        for (String v : verbs.split(" ")) {
            assertThat(granted).contains(resource + ":" + v);
        }
        if (!notFor.isEmpty()) {
            assertThat(grants(named(ROOT, ClusterRole.class, notFor).getRules()))
                    .noneMatch(g -> g.startsWith(resource + ":"));
        }
    }

    @Test
    @DisplayName("every ClusterRoleBinding binds one of our ServiceAccounts to our role or a built-in scheduler role")
    void clusterRoleBindingsResolve() {
        Set<String> ourRoles = new HashSet<>();
        ofType(ROOT, ClusterRole.class).forEach(r -> ourRoles.add(r.getMetadata().getName()));
        for (ClusterRoleBinding b : ofType(ROOT, ClusterRoleBinding.class)) {
            assertThat(b.getRoleRef().getKind()).isEqualTo("ClusterRole");
            assertThat(ourRoles.contains(b.getRoleRef().getName()) || BUILT_IN_CLUSTER_ROLES.contains(b.getRoleRef().getName()))
                    .as("%s refers to %s", b.getMetadata().getName(), b.getRoleRef().getName()).isTrue();
            assertThat(b.getRoleRef().getName()).isNotIn("cluster-admin", "admin", "edit", "view");
            b.getSubjects().forEach(this::isOurServiceAccount);
        }
        assertThat(ofType(ROOT, ClusterRoleBinding.class)).extracting(b -> b.getRoleRef().getName())
                .containsAll(BUILT_IN_CLUSTER_ROLES);
    }

    @Test
    @DisplayName("the scheduler may touch only its own Lease and read the authentication ConfigMap in kube-system")
    void schedulerNamespacedRbac() {
        Role lease = named(ROOT, Role.class, "gpu-slicer-scheduler-leader-election");
        assertThat(lease.getMetadata().getNamespace()).isEqualTo("gpu-slicer");
        assertThat(grants(lease.getRules())).containsExactlyInAnyOrder("coordination.k8s.io/leases:create",
                "coordination.k8s.io/leases:get", "coordination.k8s.io/leases:update");
        assertThat(lease.getRules()).filteredOn(r -> !r.getVerbs().contains("create"))
                .allSatisfy(r -> assertThat(r.getResourceNames()).containsExactly("gpu-slicer-scheduler"));
        for (RoleBinding b : ofType(ROOT, RoleBinding.class)) {
            b.getSubjects().forEach(this::isOurServiceAccount);
            if (b.getMetadata().getNamespace().equals("kube-system")) {
                assertThat(b.getRoleRef().getKind()).isEqualTo("Role");
                assertThat(b.getRoleRef().getName()).isEqualTo("extension-apiserver-authentication-reader");
            } else {
                assertThat(b.getRoleRef().getName()).isEqualTo(lease.getMetadata().getName());
            }
        }
        assertThat(ofType(ROOT, RoleBinding.class)).extracting(b -> b.getMetadata().getNamespace())
                .containsExactlyInAnyOrder("kube-system", "gpu-slicer");
    }

    @Test
    @DisplayName("every Deployment runs as its own existing ServiceAccount")
    void deploymentsUseTheirServiceAccounts() {
        Set<String> accounts = new HashSet<>();
        ofType(ROOT, ServiceAccount.class).forEach(a -> accounts.add(a.getMetadata().getName()));
        List<String> used = ofType(ROOT, Deployment.class).stream()
                .map(d -> d.getSpec().getTemplate().getSpec().getServiceAccountName()).toList();
        assertThat(used).doesNotHaveDuplicates().doesNotContainNull();
        assertThat(accounts).containsAll(used);
    }

    private void isOurServiceAccount(Subject s) {
        assertThat(s.getKind()).isEqualTo("ServiceAccount");
        assertThat(s.getNamespace()).isEqualTo("gpu-slicer");
        assertThat(ofType(ROOT, ServiceAccount.class)).anyMatch(a -> a.getMetadata().getName().equals(s.getName()));
    }
}
