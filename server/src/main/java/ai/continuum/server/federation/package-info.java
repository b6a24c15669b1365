/**
 * Federation: organisations share what their graphs learned (concept pairs with a strength bucket) through a
 * coordinator that can read none of it.
 *
 * <ul>
 *   <li>{@link ai.continuum.server.federation.GroupKey}: the key only member organisations hold; pattern pseudonyms
 *       (HMAC) and sealed payloads (AES-GCM) derive from it.</li>
 *   <li>{@link ai.continuum.server.federation.RequestSignature}: every node request is signed (Ed25519 over method,
 *       path, body hash, timestamp and nonce); the coordinator checks skew and replays.</li>
 *   <li>{@link ai.continuum.server.federation.ContributionGate}: the contribution-based access rule.</li>
 *   <li>The coordinator ({@code ai.continuum.server.federation.coordinator}) and the node side
 *       ({@code ai.continuum.server.federation.node}).</li>
 * </ul>
 *
 * The protocol and the threat model are in {@code server/FEDERATION.md}.
 */
package ai.continuum.server.federation;
