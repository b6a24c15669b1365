package ai.continuum.server.cli;

import ai.continuum.server.config.ConfigException;
import ai.continuum.server.config.ServerConfig;

/** The tenant a data command acts on: {@code --tenant} if given and valid, else the configured default. */
final class Tenants {
    private Tenants() {}

    static String resolve(final String option, final ServerConfig config) {
        if (option == null) {
            return config.defaultTenant();
        }
        if (!ServerConfig.TENANT_PATTERN.matcher(option).matches()) {
            throw new ConfigException("--tenant '" + option + "' is invalid: expected 1-128 letters, digits, '.', "
                    + "'_' or '-', starting with a letter or digit");
        }
        return option;
    }
}
