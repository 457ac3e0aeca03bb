package dev.iommufx.engine.history;

import dev.iommufx.engine.IommuGroup;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** Questions about a list of changes that listeners ask: which groups and devices did it touch? */
public final class ChangeSets {
    private ChangeSets() {
    }

    /** Group ids whose own fields changed, or whose members' driver or membership changed. */
    public static Set<Integer> groupsTouched(List<Change> changes) {
        Set<Integer> ids = new TreeSet<>();
        for (Change c : changes) {
            if (c.subject().equals(Change.GROUP) || c.subject().equals(Change.VFIO_GROUP)) {
                ids.add(Integer.valueOf(c.id()));
            } else if (c.subject().equals(Change.DEVICE) && c.field().equals("iommu_group")) {
                addGroupId(ids, c.before());
                addGroupId(ids, c.after());
            }
        }
        return ids;
    }

    /** Device ids whose fields changed. */
    public static Set<String> devicesTouched(List<Change> changes) {
        Set<String> ids = new TreeSet<>();
        for (Change c : changes) {
            if (c.subject().equals(Change.DEVICE)) {
                ids.add(c.id());
            }
        }
        return ids;
    }

    private static void addGroupId(Set<Integer> ids, Object group) {
        if (group instanceof IommuGroup g) {
            ids.add(g.id());
        }
    }
}
