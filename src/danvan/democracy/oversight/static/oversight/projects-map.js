// Progressive enhancement: the projects of the table above, as markers on a map.
// Without JavaScript, Leaflet or a reachable tile server the table says the same.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var box = document.getElementById("projects-map");
    var data = document.getElementById("project-points");
    if (!box || !data || !window.L) { return; }
    var points = JSON.parse(data.textContent);
    if (!points.length) { return; }
    box.hidden = false;
    var map = window.L.map(box);
    window.L.tileLayer(box.dataset.tiles, {maxZoom: 19, attribution: box.dataset.attribution}).addTo(map);
    var bounds = [];
    points.forEach(function (p) {
      var link = document.createElement("a");
      link.href = p.url;
      link.textContent = p.name + " (" + p.progress + "%)";
      window.L.marker([p.lat, p.lon], {title: p.name}).addTo(map).bindPopup(link);
      bounds.push([p.lat, p.lon]);
    });
    map.fitBounds(bounds, {maxZoom: 15, padding: [20, 20]});
  });
}());
