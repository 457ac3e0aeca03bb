package dev.iommufx.ui.graph;

import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Function;
import javafx.css.PseudoClass;
import javafx.scene.Node;

/**
 * One CSS pseudo-class on a changing set of nodes, found by key: marking a new set takes the class off the nodes of
 * the old one, so that only the nodes that change state are touched, not the whole graph.
 */
final class PseudoClassMarks<K> {
    private final PseudoClass pseudoClass;
    private final Function<K, Node> nodeOf;
    private final Set<K> marked = new HashSet<>();

    PseudoClassMarks(String pseudoClass, Function<K, Node> nodeOf) {
        this.pseudoClass = PseudoClass.getPseudoClass(pseudoClass);
        this.nodeOf = nodeOf;
    }

    /** Marks the nodes of these keys (those that are drawn) and unmarks the others; an empty set clears. */
    void mark(Collection<K> keys) {
        for (K key : marked) {
            Node n = nodeOf.apply(key);
            if (n != null) {
                n.pseudoClassStateChanged(pseudoClass, false);
            }
        }
        marked.clear();
        for (K key : keys) {
            Node n = nodeOf.apply(key);
            if (n != null) {
                n.pseudoClassStateChanged(pseudoClass, true);
                marked.add(key);
            }
        }
    }

    boolean isMarked(K key) {
        return marked.contains(key);
    }
}
