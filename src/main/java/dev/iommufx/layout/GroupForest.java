package dev.iommufx.layout;

import dev.iommufx.engine.GroupState;
import dev.iommufx.layout.MachineSnapshot.Function;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The machine's groups as a forest that follows the device tree: a group hangs below the group of the nearest
 * device above its top member (the member nearest the root bus) that is in another group, and groups whose top
 * member has no such device are the roots of their root bus. Since a group's parent group has a top member
 * strictly nearer the root, this is a forest whatever the groups are (aliases across bridges included), and
 * every group with a member is in it exactly once.
 */
final class GroupForest {
    /** One group: its members in address order, its top member and the groups below it. */
    static final class Node {
        final int id;
        final GroupState state;
        final List<Function> members = new ArrayList<>();
        final List<Node> children = new ArrayList<>();
        Function top;
        int topOrder;

        Node(int id, GroupState state) {
            this.id = id;
            this.state = state;
        }

        boolean bridgesOnly() {
            return members.stream().allMatch(Function::bridge);
        }
    }

    final Map<String, Function> byId = new HashMap<>();
    final Map<String, List<Function>> childrenOf = new HashMap<>();
    /** Root groups per root bus, the buses in address order and the platform devices last. */
    final Map<String, List<Node>> roots = new TreeMap<>(GroupForest::compareRoots);
    final List<String> ungrouped = new ArrayList<>();
    private final Map<String, Integer> depth = new HashMap<>();
    private final Map<String, Integer> order = new HashMap<>();

    static GroupForest of(MachineSnapshot m) {
        GroupForest f = new GroupForest();
        f.index(m);
        Map<Integer, Node> nodes = f.nodes(m);
        for (Node n : nodes.values()) {
            Node parent = f.parentGroup(n, nodes);
            if (parent == null) {
                f.roots.computeIfAbsent(n.top.root(), r -> new ArrayList<>()).add(n);
            } else {
                parent.children.add(n);
            }
        }
        Comparator<Node> byTop = Comparator.comparingInt(n -> n.topOrder);
        f.roots.values().forEach(list -> list.sort(byTop));
        nodes.values().forEach(n -> n.children.sort(byTop));
        return f;
    }

    private void index(MachineSnapshot m) {
        for (Function fn : m.functions()) {
            order.put(fn.id(), order.size());
            byId.put(fn.id(), fn);
        }
        for (Function fn : m.functions()) {
            Function p = parentOf(fn);
            if (p != null) {
                childrenOf.computeIfAbsent(p.id(), k -> new ArrayList<>()).add(fn);
            }
        }
    }

    private Map<Integer, Node> nodes(MachineSnapshot m) {
        Map<Integer, Node> nodes = new LinkedHashMap<>();
        for (Function fn : m.functions()) {
            if (fn.group() == null) {
                ungrouped.add(fn.id());
                continue;
            }
            Node n = nodes.computeIfAbsent(fn.group(),
                    g -> new Node(g, m.states().getOrDefault(g, GroupState.DEFAULT_DOMAIN)));
            n.members.add(fn);
            int d = depthOf(fn);
            if (n.top == null || d < depthOf(n.top)) {
                n.top = fn;
                n.topOrder = order.get(fn.id());
            }
        }
        return nodes;
    }

    /** The group of the nearest device above n's top member that is in another group; null at a root bus. */
    private Node parentGroup(Node n, Map<Integer, Node> nodes) {
        Function p = parentOf(n.top);
        while (p != null && (p.group() == null || p.group() == n.id)) {
            p = parentOf(p);
        }
        return p == null ? null : nodes.get(p.group());
    }

    Function parentOf(Function fn) {
        return fn.parent() == null ? null : byId.get(fn.parent());
    }

    List<Function> children(Function fn) {
        return childrenOf.getOrDefault(fn.id(), List.of());
    }

    int orderOf(Function fn) {
        return order.get(fn.id());
    }

    /** Depth below the root bus, memoised; iterative, so a long chain of bridges cannot overflow the stack. */
    int depthOf(Function fn) {
        Integer known = depth.get(fn.id());
        if (known != null) {
            return known;
        }
        List<Function> path = new ArrayList<>();
        Function cur = fn;
        int base = 0;
        while (cur != null) {
            Integer d = depth.get(cur.id());
            if (d != null) {
                base = d + 1;
                break;
            }
            path.add(cur);
            cur = parentOf(cur);
        }
        for (int i = path.size() - 1; i >= 0; i--) {
            depth.put(path.get(i).id(), base++);
        }
        return depth.get(fn.id());
    }

    /** pci0000:00 before pci0000:80 before pci0001:00 (by number: domains can have five digits); platform last. */
    private static int compareRoots(String a, String b) {
        return Long.compare(rootKey(a), rootKey(b));
    }

    private static long rootKey(String root) {
        if (!root.startsWith("pci")) {
            return Long.MAX_VALUE;
        }
        int colon = root.indexOf(':');
        return Long.parseLong(root, 3, colon, 16) * 256 + Long.parseLong(root, colon + 1, root.length(), 16);
    }
}
