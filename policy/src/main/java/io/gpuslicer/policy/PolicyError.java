package io.gpuslicer.policy;

/**
 * One thing wrong with a policy file.
 *
 * @param field a path into the file, e.g. {@code workloadTypes.research.pools[1]}
 * @param value the offending value as written (may be null when something is missing)
 */
public record PolicyError(String field, Object value, String message) {
    @Override
    public String toString() {
        return field + ": " + message + (value == null ? "" : " (got " + quote(value) + ")");
    }

    private static String quote(Object value) {
        return value instanceof String s ? "\"" + s + "\"" : String.valueOf(value);
    }
}
