package ai.continuum.engine;

import java.util.List;

/** How a compound is named and described (docs/DESIGN.md section 7): its first three components, and all of them as JSON. */
final class CompoundNames {
    private CompoundNames() {}

    /** The first three component names joined by " + ". */
    static String name(final List<String> components) {
        return String.join(" + ", components.subList(0, Math.min(3, components.size())));
    }

    /** The components as a JSON array of strings. */
    static String json(final List<String> components) {
        final StringBuilder out = new StringBuilder("[");
        for (int i = 0; i < components.size(); i++) {
            if (i > 0) {
                out.append(", ");
            }
            out.append('"');
            for (final char c : components.get(i).toCharArray()) {
                switch (c) {
                    case '"' -> out.append("\\\"");
                    case '\\' -> out.append("\\\\");
                    case '\n' -> out.append("\\n");
                    default -> {
                        if (c < 0x20) {
                            out.append(String.format("\\u%04x", (int) c));
                        } else {
                            out.append(c);
                        }
                    }
                }
            }
            out.append('"');
        }
        return out.append(']').toString();
    }
}
