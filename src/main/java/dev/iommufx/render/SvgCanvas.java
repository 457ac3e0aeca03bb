package dev.iommufx.render;

import java.util.Locale;

/**
 * An SVG 1.1 document written as text. Every piece of text goes through {@link #escape}: names come from
 * strangers' files, so {@code <}, {@code &} and quotes are escaped and characters XML cannot hold are replaced.
 * Widths of text are estimated (no fonts are at hand): 0.62 em a character, bold 0.68, which covers DejaVu Sans.
 */
final class SvgCanvas implements Canvas {
    private final StringBuilder out = new StringBuilder(1 << 16);

    SvgCanvas(double width, double height, String title) {
        out.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
                .append("<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"").append(num(width))
                .append("\" height=\"").append(num(height)).append("\" viewBox=\"0 0 ").append(num(width)).append(' ')
                .append(num(height)).append("\" font-family=\"DejaVu Sans, Verdana, sans-serif\">\n")
                .append("<title>").append(escape(title)).append("</title>\n");
    }

    String finish() {
        return out.append("</svg>\n").toString();
    }

    @Override
    public void rect(double x, double y, double w, double h, double radius, String fill, String stroke,
                     double strokeWidth, boolean dashed) {
        out.append("<rect x=\"").append(num(x)).append("\" y=\"").append(num(y)).append("\" width=\"").append(num(w))
                .append("\" height=\"").append(num(h)).append('"');
        if (radius > 0) {
            out.append(" rx=\"").append(num(radius)).append('"');
        }
        out.append(" fill=\"").append(fill == null ? "none" : fill).append('"');
        stroke(stroke, strokeWidth, dashed);
        out.append("/>\n");
    }

    @Override
    public void line(double x1, double y1, double x2, double y2, String colour, double width, boolean dashed) {
        out.append("<line x1=\"").append(num(x1)).append("\" y1=\"").append(num(y1)).append("\" x2=\"")
                .append(num(x2)).append("\" y2=\"").append(num(y2)).append('"');
        stroke(colour, width, dashed);
        out.append("/>\n");
    }

    private void stroke(String colour, double width, boolean dashed) {
        if (colour != null) {
            out.append(" stroke=\"").append(colour).append("\" stroke-width=\"").append(num(width)).append('"');
            if (dashed) {
                out.append(" stroke-dasharray=\"7 4\"");
            }
        }
    }

    @Override
    public void text(double x, double y, String text, double size, boolean bold, String colour) {
        out.append("<text x=\"").append(num(x)).append("\" y=\"").append(num(y)).append("\" font-size=\"")
                .append(num(size)).append('"');
        if (bold) {
            out.append(" font-weight=\"bold\"");
        }
        out.append(" fill=\"").append(colour).append("\" xml:space=\"preserve\">").append(escape(text))
                .append("</text>\n");
    }

    @Override
    public double textWidth(String text, double size, boolean bold) {
        return text.codePointCount(0, text.length()) * size * (bold ? 0.68 : 0.62);
    }

    @Override
    public void begin(String id, String cssClass) {
        out.append("<g id=\"").append(escape(id)).append("\" class=\"").append(escape(cssClass)).append("\">\n");
    }

    @Override
    public void end() {
        out.append("</g>\n");
    }

    /**
     * Text as XML character data or attribute value: the five markup characters as entities, and every
     * character XML 1.0 cannot hold (control characters, lone surrogates, U+FFFE and U+FFFF) as U+FFFD.
     */
    static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&apos;");
                default -> {
                    if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                        b.append(c).append(s.charAt(++i));
                    } else if (c < 0x20 && c != '\t' && c != '\n' || Character.isSurrogate(c) || c >= 0xfffe) {
                        b.append('\ufffd');
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.toString();
    }

    /** A number as SVG wants it: no exponent, at most two decimals, a point whatever the locale. */
    private static String num(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e9) {
            return Long.toString((long) v);
        }
        return String.format(Locale.ROOT, "%.2f", v);
    }
}
