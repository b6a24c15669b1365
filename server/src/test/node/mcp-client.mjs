// The official MCP TypeScript SDK against Continuum, over Streamable HTTP (/mcp) and over stdio
// (`continuum mcp --stdio`, on a local store and as a proxy to the server). Run by McpClientIT, which starts the
// server and passes: MCP_URL, KEY_A and KEY_B (two tenants' keys), STDIO_LOCAL and STDIO_PROXY (JSON arrays: the
// command lines of the two stdio servers; the proxy one uses KEY_B). Exits non-zero with the failed check.
import assert from 'node:assert/strict';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';

const TOOLS = ['recall', 'learn', 'search_memories', 'get_memory', 'forget_memory', 'list_concepts',
  'concept_neighbours'];
const env = (name) => {
  const value = process.env[name];
  if (!value) throw new Error(`environment variable ${name} is not set`);
  return value;
};

async function overHttp(key) {
  const client = new Client({ name: 'continuum-mcp-test', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(env('MCP_URL')),
    { requestInit: { headers: { 'X-API-Key': key } } }));
  return client;
}

async function overStdio(commandLine) {
  const [command, ...args] = JSON.parse(commandLine);
  const client = new Client({ name: 'continuum-mcp-test', version: '1.0.0' });
  await client.connect(new StdioClientTransport({ command, args, stderr: 'inherit' }));
  return client;
}

async function rpcError(promise) {
  try {
    await promise;
  } catch (e) {
    return e;
  }
  assert.fail('expected an MCP error');
}

async function learnThenRecall(client, label, topic) {
  const tools = await client.listTools();
  assert.deepEqual(tools.tools.map((t) => t.name).sort(), [...TOOLS].sort(), `${label}: tool list`);
  for (const tool of tools.tools) {
    assert.ok(tool.description.length > 40, `${label}: ${tool.name} has a description an agent can act on`);
    assert.equal(tool.inputSchema.type, 'object', `${label}: ${tool.name} has an object schema`);
  }
  const learnt = await client.callTool({ name: 'learn', arguments: {
    user_message: `We chose PostgreSQL for the ${topic} because of its JSONB support.`,
    ai_response: `Noted: the ${topic} stores invoices in PostgreSQL with JSONB columns.`,
    session_id: `${label}-session` } });
  assert.equal(learnt.isError, false, `${label}: learn succeeded: ${JSON.stringify(learnt)}`);
  const memoryId = learnt.structuredContent.memory_id;
  assert.ok(memoryId > 0, `${label}: learn returned the memory id`);
  const recalled = await client.callTool({ name: 'recall',
    arguments: { message: `Which database does the ${topic} use?` } });
  assert.equal(recalled.isError, false, `${label}: recall succeeded`);
  assert.match(recalled.content[0].text, /PostgreSQL/, `${label}: the context block names the database`);
  assert.ok(recalled.structuredContent.memories.some((m) => m.id === memoryId),
    `${label}: recall returns the learnt turn: ${JSON.stringify(recalled.structuredContent.memories)}`);
  return memoryId;
}

const a = await overHttp(env('KEY_A'));
const memoryA = await learnThenRecall(a, 'http', 'Billing Service');

const found = await a.callTool({ name: 'search_memories', arguments: { keyword: 'JSONB' } });
assert.ok(found.structuredContent.total >= 1, 'search_memories finds the turn');
const got = await a.callTool({ name: 'get_memory', arguments: { id: memoryA } });
assert.match(got.structuredContent.user_message, /Billing Service/, 'get_memory returns the turn');
const neighbours = await a.callTool({ name: 'concept_neighbours', arguments: { name: 'postgresql' } });
assert.equal(neighbours.isError, false, `concept_neighbours: ${JSON.stringify(neighbours)}`);
assert.ok(neighbours.structuredContent.neighbours.length > 0, 'PostgreSQL has neighbours');
const concepts = await a.callTool({ name: 'list_concepts', arguments: { limit: 5 } });
assert.ok(concepts.structuredContent.total >= 2, 'list_concepts counts the concepts');

const resources = await a.listResources();
assert.deepEqual(resources.resources.map((r) => r.uri).sort(), ['continuum://continuity', 'continuum://stats']);
const stats = JSON.parse((await a.readResource({ uri: 'continuum://stats' })).contents[0].text);
assert.ok(stats.memories >= 1, `stats resource counts the memory: ${JSON.stringify(stats)}`);
const head = JSON.parse((await a.readResource({ uri: 'continuum://continuity' })).contents[0].text);
assert.ok(head.length >= 1 && /^[0-9a-f]{64}$/.test(head.head), `continuity head: ${JSON.stringify(head)}`);

// Bad arguments are MCP errors (JSON-RPC -32602 invalid params), not server failures.
assert.equal((await rpcError(a.callTool({ name: 'recall', arguments: {} }))).code, -32602, 'missing message');
assert.equal((await rpcError(a.callTool({ name: 'recall', arguments: { message: 7 } }))).code, -32602,
  'message of the wrong type');
assert.equal((await rpcError(a.callTool({ name: 'get_memory', arguments: { id: 'x' } }))).code, -32602, 'bad id');
assert.equal((await rpcError(a.callTool({ name: 'recall', arguments: { message: 'x', max_concepts: 1000 } }))).code,
  -32602, 'limit out of range');
assert.equal((await rpcError(a.callTool({ name: 'no_such_tool', arguments: {} }))).code, -32602, 'unknown tool');
assert.equal((await rpcError(a.readResource({ uri: 'continuum://nothing' }))).code, -32002, 'unknown resource');
const missing = await a.callTool({ name: 'get_memory', arguments: { id: 987654321 } });
assert.equal(missing.isError, true, 'a missing memory is a tool error');
assert.match(missing.content[0].text, /not_found/);

// A wrong key is refused at connect.
const refused = await rpcError(overHttp('ck_wrong_key_0123456789'));
assert.match(String(refused), /401|nauthori/, `wrong key refused: ${refused}`);

// Another tenant sees nothing of tenant A.
const b = await overHttp(env('KEY_B'));
const otherGet = await b.callTool({ name: 'get_memory', arguments: { id: memoryA } });
assert.equal(otherGet.isError, true, 'tenant B cannot get tenant A memory');
const otherRecall = await b.callTool({ name: 'recall', arguments: { message: 'Which database does the Billing Service use?' } });
assert.equal(otherRecall.structuredContent.memories.length, 0, 'tenant B recalls none of tenant A memories');
assert.doesNotMatch(otherRecall.content[0].text, /PostgreSQL/, 'tenant B context is empty');
const otherSearch = await b.callTool({ name: 'search_memories', arguments: { keyword: 'JSONB' } });
assert.equal(otherSearch.structuredContent.total, 0, 'tenant B search finds nothing of tenant A');
const otherForget = await b.callTool({ name: 'forget_memory', arguments: { id: memoryA } });
assert.equal(otherForget.isError, true, 'tenant B cannot forget tenant A memory');

// Forget through the tool; the memory is gone for recall and get.
const forgotten = await a.callTool({ name: 'forget_memory', arguments: { id: memoryA } });
assert.equal(forgotten.structuredContent.deleted, true);
assert.equal((await a.callTool({ name: 'get_memory', arguments: { id: memoryA } })).isError, true,
  'a forgotten memory is gone');
await a.close();

// stdio on a local data directory.
const local = await overStdio(env('STDIO_LOCAL'));
await learnThenRecall(local, 'stdio-local', 'Ledger Service');
assert.equal((await rpcError(local.callTool({ name: 'learn', arguments: { user_message: 'x' } }))).code, -32602,
  'stdio: missing ai_response');
await local.close();

// stdio as a proxy to the server with tenant B's key: what it learns lands in tenant B on the server.
const proxy = await overStdio(env('STDIO_PROXY'));
const memoryB = await learnThenRecall(proxy, 'stdio-proxy', 'Payroll Service');
await proxy.close();
const seenByB = await b.callTool({ name: 'get_memory', arguments: { id: memoryB } });
assert.equal(seenByB.isError, false, 'the proxied learn is in tenant B on the server');
await b.close();

console.log('mcp-client: all checks passed');
