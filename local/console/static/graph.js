// Draws a flowchart.Chart with Mermaid, each node coloured by its status.
// Colours come from the page's CSS custom properties (--st-<status>-bg,
// -border, -fg), the same ones the status badges and the legend use.

import { STATUSES } from './status.js';

let initialized = false;
let renders = 0;

function init() {
  if (initialized) return;
  if (!window.mermaid) throw new Error('Mermaid did not load (node_modules/mermaid missing? run npm ci)');
  window.mermaid.initialize({
    startOnLoad: false,
    securityLevel: 'strict',
    theme: 'base',
    fontFamily: getComputedStyle(document.body).fontFamily,
    themeVariables: {
      primaryColor: '#ffffff',
      primaryBorderColor: '#94a3b8',
      primaryTextColor: '#1e293b',
      lineColor: '#64748b',
      clusterBkg: '#f8fafc',
      clusterBorder: '#cbd5e1',
      edgeLabelBackground: '#ffffff',
      fontSize: '14px',
    },
    flowchart: { htmlLabels: true, curve: 'basis', padding: 12, nodeSpacing: 36, rankSpacing: 44 },
  });
  initialized = true;
}

// classDefs styles nodes (st_<status>) and boxes (box_<status>: a lighter
// fill, so a running Parallel does not drown its lanes).
function classDefs() {
  const css = getComputedStyle(document.documentElement);
  const v = (name) => css.getPropertyValue(name).trim();
  return STATUSES.flatMap(([st]) => {
    const dash = st === 'waiting' ? ',stroke-dasharray:6 4' : '';
    const width = st === 'notstarted' ? '1px' : '2px';
    const stroke = `stroke:${v(`--st-${st}-border`)},color:${v(`--st-${st}-fg`)},stroke-width:${width}${dash}`;
    return [`  classDef st_${st} fill:${v(`--st-${st}-bg`)},${stroke}`, `  classDef box_${st} fill:${v(`--st-${st}-bg`)}80,${stroke}`];
  });
}

/** The Mermaid source of a chart with each node's status as its class. */
export function statusText(chart, status) {
  const groups = new Map();
  const add = (id, st) => {
    if (!groups.has(st)) groups.set(st, []);
    groups.get(st).push(id);
  };
  add(chart.startId, `st_${status.start}`);
  add(chart.endId, `st_${status.end}`);
  for (const s of chart.states) {
    const box = s.type === 'Parallel' || s.type === 'Map';
    add(s.id, `${box ? 'box' : 'st'}_${status.nodes[s.path] || 'notstarted'}`);
  }
  const lines = [...classDefs()];
  for (const [cls, ids] of groups) lines.push(`  class ${ids.join(',')} ${cls}`);
  return `${chart.text}${lines.join('\n')}\n`;
}

/** Renders the chart into container, replacing what was there. */
export async function renderGraph(container, chart, status) {
  init();
  const id = `graph-svg-${++renders}`;
  let rendered;
  try {
    rendered = await window.mermaid.render(id, statusText(chart, status));
  } finally {
    document.getElementById(`d${id}`)?.remove(); // Mermaid's scratch element, left behind on errors
  }
  const { svg, bindFunctions } = rendered;
  container.innerHTML = svg; // Mermaid's output, sanitized by Mermaid (securityLevel strict)
  bindFunctions?.(container);
  const el = container.querySelector('svg');
  if (el) {
    el.removeAttribute('height');
    el.style.removeProperty('max-width'); // the page's CSS sizes the graph to its card
    el.setAttribute('role', 'img');
    el.setAttribute('aria-label', 'State machine graph coloured by state status');
  }
}
