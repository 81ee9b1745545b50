// The maps (Leaflet, vendored): every element with data-map draws Kota Malang's outline
// (/peta/batas.json) and, by its kind, one point ("point"), the department's open reports
// ("reports", read from the JSON in #map-points) or a point the citizen picks ("pick", which
// fills the form's #latitude and #longitude). Without base tiles (offline) the map says so and
// still works: the outline, the points and picking need no tile.
(function () {
  "use strict";
  var BANDS = { overdue: "#b3261e", today: "#c25e00", soon: "#8a5a00", later: "#1f7a3d" };
  var CENTRE = [-7.9797, 112.6304];

  function say(box, selector) {
    var note = box.querySelector(selector);
    if (note) note.hidden = false;
  }

  function draw(element) {
    var box = element.closest(".map-box") || element.parentNode;
    if (typeof L === "undefined") { say(box, "[data-map-offline]"); return; }
    var map = L.map(element, { scrollWheelZoom: false }).setView(CENTRE, 12);
    var tiles = L.tileLayer(element.dataset.tiles, {
      maxZoom: 19, attribution: element.dataset.attribution
    });
    var failed = false;
    tiles.on("tileerror", function () {
      if (failed) return;
      failed = true;
      box.classList.add("map-offline");
      say(box, "[data-map-offline]");
    });
    tiles.addTo(map);
    fetch("/peta/batas.json").then(function (r) { return r.json(); }).then(function (data) {
      L.geoJSON(data, {
        style: function (feature) {
          return feature.properties.kind === "city"
            ? { color: "#0b5d8c", weight: 3, fill: false }
            : { color: "#0b5d8c", weight: 1, dashArray: "4", fillOpacity: 0.03 };
        },
        interactive: false
      }).addTo(map);
    }).catch(function () { /* the points still show */ });

    var kind = element.dataset.map;
    if (kind === "point") {
      var at = [parseFloat(element.dataset.lat), parseFloat(element.dataset.lon)];
      L.circleMarker(at, { radius: 8, color: "#0b5d8c", fillOpacity: 0.8 }).addTo(map);
      map.setView(at, 16);
    } else if (kind === "reports") {
      var source = document.getElementById("map-points");
      var points = source ? JSON.parse(source.textContent) : [];
      var layer = L.featureGroup();
      points.forEach(function (p) {
        var colour = BANDS[p.band] || "#5b6573";
        var marker = L.circleMarker([p.lat, p.lon], {
          radius: p.urgent ? 9 : 6, color: colour, fillColor: colour, fillOpacity: 0.85
        });
        var link = document.createElement("a");
        link.href = "/officer/reports/" + encodeURIComponent(p.tracking_code);
        link.textContent = p.tracking_code;
        var popup = document.createElement("div");
        popup.appendChild(link);
        popup.appendChild(document.createElement("br"));
        popup.appendChild(document.createTextNode(p.text));
        marker.bindPopup(popup);
        marker.addTo(layer);
      });
      layer.addTo(map);
      if (points.length) map.fitBounds(layer.getBounds(), { padding: [20, 20], maxZoom: 16 });
    } else if (kind === "pick") {
      var lat = document.getElementById("latitude");
      var lon = document.getElementById("longitude");
      var marker = null;
      var place = function (latlng, pan) {
        if (marker) marker.setLatLng(latlng);
        else marker = L.marker(latlng).addTo(map);
        if (pan) map.setView(latlng, Math.max(map.getZoom(), 15));
      };
      if (lat.value && lon.value) place([parseFloat(lat.value), parseFloat(lon.value)], true);
      map.on("click", function (event) {
        lat.value = event.latlng.lat.toFixed(6);
        lon.value = event.latlng.lng.toFixed(6);
        place(event.latlng, false);
        lat.dispatchEvent(new Event("change", { bubbles: true }));
      });
      [lat, lon].forEach(function (input) {
        input.addEventListener("change", function () {
          var a = parseFloat(lat.value), b = parseFloat(lon.value);
          if (isFinite(a) && isFinite(b)) place([a, b], true);
        });
      });
    }
    element.dataset.ready = "1";
  }

  function start() {
    document.querySelectorAll("[data-map]").forEach(draw);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
