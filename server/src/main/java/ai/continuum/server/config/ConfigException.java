package ai.continuum.server.config;

/** A configuration value is missing, malformed or out of range. The message names the key, the value and the rule. */
public final class ConfigException extends RuntimeException {
    public ConfigException(final String message) {
        super(message);
    }
}
