// 一张图 (grids/map.html): grids shaded by a measure, open cases clustered by the server and
// coloured by 分色, buildings close in. Each layer is fetched for what is on screen; the data is
// in #map-config (json_script). A place's page draws its own shape (#place-map, #place-shape).
// Every position drawn or sent passes through mapCrs (map_crs.js): the background may be GCJ-02.
(function () {
  "use strict";
  const COLOURS = { red: "#c0392b", orange: "#e67e22", yellow: "#f1c40f", blue: "#2471a3" };
  const ORDER = ["red", "orange", "yellow", "blue"]; // the cluster arrays' order (cases.mapping.COLOURS)
  const SHADES = ["#fff5eb", "#fdd0a2", "#fd8d3c", "#d94801", "#7f2704"];
  const read = (id) => JSON.parse(document.getElementById(id).textContent);

  function background(map, config) {
    if (config.tiles) {
      L.tileLayer(config.tiles, { attribution: config.attribution || "", maxZoom: 19 }).addTo(map);
    }
  }

  // Text from the database (a place's name is typed by a user) goes into tooltips, which Leaflet
  // writes as HTML: escaped first.
  const esc = (value) => String(value).replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

  // Zero is the palest shade; the positive values on screen fall into four quantile classes.
  function breaks(values) {
    const sorted = values.filter((v) => v > 0).sort((a, b) => a - b);
    const cuts = [];
    for (let k = 1; k < SHADES.length - 1 && sorted.length; k += 1) {
      const cut = sorted[Math.floor((k * sorted.length) / (SHADES.length - 1))];
      if (cut !== undefined && (!cuts.length || cut > cuts[cuts.length - 1])) cuts.push(cut);
    }
    return cuts;
  }

  function shadeOf(value, cuts) {
    if (!(value > 0)) return SHADES[0];
    return SHADES[1 + cuts.filter((cut) => value >= cut).length];
  }

  function pageOf(template, id) {
    return template.replace("/0/", `/${id}/`);
  }

  function bigMap(element, config) {
    const map = L.map(element, { zoomSnap: 1, preferCanvas: true });
    background(map, config);
    const crs = mapCrs(config.crs);
    const grids = L.geoJSON(null, { coordsToLatLng: crs.latLng }).addTo(map);
    const buildings = L.layerGroup().addTo(map);
    const cases = L.layerGroup().addTo(map);
    const legend = L.control({ position: "bottomright" });
    let legendBox = null;
    legend.onAdd = () => {
      legendBox = L.DomUtil.create("div", "map-legend");
      legendBox.dataset.testid = "map-legend";
      return legendBox;
    };
    legend.addTo(map);
    const filters = document.getElementById("map-filters");
    const measure = document.getElementById("map-measure");
    const period = document.getElementById("map-period");
    let generation = 0;

    function query(extra) {
      const params = new URLSearchParams({
        bbox: crs.box(map.getBounds()).map((v) => v.toFixed(6)).join(","),
        zoom: String(map.getZoom()),
        ...extra,
      });
      return params.toString();
    }

    async function fetchJSON(url) {
      const response = await fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } });
      if (!response.ok) throw new Error(`${url}: ${response.status}`);
      return response.json();
    }

    function drawLegend(cuts, share, label) {
      const fmt = (v) => (share ? `${Math.round(v * 100)}%` : String(v));
      const rows = ['<div class="fw-bold mb-1"></div>', `<div><i style="background:${SHADES[0]}"></i>0</div>`];
      for (let i = 0; i <= cuts.length; i += 1) {
        let text = `≥ ${fmt(cuts[i - 1])}`;
        if (i === 0) text = cuts.length ? `> 0, < ${fmt(cuts[0])}` : "> 0";
        else if (i < cuts.length) text = `${fmt(cuts[i - 1])} – ${fmt(cuts[i])}`;
        rows.push(`<div><i style="background:${SHADES[i + 1]}"></i>${esc(text)}</div>`);
      }
      ORDER.forEach((c) => {
        rows.push(`<div><i style="background:${COLOURS[c]};border-radius:50%"></i>${esc(config.labels.colours[c])}</div>`);
      });
      legendBox.innerHTML = rows.join("");
      legendBox.firstChild.textContent = label;
    }

    async function refresh() {
      const mine = (generation += 1);
      const [g, p, c] = await Promise.all([
        fetchJSON(`${config.grids}?${query({ measure: measure.value })}`),
        fetchJSON(`${config.buildings}?${query({})}`),
        fetchJSON(`${config.points}?${query({ period: period.value })}`),
      ]);
      if (mine !== generation) return; // the map moved again meanwhile: a newer answer is coming
      const cuts = breaks(g.features.map((f) => f.properties.value));
      grids.clearLayers();
      grids.options.style = (f) => ({
        color: "#b10000", weight: 1.2, fillOpacity: 0.55, fillColor: shadeOf(f.properties.value, cuts),
      });
      grids.options.onEachFeature = (f, layer) => {
        const value = g.share ? `${Math.round(f.properties.value * 100)}%` : f.properties.value;
        layer.bindTooltip(`${esc(f.properties.name)} · ${esc(value)}`, { sticky: true });
        layer.on("click", () => { window.location.href = pageOf(config.area, f.properties.id); });
      };
      grids.addData(g.features);
      element.dataset.grids = String(g.features.length);
      drawLegend(cuts, g.share, measure.options[measure.selectedIndex].text);

      buildings.clearLayers();
      p.buildings.forEach(([id, name, lng, lat]) => {
        L.circleMarker(crs.latLng([lng, lat]), { radius: 4, color: "#555", weight: 1, fillColor: "#fff", fillOpacity: 1 })
          .bindTooltip(esc(name))
          .on("click", () => { window.location.href = pageOf(config.area, id); })
          .addTo(buildings);
      });
      element.dataset.buildings = String(p.buildings.length);

      cases.clearLayers();
      c.clusters.forEach(([lng, lat, ...counts]) => {
        const total = counts.reduce((a, b) => a + b, 0);
        const worst = ORDER[counts.findIndex((n) => n > 0)];
        const size = Math.round(18 + Math.min(26, Math.sqrt(total) * 3));
        const icon = L.divIcon({
          className: "", iconSize: [size, size],
          html: `<div class="map-cluster" style="width:${size}px;height:${size}px;background:${COLOURS[worst]}">${total}</div>`,
        });
        const detail = ORDER.map((colour, i) => `${esc(config.labels.colours[colour])} ${counts[i]}`).join(" · ");
        const at = crs.latLng([lng, lat]);
        L.marker(at, { icon, keyboard: false })
          .bindTooltip(detail)
          .on("click", () => map.setView(at, Math.min(map.getZoom() + 2, 18)))
          .addTo(cases);
      });
      c.points.forEach(([id, number, colour, lng, lat]) => {
        L.circleMarker(crs.latLng([lng, lat]), { radius: 7, color: "#fff", weight: 2, fillColor: COLOURS[colour], fillOpacity: 1 })
          .bindTooltip(esc(number))
          .on("click", () => { window.location.href = pageOf(config.case, id); })
          .addTo(cases);
      });
      element.dataset.cases = String(c.clusters.length + c.points.length);
      element.dataset.ready = "1";
    }

    const redraw = () => refresh().catch((error) => { element.dataset.error = String(error); });
    filters.addEventListener("change", () => {
      const url = new URL(window.location.href);
      url.searchParams.set("measure", measure.value);
      url.searchParams.set("period", period.value);
      window.history.replaceState(null, "", url);
      redraw();
    });
    filters.addEventListener("submit", (event) => { event.preventDefault(); redraw(); });
    map.on("moveend", redraw);
    if (config.bounds) {
      map.fitBounds(crs.bounds(config.bounds));
    } else {
      map.setView([35, 105], 4);
    }
  }

  function placeMap(element, shape) {
    const map = L.map(element, { zoomControl: false, attributionControl: false, scrollWheelZoom: false });
    const config = read("place-map-config");
    background(map, config);
    const crs = mapCrs(config.crs);
    if (shape.boundary) {
      const style = { color: "#b10000", weight: 2, fillOpacity: 0.15 };
      const layer = L.geoJSON(shape.boundary, { style, coordsToLatLng: crs.latLng }).addTo(map);
      map.fitBounds(layer.getBounds(), { padding: [8, 8] });
    } else {
      const at = crs.latLng([shape.lng, shape.lat]);
      L.circleMarker(at, { radius: 7, color: "#fff", weight: 2, fillColor: "#b10000", fillOpacity: 1 }).addTo(map);
      map.setView(at, 17);
    }
    element.dataset.ready = "1";
  }

  const big = document.getElementById("map");
  if (big) bigMap(big, read("map-config"));
  const mini = document.getElementById("place-map");
  if (mini) placeMap(mini, read("place-shape"));
})();
