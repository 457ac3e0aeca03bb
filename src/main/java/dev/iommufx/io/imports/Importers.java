package dev.iommufx.io.imports;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Picks the importer for a file, a directory or pasted text by what it contains:
 * <ul>
 * <li>a directory holding {@code sys/} (an unpacked snapshot, or {@code /} for this machine), or a directory
 *     named {@code sys}: {@link SysfsImporter};</li>
 * <li>a gzip or tar file ({@code .tar.gz}, {@code .tgz}, {@code .tar}, or the gzip/ustar magic): a snapshot
 *     archive, {@link SysfsImporter};</li>
 * <li>XML whose root is hwloc's {@code <topology>}: {@link HwlocImporter}; other XML with {@code <device>}
 *     elements: {@link LibvirtNodedevImporter};</li>
 * <li>any other text: {@link ListingImporter}, which finds the listing formats in it.</li>
 * </ul>
 */
public final class Importers {
    /** Text files larger than this are refused: no listing is near it. */
    private static final long MAX_TEXT = 32L << 20;

    private Importers() {
    }

    /**
     * Imports a directory, archive, XML or text file, choosing the importer by its content.
     *
     * @throws ImportException when the path holds nothing importable (the message says what was expected)
     * @throws IOException     when it cannot be read
     */
    public static ImportResult open(Path path) throws IOException, ImportException {
        if (Files.isDirectory(path)) {
            return SysfsImporter.importDirectory(path);
        }
        if (!Files.isRegularFile(path)) {
            throw new ImportException(path.toString(), "no such file or directory");
        }
        String name = path.getFileName().toString();
        if (isArchive(path, name)) {
            return SysfsImporter.importArchive(path);
        }
        if (Files.size(path) > MAX_TEXT) {
            throw new ImportException(name, "too large for a listing (" + Files.size(path) + " bytes)");
        }
        return parseText(new String(Files.readAllBytes(path), StandardCharsets.UTF_8), name);
    }

    /** Imports pasted text: XML (libvirt, hwloc) or listings. */
    public static ImportResult parseText(String text) throws ImportException {
        return parseText(text, "pasted text");
    }

    /** @param source how notes name the text */
    public static ImportResult parseText(String text, String source) throws ImportException {
        if (text == null || text.isBlank()) {
            throw new ImportException(source, "the text is empty: nothing to import");
        }
        String t = text.strip();
        if (t.startsWith("\uFEFF")) {
            t = t.substring(1).strip();
        }
        if (t.startsWith("<")) {
            if (isHwloc(t)) {
                return HwlocImporter.importText(t, source);
            }
            if (t.contains("<device")) {
                return LibvirtNodedevImporter.importText(t, source);
            }
            throw new ImportException(source, "XML, but neither libvirt node-device XML (<device>) nor hwloc XML"
                    + " (<topology>)");
        }
        if (t.startsWith("{")) {
            throw new ImportException(source, "JSON: an iommufx topology or scenario file is opened as such,"
                    + " not imported");
        }
        return ListingImporter.importText(text, source);
    }

    private static boolean isHwloc(String xml) {
        String head = xml.replaceAll("(?s)<\\?.*?\\?>|<!--.*?-->|<!DOCTYPE[^>]*>", "").strip();
        return head.startsWith("<topology");
    }

    private static boolean isArchive(Path path, String name) throws IOException {
        String n = name.toLowerCase(Locale.ROOT);
        if (n.endsWith(".tar.gz") || n.endsWith(".tgz") || n.endsWith(".tar")) {
            return true;
        }
        try (InputStream in = Files.newInputStream(path)) {
            byte[] head = in.readNBytes(263);
            if (head.length >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b) {
                return true;
            }
            return head.length >= 262 && new String(head, 257, 5, StandardCharsets.US_ASCII).equals("ustar");
        }
    }
}
