/**
 * The user's data as a file: the versioned export document (writing, validating, replaying), gzip handling and
 * progress reporting, and the export, import and migrate operations built on them, shared by the CLI, the admin HTTP
 * endpoints and the embedding API.
 */
package ai.continuum.server.transfer;
