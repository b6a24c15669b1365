package ai.continuum.engine.extract;

import java.util.List;

public final class DecisionExtractor {
    public List<String> extract(final String aiText) {
        return List.of();
    }
}
