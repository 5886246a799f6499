package io.gpuslicer.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Structure-aware mutations of a JSON document, driven by one seeded random source so that a case is
 * reproduced from its seed alone. Tree mutations (drop a key, swap a value's type, nulls in lists and
 * maps, huge strings and numbers, duplicated lists, deep nesting, renamed keys) are applied to a copy of
 * the seed; byte mutations (truncation, junk bytes) to its serialised form.
 */
public final class JsonMutator {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    /** Writes documents nested deeper than Jackson's default limit: the server must refuse them, not us. */
    private static final ObjectMapper JSON = new ObjectMapper(com.fasterxml.jackson.core.JsonFactory.builder()
            .streamWriteConstraints(com.fasterxml.jackson.core.StreamWriteConstraints.builder().maxNestingDepth(100_000).build())
            .build());
    /** Mutation points are chosen among the first levels only: a deeply nested value is one point. */
    private static final int MAX_DEPTH = 64;

    /** One mutated body and what was done to it (for the report of a failing case). */
    public record Mutated(byte[] body, List<String> steps) {
    }

    private enum TreeOp { DROP_KEY, SWAP_TYPE, NULL_IN_LIST, NULL_IN_MAP, HUGE_STRING, HUGE_NUMBER, DUPLICATE_LIST, DEEP_NESTING, RENAME_KEY, EMPTY_CONTAINER }

    private final SplittableRandom random;

    public JsonMutator(SplittableRandom random) {
        this.random = random;
    }

    public Mutated mutate(JsonNode seed) {
        JsonNode doc = seed.deepCopy();
        List<String> steps = new ArrayList<>();
        int ops = 1 + random.nextInt(3);
        boolean nest = false;
        for (int i = 0; i < ops; i++) {
            TreeOp op = TreeOp.values()[random.nextInt(TreeOp.values().length)];
            if (op == TreeOp.DEEP_NESTING) {
                nest = true; // last: copying a value thousands of levels deep would overflow this thread's stack
            } else {
                doc = apply(op, doc, steps);
            }
        }
        if (nest) {
            doc = apply(TreeOp.DEEP_NESTING, doc, steps);
        }
        byte[] bytes;
        try {
            bytes = JSON.writeValueAsBytes(doc);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        int roll = random.nextInt(100);
        if (roll < 6) {
            int at = random.nextInt(bytes.length + 1);
            steps.add("truncate at byte " + at);
            bytes = java.util.Arrays.copyOf(bytes, at);
        } else if (roll < 12) {
            bytes = junk(bytes, steps);
        }
        return new Mutated(bytes, steps);
    }

    private JsonNode apply(TreeOp op, JsonNode doc, List<String> steps) {
        List<Slot> slots = new ArrayList<>();
        collect(doc, null, null, -1, 0, slots);
        Slot slot = slots.get(random.nextInt(slots.size()));
        switch (op) {
            case DROP_KEY -> {
                Slot field = pick(slots, s -> s.parent() instanceof ObjectNode);
                if (field != null) {
                    ((ObjectNode) field.parent()).remove(field.key);
                    steps.add("drop " + field.path());
                }
            }
            case SWAP_TYPE -> {
                JsonNode value = otherType(slot.node);
                steps.add("set " + slot.path() + " = " + brief(value));
                return slot.replace(doc, value);
            }
            case NULL_IN_LIST -> {
                Slot list = pick(slots, s -> s.node.isArray());
                if (list != null) {
                    ArrayNode a = (ArrayNode) list.node;
                    int at = random.nextInt(a.size() + 1);
                    a.insertNull(at);
                    steps.add("null into " + list.path() + "[" + at + "]");
                }
            }
            case NULL_IN_MAP -> {
                Slot map = pick(slots, s -> s.node.isObject());
                if (map != null) {
                    ObjectNode o = (ObjectNode) map.node;
                    List<String> names = new ArrayList<>();
                    o.fieldNames().forEachRemaining(names::add);
                    String key = names.isEmpty() || random.nextBoolean() ? "k" + random.nextInt(10) : names.get(random.nextInt(names.size()));
                    o.putNull(key);
                    steps.add("null at " + map.path() + "." + key);
                }
            }
            case HUGE_STRING -> {
                int length = random.nextInt(20) == 0 ? 100_000 + random.nextInt(200_000) : 1_000 + random.nextInt(5_000);
                String s = (random.nextBoolean() ? "a" : "\u00e9\ud83d\ude00").repeat(length / 2);
                steps.add("set " + slot.path() + " = string of " + s.length() + " chars");
                return slot.replace(doc, NODES.textNode(s));
            }
            case HUGE_NUMBER -> {
                JsonNode n = switch (random.nextInt(9)) {
                    case 8 -> NODES.textNode("1" + "0".repeat(random.nextInt(300_000))); // a quantity of many digits
                    case 0 -> NODES.numberNode(Long.MAX_VALUE);
                    case 1 -> NODES.numberNode(Long.MIN_VALUE);
                    case 2 -> NODES.numberNode(new BigInteger("9".repeat(1 + random.nextInt(900))));
                    case 3 -> NODES.numberNode(new BigDecimal("1e" + (300 + random.nextInt(100_000))));
                    case 4 -> NODES.numberNode(-1);
                    case 5 -> NODES.textNode("1e" + random.nextInt(1_000_000));
                    case 6 -> NODES.textNode(random.nextBoolean() ? "NaN" : "-Infinity");
                    default -> NODES.numberNode(random.nextDouble() * 1e308);
                };
                steps.add("set " + slot.path() + " = " + brief(n));
                return slot.replace(doc, n);
            }
            case DUPLICATE_LIST -> {
                Slot list = pick(slots, s -> s.node.isArray() && !s.node.isEmpty());
                if (list != null) {
                    ArrayNode a = (ArrayNode) list.node;
                    int times = 1 + random.nextInt(random.nextInt(20) == 0 ? 50 : 3);
                    List<JsonNode> items = new ArrayList<>();
                    a.forEach(items::add);
                    for (int t = 0; t < times; t++) {
                        items.forEach(item -> a.add(item.deepCopy()));
                    }
                    steps.add("repeat " + list.path() + " " + times + " more times");
                }
            }
            case DEEP_NESTING -> {
                int depth = random.nextInt(4) == 0 ? 900 + random.nextInt(300) : 2 + random.nextInt(100); // around Jackson's read limit of 1,000
                JsonNode nested = random.nextBoolean() ? NODES.arrayNode() : NODES.objectNode();
                for (int d = 0; d < depth; d++) {
                    nested = random.nextBoolean() ? NODES.arrayNode().add(nested) : NODES.objectNode().set("n", nested);
                }
                steps.add("set " + slot.path() + " = nesting " + depth + " deep");
                return slot.replace(doc, nested);
            }
            case RENAME_KEY -> {
                Slot field = pick(slots, s -> s.parent() instanceof ObjectNode);
                if (field != null) {
                    String renamed = switch (random.nextInt(3)) {
                        case 0 -> field.key.toUpperCase(java.util.Locale.ROOT);
                        case 1 -> field.key.toLowerCase(java.util.Locale.ROOT);
                        default -> field.key + "_";
                    };
                    ObjectNode parent = (ObjectNode) field.parent();
                    parent.remove(field.key);
                    parent.set(renamed, field.node);
                    steps.add("rename " + field.path() + " to " + renamed);
                }
            }
            case EMPTY_CONTAINER -> {
                Slot c = pick(slots, s -> s.node.isContainerNode());
                if (c != null) {
                    steps.add("empty " + c.path());
                    return c.replace(doc, c.node.isArray() ? NODES.arrayNode() : NODES.objectNode());
                }
            }
        }
        return doc;
    }

    private JsonNode otherType(JsonNode current) {
        for (int tries = 0; tries < 10; tries++) {
            JsonNode v = switch (random.nextInt(9)) {
                case 0 -> NODES.nullNode();
                case 1 -> NODES.booleanNode(random.nextBoolean());
                case 2 -> NODES.numberNode(random.nextInt(7) - 3);
                case 3 -> NODES.numberNode(random.nextDouble() * 100);
                case 4 -> NODES.textNode("");
                case 5 -> NODES.textNode("x" + random.nextInt(100));
                case 6 -> NODES.arrayNode();
                case 7 -> NODES.arrayNode().add(random.nextInt(3)).addNull().add("s");
                default -> NODES.objectNode().put("k", "v");
            };
            if (v.getNodeType() != current.getNodeType()) {
                return v;
            }
        }
        return NODES.nullNode();
    }

    private byte[] junk(byte[] bytes, List<String> steps) {
        byte[] out = bytes.clone();
        int n = 1 + random.nextInt(8);
        for (int i = 0; i < n && out.length > 0; i++) {
            int at = random.nextInt(out.length);
            byte b = switch (random.nextInt(5)) {
                case 0 -> (byte) 0;
                case 1 -> (byte) (0x80 + random.nextInt(0x80)); // invalid UTF-8 on its own
                case 2 -> "{}[],:\"\\".getBytes(StandardCharsets.US_ASCII)[random.nextInt(8)];
                case 3 -> (byte) random.nextInt(32);
                default -> (byte) random.nextInt(256);
            };
            out[at] = b;
        }
        steps.add(n + " junk byte(s)");
        return out;
    }

    private Slot pick(List<Slot> slots, java.util.function.Predicate<Slot> which) {
        List<Slot> fit = slots.stream().filter(which).toList();
        return fit.isEmpty() ? null : fit.get(random.nextInt(fit.size()));
    }

    private static String brief(JsonNode n) {
        String s = n.toString();
        return s.length() <= 40 ? s : s.substring(0, 37) + "...";
    }

    private static void collect(JsonNode node, Slot parent, String key, int index, int depth, List<Slot> out) {
        Slot slot = new Slot(node, parent, key, index);
        out.add(slot);
        if (depth >= MAX_DEPTH) {
            return;
        }
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                collect(field.getValue(), slot, field.getKey(), -1, depth + 1, out);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                collect(node.get(i), slot, null, i, depth + 1, out);
            }
        }
    }

    /** A place in the document: the value and where it hangs (parent null at the root); the path is built on demand. */
    private record Slot(JsonNode node, Slot parentSlot, String key, int index) {
        JsonNode parent() {
            return parentSlot == null ? null : parentSlot.node;
        }

        String path() {
            if (parentSlot == null) {
                return "$";
            }
            String up = parentSlot.parentSlot == null ? "" : parentSlot.path();
            return key != null ? up + "." + key : up + "[" + index + "]";
        }

        JsonNode replace(JsonNode root, JsonNode value) {
            if (parentSlot == null) {
                return value;
            }
            if (parent() instanceof ObjectNode o) {
                o.set(key, value);
            } else {
                ((ArrayNode) parent()).set(index, value);
            }
            return root;
        }
    }
}
