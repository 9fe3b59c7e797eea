// The tile background's coordinate system ("crs" in grids.mapping.tiles()). The places are stored
// and sent in WGS-84/CGCS2000 (天地图, a phone's GPS); GCJ-02 tiles (高德, 腾讯) are drawn a few
// hundred metres away from them. Over such tiles this is the edge: what is drawn goes WGS-84 →
// GCJ-02 (the vendored gcoord), and what the user points at, and the box on screen sent to the
// server, comes back GCJ-02 → WGS-84. Outside China's box gcoord leaves a point as it is.
window.mapCrs = (crs) => {
  "use strict";
  const shifted = crs === "gcj02";
  const { gcoord } = window;
  // Better no map than one with every place silently off: a missing gcoord is an error.
  if (shifted && !gcoord) throw new Error("MAP_TILE_CRS is gcj02 but static/vendor/gcoord is not loaded");
  // A stored [lng, lat] where the map draws it; also L.geoJSON's coordsToLatLng option.
  const latLng = ([lng, lat]) => {
    const [x, y] = shifted ? gcoord.transform([lng, lat], gcoord.WGS84, gcoord.GCJ02) : [lng, lat];
    return L.latLng(y, x);
  };
  // A point on screen (an L.LatLng) as the [lng, lat] to store.
  const lngLat = (at) => (shifted ? gcoord.transform([at.lng, at.lat], gcoord.GCJ02, gcoord.WGS84) : [at.lng, at.lat]);
  // Stored [west, south, east, north] as bounds on screen, and bounds on screen as the stored box
  // they cover: every corner is moved, as the shift differs a little from one corner to the next.
  const bounds = ([west, south, east, north]) =>
    L.latLngBounds([[west, south], [east, south], [east, north], [west, north]].map(latLng));
  const box = (on) => {
    const corners = [on.getSouthWest(), on.getSouthEast(), on.getNorthEast(), on.getNorthWest()].map(lngLat);
    const lngs = corners.map((p) => p[0]);
    const lats = corners.map((p) => p[1]);
    return [Math.min(...lngs), Math.min(...lats), Math.max(...lngs), Math.max(...lats)];
  };
  return { shifted, latLng, lngLat, bounds, box };
};
