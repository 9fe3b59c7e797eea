// A place's 位置 page: the map shows the outline above (grey) and the place; a building's marker is
// dragged (or the map clicked) to set the longitude and latitude fields, a boundary's vertices are
// dragged to rewrite the GeoJSON field. The background is the configured tiles, or else the outlines
// alone (no network). Over GCJ-02 tiles what is drawn is shifted and what is dragged is shifted back
// (mapCrs, map_crs.js): the fields always hold WGS-84.
(() => {
  const box = document.getElementById("shape-map");
  const form = document.querySelector("form[data-shape-form]");
  if (!box || !form || !window.L) return;
  const data = JSON.parse(document.getElementById("shape-data").textContent);
  const map = L.map(box, { attributionControl: false });
  if (data.tiles) L.tileLayer(data.tiles, { maxZoom: 19 }).addTo(map);
  const crs = mapCrs(data.crs);
  const fields = (name) => form.elements.namedItem(name);
  const round = (value) => Math.round(value * 1e6) / 1e6;
  // The view first: a vector layer added to a map with none has nothing to clip against.
  const seen = [data.boundary, data.above, data.point && { type: "Point", coordinates: data.point }].find(Boolean);
  if (seen && data.point && !data.boundary) map.setView(crs.latLng(data.point), 17);
  else if (seen) map.fitBounds(L.geoJSON(seen, { coordsToLatLng: crs.latLng }).getBounds());
  else map.setView([35, 105], 4);
  if (data.above) {
    const style = { color: "#6c757d", weight: 1, fillOpacity: 0.05 };
    L.geoJSON(data.above, { style, coordsToLatLng: crs.latLng }).addTo(map);
  }

  if (data.kind === "building") {
    const lng = fields("lng");
    const lat = fields("lat");
    let marker = null;
    const show = (latlng) => {
      if (!marker) {
        marker = L.marker(latlng, { draggable: true }).addTo(map);
        marker.on("dragend", () => place(marker.getLatLng()));
      } else {
        marker.setLatLng(latlng);
      }
    };
    // Only a position the user gives is written: the stored one is left as typed, not sent through
    // the conversion and back (which may move it by a decimetre).
    const place = (latlng) => {
      const [x, y] = crs.lngLat(latlng);
      lng.value = round(x);
      lat.value = round(y);
      show(latlng);
    };
    if (lng.value && lat.value) show(crs.latLng([Number(lng.value), Number(lat.value)]));
    map.on("click", (event) => place(event.latlng));
    return;
  }

  const text = fields("boundary");
  let layer = null;
  let handles = [];
  // Polygons as lists of rings of stored [lng, lat], the closing vertex left off while editing.
  const polygons = (geojson) => {
    if (!geojson || !geojson.coordinates) return [];
    const list = geojson.type === "MultiPolygon" ? geojson.coordinates : [geojson.coordinates];
    return list.map((rings) => rings.map((ring) => ring.slice(0, -1)));
  };
  const write = (shapes) => {
    const closed = shapes.map((rings) => rings.map((ring) => [...ring.map((p) => [round(p[0]), round(p[1])]), [round(ring[0][0]), round(ring[0][1])]]));
    const geojson = closed.length === 1 ? { type: "Polygon", coordinates: closed[0] } : { type: "MultiPolygon", coordinates: closed };
    text.value = JSON.stringify(geojson);
  };
  const draw = (shapes) => {
    if (layer) layer.remove();
    handles.forEach((handle) => handle.remove());
    handles = [];
    if (!shapes.length) return;
    const onScreen = () => shapes.map((rings) => rings.map((ring) => ring.map(crs.latLng)));
    const latlngs = onScreen();
    layer = L.polygon(latlngs, { color: "#dc3545", weight: 2 }).addTo(map);
    const icon = L.divIcon({ className: "shape-vertex", html: "", iconSize: [14, 14] });
    shapes.forEach((rings) => rings.forEach((ring) => ring.forEach((vertex, index) => {
      const handle = L.marker(crs.latLng(vertex), { draggable: true, icon, keyboard: false }).addTo(map);
      handle.on("drag", () => {
        ring[index] = crs.lngLat(handle.getLatLng());
        layer.setLatLngs(onScreen());
      });
      handle.on("dragend", () => write(shapes));
      handles.push(handle);
    })));
  };
  let current = [];
  try { current = polygons(JSON.parse(text.value || "null")); } catch (error) { current = []; }
  draw(current);
  text.addEventListener("change", () => {
    try { current = polygons(JSON.parse(text.value)); draw(current); } catch (error) { /* the server says what is wrong */ }
  });
  const start = form.querySelector("[data-new-box]");
  if (start) {
    start.addEventListener("click", () => {
      const b = map.getBounds().pad(-0.3);
      const corners = [b.getSouthWest(), b.getSouthEast(), b.getNorthEast(), b.getNorthWest()];
      current = [[corners.map(crs.lngLat)]];
      draw(current);
      write(current);
    });
  }
})();
