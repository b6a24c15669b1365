/**
 * The Model Context Protocol face of the memory: the tools and resources an agent runtime sees
 * ({@link ai.continuum.server.mcp.McpTools}), the JSON-RPC protocol over them ({@link ai.continuum.server.mcp.McpProtocol},
 * transport-independent and stateless), and the two ways a tenant's memory is reached
 * ({@link ai.continuum.server.mcp.MemoryOperations}): in this process over the core, or through a server's HTTP API
 * with a key. The HTTP transport is {@link ai.continuum.server.http.McpResource} ({@code /mcp}); stdio is
 * {@code continuum mcp --stdio}.
 */
package ai.continuum.server.mcp;
