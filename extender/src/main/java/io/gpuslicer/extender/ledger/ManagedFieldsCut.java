package io.gpuslicer.extender.ledger;

import java.nio.charset.StandardCharsets;

/**
 * Cuts an object's {@code metadata.managedFields} out of a watch event's JSON bytes before they are parsed. The
 * ledger never reads them, yet they are a third to a half of a running pod's event (each field manager's entry:
 * kubectl's, kube-scheduler's, the kubelet's status), and a JSON parser must read every token of a value it skips,
 * each field name looked up in its table. Finding where they end is a scan of bytes that only tracks strings and
 * brackets: several times cheaper than parsing them.
 * <p>
 * The first {@code "managedFields":[} outside a string is an object's managed fields: the API server writes the key
 * only there ({@code ObjectMeta}), and every free-form map of a pod or a node holds strings, in which each quote is
 * escaped. The bytes are left as they were when the key is not found, or when its array does not end (the parser
 * then reports the event as it would have).
 */
final class ManagedFieldsCut {
    private static final byte[] KEY = "\"managedFields\":[".getBytes(StandardCharsets.US_ASCII);

    private ManagedFieldsCut() {
    }

    /**
     * Removes the managed fields from {@code json[0, length)}, with the comma that separated them from their
     * neighbour, by moving the bytes after them forward.
     *
     * @return the length of what is left
     */
    static int cut(byte[] json, int length) {
        int key = find(json, length);
        if (key < 0) {
            return length;
        }
        int end = endOfArray(json, key + KEY.length, length);
        if (end < 0) {
            return length;
        }
        int start = key;
        int before = skipWhitespaceBack(json, key - 1);
        if (before >= 0 && json[before] == ',') {
            start = before;
        } else {
            // The first field of its object: the comma after it goes instead.
            int after = skipWhitespace(json, end, length);
            if (after < length && json[after] == ',') {
                end = after + 1;
            }
        }
        System.arraycopy(json, end, json, start, length - end);
        return length - (end - start);
    }

    /** Where the key starts, outside any string; -1 when it is not there. */
    private static int find(byte[] json, int length) {
        int last = length - KEY.length;
        for (int i = 0; i <= last; i++) {
            if (json[i] == '"' && json[i + 1] == 'm' && matches(json, i) && !escaped(json, i)) {
                return i;
            }
        }
        return -1;
    }

    private static boolean matches(byte[] json, int at) {
        for (int k = 2; k < KEY.length; k++) {
            if (json[at + k] != KEY[k]) {
                return false;
            }
        }
        return true;
    }

    /** Whether the quote at {@code at} is escaped: an odd number of backslashes before it (inside a string). */
    private static boolean escaped(byte[] json, int at) {
        int backslashes = 0;
        for (int i = at - 1; i >= 0 && json[i] == '\\'; i--) {
            backslashes++;
        }
        return (backslashes & 1) == 1;
    }

    /** The index after the ']' that closes the array whose first element starts at {@code from}; -1 if it does not close. */
    private static int endOfArray(byte[] json, int from, int length) {
        int depth = 1;
        int i = from;
        while (i < length) {
            byte c = json[i++];
            if (c == '"') {
                while (i < length) {
                    byte s = json[i++];
                    if (s == '\\') {
                        i++;
                    } else if (s == '"') {
                        break;
                    }
                }
            } else if (c == '[' || c == '{') {
                depth++;
            } else if ((c == ']' || c == '}') && --depth == 0) {
                return c == ']' ? i : -1;
            }
        }
        return -1;
    }

    private static int skipWhitespaceBack(byte[] json, int i) {
        while (i >= 0 && isWhitespace(json[i])) {
            i--;
        }
        return i;
    }

    private static int skipWhitespace(byte[] json, int i, int length) {
        while (i < length && isWhitespace(json[i])) {
            i++;
        }
        return i;
    }

    private static boolean isWhitespace(byte b) {
        return b == ' ' || b == '\n' || b == '\r' || b == '\t';
    }
}
