/**
 * Prometheus metrics: the meters the server keeps (HTTP requests by route template, learn and recall outcomes,
 * write-behind queue depth and commit latency) and per-tenant graph gauges computed at scrape time; the web layer's
 * metrics filter times every request into them. Each server owns its registry, so tests and embedded servers never
 * share series. Meters are thread-safe; gauges are read on the scraping thread.
 */
package ai.continuum.server.metrics;
