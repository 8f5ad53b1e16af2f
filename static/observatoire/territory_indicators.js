/* Peer distributions of a territory's indicators (plotly, served locally). Loaded by the page and
   by the fragment the territory page pulls in, so it draws at once and after each HTMX swap. */
(function () {
  "use strict";
  if (window.territoryIndicatorCharts) { window.territoryIndicatorCharts(); return; }

  function plot(data, name) {
    data.forEach(function (chart) {
      var el = document.getElementById(chart.id);
      if (!el || el.dataset.drawn) { return; }
      el.dataset.drawn = "1";
      var narrow = el.clientWidth < 600;
      var labels = chart.rows.map(function (r) { return narrow && r.label.length > 24 ? r.label.slice(0, 22) + "…" : r.label; });
      var box = {
        type: "box", orientation: "h", y: labels, name: "pairs (min., quartiles, max.)",
        lowerfence: chart.rows.map(function (r) { return r.q[0]; }),
        q1: chart.rows.map(function (r) { return r.q[1]; }),
        median: chart.rows.map(function (r) { return r.q[2]; }),
        q3: chart.rows.map(function (r) { return r.q[3]; }),
        upperfence: chart.rows.map(function (r) { return r.q[4]; }),
        fillcolor: "rgba(31,95,139,0.15)", line: {color: "#1f5f8b"}, hoverinfo: "skip"
      };
      var dots = {
        type: "scatter", mode: "markers", name: name,
        y: labels, x: chart.rows.map(function (r) { return r.value; }),
        marker: {color: "#b3261e", size: 11, symbol: "diamond"},
        text: chart.rows.map(function (r) {
          return r.raw_value + " " + r.unit + " — " + (r.percentile === null ? "" : r.percentile + "e centile (100 = le plus fragile)") +
            "<br>pairs : min " + r.raw[0] + ", médiane " + r.raw[2] + ", max " + r.raw[4];
        }),
        hovertemplate: "%{text}<extra></extra>"
      };
      Plotly.newPlot(el, [box, dots], {
        height: 110 + 46 * chart.rows.length, margin: {l: narrow ? 8 : 260, r: 12, t: 36, b: 40},
        showlegend: true, legend: {orientation: "h", x: 0, y: 1, yanchor: "bottom"},
        xaxis: {range: [-0.03, 1.03], tickvals: [0, 0.5, 1], ticktext: ["moins fragile", "", "plus fragile"], zeroline: false},
        yaxis: {automargin: true}
      }, {displayModeBar: false, responsive: true});
    });
  }

  function draw() {
    var source = document.getElementById("indicator-charts");
    if (!source) { return; }
    var data = JSON.parse(source.textContent);
    var meta = document.getElementById("indicator-charts-source").dataset;
    var name = meta.territory || "";
    if (window.Plotly) { plot(data, name); return; }
    if (document.getElementById("plotly-loader")) { return; }
    var s = document.createElement("script");
    s.id = "plotly-loader";
    s.src = meta.plotlySrc;
    s.onload = function () { plot(data, name); };
    document.head.appendChild(s);
  }

  window.territoryIndicatorCharts = draw;
  document.addEventListener("htmx:afterSettle", draw);
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
