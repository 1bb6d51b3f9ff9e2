// Stacked bars of the communes with the most compliance problems. The same numbers are in the
// table below the chart, which is what screen readers and no-JavaScript visitors read.
document.addEventListener("DOMContentLoaded", function () {
  var canvas = document.getElementById("compliance-chart");
  var source = document.getElementById("compliance-chart-data");
  if (!canvas || !source || typeof Chart === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  new Chart(canvas, {
    type: "bar",
    data: {
      labels: data.labels,
      datasets: [
        { label: data.names.missing, data: data.missing, backgroundColor: "#b91c1c" },
        { label: data.names.late, data: data.late, backgroundColor: "#d97706" },
        { label: data.names.short, data: data.short, backgroundColor: "#2563eb" }
      ]
    },
    options: {
      indexAxis: "y", responsive: true, maintainAspectRatio: false,
      scales: { x: { stacked: true, ticks: { precision: 0 } }, y: { stacked: true } }
    }
  });
});
