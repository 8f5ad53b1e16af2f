/* Stacked bars of the answers per practice (plotly, served locally). */
(function () {
  function draw() {
    var node = document.getElementById("distribution-chart");
    var source = document.getElementById("distribution-data");
    if (!node || !source || !window.Plotly) return;
    var data = JSON.parse(source.textContent);
    var narrow = node.clientWidth < 640;
    var labels = data.practices.map(function (label) {
      return narrow && label.length > 28 ? label.slice(0, 26) + "…" : label;
    });
    var colors = ["#d4d8e0", "#9ec5ea", "#3d86c6", "#0b5cad", "#c2a76b", "#f0f1f4"];
    var traces = data.series.map(function (serie, i) {
      return {
        type: "bar", orientation: "h", name: serie.name,
        y: labels, x: serie.values, customdata: data.practices,
        marker: { color: colors[i % colors.length], line: { color: "#ffffff", width: 1 } },
        hovertemplate: "%{customdata}<br>" + serie.name + " : %{x}<extra></extra>"
      };
    });
    Plotly.newPlot(node, traces, {
      barmode: "stack",
      margin: { l: narrow ? 8 : 360, r: 12, t: narrow ? 110 : 60, b: 40 },
      yaxis: { autorange: "reversed", automargin: true },
      xaxis: { title: { text: "Nombre d'auto-évaluations" } },
      legend: { orientation: "h", x: 0, y: 1, yanchor: "bottom" },
      font: { family: "DejaVu Sans, sans-serif", size: 12 }
    }, { displayModeBar: false, responsive: true, locale: "fr" });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw); else draw();
  document.body.addEventListener("htmx:afterSettle", draw);
})();
