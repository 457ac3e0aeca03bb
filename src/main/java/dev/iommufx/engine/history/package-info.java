/**
 * No kernel file: the engine's memory of what changed. The {@link dev.iommufx.engine.history.Journal} records every
 * field a write changes, so that a failed operation is unwound and a successful one undone and redone in O(size
 * of its change) ({@link dev.iommufx.engine.history.History}); {@link dev.iommufx.engine.history.ChangeSets}
 * answers which groups and devices a change touched.
 */
package dev.iommufx.engine.history;
