package io.gpuslicer.extender.wire;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;

/**
 * A request body that is JSON but not the shape kube-scheduler sends (a Pod that is a number, node
 * names that are objects...). A {@link JsonProcessingException}, so the server answers it like any
 * other unreadable body: 400 with {@link #getOriginalMessage()}.
 */
public final class MalformedRequestException extends JsonProcessingException {
    MalformedRequestException(String message, JsonParser at) {
        super(message, at == null ? null : at.currentLocation());
    }
}
