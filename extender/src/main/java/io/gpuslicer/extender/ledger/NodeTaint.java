package io.gpuslicer.extender.ledger;

/** A node taint, kept compact (the ledger holds thousands of nodes). */
public record NodeTaint(String key, String value, String effect) {
}
