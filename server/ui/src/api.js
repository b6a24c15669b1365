// The HTTP API as the page uses it: same origin, the key from session storage in the X-API-Key header (never in a
// URL), errors in the API's one shape {error, message} thrown as ApiError.
const STORAGE_KEY = 'continuum.apiKey';

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

export const session = {
  key: () => sessionStorage.getItem(STORAGE_KEY),
  save: (key) => sessionStorage.setItem(STORAGE_KEY, key),
  clear: () => sessionStorage.removeItem(STORAGE_KEY),
};

async function call(method, path, body) {
  const headers = { 'X-API-Key': session.key() ?? '', Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const data = await response.json().catch(() => ({}));
  if (!response.ok) {
    throw new ApiError(response.status, data.error ?? 'error', data.message ?? `HTTP ${response.status}`);
  }
  return data;
}

const name = (concept) => encodeURIComponent(concept);

export const api = {
  stats: () => call('GET', '/v1/stats'),
  continuity: () => call('GET', '/v1/continuity'),
  concepts: (limit = 200) => call('GET', `/v1/concepts?limit=${limit}`),
  concept: (concept, neighbours = 15) => call('GET', `/v1/concepts/${name(concept)}?neighbours=${neighbours}`),
  recall: (message) => call('POST', '/v1/recall', { message, max_concepts: 20, max_memories: 10 }),
  memories: (keyword) => keyword
    ? call('POST', '/v1/memories/search', { keyword, limit: 50 })
    : call('GET', '/v1/memories?limit=50'),
  forget: (id) => call('DELETE', `/v1/memories/${id}`),
};
