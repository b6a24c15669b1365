/**
 * End-to-end tests of the real service as a child process: the {@code continuum serve} command started on a loopback
 * port and a temporary data directory, driven over HTTP, killed with SIGKILL and restarted, run with its database
 * file made unwritable or removed underneath it, and run on a PostgreSQL cluster of the test's own
 * ({@code PrivatePostgres}) that is stopped and started again under load. Each test owns its child processes and
 * ends them; client threads are bounded and every wait has a deadline. {@code SeedGraph} is the load-run tool that
 * seeds a data directory with a generated graph through the storage's write path.
 */
package ai.continuum.server.e2e;
