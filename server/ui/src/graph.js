// The concept graph: a concept and its neighbours, edge width from link strength, node colour from the activation
// (relevance) of the last recall, click a node to add its own neighbours.
import cytoscape from 'cytoscape';

const GREY = '#6b7280';

/** Yellow (weak) to red (strong) for an activation in [0, 1]; grey when the concept was not recalled. */
export function activationColour(activation) {
  if (activation === undefined) return GREY;
  const a = Math.max(0, Math.min(1, activation));
  const hue = Math.round(50 - 50 * a); // 50 = amber, 0 = red
  return `hsl(${hue}, 90%, ${Math.round(48 - 10 * a)}%)`;
}

export function createGraph(container, onExpand) {
  const cy = cytoscape({
    container,
    minZoom: 0.2,
    maxZoom: 3,
    style: [
      { selector: 'node', style: {
        'background-color': 'data(colour)', label: 'data(label)', color: '#111827', 'font-size': 11,
        'text-valign': 'bottom', 'text-margin-y': 4, width: 22, height: 22,
        'text-background-color': '#ffffff', 'text-background-opacity': 0.85, 'text-background-padding': 2 } },
      { selector: 'node.focus', style: { 'border-width': 3, 'border-color': '#1d4ed8', width: 30, height: 30 } },
      { selector: 'edge', style: {
        width: 'data(width)', 'line-color': '#94a3b8', 'curve-style': 'bezier', opacity: 0.9 } },
    ],
  });
  let activation = new Map();
  const describe = () => {
    container.dataset.nodes = String(cy.nodes().length);
    container.dataset.edges = String(cy.edges().length);
    const focus = cy.nodes('.focus').map((n) => n.data('label'));
    container.setAttribute('aria-label', `Concept graph of ${focus.join(', ') || 'nothing'}: ${cy.nodes().length} `
      + `concepts and ${cy.edges().length} links; the neighbours table below lists the same links`);
  };
  const nodeId = (label) => `c:${label.toLowerCase()}`;
  const addNode = (label) => {
    const id = nodeId(label);
    if (cy.getElementById(id).empty()) {
      cy.add({ group: 'nodes', data: { id, label, colour: activationColour(activation.get(label.toLowerCase())) } });
    }
    return id;
  };
  const addEdge = (from, to, strength) => {
    const [a, b] = [nodeId(from), nodeId(to)].sort();
    const id = `e:${a}|${b}`;
    const width = 1 + 9 * Math.max(0, Math.min(1, strength));
    const existing = cy.getElementById(id);
    if (existing.empty()) {
      cy.add({ group: 'edges', data: { id, source: a, target: b, width, strength } });
    } else if (existing.data('strength') < strength) {
      existing.data({ width, strength });
    }
  };
  const layout = () => {
    cy.layout({ name: 'cose', animate: false, randomize: true, nodeRepulsion: () => 400000,
      idealEdgeLength: () => 110, nodeOverlap: 40, componentSpacing: 80, padding: 30 }).run();
    cy.fit(undefined, 30);
    cy.zoom({ level: Math.min(cy.zoom(), 1.4), renderedPosition: { x: cy.width() / 2, y: cy.height() / 2 } });
    cy.center();
    describe();
  };
  cy.on('tap', 'node', (event) => onExpand(event.target.data('label')));
  return {
    cy,
    /** Adds a concept and its neighbours ({name, strength}); replaces the drawing unless expanding. */
    show(concept, neighbours, expand) {
      if (!expand) cy.elements().remove();
      cy.nodes().removeClass('focus');
      addNode(concept);
      cy.getElementById(nodeId(concept)).addClass('focus');
      for (const n of neighbours) {
        addNode(n.name);
        addEdge(concept, n.name, n.strength);
      }
      layout();
    },
    /** Draws a recall: its concepts coloured by relevance, its relationships as edges. */
    showRecall(recall) {
      this.setActivation(recall);
      cy.elements().remove();
      for (const c of recall.concepts) addNode(c.name);
      for (const r of recall.relationships) {
        addNode(r.from);
        addNode(r.to);
        addEdge(r.from, r.to, r.strength);
      }
      layout();
    },
    /** Colours every drawn concept by its relevance in {@code recall}. */
    setActivation(recall) {
      const top = Math.max(1e-9, ...recall.concepts.map((c) => c.relevance));
      activation = new Map(recall.concepts.map((c) => [c.name.toLowerCase(), c.relevance / top]));
      cy.nodes().forEach((n) => n.data('colour', activationColour(activation.get(n.data('label').toLowerCase()))));
    },
  };
}
