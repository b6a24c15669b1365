package ai.continuum.engine;

/** The delta a turn produced and what applying it created. */
public record LearnOutcome(Delta delta, ApplyResult applied) {}
