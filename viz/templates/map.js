// The map of the territories: a hover card with each territory's figures, and a click that draws
// its ties in the side panel. Every text from the data reaches the page through textContent.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("tdi-map-data").textContent);
  var card = document.getElementById("tdi-card");
  var SVG = "http://www.w3.org/2000/svg";
  var LABELS = {programmes: "Other programmes", degree: "Neighbours", betweenness: "Betweenness", euros: "Euros stated",
                projects: "Projects", communes: "Communes covered"};
  window.tdiMap = data;

  function figure(name, value) {
    if (value === null || value === undefined) { return "—"; }
    if (name === "betweenness") { return Number(value).toPrecision(3); }
    return Math.round(value).toLocaleString("en-GB");
  }

  function element(tag, attributes, text, namespace) {
    var node = namespace ? document.createElementNS(namespace, tag) : document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) { node.setAttribute(name, attributes[name]); });
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  function showCard(territory, event) {
    card.replaceChildren(element("strong", {}, territory.name));
    card.appendChild(element("span", {}, "Phase " + territory.phase + " · " + territory.official_id));
    var list = element("dl");
    ["programmes", "degree", "projects", "euros", "betweenness", "communes"].forEach(function (name) {
      var value = territory.figures[name];
      if (name === "betweenness" && value === null) { return; }
      var marked = name === data.measure ? "tdi-measure" : "";
      list.appendChild(element("dt", {"class": marked}, LABELS[name]));
      list.appendChild(element("dd", {"class": marked, "data-figure": name}, figure(name, value)));
    });
    card.appendChild(list);
    if (territory.figures.programme_codes.length) {
      card.appendChild(element("span", {}, territory.figures.programme_codes.join(", ")));
    }
    card.hidden = false;
    moveCard(event);
  }

  function moveCard(event) {
    var x = Math.min(event.clientX + 14, window.innerWidth - card.offsetWidth - 4);
    var y = Math.min(event.clientY + 14, window.innerHeight - card.offsetHeight - 4);
    card.style.left = Math.max(0, x) + "px";
    card.style.top = Math.max(0, y) + "px";
  }

  function drawTies(territory) {
    var drawing = document.getElementById("tdi-ties");
    var ties = territory.ties.slice();
    if (territory.figures.communes) {
      ties.push(["COVERS", "Commune", "", territory.figures.communes + " communes", "out"]);
    }
    var shown = ties.slice(0, 36);
    drawing.replaceChildren();
    shown.forEach(function (tie, i) {
      var angle = 2 * Math.PI * i / shown.length - Math.PI / 2;
      var x = 260 + 120 * Math.cos(angle), y = 220 + 150 * Math.sin(angle);
      var line = element("line", {x1: 260, y1: 220, x2: x.toFixed(1), y2: y.toFixed(1), stroke: "#b2bec3"}, undefined, SVG);
      line.appendChild(element("title", {}, tie[0], SVG));
      drawing.appendChild(line);
      var node = element("circle", {"class": "tdi-tie", cx: x.toFixed(1), cy: y.toFixed(1), r: 7,
                                    fill: data.colours[tie[1]] || "#2d3436"}, undefined, SVG);
      node.appendChild(element("title", {}, tie[1] + ": " + tie[3] + " (" + tie[0] + ")", SVG));
      drawing.appendChild(node);
      var right = Math.cos(angle) >= 0;
      var label = tie[3].length > 22 ? tie[3].slice(0, 21) + "…" : tie[3];
      drawing.appendChild(element("text", {x: (x + (right ? 10 : -10)).toFixed(1), y: (y + 4).toFixed(1), "font-size": 11,
                                           "text-anchor": right ? "start" : "end"}, label, SVG));
    });
    drawing.appendChild(element("circle", {cx: 260, cy: 220, r: 12, fill: data.colours.Territory}, undefined, SVG));
    var list = document.getElementById("tdi-ties-list");
    list.replaceChildren();
    ties.forEach(function (tie) { list.appendChild(element("li", {}, tie[1] + ": " + tie[3] + " (" + tie[0] + ")")); });
  }

  function open(key) {
    var territory = data.territories[key];
    document.querySelectorAll(".tdi-territory.tdi-selected").forEach(function (p) { p.classList.remove("tdi-selected"); });
    var path = document.querySelector('.tdi-territory[data-key="' + CSS.escape(key) + '"]');
    if (path) { path.classList.add("tdi-selected"); }
    document.getElementById("tdi-territory").hidden = false;
    document.getElementById("tdi-territory-name").textContent = territory.name;
    document.getElementById("tdi-territory-meta").textContent = "Phase " + territory.phase + " · " + territory.official_id +
      " · " + territory.ties.length + " ties besides its communes";
    document.getElementById("tdi-territory-command").textContent = "tdi viz territory " + territory.id + " -o territory.html";
    drawTies(territory);
    if (location.hash !== "#" + key) { history.replaceState(null, "", "#" + key); }
  }
  window.tdiOpen = open;

  document.querySelectorAll(".tdi-territory").forEach(function (path) {
    var territory = data.territories[path.dataset.key];
    path.addEventListener("mouseenter", function (event) { showCard(territory, event); });
    path.addEventListener("mousemove", moveCard);
    path.addEventListener("mouseleave", function () { card.hidden = true; });
    path.addEventListener("click", function () { open(path.dataset.key); });
  });
  var wanted = decodeURIComponent(location.hash.slice(1));
  if (data.territories[wanted]) { open(wanted); }
  document.body.dataset.state = "ready";
  document.dispatchEvent(new CustomEvent("tdi:ready"));
})();
