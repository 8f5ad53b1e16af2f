/* Radar of the 8 situations and Gestion – Action – Vision triangle (plotly, served locally). */
(function () {
  "use strict";
  function draw() {
    var node = document.getElementById("chart-data");
    if (!node || !window.Plotly) return;
    var data = JSON.parse(node.textContent);
    var config = { displayModeBar: false, responsive: true, locale: "fr" };
    var radar = data.radar;
    var close = function (arr) { return arr ? arr.concat([arr[0]]) : arr; };
    var wrap = function (text) {
      var words = text.split(" "), lines = [], line = "";
      words.forEach(function (w) {
        if ((line + " " + w).trim().length > 22 && line) { lines.push(line); line = w; } else { line = (line + " " + w).trim(); }
      });
      lines.push(line);
      return lines.join("<br>");
    };
    var radarNode = document.getElementById("radar-chart");
    // On a phone the 8 situations go by their number; the table below names them.
    var narrow = radarNode && radarNode.clientWidth < 560;
    var shortLabel = function (text) { var m = /^(\d+)\./.exec(text); return m ? "Situation " + m[1] : wrap(text); };
    var theta = close(radar.labels.map(narrow ? shortLabel : wrap));
    var traces = [];
    if (radar.q3) {
      traces.push({ type: "scatterpolar", r: close(radar.q3), theta: theta, mode: "lines", line: { color: "rgba(109,40,217,0.25)" }, name: "3e quartile des pairs", showlegend: false, hoverinfo: "skip" });
      traces.push({ type: "scatterpolar", r: close(radar.q1), theta: theta, mode: "lines", fill: "tonext", fillcolor: "rgba(109,40,217,0.12)", line: { color: "rgba(109,40,217,0.25)" }, name: "Moitié centrale des pairs (1er au 3e quartile)", hoverinfo: "skip" });
      traces.push({ type: "scatterpolar", r: close(radar.median), theta: theta, mode: "lines", line: { color: "#6d28d9", dash: "dot" }, name: "Médiane des pairs" });
    }
    traces.push({ type: "scatterpolar", r: close(radar.mine.map(function (v) { return v === null ? 0 : v; })), theta: theta, mode: "lines+markers", fill: "toself", fillcolor: "rgba(11,92,173,0.2)", line: { color: "#0b5cad", width: 3 }, name: "Moi" });
    Plotly.newPlot("radar-chart", traces, {
      polar: { domain: { y: [0.12, 1] }, radialaxis: { range: [0, 100], angle: 22.5, tickangle: 22.5, tickvals: [25, 50, 75, 100], ticktext: ["25", "50", "75", ""], tickfont: { size: 10 } }, angularaxis: { tickfont: { size: narrow ? 10 : 11 } } },
      margin: narrow ? { t: 30, b: 30, l: 76, r: 76 } : { t: 50, b: 40, l: 120, r: 120 }, height: narrow ? 440 : 560, showlegend: true,
      legend: { orientation: "h", x: 0, y: narrow ? -0.05 : -0.22, yanchor: "top" }, font: { family: "DejaVu Sans, sans-serif" }
    }, config);

    var t = data.ternary;
    var tTraces = [];
    if (t.spread && t.spread.length) {
      var max = Math.max.apply(null, t.spread.map(function (p) { return p[3]; }));
      tTraces.push({ type: "scatterternary", mode: "markers", name: "Pairs (dispersion)",
        a: t.spread.map(function (p) { return p[0]; }), b: t.spread.map(function (p) { return p[1]; }), c: t.spread.map(function (p) { return p[2]; }),
        text: t.spread.map(function (p) { return p[3] + " pair(s)"; }), hoverinfo: "text",
        marker: { color: "rgba(109,40,217,0.35)", size: t.spread.map(function (p) { return 5 + 20 * Math.sqrt(p[3] / max); }) } });
    }
    if (t.barycentre) {
      tTraces.push({ type: "scatterternary", mode: "markers", name: "Barycentre des pairs", a: [t.barycentre[0]], b: [t.barycentre[1]], c: [t.barycentre[2]],
        marker: { symbol: "diamond", size: 16, color: "#6d28d9", line: { color: "#fff", width: 2 } } });
    }
    if (t.mine) {
      tTraces.push({ type: "scatterternary", mode: "markers", name: "Moi", a: [t.mine[0]], b: [t.mine[1]], c: [t.mine[2]],
        marker: { symbol: "circle", size: 16, color: "#0b5cad", line: { color: "#fff", width: 2 } } });
    }
    Plotly.newPlot("ternary-chart", tTraces, {
      ternary: { sum: 1, aaxis: { title: { text: "Gestion" }, tickformat: ".0%" }, baxis: { title: { text: "Action" }, tickformat: ".0%" }, caxis: { title: { text: "Vision" }, tickformat: ".0%" } },
      margin: narrow ? { t: 40, b: 30, l: 60, r: 60 } : { t: 40, b: 40, l: 60, r: 60 }, height: narrow ? 400 : 460, showlegend: true, legend: { orientation: "h", x: 0, y: -0.1 },
      font: { family: "DejaVu Sans, sans-serif" }
    }, config);
  }
  document.addEventListener("DOMContentLoaded", draw);
  document.addEventListener("htmx:afterSettle", function () {
    if (document.getElementById("radar-chart")) draw();
  });
})();
