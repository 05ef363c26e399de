// The report's behaviour: summary, a sortable filterable paginated facts table, articles with every
// figure highlighted, and a details panel that says where each cue of a figure came from.
// Each article's text and evidence sit in their own JSON block, parsed only when the article is shown.
"use strict";

const INDEX = JSON.parse(document.getElementById("index").textContent);
const COL = Object.fromEntries(INDEX.columns.map((name, i) => [name, i]));
const FACTS = INDEX.facts;
const DOCS = INDEX.documents;
const UNLINKED = INDEX.unlinked;     // [doc index, text, start, end, index of the reason in INDEX.reasons]
const REASONS = INDEX.reasons;
const PAGE_SIZE = 50;
const NUMERIC = new Set(["value", "start", "end"]);
const TABLE_COLUMNS = ["fact_id", "text", "entity", "measure", "value", "unit", "qualifier", "period", "flow",
  "partner", "product", "indicator", "share_of", "rule", "doc_id", "start"];
const FIELDS = ["entity", "partner", "flow", "product", "indicator", "measure", "value", "unit", "qualifier",
  "period", "share_of"];

const factRow = new Map();          // fact_id -> index in FACTS
const docOf = new Map();            // doc_id -> index in DOCS
const factsByDoc = DOCS.map(() => []);
const unlinkedByDoc = DOCS.map(() => []);
DOCS.forEach((d, i) => docOf.set(d.id, i));
FACTS.forEach((f, r) => {
  factRow.set(f[COL.fact_id], r);
  const d = docOf.get(f[COL.doc_id]);
  if (d !== undefined) factsByDoc[d].push(r);
});
UNLINKED.forEach((u, k) => { if (u[0] >= 0) unlinkedByDoc[u[0]].push(k); });

const state = {
  search: "", filters: {}, sortCol: null, sortDir: 1, page: 0, view: [],
  selected: null,                   // {kind: "fact"|"unlinked", doc, id, cues}
};
const payloads = new Map();

function $(sel, root = document) { return root.querySelector(sel); }
function esc(s) {
  return String(s ?? "").replace(/[&<>"']/g, c => ({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}[c]));
}
function fact(r) { const f = FACTS[r]; return Object.fromEntries(INDEX.columns.map((c, i) => [c, f[i]])); }
function payload(i) {
  if (!payloads.has(i)) payloads.set(i, JSON.parse(document.getElementById("doc-" + i).textContent));
  return payloads.get(i);
}
// A cue as the report stores it: [field, value, text (null: the article's text at its offsets),
// start, end, index of its source in the article's `wheres`, rule, sentence_start, sentence_end].
function cueObject(a, p) {
  const located = a[3] !== null && a[3] !== undefined;
  return {field: a[0], value: a[1], text: a[2] ?? (located ? p.text.slice(a[3], a[4]) : ""), start: a[3], end: a[4],
    where: p.wheres[a[5]], earlier: a[7] !== null && a[7] !== undefined, rule: a[6],
    sentence_start: a[7], sentence_end: a[8]};
}

// ------------------------------------------------------------------ summary
function countBy(key) {
  const counts = new Map();
  for (const f of FACTS) {
    const k = key(f) || "(none)";
    counts.set(k, (counts.get(k) || 0) + 1);
  }
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || String(a[0]).localeCompare(String(b[0])));
}

function countsTable(id, rows, onClick) {
  const table = document.getElementById(id);
  table.innerHTML = rows.map(([k, n], i) => `<tr data-i="${i}"><td>${esc(k)}</td><td class="n">${n}</td></tr>`).join("");
  table.addEventListener("click", e => {
    const tr = e.target.closest("tr");
    if (tr) onClick(rows[+tr.dataset.i][0]);
  });
}

function renderSummary() {
  const shown = DOCS.filter(d => d.status === "ok").length;
  $("#headline").textContent = `From ${INDEX.output}/: facts.csv, evidence.jsonl, unlinked.csv, documents.csv.`;
  $("#cards").innerHTML = [
    ["articles", DOCS.length], ["facts", FACTS.length], ["unlinked numbers", UNLINKED.length],
    ["economies", new Set(FACTS.map(f => f[COL.entity])).size],
  ].concat(shown < DOCS.length ? [["skipped articles", DOCS.length - shown]] : []).map(([label, n]) => `<div class="card" data-card="${label}"><b>${n}</b>${label}</div>`).join("");
  const warnings = DOCS.filter(d => d.warning).map(d => `<div class="warning">${esc(d.warning)}</div>`);
  $("#warnings").innerHTML = warnings.join("");
  const filterOn = col => value => { setFilter(col, value === "(none)" ? "=" : "=" + value); };
  countsTable("by-entity", countBy(f => f[COL.entity]), filterOn("entity"));
  countsTable("by-indicator", countBy(f => f[COL.indicator] + (f[COL.flow] ? " · " + f[COL.flow] : "")), value => {
    const [indicator, flow] = value.split(" · ");
    state.filters.flow = flow ? "=" + flow : "=";
    setFilter("indicator", "=" + indicator);
  });
  countsTable("by-period", countBy(f => f[COL.period]), filterOn("period"));
  const reasons = new Map();
  for (const u of UNLINKED) reasons.set(REASONS[u[4]], (reasons.get(REASONS[u[4]]) || 0) + 1);
  const reasonRows = [...reasons.entries()].sort((a, b) => b[1] - a[1]);
  countsTable("by-reason", reasonRows, reason => {
    const k = UNLINKED.findIndex(u => REASONS[u[4]] === reason);
    if (k >= 0) selectUnlinked(k, true);
  });
  const unlinkedPerDoc = unlinkedByDoc.map(list => list.length);
  const articleTable = $("#per-article");
  articleTable.innerHTML = "<thead><tr><th>article</th><th>title</th><th>published</th><th>facts</th>" +
    "<th>unlinked</th><th>status</th></tr></thead><tbody>" + DOCS.map((d, i) =>
      `<tr data-doc="${i}"><td>${esc(d.id)}</td><td class="wrap">${esc(d.title)}</td>` +
      `<td>${esc(d.published)} <span class="muted">${esc(d.published_source)}</span></td>` +
      `<td class="num">${factsByDoc[i].length}</td><td class="num">${unlinkedPerDoc[i]}</td><td>${esc(d.status)}</td></tr>`
    ).join("") + "</tbody>";
  articleTable.addEventListener("click", e => {
    const tr = e.target.closest("tr[data-doc]");
    if (!tr) return;
    const i = +tr.dataset.doc;
    setFilter("doc_id", "=" + DOCS[i].id);
    renderArticle(i);
    document.getElementById("article-" + i).scrollIntoView({block: "start"});
  });
}

// ------------------------------------------------------------------ the facts table
function buildTableHead() {
  const head = $("#facts-table thead");
  head.innerHTML = "<tr>" + TABLE_COLUMNS.map(c => `<th class="sortable" data-col="${c}">${c}</th>`).join("") +
    "</tr><tr class=\"filters\">" + TABLE_COLUMNS.map(c =>
      `<th><input data-filter="${c}" aria-label="filter ${c}" placeholder="filter"></th>`).join("") + "</tr>";
  head.addEventListener("click", e => {
    const th = e.target.closest("th.sortable");
    if (!th) return;
    const col = th.dataset.col;
    state.sortDir = state.sortCol === col ? -state.sortDir : 1;
    state.sortCol = col;
    refreshTable();
  });
  let timer = null;
  head.addEventListener("input", e => {
    const col = e.target.dataset.filter;
    if (!col) return;
    state.filters[col] = e.target.value;
    clearTimeout(timer);
    timer = setTimeout(() => { state.page = 0; refreshTable(); }, 120);
  });
}

function matches(value, query) {
  if (!query) return true;
  if (query.startsWith("=")) return String(value) === query.slice(1);
  return String(value).toLowerCase().includes(query.toLowerCase());
}

function computeView() {
  const search = state.search.toLowerCase();
  const active = Object.entries(state.filters).filter(([, q]) => q);
  const view = [];
  for (let r = 0; r < FACTS.length; r++) {
    const f = FACTS[r];
    if (!active.every(([c, q]) => matches(f[COL[c]], q))) continue;
    if (search && !TABLE_COLUMNS.some(c => String(f[COL[c]]).toLowerCase().includes(search))) continue;
    view.push(r);
  }
  if (state.sortCol) {
    const i = COL[state.sortCol];
    const numeric = NUMERIC.has(state.sortCol);
    view.sort((a, b) => {
      const x = FACTS[a][i], y = FACTS[b][i];
      const c = numeric ? (parseFloat(x) - parseFloat(y)) : String(x).localeCompare(String(y));
      return c * state.sortDir || a - b;
    });
  }
  state.view = view;
}

function refreshTable() {
  computeView();
  renderTablePage();
}

function renderTablePage() {
  const pages = Math.max(1, Math.ceil(state.view.length / PAGE_SIZE));
  state.page = Math.min(state.page, pages - 1);
  const rows = state.view.slice(state.page * PAGE_SIZE, (state.page + 1) * PAGE_SIZE);
  const selectedId = state.selected && state.selected.kind === "fact" ? state.selected.id : null;
  $("#facts-table tbody").innerHTML = rows.map(r => {
    const f = FACTS[r];
    const id = f[COL.fact_id];
    return `<tr data-fact="${esc(id)}"${id === selectedId ? ' class="selected"' : ""}>` + TABLE_COLUMNS.map(c =>
      `<td${NUMERIC.has(c) ? ' class="num"' : ""} title="${esc(f[COL[c]])}">${esc(c === "fact_id" ? id.slice(0, 8) : f[COL[c]])}</td>`
    ).join("") + "</tr>";
  }).join("");
  const first = state.view.length ? state.page * PAGE_SIZE + 1 : 0;
  $("#count").textContent = `rows ${first}–${state.page * PAGE_SIZE + rows.length} of ${state.view.length}` +
    (state.view.length !== FACTS.length ? ` (filtered from ${FACTS.length})` : "");
  $("#page").textContent = `page ${state.page + 1} of ${pages}`;
  $("#prev").disabled = state.page === 0;
  $("#next").disabled = state.page >= pages - 1;
  document.querySelectorAll("#facts-table thead th.sortable").forEach(th => {
    th.classList.toggle("sorted-asc", th.dataset.col === state.sortCol && state.sortDir === 1);
    th.classList.toggle("sorted-desc", th.dataset.col === state.sortCol && state.sortDir === -1);
  });
}

function setFilter(col, query) {
  state.filters[col] = query;
  const input = document.querySelector(`#facts-table input[data-filter="${col}"]`);
  if (input) input.value = query;
  for (const [c, q] of Object.entries(state.filters)) {
    const other = document.querySelector(`#facts-table input[data-filter="${c}"]`);
    if (other) other.value = q;
  }
  state.page = 0;
  refreshTable();
  document.getElementById("facts").scrollIntoView({block: "start"});
}

function showRowOf(id) {
  const at = state.view.indexOf(factRow.get(id));
  if (at >= 0) state.page = Math.floor(at / PAGE_SIZE);
  renderTablePage();
  const tr = document.querySelector(`#facts-table tbody tr[data-fact="${CSS.escape(id)}"]`);
  if (tr) {
    const wrap = $(".table-wrap");
    const top = tr.offsetTop - wrap.clientHeight / 2;
    wrap.scrollTop = Math.max(0, top);
  }
}

// ------------------------------------------------------------------ articles
let observer = null;

function buildArticles() {
  const list = $("#article-list");
  list.innerHTML = DOCS.map((d, i) => {
    const estimate = Math.max(3, Math.round(d.length / 95)) * 1.65;
    const meta = [esc(d.id), d.published ? `published ${esc(d.published)} (${esc(d.published_source)})` : "no date",
      `${factsByDoc[i].length} facts`, `${unlinkedByDoc[i].length} unlinked`, d.status === "ok" ? "" : esc(d.status)]
      .filter(Boolean).join(" · ");
    return `<article class="doc" id="article-${i}" data-doc="${i}"><h3>${esc(d.title || d.id)}</h3>` +
      `<div class="meta">${meta}</div>${d.warning ? `<div class="warning">${esc(d.warning)}</div>` : ""}` +
      `<div class="text" style="min-height:${estimate}em"><span class="placeholder">…</span></div></article>`;
  }).join("");
  list.addEventListener("click", e => {
    const fig = e.target.closest("mark.fig");
    if (fig) { selectFact(fig.dataset.fact, false); return; }
    const unl = e.target.closest(".unl");
    if (unl) selectUnlinked(+unl.dataset.unlinked, false);
  });
  if (INDEX.eager) {
    DOCS.forEach((d, i) => renderArticle(i));
    return;
  }
  observer = new IntersectionObserver(entries => {
    for (const entry of entries) {
      if (entry.isIntersecting) renderArticle(+entry.target.dataset.doc);
    }
  }, {rootMargin: "1200px 0px"});
  document.querySelectorAll("article.doc").forEach(a => observer.observe(a));
}

// The text with figures and unlinked numbers as elements, and the selected figure's cues inside them.
function articleHTML(text, bodyStart, marks, cues) {
  const cuts = new Set([0, text.length, bodyStart]);
  for (const m of marks) { cuts.add(m.s); cuts.add(m.e); }
  for (const c of cues) { cuts.add(c.s); cuts.add(c.e); }
  const points = [...cuts].filter(p => p >= 0 && p <= text.length).sort((a, b) => a - b);
  const opening = new Map();
  for (const m of marks) {
    if (!opening.has(m.s)) opening.set(m.s, []);
    opening.get(m.s).push(m);
  }
  const out = [];
  const open = [];                 // marks open now (innermost last)
  for (let k = 0; k < points.length - 1; k++) {
    const at = points[k], next = points[k + 1];
    while (open.length && open[open.length - 1].e <= at) { out.push(open.pop().close); }
    for (const m of (opening.get(at) || []).sort((a, b) => b.e - a.e)) {
      // A mark that would cross one already open is clipped to it, so the elements nest.
      const limit = open.length ? open[open.length - 1].e : Infinity;
      m.e = Math.min(m.e, limit);
      if (m.e <= at) continue;
      out.push(m.open);
      open.push(m);
    }
    const covering = cues.filter(c => c.s <= at && next <= c.e);
    const classes = [];
    if (at < bodyStart) classes.push("fm");
    let piece = esc(text.slice(at, next));
    if (covering.length) {
      const first = covering[0];
      const label = first.s === at && !first.labelled ? (first.labelled = true, covering.map(c => c.field).join(", ")) : "";
      piece = `<span class="cue" data-field="${esc(first.field)}" data-fields="${esc(covering.map(c => c.field).join(" "))}"` +
        `${label ? ` data-label="${esc(label)}"` : ""}>${piece}</span>`;
    }
    out.push(classes.length ? `<span class="${classes.join(" ")}">${piece}</span>` : piece);
  }
  while (open.length) out.push(open.pop().close);
  return out.join("");
}

function renderArticle(i) {
  const article = document.getElementById("article-" + i);
  if (!article) return;
  const p = payload(i);
  const sel = state.selected && state.selected.doc === i ? state.selected : null;
  const marks = factsByDoc[i].map(r => {
    const f = fact(r);
    const title = [f.entity, f.indicator + (f.flow ? " " + f.flow : ""), f.measure, f.period].filter(Boolean).join(" · ");
    const cls = "fig" + (sel && sel.kind === "fact" && sel.id === f.fact_id ? " selected" : "");
    return {s: +f.start, e: +f.end, open: `<mark class="${cls}" data-fact="${esc(f.fact_id)}" title="${esc(title)}">`,
      close: "</mark>"};
  }).concat(unlinkedByDoc[i].map(k => {
    const u = UNLINKED[k];
    const cls = "unl" + (sel && sel.kind === "unlinked" && sel.id === k ? " selected" : "");
    return {s: u[2], e: u[3], open: `<span class="${cls}" data-unlinked="${k}" title="${esc("no fact: " + REASONS[u[4]])}">`,
      close: "</span>"};
  }));
  const cues = sel && sel.kind === "fact" ? sel.cues
    .filter(c => c.start !== null && c.start !== undefined && !(c.start === +sel.start && c.end === +sel.end))
    .map(c => ({s: c.start, e: c.end, field: c.field})) : [];
  const body = $(".text", article);
  body.innerHTML = articleHTML(p.text, p.body_start, marks, cues);
  body.style.minHeight = "";
  article.dataset.rendered = "1";
  if (observer) observer.unobserve(article);
}

function scrollToElement(el) {
  el.scrollIntoView({block: "center"});
  // Articles rendered on the way may change heights above the target: settle, then look again.
  requestAnimationFrame(() => requestAnimationFrame(() => {
    const box = el.getBoundingClientRect();
    if (box.top < 0 || box.bottom > window.innerHeight) el.scrollIntoView({block: "center"});
  }));
}

// ------------------------------------------------------------------ selection and details
function select(next) {
  const previous = state.selected;
  state.selected = next;
  if (previous && previous.doc !== next.doc) renderArticle(previous.doc);
  renderArticle(next.doc);
}

function selectFact(id, scroll) {
  const r = factRow.get(id);
  if (r === undefined) return;
  const f = fact(r);
  const doc = docOf.get(f.doc_id);
  if (doc === undefined) {            // facts.csv names an article documents.csv lacks: show the row alone
    renderFactDetails(f, {cues: [], sentence: [null, null]}, [], null);
    return;
  }
  const p = payload(doc);
  const evidence = (p.evidence || {})[id] || {cues: [], sentence: [null, null]};
  const cues = evidence.cues.map(a => cueObject(a, p));
  select({kind: "fact", id, doc, cues, start: f.start, end: f.end});
  renderFactDetails(f, evidence, cues, doc);
  showRowOf(id);
  history.replaceState(null, "", "#fact=" + id);
  const el = document.querySelector(`mark.fig[data-fact="${CSS.escape(id)}"]`);
  if (el && scroll) scrollToElement(el);
}

function selectUnlinked(k, scroll) {
  const u = UNLINKED[k];
  if (!u || u[0] < 0) return;
  select({kind: "unlinked", id: k, doc: u[0], cues: []});
  const d = DOCS[u[0]];
  const sentence = payload(u[0]).unlinked_sentences[unlinkedByDoc[u[0]].indexOf(k)] || "";
  $("#details").innerHTML = `<h2>Number left out</h2><div class="figure unlinked">${esc(u[1])}</div>` +
    `<table class="fields"><tr data-field="reason"><th>why</th><td class="value">${esc(REASONS[u[4]])}</td></tr>` +
    `<tr><th>article</th><td>${esc(d.id)}, chars ${u[2]}–${u[3]}</td></tr></table>` +
    `<h3>Sentence</h3><div class="sentence">${esc(sentence)}</div>`;
  history.replaceState(null, "", location.pathname + location.search);
  const el = document.querySelector(`.unl[data-unlinked="${k}"]`);
  if (el && scroll) scrollToElement(el);
}

function renderFactDetails(f, evidence, cues, doc) {
  const p = doc === null ? {text: ""} : payload(doc);
  const byField = new Map();
  for (const c of cues) if (!byField.has(c.field)) byField.set(c.field, c);
  const measureSource = byField.get("measure");
  const fieldRows = FIELDS.map(name => {
    let value = f[name];
    if (name === "entity" && f.entity_type) value = `${esc(f.entity)} <span class="muted">${esc(f.entity_type)}</span>`;
    else if (name === "period" && f.period) value = `${esc(f.period)} <span class="muted">${esc(f.period_start)} to ${esc(f.period_end)}</span>`;
    else value = esc(value);
    const cue = byField.get(name) || (name === "value" || name === "unit" ? measureSource : null);
    const src = cue ? esc(cue.where) : "";
    return `<tr data-field="${name}"><th>${name}</th><td class="value">${value || '<span class="muted">–</span>'}</td>` +
      `<td class="src">${src}</td></tr>`;
  }).join("");
  const cueItems = cues.map((c, n) => {
    const offsets = c.start !== null && c.start !== undefined ? `chars ${c.start}–${c.end}` : "no offsets";
    const quote = c.text ? `“${esc(c.text)}”` : '<span class="muted">(no words)</span>';
    const earlier = c.earlier
      ? `<blockquote>${esc(p.text.slice(c.sentence_start, c.sentence_end))}</blockquote>` : "";
    return `<li data-cue-field="${esc(c.field)}" data-cue="${n}"><span class="field">${esc(c.field)}</span> = ` +
      `${esc(c.value) || '<span class="muted">–</span>'} ← ${quote} <span class="muted">${offsets}</span>` +
      `<span class="where">from ${esc(c.where)} · rule <code>${esc(c.rule || "–")}</code></span>${earlier}</li>`;
  }).join("");
  const [ss, se] = evidence.sentence || [null, null];
  const sentence = ss !== null && ss !== undefined ? p.text.slice(ss, se) : "";
  $("#details").innerHTML = `<h2>Figure</h2><div class="figure">${esc(f.text)}</div>` +
    `<p class="muted">fact <code>${esc(f.fact_id)}</code><br>${esc(f.doc_id)}, chars ${esc(f.start)}–${esc(f.end)} · ` +
    `linked by rule <code>${esc(f.rule)}</code></p>` +
    `<table class="fields">${fieldRows}</table>` +
    `<h3>Why: the cues</h3><ol class="cues">${cueItems || '<li class="muted">no evidence recorded</li>'}</ol>` +
    (sentence ? `<h3>Sentence</h3><div class="sentence">${esc(sentence)}</div>` : "") +
    `<p class="muted">In a terminal: <code>tradeextract show ${esc(f.fact_id)}</code></p>`;
  $("#details ol.cues").addEventListener("click", e => {
    const li = e.target.closest("li[data-cue]");
    if (!li) return;
    const cue = cues[+li.dataset.cue];
    const article = document.getElementById("article-" + doc);
    if (!article) return;
    const target = [...article.querySelectorAll(".cue")].find(el => el.dataset.fields.split(" ").includes(cue.field))
      || article.querySelector(`mark.fig[data-fact="${CSS.escape(f.fact_id)}"]`);
    if (target) scrollToElement(target);
  });
}

// ------------------------------------------------------------------ start
function start() {
  renderSummary();
  buildTableHead();
  $("#search").addEventListener("input", e => { state.search = e.target.value; state.page = 0; refreshTable(); });
  $("#clear-filters").addEventListener("click", () => {
    state.filters = {}; state.search = ""; $("#search").value = "";
    document.querySelectorAll("#facts-table input[data-filter]").forEach(i => { i.value = ""; });
    state.page = 0; refreshTable();
  });
  $("#prev").addEventListener("click", () => { state.page--; renderTablePage(); });
  $("#next").addEventListener("click", () => { state.page++; renderTablePage(); });
  $("#facts-table tbody").addEventListener("click", e => {
    const tr = e.target.closest("tr[data-fact]");
    if (tr) selectFact(tr.dataset.fact, true);
  });
  refreshTable();
  buildArticles();
  const wanted = /^#fact=([0-9a-f]+)$/.exec(location.hash);
  if (wanted) selectFact(wanted[1], true);
  document.body.dataset.ready = "1";
}

start();
