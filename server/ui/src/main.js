// The explorer page: connect with a key, then stats and continuity head, the concept graph, recall with its reasons,
// and the memories (search, forget with confirmation). Everything goes through the HTTP API as the key's tenant.
import './style.css';
import { api, ApiError, session } from './api.js';
import { createGraph } from './graph.js';
import { openEventStream } from './events.js';

const $ = (id) => document.getElementById(id);
const status = (text) => { $('status').textContent = text; };
const fail = (e) => {
  if (e instanceof ApiError && e.status === 401) {
    signOut();
    status(`The key was refused: ${e.message}`);
    return;
  }
  status(e instanceof ApiError ? `${e.code}: ${e.message}` : `Error: ${e.message}`);
};
const element = (tag, text, className) => {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (className) node.className = className;
  return node;
};

let lastRecall = null;
let stopEvents = null;
const MAX_EVENTS = 100;
const graph = createGraph($('graph'), (concept) => showConcept(concept, true).catch(fail));

async function showConcept(concept, expand) {
  const detail = await api.concept(concept);
  graph.show(detail.name, detail.neighbours, expand);
  $('neighbours-title').textContent = `Neighbours of ${detail.name}`;
  const rows = detail.neighbours.map((n) => {
    const row = element('tr');
    const cell = element('td');
    const link = element('button', n.name, 'link');
    link.type = 'button';
    link.addEventListener('click', () => showConcept(n.name, true).catch(fail));
    cell.append(link);
    row.append(cell, element('td', n.strength.toFixed(3)), element('td', String(n.count)));
    return row;
  });
  $('neighbours').replaceChildren(...rows);
  status(`${detail.name}: ${detail.neighbours.length} neighbours`);
}

async function refreshStats() {
  const [stats, head] = await Promise.all([api.stats(), api.continuity()]);
  const items = [['Tenant', stats.tenant_id], ['Concepts', stats.concepts], ['Memories', stats.memories],
    ['Decisions', stats.decisions], ['Links', stats.attention_links], ['Compounds', stats.compound_concepts]];
  $('stats').replaceChildren(...items.flatMap(([k, v]) => [element('dt', k), element('dd', String(v))]));
  $('head').textContent = `${head.head.slice(0, 16)}… (${head.length} writes)`;
  $('head').title = head.head;
  $('who').textContent = `Tenant ${stats.tenant_id}`;
  const concepts = await api.concepts();
  $('concept-names').replaceChildren(...concepts.concepts.map((c) => {
    const option = element('option');
    option.value = c.name;
    return option;
  }));
}

async function recall(message) {
  const result = await api.recall(message);
  lastRecall = result;
  $('recall-result').hidden = false;
  $('context').textContent = result.context || 'Nothing is remembered about this yet.';
  $('recall-concepts').replaceChildren(...result.concepts.map((c) => element('li',
    `${c.name} (${c.type}): relevance ${c.relevance.toFixed(3)}, ${c.source.replace('_', ' ')}`
    + (c.depth > 0 ? ` at depth ${c.depth}` : ''))));
  $('recall-memories').replaceChildren(...result.memories.map((m) => element('li',
    `#${m.id} score ${m.score.toFixed(2)}: ${m.user_message}`)));
  graph.setActivation(result);
  status(`Recall found ${result.concepts_found} concepts and ${result.memories.length} memories in `
    + `${result.query_time_ms} ms`);
}

async function listMemories(keyword) {
  const page = await api.memories(keyword);
  $('memories-total').textContent = `${page.total} ${page.total === 1 ? 'memory' : 'memories'}`
    + (keyword ? ` matching “${keyword}”` : '') + (page.total > page.memories.length ? `, newest ${page.memories.length} shown` : '');
  $('memories').replaceChildren(...page.memories.map((m) => {
    const item = element('li');
    item.dataset.id = String(m.id);
    const text = element('div', '', 'memory');
    text.append(element('p', m.user_message, 'user'), element('p', m.ai_response, 'ai'),
      element('p', `#${m.id} · ${m.session_id || 'no session'} · ${new Date(m.time).toLocaleString()}`, 'meta'));
    const forget = element('button', 'Forget', 'danger');
    forget.type = 'button';
    forget.setAttribute('aria-label', `Forget memory ${m.id}`);
    forget.addEventListener('click', async () => {
      if (!window.confirm(`Forget memory #${m.id} for good? It cannot be undone.`)) return;
      try {
        await api.forget(m.id);
        item.remove();
        status(`Memory #${m.id} forgotten`);
        await refreshStats();
      } catch (e) {
        fail(e);
      }
    });
    item.append(text, forget);
    return item;
  }));
}

const describe = (type, d) => {
  switch (type) {
    case 'memory_added': return `memory #${d.memory_id}${d.session_id ? ` in ${d.session_id}` : ''}`
      + (d.concepts?.length ? `: ${d.concepts.join(', ')}` : '');
    case 'concept_learned': return `${d.name} (${d.type})`;
    case 'decision_made': return `#${d.memory_id}: ${d.text}`;
    case 'memory_forgotten': return `memory #${d.memory_id}`;
    case 'cut_off': return `${d.reason}`;
    default: return typeof d === 'string' ? d : JSON.stringify(d);
  }
};

function showEvent({ type, id, data }) {
  const item = element('li');
  item.dataset.type = type;
  item.dataset.id = id;
  item.append(element('span', type.replaceAll('_', ' '), 'type'), element('span', describe(type, data)));
  const list = $('events');
  list.prepend(item);
  while (list.children.length > MAX_EVENTS) list.lastElementChild.remove();
}

function startEvents() {
  stopEvents?.();
  stopEvents = openEventStream(session.key, showEvent, (state, live) => {
    $('events-state').textContent = state;
    $('events-state').dataset.live = String(live);
  });
}

function signOut() {
  stopEvents?.();
  stopEvents = null;
  $('events').replaceChildren();
  session.clear();
  $('app').hidden = true;
  $('login').hidden = false;
  $('logout').hidden = true;
  $('who').hidden = true;
}

async function enter() {
  try {
    await refreshStats();
  } catch (e) {
    fail(e);
    return;
  }
  $('login').hidden = true;
  $('app').hidden = false;
  $('logout').hidden = false;
  $('who').hidden = false;
  status('Connected');
  startEvents();
  listMemories('').catch(fail);
}

$('login-form').addEventListener('submit', (event) => {
  event.preventDefault();
  session.save($('key').value.trim());
  $('key').value = '';
  enter();
});
$('logout').addEventListener('click', () => { signOut(); status('Signed out'); });
$('refresh').addEventListener('click', () => refreshStats().catch(fail));
$('concept-form').addEventListener('submit', (event) => {
  event.preventDefault();
  showConcept($('concept').value.trim(), false).catch(fail);
});
$('recall-form').addEventListener('submit', (event) => {
  event.preventDefault();
  recall($('message').value.trim()).catch(fail);
});
$('recall-graph').addEventListener('click', () => lastRecall && graph.showRecall(lastRecall));
$('memories-form').addEventListener('submit', (event) => {
  event.preventDefault();
  listMemories($('keyword').value.trim()).catch(fail);
});

if (session.key()) enter();
