package ai.continuum.engine.extract;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

public final class ConceptExtractor {
    private static final Pattern TITLE = Pattern.compile("\\p{Lu}\\p{Ll}+(?:\\s+\\p{Lu}\\p{Ll}+)*");
    private final int max;

    public ConceptExtractor(final int maxConceptsPerMessage) {
        this.max = maxConceptsPerMessage;
    }

    public List<String> extract(final String text) {
        final LinkedHashSet<String> out = new LinkedHashSet<>();
        final Matcher m = TITLE.matcher(text);
        while (m.find() && out.size() < max) {
            if (m.group().length() >= 3) {
                out.add(m.group());
            }
        }
        return new ArrayList<>(out);
    }
}
