package io.gpuslicer.extender.bind;

import io.gpuslicer.extender.ledger.LedgerStore;

/** A snapshot ledger has no API server: the binding is the ledger counting the pod as bound. */
public final class LedgerBinder implements Binder {
    private final LedgerStore store;

    public LedgerBinder(LedgerStore store) {
        this.store = store;
    }

    @Override
    public void bind(Binding binding) {
        store.confirm(binding.uid(), binding.node());
    }
}
