package dev.iommufx.ui.viewmodel;

import dev.iommufx.engine.Device;
import dev.iommufx.engine.Kernel;
import dev.iommufx.model.Bdf;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The device tree as plain data, copied on the JavaFX thread so that the layout can run on another thread.
 * Index 0 is the machine (not drawn); then one root per PCI root bus ("pci0000:00") and one for non-PCI
 * devices; then the devices, children ordered by PCI address.
 */
public record TreeSnapshot(List<String> ids, List<String> labels, int[][] children, int[] depth) {

    public static final String PLATFORM_ROOT = "platform";
    /** Prefix of the node that stands for a physical function's folded virtual functions. */
    public static final String VF_BUNDLE = "vfs:";

    public static TreeSnapshot of(Kernel k) {
        return of(k, java.util.Set.of());
    }

    /**
     * @param unfolded physical functions whose virtual functions are drawn one by one; every other PF's
     *                 VFs are drawn as one "VF × N" node
     */
    public static TreeSnapshot of(Kernel k, java.util.Set<String> unfolded) {
        List<Device> present = new ArrayList<>();
        Map<String, Integer> folded = new LinkedHashMap<>();
        for (Device d : k.devices()) {
            if (!d.isPresent()) {
                continue;
            }
            String pf = d.spec().physfn();
            if (pf != null && !unfolded.contains(pf)) {
                folded.merge(pf, 1, Integer::sum);
            } else {
                present.add(d);
            }
        }
        present.sort(Comparator.comparing((Device d) -> d.bdf() == null ? new Bdf(0xfffff, 0xff, 0x1f, 7) : d.bdf())
                .thenComparing(Device::id));
        Map<String, Integer> index = new LinkedHashMap<>();
        List<String> ids = new ArrayList<>(List.of("machine"));
        List<String> labels = new ArrayList<>(List.of("machine"));
        List<List<Integer>> kids = new ArrayList<>();
        kids.add(new ArrayList<>());
        for (Device d : present) {
            if (d.parent() == null) {
                String root = rootName(d);
                if (!index.containsKey(root)) {
                    index.put(root, ids.size());
                    ids.add(root);
                    labels.add(root.equals(PLATFORM_ROOT) ? "platform devices" : "PCI root bus " + root);
                    kids.add(new ArrayList<>());
                    kids.get(0).add(index.get(root));
                }
            }
        }
        for (Device d : present) {
            index.put(d.id(), ids.size());
            ids.add(d.id());
            labels.add(d.spec().label());
            kids.add(new ArrayList<>());
        }
        for (Device d : present) {
            int parent = d.parent() == null ? index.get(rootName(d)) : index.get(d.parent().id());
            kids.get(parent).add(index.get(d.id()));
        }
        for (Map.Entry<String, Integer> bundle : folded.entrySet()) {
            Device pf = k.device(bundle.getKey());
            int at = ids.size();
            ids.add(VF_BUNDLE + pf.id());
            labels.add("VF × " + bundle.getValue() + " of " + pf.id());
            kids.add(new ArrayList<>());
            int parent = pf.parent() == null ? index.get(rootName(pf)) : index.get(pf.parent().id());
            List<Integer> siblings = kids.get(parent);
            siblings.add(siblings.indexOf(index.get(pf.id())) + 1, at);
        }
        int[][] children = new int[kids.size()][];
        for (int i = 0; i < kids.size(); i++) {
            children[i] = kids.get(i).stream().mapToInt(Integer::intValue).toArray();
        }
        return new TreeSnapshot(List.copyOf(ids), List.copyOf(labels), children, depths(children));
    }

    /** "pci0000:00" for a PCI root bus, as sysfs names it. */
    static String rootName(Device d) {
        Bdf b = d.bdf();
        return b == null ? PLATFORM_ROOT : String.format("pci%04x:%02x", b.domain(), b.bus());
    }

    private static int[] depths(int[][] children) {
        int[] depth = new int[children.length];
        int[] stack = new int[children.length];
        int top = 0;
        stack[top++] = 0;
        while (top > 0) {
            int n = stack[--top];
            for (int c : children[n]) {
                depth[c] = depth[n] + 1;
                stack[top++] = c;
            }
        }
        return depth;
    }

    public int size() {
        return ids.size();
    }
}
