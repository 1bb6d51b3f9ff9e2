// Progressive enhancement for "Dân vận khéo" pages: a Chart.js chart over the data that the
// page's tables already show, and a Leaflet map of where a model has spread. Without
// JavaScript, Chart.js, Leaflet or a reachable tile server the tables and lists stay.
(function () {
  "use strict";

  function readJson(id) {
    var node = document.getElementById(id);
    if (!node) { return null; }
    try { return JSON.parse(node.textContent); } catch (e) { return null; }
  }

  function drawChart(canvasId, dataId, kind) {
    var canvas = document.getElementById(canvasId);
    var data = readJson(dataId);
    if (!canvas || !data || !window.Chart || !data.labels || !data.labels.length) { return; }
    canvas.parentNode.hidden = false;
    var colours = ["#b3261e", "#0b57d0", "#1b6e2e", "#6f5700", "#7b1fa2", "#00695c"];
    data.datasets.forEach(function (set, i) {
      set.borderColor = colours[i % colours.length];
      set.backgroundColor = colours[i % colours.length];
      set.spanGaps = true;
    });
    new window.Chart(canvas, {
      type: kind,
      data: data,
      options: {responsive: true, maintainAspectRatio: false, animation: false,
                plugins: {legend: {position: "bottom"}}}
    });
  }

  function drawMap() {
    var box = document.getElementById("practice-map");
    var points = readJson("practice-map-points");
    if (!box || !points || !points.length || !window.L) { return; }
    box.hidden = false;
    var map = window.L.map(box);
    window.L.tileLayer(box.dataset.tiles, {maxZoom: 18, attribution: box.dataset.attribution}).addTo(map);
    var bounds = [];
    points.forEach(function (p) {
      var marker = window.L.circleMarker([p.lat, p.lon], {
        radius: p.main ? 10 : 7, color: p.main ? "#8c1d17" : "#0b57d0", weight: 2, fillOpacity: 0.7
      }).addTo(map);
      var label = document.createElement(p.url ? "a" : "span");
      label.textContent = p.name + " – " + p.place;
      if (p.url) { label.href = p.url; }
      marker.bindPopup(label);
      bounds.push([p.lat, p.lon]);
    });
    if (bounds.length === 1) { map.setView(bounds[0], 12); } else { map.fitBounds(bounds, {padding: [30, 30]}); }
  }

  document.addEventListener("DOMContentLoaded", function () {
    drawChart("practice-chart", "practice-chart-data", "line");
    drawChart("stats-year-chart", "stats-year-data", "line");
    drawChart("stats-unit-chart", "stats-unit-data", "bar");
    drawMap();
  });
}());
