package ai.continuum.engine;

import java.util.List;

/** A concept as an API shows it, with its strongest neighbours. */
public record ConceptView(
        String name, String type, String description, long createdMillis, List<Neighbour> neighbours) {

    public record Neighbour(String name, double strength, int count, long lastSeenMillis) {}
}
