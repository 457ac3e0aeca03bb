package dev.iommufx.ui.graph;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import javafx.css.PseudoClass;
import javafx.scene.Node;

/**
 * One CSS pseudo-class on a changing set of nodes, found by key. Marking a new set touches only the nodes whose state
 * changes: those of the old set that are not in the new one, and those of the new set not marked already (a node
 * drawn anew for the same key counts as new). Each touched node has its CSS applied again at the next pulse, which
 * for thousands of nodes costs far more than a frame: a set that mostly stays, as a query typed on does, stays cheap.
 */
final class PseudoClassMarks<K> {
    private final PseudoClass pseudoClass;
    private final Function<K, Node> nodeOf;
    private Map<K, Node> marked = new HashMap<>();

    PseudoClassMarks(String pseudoClass, Function<K, Node> nodeOf) {
        this.pseudoClass = PseudoClass.getPseudoClass(pseudoClass);
        this.nodeOf = nodeOf;
    }

    /** Marks the nodes of these keys (those that are drawn) and unmarks the others; an empty set clears. */
    void mark(Collection<K> keys) {
        Map<K, Node> now = new HashMap<>();
        for (K key : keys) {
            Node n = nodeOf.apply(key);
            if (n != null) {
                now.put(key, n);
            }
        }
        for (Map.Entry<K, Node> was : marked.entrySet()) {
            if (now.get(was.getKey()) != was.getValue()) {
                was.getValue().pseudoClassStateChanged(pseudoClass, false);
            }
        }
        for (Map.Entry<K, Node> is : now.entrySet()) {
            if (marked.get(is.getKey()) != is.getValue()) {
                is.getValue().pseudoClassStateChanged(pseudoClass, true);
            }
        }
        marked = now;
    }

    boolean isMarked(K key) {
        return marked.containsKey(key);
    }
}
