package dev.iommufx.cli;

import dev.iommufx.boot.PersistConfig;
import dev.iommufx.model.boot.Initramfs;
import java.util.Arrays;
import java.util.Iterator;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** {@code plan --style} and {@code --initramfs}: their names on the command line. */
final class PersistStyles implements ITypeConverter<PersistConfig.Style> {
    @Override
    public PersistConfig.Style convert(String value) {
        return Arrays.stream(PersistConfig.Style.values()).filter(s -> s.key().equals(value)).findFirst()
                .orElseThrow(() -> new TypeConversionException("expected one of " + String.join(", ", new Keys())
                        + ", not " + dev.iommufx.io.Printable.of(value)));
    }

    /** The styles' names, for help and completion. */
    static final class Keys implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return Arrays.stream(PersistConfig.Style.values()).map(PersistConfig.Style::key).iterator();
        }
    }

    /** The initramfs generators by the names of their tools. */
    static final class Generators implements ITypeConverter<Initramfs.Generator> {
        @Override
        public Initramfs.Generator convert(String value) {
            return Arrays.stream(Initramfs.Generator.values()).filter(g -> g != Initramfs.Generator.NONE
                    && g.title().equals(value)).findFirst().orElseThrow(() -> new TypeConversionException(
                    "expected one of " + String.join(", ", new GeneratorKeys()) + ", not "
                            + dev.iommufx.io.Printable.of(value)));
        }
    }

    static final class GeneratorKeys implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return Arrays.stream(Initramfs.Generator.values()).filter(g -> g != Initramfs.Generator.NONE)
                    .map(Initramfs.Generator::title).iterator();
        }
    }
}
