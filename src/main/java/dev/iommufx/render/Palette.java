package dev.iommufx.render;

import dev.iommufx.engine.GroupState;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;

/**
 * The group states' colours, read from the window's stylesheet ({@code -state-default: #e4e4e4;} and its
 * {@code -border} partners), so that a picture and the window always agree; and the stylesheet's border styles:
 * each state also has its own border width, and blocked groups a dashed border, so colour is not the only signal.
 */
public final class Palette {
    /** The window's stylesheet, inside the jar. */
    static final String STYLESHEET = "/dev/iommufx/ui/iommufx.css";

    /** A state's look: fill and border as {@code #rrggbb}, border width, and whether the border is dashed. */
    public record Look(String fill, String border, double borderWidth, boolean dashed) {
    }

    private final Map<GroupState, Look> looks;

    private Palette(Map<GroupState, Look> looks) {
        this.looks = looks;
    }

    public Look of(GroupState state) {
        return looks.get(state);
    }

    /** The stylesheet's colours; an IllegalStateException if the jar lacks it or it lacks a state's colours. */
    public static Palette fromStylesheet() {
        try (InputStream in = Palette.class.getResourceAsStream(STYLESHEET)) {
            if (in == null) {
                throw new IllegalStateException("the stylesheet " + STYLESHEET + " is not in the application");
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the stylesheet " + STYLESHEET, e);
        }
    }

    /** Reads the {@code -state-*} variables of a stylesheet, one declaration per line. */
    static Palette parse(String css) {
        Map<String, String> vars = new HashMap<>();
        for (String line : css.split("\n")) {
            String t = line.strip();
            int colon = t.indexOf(':');
            int end = t.indexOf(';');
            if (t.startsWith("-state-") && colon > 0 && end > colon) {
                vars.put(t.substring(0, colon).strip(), t.substring(colon + 1, end).strip());
            }
        }
        Map<GroupState, Look> looks = new EnumMap<>(GroupState.class);
        looks.put(GroupState.DEFAULT_DOMAIN, look(vars, "default", 1.5, false));
        looks.put(GroupState.DMA_API_OWNED, look(vars, "dma-api", 2, false));
        looks.put(GroupState.BLOCKED, look(vars, "blocked", 2.5, true));
        looks.put(GroupState.USER_CLAIMED, look(vars, "user", 3, false));
        return new Palette(looks);
    }

    /** The border widths and the dashes are those of the stylesheet's {@code .group-box:<state>} rules. */
    private static Look look(Map<String, String> vars, String name, double width, boolean dashed) {
        return new Look(colour(vars, "-state-" + name), colour(vars, "-state-" + name + "-border"), width, dashed);
    }

    private static String colour(Map<String, String> vars, String name) {
        String v = vars.get(name);
        if (v == null || !v.matches("#[0-9a-fA-F]{6}")) {
            throw new IllegalStateException("the stylesheet has no colour " + name + " (#rrggbb): " + v);
        }
        return v.toLowerCase(java.util.Locale.ROOT);
    }

    /** "#bfe1f6" as 0xbfe1f6. */
    public static int rgb(String hex) {
        return Integer.parseInt(hex, 1, 7, 16);
    }
}
