// The served OpenAPI document checked by a real validator (@apidevtools/swagger-parser, OpenAPI 3.1), then a client
// generated from it at run time (openapi-client-axios: one method per operationId) learns and recalls through it.
// Run by OpenApiDocumentTest with BASE_URL and API_KEY.
import assert from 'node:assert/strict';
import SwaggerParser from '@apidevtools/swagger-parser';
import { OpenAPIClientAxios } from 'openapi-client-axios';

const base = process.env.BASE_URL;
const key = process.env.API_KEY;
const served = await fetch(`${base}/openapi`, { headers: { Accept: 'application/json' } });
assert.equal(served.status, 200, 'GET /openapi');
const document = await served.json();

// Throws with every problem found when the document is not valid OpenAPI 3.1 (schema and $refs).
await SwaggerParser.validate(structuredClone(document));
assert.equal(document.openapi, '3.1.0');

const api = new OpenAPIClientAxios({ definition: document, withServer: { url: base },
  axiosConfigDefaults: { headers: { 'X-API-Key': key }, validateStatus: () => true } });
const client = await api.init();
for (const operation of ['learn', 'recall', 'getMemory', 'forgetMemory', 'searchMemories', 'getConcept', 'getStats']) {
  assert.equal(typeof client[operation], 'function', `the generated client has ${operation}`);
}

const learnt = await client.learn(null, {
  user_message: 'The Search Cluster runs on OpenSearch with three nodes.',
  ai_response: 'Understood: OpenSearch backs the Search Cluster.',
  session_id: 'openapi' });
assert.equal(learnt.status, 200, JSON.stringify(learnt.data));
assert.ok(learnt.data.memory_id > 0 && learnt.data.durable === true, JSON.stringify(learnt.data));

const recalled = await client.recall(null, { message: 'What does the Search Cluster run on?', max_memories: 3 });
assert.equal(recalled.status, 200, JSON.stringify(recalled.data));
assert.match(recalled.data.context, /OpenSearch/i);
assert.ok(recalled.data.memories.some((m) => m.id === learnt.data.memory_id), JSON.stringify(recalled.data));

const memory = await client.getMemory({ id: learnt.data.memory_id });
assert.equal(memory.status, 200);
assert.equal(memory.data.session_id, 'openapi');

// Errors come in the documented shape.
const invalid = await client.recall(null, { max_memories: 3 });
assert.equal(invalid.status, 422);
assert.deepEqual(Object.keys(invalid.data).sort(), ['error', 'message']);
assert.equal(invalid.data.error, 'validation_error');

console.log('openapi-client: document valid; learn and recall through the generated client passed');
