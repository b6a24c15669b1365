package ai.continuum.engine;

/** What applying a delta changed: entities that did not exist before it. */
public record ApplyResult(int conceptsCreated, int linksCreated, int compoundsCreated, int memoriesCreated) {
    public static final ApplyResult NONE = new ApplyResult(0, 0, 0, 0);
}
