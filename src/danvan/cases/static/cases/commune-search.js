// Progressive enhancement of the commune search on the public form: with JavaScript on, the
// matches appear as the citizen types (GET /api/v1/units/search); with it off, the «Tìm»
// button posts the form and the server shows the same list.
(function () {
  "use strict";
  var input = document.getElementById("id_commune_q");
  var box = document.getElementById("commune-choice");
  if (!input || !box || !window.fetch) { return; }
  var timer = null;
  var seq = 0;

  function show(units) {
    if (!units.length) { return; }
    var label = document.createElement("label");
    label.htmlFor = "id_commune";
    label.textContent = box.dataset.label;
    var select = document.createElement("select");
    select.name = "commune";
    select.id = "id_commune";
    units.forEach(function (u) {
      var option = document.createElement("option");
      option.value = u.code;
      option.textContent = u.parent_name ? u.name + ", " + u.parent_name : u.name;
      select.appendChild(option);
    });
    box.replaceChildren(label, select);
  }

  input.addEventListener("input", function () {
    clearTimeout(timer);
    var q = input.value.trim();
    if (q.length < 2) { return; }
    timer = setTimeout(function () {
      var mine = ++seq;
      fetch(box.dataset.url + "?level=3&limit=20&q=" + encodeURIComponent(q), {headers: {Accept: "application/json"}})
        .then(function (r) { return r.ok ? r.json() : []; })
        .then(function (units) {
          // Only the answer to the latest keystroke counts.
          if (mine === seq) { show(units.filter(function (u) { return u.level === 3; })); }
        })
        .catch(function () { /* the «Tìm» button still works */ });
    }, 250);
  });
}());
