/**
 * The optional Redis shared by every instance ({@code CONTINUUM_REDIS_URL}): one connection per process and the record
 * of whether it answers now. Redis is never on the path of a result: a caller that cannot reach it in time decides
 * without it, so Redis down or slow never fails a request.
 */
package ai.continuum.server.redis;
