// moikg network page. Reads the graph from the JSON block, draws it with vis-network at the
// positions computed in Python (physics off), and wires the legend, kind filter, search box,
// hover tooltip and neighbour highlighting. Every text taken from the data goes into the page
// through textContent, never as HTML.
(function () {
  "use strict";

  var data = JSON.parse(document.getElementById("moikg-data").textContent);
  var container = document.getElementById("network");
  var tooltip = document.getElementById("tooltip");
  var kindColor = new Map(data.kinds.map(function (k) { return [k.name, k.color]; }));
  var edgeStyle = new Map(data.edgeTypes.map(function (t) { return [t.type, t]; }));
  var info = new Map();
  var kindOf = new Map();
  var big = data.nodes.length > 2000;
  var DIM = "rgba(200,200,200,0.35)";

  function nodeColor(kind) {
    var color = kindColor.get(kind) || "#999999";
    return { background: color, border: "#333333", highlight: { background: color, border: "#000000" },
      hover: { background: color, border: "#000000" } };
  }

  var nodeItems = data.nodes.map(function (n) {
    info.set(n.id, n);
    kindOf.set(n.id, n.kind);
    return { id: n.id, label: n.label, x: n.x, y: n.y, size: n.size, color: nodeColor(n.kind) };
  });
  var edgeItems = data.edges.map(function (e, i) {
    var style = edgeStyle.get(e.type) || { color: "#888888", dashes: false, arrows: false };
    var item = { id: i, from: e.from, to: e.to, color: { color: style.color, highlight: style.color,
      hover: style.color, opacity: 0.8 }, dashes: style.dashes, width: 1.5 };
    if (style.arrows) { item.arrows = { to: { enabled: true, scaleFactor: 0.5 } }; }
    if (e.curve) { item.smooth = { enabled: true, type: e.curve > 0 ? "curvedCW" : "curvedCCW",
      roundness: Math.min(0.6, 0.15 * Math.abs(e.curve)) }; }
    return item;
  });
  var nodes = new vis.DataSet(nodeItems);
  var edges = new vis.DataSet(edgeItems);
  var options = {
    physics: { enabled: false },
    layout: { improvedLayout: false, randomSeed: 1 },
    interaction: { hover: true, hideEdgesOnDrag: big, hideEdgesOnZoom: big, tooltipDelay: 100 },
    nodes: { shape: "dot", borderWidth: 1, font: { size: 14, color: "#222222", strokeWidth: 3,
      strokeColor: "#ffffff" } },
    edges: { smooth: false, selectionWidth: 2, hoverWidth: 1 }
  };
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, options);
  network.once("afterDrawing", function () {
    document.body.setAttribute("data-ready", "true");
  });

  // --- Text helpers (textContent only) ------------------------------------------------------
  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    if (cls) { node.className = cls; }
    return node;
  }
  function field(parent, name, value) {
    if (value === undefined || value === null || value === "") { return; }
    var line = el("div");
    line.appendChild(el("span", name + ": ", "field"));
    line.appendChild(el("span", value));
    parent.appendChild(line);
  }
  function list(parent, name, items) {
    if (!items || !items.length) { return; }
    parent.appendChild(el("div", name + ":", "field"));
    var ul = el("ul");
    items.slice(0, 12).forEach(function (item) { ul.appendChild(el("li", item)); });
    if (items.length > 12) { ul.appendChild(el("li", "… " + (items.length - 12) + " more")); }
    parent.appendChild(ul);
  }
  function describeNode(target, n) {
    target.replaceChildren();
    target.appendChild(el("div", n.label, "title"));
    field(target, "Kind", n.kind);
    field(target, "Country", n.country);
    if (n.aliases && n.aliases.length) { field(target, "Also", n.aliases.join("; ")); }
    field(target, data.sizeBy, n.metricText);
    list(target, "Posts", n.posts);
    list(target, "Sources", n.sources);
    field(target, "IRI", n.id);
  }
  function describeEdge(target, e) {
    var from = info.get(e.from), to = info.get(e.to);
    target.replaceChildren();
    target.appendChild(el("div", e.label, "title"));
    field(target, "From", from ? from.label : e.from);
    field(target, "To", to ? to.label : e.to);
    field(target, "Via", e.via_label);
    field(target, "Detail", e.detail);
    field(target, "Date", e.date);
    if (e.weight && e.weight !== 1) { field(target, "Weight", e.weight); }
    list(target, "Sources", e.sources);
  }

  // --- Hover tooltip -----------------------------------------------------------------------
  function showTooltip(pointer) {
    var box = container.getBoundingClientRect();
    tooltip.hidden = false;
    tooltip.style.left = Math.min(box.left + pointer.x + 14, window.innerWidth - tooltip.offsetWidth - 8) + "px";
    tooltip.style.top = Math.min(box.top + pointer.y + 14, window.innerHeight - tooltip.offsetHeight - 8) + "px";
  }
  network.on("hoverNode", function (params) {
    describeNode(tooltip, info.get(params.node));
    showTooltip(params.pointer.DOM);
  });
  network.on("hoverEdge", function (params) {
    describeEdge(tooltip, data.edges[params.edge]);
    showTooltip(params.pointer.DOM);
  });
  network.on("blurNode", function () { tooltip.hidden = true; });
  network.on("blurEdge", function () { tooltip.hidden = true; });
  network.on("dragStart", function () { tooltip.hidden = true; });

  // --- Neighbour highlighting --------------------------------------------------------------
  // Small graphs dim everything but the node and its neighbours; large ones (where updating
  // every item would take seconds) select the node, its neighbours and their edges instead.
  var highlighted = false;
  function showDetails(id) {
    var details = document.getElementById("details");
    details.hidden = false;
    describeNode(document.getElementById("details-body"), info.get(id));
  }
  function highlight(id) {
    if (big) {
      network.setSelection({ nodes: [id].concat(network.getConnectedNodes(id)),
        edges: network.getConnectedEdges(id) }, { highlightEdges: false });
      highlighted = true;
      showDetails(id);
      return;
    }
    var keep = new Set(network.getConnectedNodes(id));
    keep.add(id);
    var near = new Set(network.getConnectedEdges(id));
    nodes.update(nodeItems.map(function (n) {
      return { id: n.id, color: keep.has(n.id) ? nodeColor(kindOf.get(n.id)) : DIM,
        font: { color: keep.has(n.id) ? "#222222" : "rgba(0,0,0,0.25)" } };
    }));
    edges.update(edgeItems.map(function (e) {
      return { id: e.id, color: near.has(e.id) ? e.color : { color: DIM, opacity: 0.3 } };
    }));
    highlighted = true;
    showDetails(id);
  }
  function clearHighlight() {
    if (!highlighted) { return; }
    if (big) {
      network.unselectAll();
      highlighted = false;
      document.getElementById("details").hidden = true;
      return;
    }
    nodes.update(nodeItems.map(function (n) {
      return { id: n.id, color: nodeColor(kindOf.get(n.id)), font: { color: "#222222" } };
    }));
    edges.update(edgeItems.map(function (e) { return { id: e.id, color: e.color }; }));
    highlighted = false;
    document.getElementById("details").hidden = true;
  }
  network.on("click", function (params) {
    if (params.nodes.length) { highlight(params.nodes[0]); } else { clearHighlight(); }
  });

  // --- Legend and kind filter --------------------------------------------------------------
  var hiddenKinds = new Set();
  function applyFilter() {
    nodes.update(nodeItems.map(function (n) { return { id: n.id, hidden: hiddenKinds.has(kindOf.get(n.id)) }; }));
    edges.update(edgeItems.map(function (e) {
      return { id: e.id, hidden: hiddenKinds.has(kindOf.get(e.from)) || hiddenKinds.has(kindOf.get(e.to)) };
    }));
  }
  var kindList = document.getElementById("kinds");
  data.kinds.forEach(function (k) {
    var li = el("li");
    var label = el("label");
    var box = el("input");
    box.type = "checkbox";
    box.checked = true;
    box.setAttribute("data-kind", k.name);
    box.addEventListener("change", function () {
      if (box.checked) { hiddenKinds.delete(k.name); } else { hiddenKinds.add(k.name); }
      applyFilter();
    });
    var swatch = el("span", null, "swatch");
    swatch.style.background = k.color;
    label.appendChild(box);
    label.appendChild(swatch);
    label.appendChild(el("span", k.name));
    li.appendChild(label);
    li.appendChild(el("span", k.count, "count"));
    kindList.appendChild(li);
  });
  var typeList = document.getElementById("edge-types");
  data.edgeTypes.forEach(function (t) {
    var li = el("li");
    var line = el("span", null, "line");
    line.style.borderTopColor = t.color;
    line.style.borderTopStyle = t.dashes ? "dashed" : "solid";
    li.appendChild(line);
    li.appendChild(el("span", t.label + (t.arrows ? " →" : "")));
    li.appendChild(el("span", t.count, "count"));
    typeList.appendChild(li);
  });
  document.getElementById("size-note").textContent = "Node size: " + data.sizeBy + ".";

  // --- Search ------------------------------------------------------------------------------
  function fold(text) {
    return String(text).normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase().trim();
  }
  var index = data.nodes.map(function (n) {
    return { id: n.id, names: [n.label].concat(n.aliases || []).map(fold), iri: n.id.toLowerCase() };
  });
  function find(text) {
    var q = fold(text);
    if (!q) { return null; }
    var best = null, rank = 4;
    index.forEach(function (entry) {
      var r = 4;
      if (entry.iri === q || entry.names.indexOf(q) >= 0) { r = 0; }
      else if (entry.names.some(function (name) { return name.indexOf(q) === 0; })) { r = 1; }
      else if (entry.names.some(function (name) { return name.indexOf(q) >= 0; })) { r = 2; }
      if (r < rank) { rank = r; best = entry.id; }
    });
    return best;
  }
  function focusOn(id) {
    var kind = kindOf.get(id);
    if (hiddenKinds.has(kind)) {
      hiddenKinds.delete(kind);
      var box = kindList.querySelector("input[data-kind='" + CSS.escape(kind) + "']");
      if (box) { box.checked = true; }
      applyFilter();
    }
    network.selectNodes([id]);
    network.focus(id, { scale: Math.max(network.getScale(), 1.2), animation: false });
    highlight(id);
    if (big) { network.selectNodes([id]); }
  }
  var status = document.getElementById("search-status");
  document.getElementById("search-form").addEventListener("submit", function (event) {
    event.preventDefault();
    var text = document.getElementById("search").value;
    var id = find(text);
    if (id === null) {
      status.textContent = text.trim() ? "No actor matches “" + text.trim() + "”." : "";
      return;
    }
    focusOn(id);
    status.textContent = "Found: " + info.get(id).label;
  });

  window.moikg = { network: network, nodes: nodes, edges: edges, info: info, find: find, focus: focusOn };
})();
