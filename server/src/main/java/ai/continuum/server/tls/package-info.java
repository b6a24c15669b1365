/**
 * The API listener's own TLS: reading the certificate and key (PEM or PKCS#12) into Helidon's TLS configuration with
 * the checks that make a set usable, and applying renewed files to the running listener without a restart.
 */
package ai.continuum.server.tls;
