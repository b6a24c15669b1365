package ai.continuum.server.auth;

/**
 * Who is calling: the tenant every data operation acts on (always taken from the key, never from the request), the
 * key's id (for rate limits and audit) and whether it may manage keys.
 *
 * @param keyId {@link #ADMIN_KEY_ID} for the admin key, {@link #ANONYMOUS_KEY_ID} when keys are not required.
 */
public record Principal(String tenant, String keyId, boolean admin) {
    public static final String ADMIN_KEY_ID = "admin";
    public static final String ANONYMOUS_KEY_ID = "anonymous";
}
