package io.gpuslicer.fuzz;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;

/**
 * A server to fuzz: where it listens, and for each endpoint the seed bodies to mutate.
 *
 * @param caPem     the CA to trust for HTTPS, or null for plain HTTP
 * @param healthy   a request that must still get its expected answer after the run (the server is alive)
 */
public record FuzzTarget(String name, int port, String caPem, List<Endpoint> endpoints, Probe healthy) {

    /** A POST path and the captured bodies sent to it. */
    public record Endpoint(String path, List<JsonNode> seeds) {
    }

    /** A request whose answer shows the server still works. */
    public record Probe(String path, byte[] body, int expectedStatus) {
    }

    public boolean tls() {
        return caPem != null;
    }
}
