package dev.iommufx.cli;

import dev.iommufx.engine.Profile;
import java.util.Iterator;
import picocli.CommandLine;

/** {@code --kernel PROFILE}: a profile by the key scenario files use ("v7-series", "6.1", "newest"). */
final class Profiles {
    private Profiles() {
    }

    static final class Converter implements CommandLine.ITypeConverter<Profile> {
        @Override
        public Profile convert(String value) {
            Profile p = Profile.fromKey(value);
            if (p == null) {
                throw new CommandLine.TypeConversionException("'" + value + "' is not a kernel profile (expected one"
                        + " of " + String.join(", ", Profile.keys()) + ")");
            }
            return p;
        }
    }

    static final class Keys implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return Profile.keys().iterator();
        }
    }
}
