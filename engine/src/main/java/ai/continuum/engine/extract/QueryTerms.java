package ai.continuum.engine.extract;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

public final class QueryTerms {
    private final List<String> concepts;
    private final List<String> keywords;

    private QueryTerms(final List<String> concepts, final List<String> keywords) {
        this.concepts = concepts;
        this.keywords = keywords;
    }

    public static QueryTerms of(final String query) {
        final List<String> keywords = new ArrayList<>();
        for (final String w : query.split("[^\\p{L}\\p{N}]+")) {
            if (w.length() >= 4 && !keywords.contains(w.toLowerCase(Locale.ROOT))) {
                keywords.add(w.toLowerCase(Locale.ROOT));
            }
        }
        return new QueryTerms(new ConceptExtractor(20).extract(query), keywords);
    }

    public List<String> concepts() {
        return concepts;
    }

    public List<String> keywords() {
        return keywords;
    }
}
