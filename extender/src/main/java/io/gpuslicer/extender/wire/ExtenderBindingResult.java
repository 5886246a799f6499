package io.gpuslicer.extender.wire;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonProperty;

/** ExtenderBindingResult: an empty {@code Error} means bound; otherwise kube-scheduler forgets the pod and retries it. */
@JsonFormat(with = JsonFormat.Feature.ACCEPT_CASE_INSENSITIVE_PROPERTIES)
public record ExtenderBindingResult(@JsonProperty("Error") String error) {
    public static final ExtenderBindingResult OK = new ExtenderBindingResult("");

    public boolean ok() {
        return error == null || error.isEmpty();
    }
}
