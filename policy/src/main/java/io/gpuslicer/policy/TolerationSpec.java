package io.gpuslicer.policy;

/** A toleration as the policy states it; the webhook turns it into a Kubernetes Toleration. */
public record TolerationSpec(String key, String operator, String value, String effect, Long tolerationSeconds) {
}
