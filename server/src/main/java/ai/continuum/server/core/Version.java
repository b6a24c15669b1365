package ai.continuum.server.core;

/** The product version, from the jar manifest ({@code dev} when running from classes). */
public final class Version {
    private Version() {
    }

    public static String current() {
        final String v = Version.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
