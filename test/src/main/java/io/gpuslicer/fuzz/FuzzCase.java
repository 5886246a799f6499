package io.gpuslicer.fuzz;

import java.util.List;

/**
 * One generated request; {@code index} and the run's seed reproduce it ({@code --case N}).
 *
 * @param contentType null: no Content-Type header
 */
public record FuzzCase(long index, String path, String seedName, String contentType, byte[] body, List<String> steps) {
    @Override
    public String toString() {
        return "case " + index + " POST " + path + " (" + seedName + ", " + body.length + " bytes, Content-Type "
                + contentType + "): " + String.join("; ", steps);
    }
}
