// Added to a copy of a network page by viz/picture.py: once the network is laid out, draw it as SVG
// (edges with an arrowhead at the end they point to, and their type where the page prints it;
// nodes in their colour, labels of the largest nodes, the title, caption and legend) and put the
// SVG text in a pre element (id tdi-svg-out), which Chromium's --dump-dom hands back.
(function () {
  "use strict";
  var WIDTH = 1600, HEIGHT = 1000, LEFT = 300, TOP = 70, LABELS = 120, EDGE_FONT = 11;
  var ARROW = '<defs><marker id="tdi-arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" markerHeight="8" ' +
              'markerUnits="userSpaceOnUse" orient="auto"><path d="M0 0L10 5L0 10z" fill="#8395a7"/></marker></defs>';

  function esc(text) {
    return String(text).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
  }

  function colour(value) {
    if (!value) { return "#2d3436"; }
    return typeof value === "string" ? value : (value.background || "#2d3436");
  }

  function legend() {
    var rows = [], y = TOP + 10;
    document.querySelectorAll("#tdi-legend .tdi-kind, #tdi-groups .tdi-group").forEach(function (row) {
      var name = row.querySelector(".tdi-kind-name, .tdi-group-name");
      var count = row.querySelector(".tdi-kind-count");
      var swatch = getComputedStyle(row.querySelector(".tdi-swatch")).backgroundColor;
      if (!name || y > HEIGHT - 20) { return; }
      rows.push('<rect x="16" y="' + (y - 11) + '" width="14" height="14" fill="' + swatch + '"/>' +
                '<text x="38" y="' + y + '" font-size="13">' + esc(name.textContent + (count ? " (" + count.textContent + ")" : "")) + "</text>");
      y += 20;
    });
    return '<g id="tdi-svg-legend">' + rows.join("") + "</g>";
  }

  function draw() {
    var network = window.tdiNetwork, positions = network.getPositions();
    var ids = Object.keys(positions).filter(function (id) { return !(tdiNodes.get(id) || {}).hidden; });
    var xs = ids.map(function (id) { return positions[id].x; }), ys = ids.map(function (id) { return positions[id].y; });
    var minX = Math.min.apply(null, xs.concat([0])), maxX = Math.max.apply(null, xs.concat([1]));
    var minY = Math.min.apply(null, ys.concat([0])), maxY = Math.max.apply(null, ys.concat([1]));
    var scale = Math.min((WIDTH - LEFT - 40) / Math.max(maxX - minX, 1), (HEIGHT - TOP - 40) / Math.max(maxY - minY, 1), 2);
    function px(id) { return [LEFT + 20 + (positions[id].x - minX) * scale, TOP + 20 + (positions[id].y - minY) * scale]; }
    var sizes = {};
    ids.forEach(function (id) { sizes[id] = (network.body.nodes[id] && network.body.nodes[id].options.size) || 10; });
    var labelled = ids.slice().sort(function (a, b) { return sizes[b] - sizes[a]; }).slice(0, LABELS);
    var shown = {};
    ids.forEach(function (id) { shown[id] = true; });
    var out = ['<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ' + WIDTH + " " + HEIGHT + '" width="' + WIDTH + '" height="' + HEIGHT +
               '" font-family="sans-serif"><rect width="100%" height="100%" fill="#ffffff"/>'];
    var title = document.getElementById("tdi-title"), caption = document.getElementById("tdi-caption");
    out.push('<text x="16" y="28" font-size="20" font-weight="bold">' + esc(title ? title.textContent : document.title) + "</text>");
    if (caption) { out.push('<text x="16" y="52" font-size="13" fill="#636e72">' + esc(caption.textContent) + "</text>"); }
    function radius(id) { return Math.max(2, Math.min(sizes[id] * scale, 30)); }
    var drawn = tdiEdges.get().filter(function (edge) { return shown[edge.from] && shown[edge.to] && !edge.hidden; });
    out.push(ARROW + '<g id="tdi-svg-edges" stroke="#b2bec3" stroke-width="0.8">');
    drawn.forEach(function (edge) { out.push(line(edge, px(edge.from), px(edge.to), radius(edge.to))); });
    out.push('</g><g id="tdi-svg-edge-labels" font-size="' + EDGE_FONT + '" fill="#636e72" text-anchor="middle" stroke="#ffffff" ' +
             'stroke-width="3" paint-order="stroke">');
    var stacked = {};  // ties between the same two actors: their labels one under the other
    drawn.forEach(function (edge) {
      if (!edge.label) { return; }  // the page prints no label (it shows them on hover only): neither does the picture
      var pair = [edge.from, edge.to].sort().join(" "), a = px(edge.from), b = px(edge.to);
      stacked[pair] = (stacked[pair] || 0) + 1;
      out.push('<text class="tdi-svg-edge-label" x="' + ((a[0] + b[0]) / 2).toFixed(1) + '" y="' +
               ((a[1] + b[1]) / 2 + (stacked[pair] - 1) * (EDGE_FONT + 2)).toFixed(1) + '">' + esc(edge.label) + "</text>");
    });
    out.push('</g><g id="tdi-svg-nodes">');
    ids.forEach(function (id) {
      var p = px(id), node = tdiNodes.get(id), r = radius(id);
      out.push('<circle cx="' + p[0].toFixed(1) + '" cy="' + p[1].toFixed(1) + '" r="' + r.toFixed(1) + '" fill="' + colour(node.color) +
               '" stroke="#ffffff" stroke-width="0.5"><title>' + esc(node.label || id) + "</title></circle>");
    });
    out.push('</g><g id="tdi-svg-labels" font-size="12">');
    labelled.forEach(function (id) {
      var p = px(id), node = tdiNodes.get(id);
      out.push('<text x="' + p[0].toFixed(1) + '" y="' + (p[1] + radius(id) + 12).toFixed(1) +
               '" text-anchor="middle">' + esc(node.label || id) + "</text>");
    });
    out.push("</g>" + legend() + "</svg>");
    var pre = document.createElement("pre");
    pre.id = "tdi-svg-out";
    pre.textContent = out.join("\n");
    document.body.appendChild(pre);
  }

  // A tie from a to b, stopped at b's circle so that its arrowhead (when the page draws one) touches it.
  function line(edge, a, b, r) {
    var dx = b[0] - a[0], dy = b[1] - a[1], length = Math.sqrt(dx * dx + dy * dy);
    var arrow = typeof edge.arrows !== "string" || edge.arrows.indexOf("to") >= 0;  // the page's default: "to"
    var end = length > r ? [b[0] - dx * r / length, b[1] - dy * r / length] : b;
    return '<line x1="' + a[0].toFixed(1) + '" y1="' + a[1].toFixed(1) + '" x2="' + end[0].toFixed(1) + '" y2="' + end[1].toFixed(1) + '"' +
           (arrow && length > r ? ' marker-end="url(#tdi-arrow)"' : "") + "/>";
  }

  if (document.body.dataset.state === "ready") { draw(); } else { document.addEventListener("tdi:ready", draw); }
})();
