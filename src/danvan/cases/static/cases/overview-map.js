// Progressive enhancement of the officials' map of cases: Leaflet draws the points returned by
// the GeoJSON endpoint (same filters as the page). Without JavaScript, Leaflet or a tile server
// the list of the same cases under the map stays the way to read them.
(function () {
  "use strict";

  function text(tag, value, className) {
    var el = document.createElement(tag);
    el.textContent = value;
    if (className) { el.className = className; }
    return el;
  }

  function popup(box, p) {
    // Built with DOM nodes, never HTML strings: labels come from the database.
    var d = box.dataset;
    var wrap = document.createElement("div");
    var dl = document.createElement("dl");
    dl.className = "map-popup";
    var due = p.due_on ? p.due_on.split("-").reverse().join("/") : "–";
    if (p.overdue) { due += " (" + d.labelOverdue + " " + p.overdue_days + " " + d.labelDays + ")"; }
    [[d.labelCode, p.code], [d.labelKind, p.kind_label], [d.labelField, p.field], [d.labelUnit, p.unit],
     [d.labelStatus, p.status_label], [d.labelDue, due]].forEach(function (pair) {
      dl.appendChild(text("dt", pair[0]));
      dl.appendChild(text("dd", pair[1] || "–", pair[0] === d.labelDue && p.overdue ? "overdue" : ""));
    });
    wrap.appendChild(dl);
    var link = text("a", d.labelOpen);
    link.href = p.url;
    wrap.appendChild(link);
    return wrap;
  }

  document.addEventListener("DOMContentLoaded", function () {
    var box = document.getElementById("case-map");
    if (!box || !window.L || !window.fetch) { return; }
    var L = window.L;
    box.hidden = false;
    var centre = null;
    try { centre = JSON.parse(box.dataset.centre || "null"); } catch (e) { centre = null; }
    var map = L.map(box).setView(centre || [16.0, 106.0], centre ? 11 : 5);
    L.tileLayer(box.dataset.tiles, {maxZoom: 19, attribution: box.dataset.attribution}).addTo(map);

    fetch(box.dataset.url, {headers: {Accept: "application/geo+json, application/json"}, credentials: "same-origin"})
      .then(function (r) { if (!r.ok) { throw new Error(String(r.status)); } return r.json(); })
      .then(function (data) {
        var layer = L.geoJSON(data, {
          pointToLayer: function (feature, latlng) {
            var p = feature.properties;
            return L.circleMarker(latlng, {
              radius: 7, fillColor: p.colour, fillOpacity: 0.85,
              color: p.overdue ? "#b91c1c" : "#ffffff", weight: p.overdue ? 4 : 2
            });
          },
          onEachFeature: function (feature, marker) {
            var p = feature.properties;
            marker.bindPopup(popup(box, p));
            marker.bindTooltip(p.code + " – " + p.status_label);
          }
        }).addTo(map);
        if (data.features.length) { map.fitBounds(layer.getBounds(), {padding: [24, 24], maxZoom: 16}); }
      })
      .catch(function () {
        var msg = text("p", box.dataset.msgError, "load-error");
        msg.setAttribute("role", "alert");
        box.parentNode.insertBefore(msg, box);
      });
  });
}());
