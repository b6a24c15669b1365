/**
 * API-key authentication: key format and generation, salted slow hashing (PBKDF2), verification by key id in constant
 * time with a short-lived cache of successful checks, the admin key, the audit log and the
 * {@link ai.continuum.server.auth.Principal} a request acts as (the web layer's auth filter applies them). All classes
 * are thread-safe and called from request (virtual) threads; the cache is a concurrent map invalidated on revoke.
 */
package ai.continuum.server.auth;
