package io.gpuslicer.bench.extender;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The status updates a kubelet (v1.32) writes for a pod it has been given: first
 * its containers being created (phase Pending, Ready false, a waiting container), then running (phase Running, every
 * condition true, a running container with its ID and image digest), as JSON patches that replace the pod's status
 * and managed fields. Each brings the kubelet's entry in the pod's
 * managed fields, as the API server records it for the {@code status} subresource, so that the watch event the
 * extender reads is as large as a real one (about 4.8 KB for a pod of one container).
 */
final class KubeletStatus {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] CONDITIONS = {"PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady", "PodScheduled"};

    private KubeletStatus() {
    }

    /** The JSON patch of update {@code step} (1: containers being created; 2 and on: running) of the stored pod. */
    static String patch(String storedPod, int step) {
        try {
            JsonNode pod = JSON.readTree(storedPod);
            boolean running = step >= 2;
            String now = Instant.now().toString().replaceFirst("\\.\\d+Z$", "Z");
            String hostIp = "10.0.3." + (17 + Math.floorMod(pod.path("spec").path("nodeName").asText().hashCode(), 200));
            String podIp = "10.244.3." + (2 + Math.floorMod(pod.path("metadata").path("name").asText().hashCode(), 250));
            ArrayNode fields = JSON.createArrayNode();
            for (JsonNode entry : pod.path("metadata").path("managedFields")) {
                if (!"kubelet".equals(entry.path("manager").asText())) {
                    fields.add(entry);
                }
            }
            fields.add(managedEntry(now, podIp));
            ObjectNode status = JSON.createObjectNode();
            ArrayNode conditions = status.putArray("conditions");
            for (String type : CONDITIONS) {
                boolean ready = running || type.equals("Initialized") || type.equals("PodScheduled");
                ObjectNode c = conditions.addObject().putNull("lastProbeTime").put("lastTransitionTime", now);
                if (!ready) {
                    c.put("message", "containers with unready status: [" + containerNames(pod) + "]").put("reason", "ContainersNotReady");
                }
                c.put("status", ready ? "True" : "False").put("type", type);
            }
            ArrayNode statuses = status.putArray("containerStatuses");
            for (JsonNode container : pod.path("spec").path("containers")) {
                ObjectNode s = statuses.addObject();
                if (running) {
                    s.put("containerID", "containerd://" + hex(64));
                }
                s.put("image", container.path("image").asText());
                s.put("imageID", running ? "docker.io/library/" + container.path("image").asText() + "@sha256:" + hex(64) : "");
                s.putObject("lastState");
                s.put("name", container.path("name").asText()).put("ready", running).put("restartCount", 0).put("started", running);
                ObjectNode state = s.putObject("state");
                if (running) {
                    state.putObject("running").put("startedAt", now);
                } else {
                    state.putObject("waiting").put("reason", "ContainerCreating");
                }
                s.putArray("volumeMounts").addObject().put("mountPath", "/var/run/secrets/kubernetes.io/serviceaccount")
                        .put("name", "kube-api-access-" + hex(5)).put("readOnly", true).put("recursiveReadOnly", "Disabled");
            }
            status.put("hostIP", hostIp).putArray("hostIPs").addObject().put("ip", hostIp);
            if (running) {
                status.put("podIP", podIp).putArray("podIPs").addObject().put("ip", podIp);
            }
            status.put("phase", running ? "Running" : "Pending").put("qosClass", "BestEffort").put("startTime", now);
            // A JSON patch (RFC 6902), not a merge patch: fabric8's mock merges arrays of a merge patch element by
            // element, where the API server replaces them (conditions and container statuses would pile up).
            ArrayNode patch = JSON.createArrayNode();
            patch.addObject().put("op", "add").put("path", "/metadata/managedFields").set("value", fields);
            patch.addObject().put("op", "add").put("path", "/status").set("value", status);
            return JSON.writeValueAsString(patch);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ObjectNode managedEntry(String now, String podIp) {
        ObjectNode status = JSON.createObjectNode();
        ObjectNode conditions = status.putObject("f:conditions");
        for (String type : CONDITIONS) {
            ObjectNode c = conditions.putObject("k:{\"type\":\"" + type + "\"}");
            c.putObject(".");
            for (String f : new String[]{"f:lastProbeTime", "f:lastTransitionTime", "f:status", "f:type"}) {
                c.putObject(f);
            }
        }
        for (String f : new String[]{"f:containerStatuses", "f:hostIP", "f:phase", "f:startTime"}) {
            status.putObject(f);
        }
        status.putObject("f:hostIPs").putObject(".");
        ObjectNode podIps = status.putObject("f:podIPs");
        podIps.putObject(".");
        podIps.putObject("k:{\"ip\":\"" + podIp + "\"}").putObject(".");
        ObjectNode entry = JSON.createObjectNode().put("apiVersion", "v1").put("fieldsType", "FieldsV1");
        entry.putObject("fieldsV1").set("f:status", status);
        return entry.put("manager", "kubelet").put("operation", "Update").put("subresource", "status").put("time", now);
    }

    private static String containerNames(JsonNode pod) {
        StringBuilder out = new StringBuilder();
        for (JsonNode c : pod.path("spec").path("containers")) {
            out.append(out.length() == 0 ? "" : " ").append(c.path("name").asText());
        }
        return out.toString();
    }

    private static String hex(int digits) {
        StringBuilder out = new StringBuilder(digits);
        ThreadLocalRandom r = ThreadLocalRandom.current();
        for (int i = 0; i < digits; i++) {
            out.append(Integer.toHexString(r.nextInt(16)));
        }
        return out.toString().toLowerCase(Locale.ROOT);
    }
}
