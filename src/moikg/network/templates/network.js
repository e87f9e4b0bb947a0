// moikg network page. Reads the graph from the JSON block and draws it with vis-network at the
// positions computed in Python (physics off). Wires the legend and the kind and relation
// filters, the time control (the as-of rule of moikg.network, applied here), colour by kind or
// community, labels placed so that none overlaps, search, the hover box, the details panel with
// each source and its sentence, and exports of the view (PNG, CSV, GEXF). Every text taken
// from the data goes into the page through textContent, never as HTML; nothing is fetched.
(function () {
  "use strict";

  var data = JSON.parse(document.getElementById("moikg-data").textContent);
  // The data block (moikg.network.page_data) leaves out empty fields (read as empty here) and
  // names an edge's ends by node index, and its label only where it differs from its type's.
  var typeLabel = new Map(data.edgeTypes.map(function (t) { return [t.type, t.label]; }));
  data.edges.forEach(function (e) {
    e.from = data.nodes[e.s].id;
    e.to = data.nodes[e.t].id;
    if (e.label === undefined) { e.label = typeLabel.get(e.type); }
  });
  var container = document.getElementById("network");
  var tooltip = document.getElementById("tooltip");
  var N = data.nodes.length, E = data.edges.length;
  var big = N > 2000;
  var VEIL = "rgba(255,255,255,0.75)";   // dims what is not near the selected node
  var kindInfo = new Map(data.kinds.map(function (k) { return [k.name, k]; }));
  var edgeStyle = new Map(data.edgeTypes.map(function (t) { return [t.type, t]; }));
  var communityColor = new Map((data.communities || []).map(function (c) { return [c.id, c.color]; }));
  var info = new Map();
  var kindOf = new Map();
  var indexOf = new Map();
  data.nodes.forEach(function (n, i) { info.set(n.id, n); kindOf.set(n.id, n.kind); indexOf.set(n.id, i); });

  // --- State ---------------------------------------------------------------------------------
  var hiddenKinds = new Set();
  var hiddenTypes = new Set(data.edgeTypes.filter(function (t) { return !t.on; }).map(function (t) { return t.type; }));
  var day = null;           // "YYYY-MM-DD" or null: everything
  var colourBy = "kind";
  var nodeShown = new Array(N).fill(true);
  var edgeShown = new Array(E).fill(true);
  var degreeAll = new Array(N).fill(0);
  var ends = data.edges.map(function (e) {
    degreeAll[e.s] += 1; degreeAll[e.t] += 1;
    return [e.s, e.t];
  });

  // The as-of rule (moikg.network, "as_of"): a fact is in the view of day D if its own date is
  // on or before D or, when it has none, if a dated source stating it was issued on or before
  // D ("since" is that day); it leaves the view after its end ("until"). Facts known only from
  // undated sources have no "since" and stay. An actor whose every relation left the view
  // leaves with them.
  function inTime(item) {
    if (day === null) { return true; }
    return (item.since === null || item.since === undefined || item.since <= day) &&
      (item.until === null || item.until === undefined || item.until >= day);
  }
  function computeVisibility() {
    var nodeTime = data.nodes.map(inTime);
    var edgeAlive = data.edges.map(function (e, j) {
      return inTime(e) && nodeTime[ends[j][0]] && nodeTime[ends[j][1]];
    });
    var aliveDegree = new Array(N).fill(0);
    edgeAlive.forEach(function (alive, j) {
      if (alive) { aliveDegree[ends[j][0]] += 1; aliveDegree[ends[j][1]] += 1; }
    });
    var nodes = data.nodes.map(function (n, i) {
      return nodeTime[i] && (degreeAll[i] === 0 || aliveDegree[i] > 0) && !hiddenKinds.has(n.kind);
    });
    var edges = data.edges.map(function (e, j) {
      return edgeAlive[j] && !hiddenTypes.has(e.type) && nodes[ends[j][0]] && nodes[ends[j][1]];
    });
    return { nodes: nodes, edges: edges };
  }

  // --- Drawing items -------------------------------------------------------------------------
  function fill(n) {
    if (colourBy === "community" && n.community !== null && n.community !== undefined) {
      return communityColor.get(n.community) || "#DDDDDD";
    }
    var k = kindInfo.get(n.kind);
    return k ? k.color : "#999999";
  }
  function nodeColor(n) {
    var color = fill(n);
    return { background: color, border: "#333333", highlight: { background: color, border: "#000000" },
      hover: { background: color, border: "#000000" } };
  }
  // Edge colours as rgba strings, one per type: given a hex colour and an opacity,
  // vis-network would convert it again for every edge on every frame.
  function rgba(hex, alpha) {
    return "rgba(" + parseInt(hex.slice(1, 3), 16) + "," + parseInt(hex.slice(3, 5), 16) + "," +
      parseInt(hex.slice(5, 7), 16) + "," + alpha + ")";
  }
  var edgeRgba = new Map(data.edgeTypes.map(function (t) { return [t.type, rgba(t.color, 0.85)]; }));
  function edgeColor(e) {
    var color = edgeRgba.get(e.type) || rgba("#888888", 0.85);
    return { color: color, highlight: color, hover: color };
  }
  var first = computeVisibility();
  nodeShown = first.nodes;
  edgeShown = first.edges;
  var nodeItems = data.nodes.map(function (n, i) {
    var k = kindInfo.get(n.kind);
    return { id: n.id, x: n.x, y: n.y, size: n.size, shape: k ? k.shape : "dot", color: nodeColor(n),
      hidden: !nodeShown[i] };
  });
  var edgeItems = data.edges.map(function (e, i) {
    var style = edgeStyle.get(e.type) || { dashes: false, arrows: false, width: 1.5 };
    var item = { id: i, from: e.from, to: e.to, color: edgeColor(e), dashes: style.dashes,
      width: style.width || 1.5, hidden: !edgeShown[i] };
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
    nodes: { shape: "dot", borderWidth: 1 },
    edges: { smooth: false, selectionWidth: 2, hoverWidth: 1 }
  };
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, options);

  // --- Labels: placed largest first, each only where it overlaps no other label or node -----
  var LABEL_PX = 12, LABEL_H = 15, MAX_LABELS = big ? 300 : 2000;
  var measure = document.createElement("canvas").getContext("2d");
  measure.font = LABEL_PX + "px system-ui, sans-serif";
  var widths = new Array(N);
  function labelWidth(i) {
    if (widths[i] === undefined) { widths[i] = measure.measureText(data.nodes[i].label).width; }
    return widths[i];
  }
  var minWidths = new Array(N);
  function minWidth(i) {
    if (minWidths[i] === undefined) {
      minWidths[i] = 2.5 * (data.nodes[i].label.match(/[A-Za-z0-9]/g) || []).length;
    }
    return minWidths[i];
  }
  var bySize = data.nodes.map(function (n, i) { return i; }).sort(function (a, b) {
    return data.nodes[b].size - data.nodes[a].size || (data.nodes[a].label < data.nodes[b].label ? -1 : 1);
  });
  var priority = new Set();   // the selected node and its neighbours: labelled first
  var placed = [];
  var layoutVersion = 0, placedKey = "";
  function placeLabels() {
    var scale = network.getScale(), view = network.getViewPosition();
    var W = container.clientWidth, H = container.clientHeight;
    // A grid of 48-px cells over the view; each cell lists the boxes (labels, nodes) in it.
    var CELL = 48, cols = Math.ceil(W / CELL) + 1, rows = Math.ceil(H / CELL) + 1;
    var grid = new Array(cols * rows);
    function cells(r, add) {
      var x0 = Math.max(0, Math.floor(r[0] / CELL)), x1 = Math.min(cols - 1, Math.floor(r[2] / CELL));
      var y0 = Math.max(0, Math.floor(r[1] / CELL)), y1 = Math.min(rows - 1, Math.floor(r[3] / CELL));
      for (var cx = x0; cx <= x1; cx++) {
        for (var cy = y0; cy <= y1; cy++) {
          var list = grid[cx * rows + cy];
          if (add) { if (!list) { list = grid[cx * rows + cy] = []; } list.push(r); }
          else if (list) {
            for (var k = 0; k < list.length; k++) {
              var o = list[k];
              if (r[0] < o[2] && r[2] > o[0] && r[1] < o[3] && r[3] > o[1]) { return true; }
            }
          }
        }
      }
      return false;
    }
    var body = network.body.nodes;
    var screen = new Array(N);
    for (var i = 0; i < N; i++) {
      if (!nodeShown[i]) { continue; }
      var p = body[data.nodes[i].id];
      var sx = (p.x - view.x) * scale + W / 2, sy = (p.y - view.y) * scale + H / 2;
      var r = data.nodes[i].size * scale;
      screen[i] = [sx, sy, r];
      if (sx + r >= 0 && sx - r <= W && sy + r >= 0 && sy - r <= H) {
        cells([sx - r, sy - r, sx + r, sy + r], true);
      }
    }
    var order = [];
    priority.forEach(function (id) { order.push(indexOf.get(id)); });
    for (var b = 0; b < N; b++) {
      if (!priority.has(data.nodes[bySize[b]].id)) { order.push(bySize[b]); }
    }
    placed = [];
    for (var o = 0; o < order.length && placed.length < MAX_LABELS; o++) {
      var j = order[o], s = screen[j];
      if (!s || s[0] < 0 || s[0] > W || s[1] < 0 || s[1] > H) { continue; }
      var x = s[0], y = s[1], rr = s[2];
      // Measuring text is the slow part: first try a box as wide as the label's letters and
      // digits at 2.5 px each (narrower than any of them), and measure only if it fits.
      if (widths[j] === undefined && !fits(x, y, rr, minWidth(j), false)) { continue; }
      var box = fits(x, y, rr, labelWidth(j), true);
      if (box) {
        placed.push({ i: j, x: box[0], y: box[1] });
      }
    }
    // The first of the four spots (right, left, below, above) where a label of width w
    // overlaps nothing and stays in the view; with add, it is taken.
    function fits(x, y, rr, w, add) {
      var spots = [[x + rr + 3, y - LABEL_H / 2], [x - rr - 3 - w, y - LABEL_H / 2],
        [x - w / 2, y + rr + 2], [x - w / 2, y - rr - 2 - LABEL_H]];
      for (var c = 0; c < spots.length; c++) {
        var box = [spots[c][0], spots[c][1], spots[c][0] + w, spots[c][1] + LABEL_H];
        if (box[0] < 2 || box[1] < 2 || box[2] > W - 2 || box[3] > H - 2) { continue; }
        if (cells(box, false)) { continue; }
        if (add) { cells(box, true); }
        return box;
      }
      return null;
    }
  }
  // The selected node's neighbourhood: vis-network draws the whole network, then
  // a white veil dims it and the node, its neighbours and their relations are drawn again on
  // top. No item of the data sets changes, so selecting costs one redraw, not an update of each.
  var nearEdges = [];
  function drawHighlight(ctx) {
    var a = network.DOMtoCanvas({ x: 0, y: 0 });
    var b = network.DOMtoCanvas({ x: container.clientWidth, y: container.clientHeight });
    ctx.fillStyle = VEIL;
    ctx.fillRect(a.x, a.y, b.x - a.x, b.y - a.y);
    var body = network.body;
    var drawn = nearEdges.filter(function (j) { return edgeShown[j] && body.edges[j]; });
    drawn.forEach(function (j) { body.edges[j].draw(ctx); });
    drawn.forEach(function (j) { body.edges[j].drawArrows(ctx); });
    priority.forEach(function (id) { if (nodeShown[indexOf.get(id)]) { body.nodes[id].draw(ctx); } });
  }
  network.on("afterDrawing", function (ctx) {
    if (highlighted) { drawHighlight(ctx); }
    var scale = network.getScale(), view = network.getViewPosition();
    var key = [scale, view.x, view.y, layoutVersion, container.clientWidth, container.clientHeight].join(",");
    if (key !== placedKey) { placeLabels(); placedKey = key; }
    // Labels are drawn in screen pixels (placeLabels works in them): text at its own size is
    // drawn from the glyph cache, where text scaled by the view would be rasterised anew.
    var ratio = ctx.canvas.width / (ctx.canvas.clientWidth || 1);
    ctx.save();
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.font = LABEL_PX + "px system-ui, sans-serif";
    ctx.textBaseline = "middle";
    ctx.lineWidth = 3;
    ctx.strokeStyle = "#ffffff";
    ctx.lineJoin = "round";
    for (var k = 0; k < placed.length; k++) {
      var l = placed[k], text = data.nodes[l.i].label;
      ctx.fillStyle = highlighted && !priority.has(data.nodes[l.i].id) ? "rgba(0,0,0,0.3)" : "#222222";
      ctx.strokeText(text, l.x, l.y + LABEL_H / 2);
      ctx.fillText(text, l.x, l.y + LABEL_H / 2);
    }
    ctx.restore();
  });
  network.on("dragEnd", function () { layoutVersion += 1; });
  network.on("dragging", function (params) { if (params.nodes.length) { layoutVersion += 1; } });

  // The first view fits every node, with room for labels at the edges.
  function fitAll() {
    network.fit({ animation: false });
    network.moveTo({ scale: network.getScale() * 0.9, animation: false });
  }
  fitAll();
  network.once("afterDrawing", function () {
    document.body.setAttribute("data-ready", "true");
  });

  // --- Text helpers (textContent only) --------------------------------------------------------
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
  function sourceShown(src) { return day === null || !src.issued || src.issued <= day; }
  function sourceList(parent, refs) {
    var shown = (refs || []).filter(function (ref) { return sourceShown(data.sources[ref[0]]); });
    if (!shown.length) { return; }
    parent.appendChild(el("div", shown.length === 1 ? "Source:" : "Sources:", "field"));
    var ul = el("ul", null, "sources");
    shown.forEach(function (ref) {
      var src = data.sources[ref[0]];
      var li = el("li");
      var link;
      if (/^https?:\/\//i.test(src.url || "")) {
        link = el("a", src.title || src.url);
        link.href = src.url;
        link.target = "_blank";
        link.rel = "noopener noreferrer";
      } else {
        link = el("span", src.title || src.iri);
      }
      li.appendChild(link);
      li.appendChild(el("span", src.issued ? " (" + src.issued + ")" : " (undated)", "issued"));
      (ref[1] || []).forEach(function (sentence) { li.appendChild(el("q", sentence, "evidence")); });
      ul.appendChild(li);
    });
    parent.appendChild(ul);
  }
  function describeNode(target, n) {
    target.replaceChildren();
    target.appendChild(el("div", n.label, "title"));
    field(target, "Kind", n.kind);
    field(target, "Date", n.date);
    field(target, "Country", n.country);
    if (n.aliases && n.aliases.length) { field(target, "Also", n.aliases.join("; ")); }
    if (n.community !== null && n.community !== undefined) { field(target, "Community", n.community + 1); }
    field(target, data.sizeBy, n.metricText);
    if (n.undated) { target.appendChild(el("div", "Known only from undated sources.", "undated")); }
    list(target, "Posts", n.posts);
    sourceList(target, n.sources);
    field(target, "IRI", n.id);
  }
  function describeEdge(target, e) {
    var from = info.get(e.from), to = info.get(e.to);
    target.replaceChildren();
    target.appendChild(el("div", (from ? from.label : e.from) + " — " + e.label + " — " +
      (to ? to.label : e.to), "title"));
    field(target, "Relation", e.label);
    field(target, "Via", e.via_label);
    field(target, "Detail", e.detail);
    field(target, "Date", e.date);
    if (e.weight && e.weight !== 1) { field(target, "Weight", e.weight); }
    if (e.undated) { target.appendChild(el("div", "Known only from undated sources.", "undated")); }
    sourceList(target, e.sources);
  }
  function brief(target, lines) {
    target.replaceChildren();
    target.appendChild(el("div", lines[0], "title"));
    lines.slice(1).forEach(function (line) { if (line) { target.appendChild(el("div", line)); } });
  }

  // --- Hover box: a line or two; the details panel holds the rest ------------------------------
  function showTooltip(pointer) {
    var box = container.getBoundingClientRect();
    tooltip.hidden = false;
    tooltip.style.left = Math.min(box.left + pointer.x + 14, window.innerWidth - tooltip.offsetWidth - 8) + "px";
    tooltip.style.top = Math.min(box.top + pointer.y + 14, window.innerHeight - tooltip.offsetHeight - 8) + "px";
  }
  network.on("hoverNode", function (params) {
    var n = info.get(params.node);
    brief(tooltip, [n.label, n.kind, n.aliases && n.aliases.length ? "Also: " + n.aliases.join("; ") : ""]);
    showTooltip(params.pointer.DOM);
  });
  network.on("hoverEdge", function (params) {
    var e = data.edges[params.edge];
    var from = info.get(e.from), to = info.get(e.to);
    brief(tooltip, [e.label, (from ? from.label : e.from) + " → " + (to ? to.label : e.to), e.via_label]);
    showTooltip(params.pointer.DOM);
  });
  network.on("blurNode", function () { tooltip.hidden = true; });
  network.on("blurEdge", function () { tooltip.hidden = true; });
  network.on("dragStart", function () { tooltip.hidden = true; });

  // --- Selection: details panel and neighbour highlighting ------------------------------------
  // Everything but the node, its neighbours and their relations is dimmed (drawHighlight).
  var highlighted = false;
  var details = document.getElementById("details");
  var detailsBody = document.getElementById("details-body");
  var selected = null;   // ["node", id] or ["edge", index]
  function showDetails(kind, id) {
    selected = [kind, id];
    details.hidden = false;
    document.getElementById("details-hint").hidden = true;
    if (kind === "node") { describeNode(detailsBody, info.get(id)); } else { describeEdge(detailsBody, data.edges[id]); }
  }
  function hideDetails() {
    selected = null;
    details.hidden = true;
    document.getElementById("details-hint").hidden = false;
  }
  function highlight(id) {
    priority = new Set([id].concat(network.getConnectedNodes(id)));
    nearEdges = network.getConnectedEdges(id);
    layoutVersion += 1;
    highlighted = true;
    network.body.emitter.emit("_requestRedraw");
    showDetails("node", id);
  }
  function recolour() {
    nodes.update(data.nodes.map(function (n) { return { id: n.id, color: nodeColor(n) }; }));
  }
  function clearHighlight() {
    priority = new Set();
    nearEdges = [];
    layoutVersion += 1;
    if (!highlighted) { hideDetails(); return; }
    highlighted = false;
    network.body.emitter.emit("_requestRedraw");
    hideDetails();
  }
  network.on("click", function (params) {
    if (params.nodes.length) { highlight(params.nodes[0]); }
    else if (params.edges.length) { clearHighlight(); showDetails("edge", params.edges[0]); }
    else { clearHighlight(); }
  });

  // --- Filters: apply only what changed -------------------------------------------------------
  var viewStatus = document.getElementById("view-status");
  function apply() {
    var next = computeVisibility();
    var nodeChanges = [], edgeChanges = [];
    next.nodes.forEach(function (shown, i) {
      if (shown !== nodeShown[i]) { nodeChanges.push({ id: data.nodes[i].id, hidden: !shown }); }
    });
    next.edges.forEach(function (shown, j) {
      if (shown !== edgeShown[j]) { edgeChanges.push({ id: j, hidden: !shown }); }
    });
    nodeShown = next.nodes;
    edgeShown = next.edges;
    if (nodeChanges.length) { nodes.update(nodeChanges); }
    if (edgeChanges.length) { edges.update(edgeChanges); }
    layoutVersion += 1;
    updateCounts();
    if (selected) { showDetails(selected[0], selected[1]); }
    network.redraw();
  }
  function updateCounts() {
    var kinds = new Map(), types = new Map(), shownNodes = 0, shownEdges = 0;
    data.nodes.forEach(function (n, i) {
      if (nodeShown[i]) { shownNodes += 1; kinds.set(n.kind, (kinds.get(n.kind) || 0) + 1); }
    });
    data.edges.forEach(function (e, j) {
      if (edgeShown[j]) { shownEdges += 1; types.set(e.type, (types.get(e.type) || 0) + 1); }
    });
    document.querySelectorAll("[data-count-kind]").forEach(function (span) {
      var k = span.getAttribute("data-count-kind");
      span.textContent = (kinds.get(k) || 0) + "/" + kindInfo.get(k).count;
    });
    document.querySelectorAll("[data-count-type]").forEach(function (span) {
      var t = span.getAttribute("data-count-type");
      span.textContent = (types.get(t) || 0) + "/" + edgeStyle.get(t).count;
    });
    viewStatus.textContent = shownNodes + " of " + N + " nodes, " + shownEdges + " of " + E +
      " relations drawn" + (day ? ", as of " + day : "") + ".";
  }

  // --- Legend marks: the same shape, colour, dash and arrow as on the network ------------------
  function drawShape(ctx, shape, x, y, r) {
    ctx.beginPath();
    if (shape === "square") { ctx.rect(x - r, y - r, 2 * r, 2 * r); }
    else if (shape === "triangle" || shape === "triangleDown") {
      var s = shape === "triangle" ? 1 : -1;
      ctx.moveTo(x, y - s * r); ctx.lineTo(x + r, y + s * r * 0.8); ctx.lineTo(x - r, y + s * r * 0.8); ctx.closePath();
    } else if (shape === "diamond") {
      ctx.moveTo(x, y - r); ctx.lineTo(x + r, y); ctx.lineTo(x, y + r); ctx.lineTo(x - r, y); ctx.closePath();
    } else if (shape === "hexagon") {
      for (var a = 0; a < 6; a++) {
        var ang = Math.PI / 3 * a;
        if (a === 0) { ctx.moveTo(x + r * Math.cos(ang), y + r * Math.sin(ang)); }
        else { ctx.lineTo(x + r * Math.cos(ang), y + r * Math.sin(ang)); }
      }
      ctx.closePath();
    } else if (shape === "star") {
      for (var b = 0; b < 10; b++) {
        var rad = b % 2 ? r * 0.45 : r, an = -Math.PI / 2 + Math.PI / 5 * b;
        if (b === 0) { ctx.moveTo(x + rad * Math.cos(an), y + rad * Math.sin(an)); }
        else { ctx.lineTo(x + rad * Math.cos(an), y + rad * Math.sin(an)); }
      }
      ctx.closePath();
    } else { ctx.arc(x, y, r, 0, 2 * Math.PI); }
    ctx.fill();
    ctx.stroke();
  }
  function kindMark(shape, color) {
    var c = el("canvas", null, "legend-mark");
    c.width = 16; c.height = 16;
    var ctx = c.getContext("2d");
    ctx.fillStyle = color; ctx.strokeStyle = "#333333"; ctx.lineWidth = 1;
    drawShape(ctx, shape, 8, 8, 6);
    return c;
  }
  function edgeMark(t) {
    var c = el("canvas", null, "legend-mark");
    c.width = 34; c.height = 12;
    var ctx = c.getContext("2d");
    ctx.strokeStyle = t.color; ctx.lineWidth = Math.max(1.5, t.width || 1.5);
    ctx.setLineDash(t.dashes || []);
    ctx.beginPath(); ctx.moveTo(1, 6); ctx.lineTo(t.arrows ? 26 : 33, 6); ctx.stroke();
    if (t.arrows) {
      ctx.setLineDash([]); ctx.fillStyle = t.color;
      ctx.beginPath(); ctx.moveTo(33, 6); ctx.lineTo(25, 2); ctx.lineTo(25, 10); ctx.closePath(); ctx.fill();
    }
    return c;
  }
  function checkItem(list, attr, value, mark, text, count, checked, onChange) {
    var li = el("li");
    var label = el("label");
    var box = el("input");
    box.type = "checkbox";
    box.checked = checked;
    box.setAttribute(attr, value);
    box.addEventListener("change", function () { onChange(box.checked); });
    label.appendChild(box);
    label.appendChild(mark);
    label.appendChild(el("span", text));
    li.appendChild(label);
    var c = el("span", count, "count");
    c.setAttribute(attr.replace("data-", "data-count-"), value);
    li.appendChild(c);
    list.appendChild(li);
  }
  var kindList = document.getElementById("kinds");
  var artefactList = document.getElementById("artefact-kinds");
  data.kinds.forEach(function (k) {
    if (k.artefact) { document.getElementById("artefacts-title").hidden = false; }
    checkItem(k.artefact ? artefactList : kindList, "data-kind", k.name, kindMark(k.shape, k.color),
      k.name, k.count, true, function (on) {
        if (on) { hiddenKinds.delete(k.name); } else { hiddenKinds.add(k.name); }
        apply();
      });
  });
  var typeList = document.getElementById("edge-types");
  data.edgeTypes.forEach(function (t) {
    checkItem(typeList, "data-type", t.type, edgeMark(t), t.label + (t.arrows ? " →" : ""), t.count,
      !hiddenTypes.has(t.type), function (on) {
        if (on) { hiddenTypes.delete(t.type); } else { hiddenTypes.add(t.type); }
        apply();
      });
  });
  var communityList = document.getElementById("communities");
  (data.communities || []).forEach(function (c) {
    var li = el("li");
    li.appendChild(kindMark("dot", c.color));
    li.appendChild(el("span", c.id === null ? "smaller communities" : "community " + (c.id + 1)));
    li.appendChild(el("span", c.count, "count"));
    communityList.appendChild(li);
  });
  if (!(data.communities || []).length) { document.getElementById("colour-community").disabled = true; }
  document.querySelectorAll("input[name='colour-by']").forEach(function (radio) {
    radio.addEventListener("change", function () {
      colourBy = radio.value;
      communityList.hidden = colourBy !== "community";
      recolour();
    });
  });
  document.getElementById("size-note").textContent = "Node size: " + data.sizeBy + "." +
    (data.note ? " " + data.note : "");

  // --- Time control ---------------------------------------------------------------------------
  var timeOn = document.getElementById("time-on");
  var slider = document.getElementById("time-slider");
  var dateInput = document.getElementById("time-date");
  var timeNote = document.getElementById("time-note");
  var days = data.dates || [];
  slider.max = String(Math.max(0, days.length - 1));
  slider.value = slider.max;
  if (days.length) { dateInput.min = days[0]; dateInput.value = days[days.length - 1]; }
  function setDay(value) {
    day = value || null;
    timeOn.checked = day !== null;
    if (day !== null) {
      dateInput.value = day;
      var index = 0;
      days.forEach(function (d, i) { if (d <= day) { index = i; } });
      slider.value = String(index);
    }
    timeNote.textContent = day === null
      ? "Showing every date. Tick the box to see the network as its sources knew it on a day."
      : "Facts dated up to " + day + "; undated facts count from the day their first dated " +
        "source was issued; facts known only from undated sources stay (marked in the details).";
    apply();
  }
  timeOn.addEventListener("change", function () {
    setDay(timeOn.checked ? (dateInput.value || days[days.length - 1] || null) : null);
  });
  slider.addEventListener("input", function () { setDay(days[Number(slider.value)] || null); });
  dateInput.addEventListener("change", function () {
    if (/^\d{4}-\d{2}-\d{2}$/.test(dateInput.value)) { setDay(dateInput.value); }
  });
  if (!days.length) { timeOn.disabled = true; slider.disabled = true; dateInput.disabled = true; }
  timeNote.textContent = "Showing every date. Tick the box to see the network as its sources knew it on a day.";

  // --- Search -------------------------------------------------------------------------------
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
      var box = document.querySelector("input[data-kind='" + CSS.escape(kind) + "']");
      if (box) { box.checked = true; }
      apply();
    }
    if (!nodeShown[indexOf.get(id)]) { setDay(null); }
    network.selectNodes([id]);
    network.focus(id, { scale: Math.max(network.getScale(), 1.2), animation: false });
    highlight(id);
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

  // --- Exports of the view --------------------------------------------------------------------
  function download(name, blob) {
    var a = document.createElement("a");
    a.href = URL.createObjectURL(blob);
    a.download = name;
    document.body.appendChild(a);
    a.click();
    setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
  }
  function cell(value) {
    var text = value === null || value === undefined ? "" : String(value);
    if (/^[=+@\-]/.test(text) && !/^-?\d+(\.\d+)?$/.test(text)) { text = "'" + text; }
    return /[",\r\n]/.test(text) ? '"' + text.replace(/"/g, '""') + '"' : text;
  }
  function csv(rows) {
    return "\ufeff" + rows.map(function (row) { return row.map(cell).join(","); }).join("\r\n") + "\r\n";
  }
  function sourceIris(refs) {
    return (refs || []).filter(function (ref) { return sourceShown(data.sources[ref[0]]); })
      .map(function (ref) { return data.sources[ref[0]].iri; }).join(" | ");
  }
  function nodesCsv() {
    var rows = [["id", "label", "kind", "community", "since", "until", "sources"]];
    data.nodes.forEach(function (n, i) {
      if (!nodeShown[i]) { return; }
      rows.push([n.id, n.label, n.kind, n.community === null || n.community === undefined ? "" : n.community + 1,
        n.since, n.until, sourceIris(n.sources)]);
    });
    return csv(rows);
  }
  function edgesCsv() {
    var rows = [["source", "target", "type", "label", "via", "date", "since", "until", "sources"]];
    data.edges.forEach(function (e, j) {
      if (!edgeShown[j]) { return; }
      rows.push([e.from, e.to, e.type, e.label, e.via_label, e.date, e.since, e.until, sourceIris(e.sources)]);
    });
    return csv(rows);
  }
  function gexf() {
    // GEXF 1.3 (gexf.net/1.3): symmetric relations undirected, dates as spells (start/end).
    var NS = "http://gexf.net/1.3", VIZ = "http://gexf.net/1.3/viz";
    var doc = document.implementation.createDocument(NS, "gexf", null);
    var root = doc.documentElement;
    root.setAttribute("version", "1.3");
    root.setAttributeNS("http://www.w3.org/2000/xmlns/", "xmlns:viz", VIZ);
    function child(parent, name, attrs, ns) {
      var node = doc.createElementNS(ns || NS, name);
      Object.keys(attrs || {}).forEach(function (k) {
        if (attrs[k] !== null && attrs[k] !== undefined && attrs[k] !== "") { node.setAttribute(k, String(attrs[k])); }
      });
      parent.appendChild(node);
      return node;
    }
    var meta = child(root, "meta", { lastmodifieddate: new Date().toISOString().slice(0, 10) });
    child(meta, "creator").textContent = "moikg";
    child(meta, "description").textContent = data.title + (day ? " (as of " + day + ")" : "");
    function symmetric(e) { var style = edgeStyle.get(e.type); return Boolean(style && style.symmetric); }
    var allSymmetric = data.edges.every(function (e, j) { return !edgeShown[j] || symmetric(e); });
    var graph = child(root, "graph", { defaultedgetype: allSymmetric ? "undirected" : "directed",
      mode: "dynamic", timeformat: "date" });
    var na = child(graph, "attributes", { "class": "node" });
    [["kind", "string"], ["community", "integer"], ["sources", "string"]].forEach(function (a) {
      child(na, "attribute", { id: a[0], title: a[0], type: a[1] });
    });
    var ea = child(graph, "attributes", { "class": "edge" });
    [["relation", "string"], ["via", "string"], ["date", "string"], ["sources", "string"]].forEach(function (a) {
      child(ea, "attribute", { id: a[0], title: a[0], type: a[1] });
    });
    var nodesEl = child(graph, "nodes");
    data.nodes.forEach(function (n, i) {
      if (!nodeShown[i]) { return; }
      var node = child(nodesEl, "node", { id: n.id, label: n.label, start: n.since, end: n.until });
      var values = child(node, "attvalues");
      child(values, "attvalue", { "for": "kind", value: n.kind });
      if (n.community !== null && n.community !== undefined) { child(values, "attvalue", { "for": "community", value: n.community + 1 }); }
      child(values, "attvalue", { "for": "sources", value: sourceIris(n.sources) });
      var color = fill(n);
      child(node, "viz:color", { r: parseInt(color.slice(1, 3), 16), g: parseInt(color.slice(3, 5), 16),
        b: parseInt(color.slice(5, 7), 16) }, VIZ);
      var p = network.body.nodes[n.id];
      child(node, "viz:position", { x: p.x.toFixed(2), y: (-p.y).toFixed(2), z: "0.0" }, VIZ);
      child(node, "viz:size", { value: n.size }, VIZ);
    });
    var edgesEl = child(graph, "edges");
    data.edges.forEach(function (e, j) {
      if (!edgeShown[j]) { return; }
      var edge = child(edgesEl, "edge", { id: "e" + j, source: e.from, target: e.to, label: e.label,
        type: allSymmetric ? null : (symmetric(e) ? "undirected" : "directed"), weight: e.weight || 1,
        start: e.since, end: e.until });
      var values = child(edge, "attvalues");
      child(values, "attvalue", { "for": "relation", value: e.type });
      child(values, "attvalue", { "for": "via", value: e.via_label });
      child(values, "attvalue", { "for": "date", value: e.date });
      child(values, "attvalue", { "for": "sources", value: sourceIris(e.sources) });
    });
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + new XMLSerializer().serializeToString(doc) + "\n";
  }
  function png() {
    var canvas = container.querySelector("canvas");
    var out = document.createElement("canvas");
    out.width = canvas.width; out.height = canvas.height;
    var ctx = out.getContext("2d");
    ctx.fillStyle = "#ffffff";
    ctx.fillRect(0, 0, out.width, out.height);
    ctx.drawImage(canvas, 0, 0);
    return out;
  }
  var stem = data.fileStem || "moikg-network";
  document.getElementById("export-png").addEventListener("click", function () {
    png().toBlob(function (blob) { download(stem + ".png", blob); }, "image/png");
  });
  document.getElementById("export-nodes").addEventListener("click", function () {
    download(stem + "-nodes.csv", new Blob([nodesCsv()], { type: "text/csv;charset=utf-8" }));
  });
  document.getElementById("export-edges").addEventListener("click", function () {
    download(stem + "-edges.csv", new Blob([edgesCsv()], { type: "text/csv;charset=utf-8" }));
  });
  document.getElementById("export-gexf").addEventListener("click", function () {
    download(stem + ".gexf", new Blob([gexf()], { type: "application/xml;charset=utf-8" }));
  });

  updateCounts();
  window.moikg = {
    network: network, nodes: nodes, edges: edges, info: info, find: find, focus: focusOn,
    setDay: setDay,
    labels: function () {
      return placed.map(function (l) { return { id: data.nodes[l.i].id, x: l.x, y: l.y, w: labelWidth(l.i), h: LABEL_H }; });
    },
    shownNodes: function () { return data.nodes.filter(function (n, i) { return nodeShown[i]; }).map(function (n) { return n.id; }); },
    shownEdges: function () { return data.edges.filter(function (e, j) { return edgeShown[j]; }); },
    nodesCsv: nodesCsv, edgesCsv: edgesCsv, gexf: gexf
  };
})();
