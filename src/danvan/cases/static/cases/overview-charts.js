// Progressive enhancement of the statistics page: Chart.js draws the figures of the tables that
// follow each chart. Without JavaScript (or Chart.js) the charts stay hidden and the tables,
// which carry every number, are the page.
(function () {
  "use strict";
  var COLOURS = {total: "#2563eb", open: "#d97706", overdue: "#b91c1c"};

  function bars(data, text) {
    return ["total", "open", "overdue"].map(function (key) {
      return {label: text[key], data: data[key], backgroundColor: COLOURS[key]};
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var source = document.getElementById("overview-chart-data");
    if (!source || !window.Chart) { return; }
    var all = JSON.parse(source.textContent);
    var Chart = window.Chart;
    document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
      var name = canvas.dataset.chart;
      var data = all[name];
      if (!data || !data.labels.length) { return; }
      var datasets;
      var stacked = false;
      if (name === "fields") {
        stacked = true;
        datasets = data.datasets.map(function (d) {
          return {label: d.label, data: d.data, backgroundColor: d.colour};
        });
      } else {
        datasets = bars(data, all.text);
      }
      var horizontal = data.labels.length > 8;
      var category = {stacked: stacked, ticks: {autoSkip: false}};
      var value = {stacked: stacked, beginAtZero: true, ticks: {precision: 0}};
      canvas.parentNode.hidden = false;
      if (horizontal) {
        // One readable row per label, whatever the width of the screen.
        canvas.parentNode.style.height = Math.max(352, data.labels.length * (stacked ? 28 : 42) + 96) + "px";
      }
      new Chart(canvas, {
        type: "bar",
        data: {labels: data.labels, datasets: datasets},
        options: {
          responsive: true, maintainAspectRatio: false, animation: false,
          indexAxis: horizontal ? "y" : "x",
          scales: horizontal ? {x: value, y: category} : {x: category, y: value},
          plugins: {legend: {position: "bottom"}}
        }
      });
    });
  });
}());
