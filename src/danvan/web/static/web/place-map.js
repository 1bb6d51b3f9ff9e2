// Progressive enhancement: a Leaflet map that fills the latitude/longitude inputs on click.
// Without JavaScript, Leaflet or a reachable tile server the inputs can still be typed.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var box = document.getElementById("place-map");
    var lat = document.getElementById("id_latitude");
    var lon = document.getElementById("id_longitude");
    if (!box || !lat || !lon || !window.L) { return; }
    box.hidden = false;
    var start = lat.value && lon.value ? [parseFloat(lat.value), parseFloat(lon.value)] : [16.0, 106.0];
    var map = window.L.map(box).setView(start, lat.value ? 15 : 5);
    window.L.tileLayer(box.dataset.tiles, {maxZoom: 19, attribution: box.dataset.attribution}).addTo(map);
    var marker = lat.value ? window.L.marker(start).addTo(map) : null;
    map.on("click", function (e) {
      lat.value = e.latlng.lat.toFixed(6);
      lon.value = e.latlng.lng.toFixed(6);
      if (marker) { marker.setLatLng(e.latlng); } else { marker = window.L.marker(e.latlng).addTo(map); }
    });
  });
}());
