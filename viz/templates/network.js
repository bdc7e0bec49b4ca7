// Draws the network from the JSON in #tdi-data, then wires the search box and the kind filter.
// Every text from the data reaches the page through textContent, value or a string tooltip
// (which vis-network shows with innerText): never as HTML.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("tdi-data").textContent);
  data.nodes.forEach(unshare);
  data.edges.forEach(unshare);
  var nodes = new vis.DataSet(data.nodes);
  var edges = new vis.DataSet(data.edges);
  var container = document.getElementById("tdi-network");
  var status = document.getElementById("tdi-search-status");
  var started = performance.now();

  // What many nodes and edges repeat is written once in data.shared (viz.html.Shared): put it back in each.
  function unshare(item) {
    var shared = data.shared || { links: [], texts: [] };
    if (item.links) { item.links = item.links.map(function (i) { return typeof i === "number" ? shared.links[i] : i; }); }
    if (Array.isArray(item.title)) {
      item.title = item.title.map(function (part) { return typeof part === "number" ? shared.texts[part] : part; }).join("\n");
    }
  }

  // Listeners go on before the data, so that a quick stabilisation is not missed.
  var network = new vis.Network(container, { nodes: [], edges: [] }, data.options);
  network.once("stabilizationIterationsDone", settle);
  window.tdiNetwork = network;
  window.tdiNodes = nodes;
  window.tdiEdges = edges;
  network.setData({ nodes: nodes, edges: edges });
  if (nodes.length === 0) { settle(); }

  // After the first fit, the most important labels are enlarged to be readable at this zoom; the
  // others appear as one zooms in (vis-network skips labels under 11 px: see network_options).
  // How many: half the actors of a small page, between 15 and 30.
  var READABLE_PX = 13, LABELLED = Math.max(15, Math.min(30, Math.round(nodes.length / 2)));
  function readableLabels() {
    var floor = READABLE_PX / network.getScale();
    var updates = [];
    nodes.forEach(function (node) {
      if (node.rank < LABELLED && node.font && node.font.size < floor) { updates.push({ id: node.id, font: { size: floor } }); }
    });
    nodes.update(updates);
  }

  // On a page with many edges, an edge's label shows only while the pointer is on it.
  network.on("hoverEdge", function (event) { toggleEdgeLabel(event.edge, true); });
  network.on("blurEdge", function (event) { toggleEdgeLabel(event.edge, false); });
  function toggleEdgeLabel(id, shown) {
    var edge = edges.get(id);
    if (edge && edge.hover_label) { edges.update({ id: id, label: shown ? edge.hover_label : "" }); }
  }

  // Ready once the settled network is drawn: until that drawing, vis-network still finds nodes at
  // the places of the previous one (a pointer or a picture would meet stale positions).
  var settling = false;
  function settle() {
    if (settling) { return; }
    settling = true;
    network.setOptions({ physics: false });
    readableLabels();
    if (nodes.length === 0) { ready(); return; }
    network.once("afterDrawing", ready);
    network.redraw();
  }

  function ready() {
    window.tdiStabilizedMs = Math.round(performance.now() - started);
    document.body.dataset.state = "ready";
    document.dispatchEvent(new CustomEvent("tdi:ready"));
  }

  function fold(text) {
    return String(text).normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase().trim();
  }

  // Best match first: a whole name or alias, then one that starts with the query, then any part.
  function rank(node, query) {
    var parts = String(node.search || fold(node.label)).split(" | ");
    if (node.id.toLowerCase() === query || parts.indexOf(query) >= 0) { return 0; }
    if (parts.some(function (p) { return p.indexOf(query) === 0; })) { return 1; }
    return parts.some(function (p) { return p.indexOf(query) >= 0; }) ? 2 : 3;
  }

  function findNode(text) {
    var query = fold(text);
    if (!query) { return null; }
    var best = null, bestRank = 3;
    nodes.forEach(function (node) {
      var r = rank(node, query);
      if (r < bestRank || (r === bestRank && best && r < 3 && node.size > best.size)) { best = node; bestRank = r; }
    });
    return best;
  }

  function search(text) {
    var node = findNode(text);
    if (!node) {
      network.unselectAll();
      status.textContent = "No actor matches \u201c" + text + "\u201d.";
      return null;
    }
    if (node.hidden) { showKind(node.kind); }
    network.selectNodes([node.id]);
    network.focus(node.id, { scale: Math.max(network.getScale(), 1.2), animation: { duration: 400 } });
    status.textContent = node.name + " (" + node.kind + ")";
    return node.id;
  }

  function kindBoxes() {
    return Array.prototype.slice.call(document.querySelectorAll("#tdi-legend input[data-kind]"));
  }

  function applyFilter() {
    var shown = {};
    kindBoxes().forEach(function (box) { shown[box.dataset.kind] = box.checked; });
    nodes.update(nodes.map(function (node) { return { id: node.id, hidden: shown[node.kind] === false }; }));
    var selected = network.getSelectedNodes().filter(function (id) { return !nodes.get(id).hidden; });
    network.selectNodes(selected);
  }

  function showKind(kind) {
    kindBoxes().forEach(function (box) { if (box.dataset.kind === kind) { box.checked = true; } });
    applyFilter();
  }

  var names = document.getElementById("tdi-names");
  nodes.forEach(function (node) {
    var option = document.createElement("option");
    option.value = node.name;
    names.appendChild(option);
  });

  var input = document.getElementById("tdi-search");
  document.getElementById("tdi-search-form").addEventListener("submit", function (event) {
    event.preventDefault();
    search(input.value);
  });
  input.addEventListener("change", function () { if (input.value) { search(input.value); } });
  kindBoxes().forEach(function (box) { box.addEventListener("change", applyFilter); });
  document.getElementById("tdi-show-all").addEventListener("click", function () {
    kindBoxes().forEach(function (box) { box.checked = true; });
    applyFilter();
  });
  window.tdiSearch = search;

  // Clicking an actor or a link lists its sources, as links when they have a web address.
  var details = document.getElementById("tdi-details");
  function showDetails(item, kind) {
    if (!item) { details.hidden = true; return; }
    document.getElementById("tdi-details-name").textContent = item.name || item.label || item.id;
    document.getElementById("tdi-details-kind").textContent = kind;
    var list = document.getElementById("tdi-details-links");
    list.textContent = "";
    (item.links || []).forEach(function (link) {
      var entry = document.createElement("li"), url = String(link.url || "");
      if (/^https?:\/\//i.test(url)) {
        var anchor = document.createElement("a");
        anchor.href = url;
        anchor.rel = "noopener noreferrer";
        anchor.target = "_blank";
        anchor.textContent = link.label;
        entry.appendChild(anchor);
      } else {
        entry.textContent = link.label;
      }
      list.appendChild(entry);
    });
    details.hidden = false;
  }
  network.on("click", function (event) {
    if (event.nodes.length) { var node = nodes.get(event.nodes[0]); showDetails(node, node.kind); }
    else if (event.edges.length) { var edge = edges.get(event.edges[0]); showDetails(edge, edge.hover_label || edge.label); }
    else { showDetails(null); }
  });
  window.tdiShowDetails = function (id) { var node = nodes.get(id); showDetails(node, node && node.kind); };
})();
