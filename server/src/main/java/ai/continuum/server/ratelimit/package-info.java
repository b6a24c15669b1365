/**
 * Per-key rate limiting with token buckets held in memory: each key (or, without a key, each client address) refills at
 * the configured rate up to the burst size; the web layer's rate-limit filter applies it. Thread-safe: a bucket is a
 * small synchronised object in a concurrent map; the clock is injected so tests advance time by hand.
 */
package ai.continuum.server.ratelimit;
