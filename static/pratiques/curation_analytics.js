/* Stacked bars of the answers per practice (plotly, served locally). */
(function () {
  function draw() {
    var node = document.getElementById("distribution-chart");
    var source = document.getElementById("distribution-data");
    if (!node || !source || !window.Plotly) return;
    var data = JSON.parse(source.textContent);
    var colors = ["#d4d8e0", "#9ec5ea", "#3d86c6", "#0b5cad", "#c2a76b", "#f0f1f4"];
    var traces = data.series.map(function (serie, i) {
      return {
        type: "bar", orientation: "h", name: serie.name,
        y: data.practices, x: serie.values,
        marker: { color: colors[i % colors.length], line: { color: "#ffffff", width: 1 } },
        hovertemplate: "%{y}<br>" + serie.name + " : %{x}<extra></extra>"
      };
    });
    Plotly.newPlot(node, traces, {
      barmode: "stack",
      margin: { l: 360, r: 20, t: 30, b: 40 },
      yaxis: { autorange: "reversed", automargin: true },
      xaxis: { title: { text: "Nombre d'auto-évaluations" } },
      legend: { orientation: "h", y: 1.04 },
      font: { family: "DejaVu Sans, sans-serif", size: 12 }
    }, { displaylogo: false, responsive: true, locale: "fr" });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw); else draw();
  document.body.addEventListener("htmx:afterSettle", draw);
})();
