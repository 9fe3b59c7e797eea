// The report form's "use my position": the browser asks the reporter (never required); the
// endpoint (data-locate-url) answers the grid and nearest building in the reporter's scope, which
// the building list is set to; the reporter keeps it or picks another. The position goes with the
// form so a report outside every grid is refused by the server too. Built as text nodes.
document.querySelectorAll("form[data-locate-url]").forEach((form) => {
  const button = form.querySelector("[data-locate]");
  const note = form.querySelector("[data-locate-note]");
  const area = form.elements.namedItem("area");
  if (!button || !note || !area || !navigator.geolocation) return;
  button.hidden = false;
  const say = (text, warn) => {
    note.textContent = text;
    note.className = `small mt-1 ${warn ? "text-danger" : "text-success"}`;
    note.hidden = false;
  };
  const forget = () => {
    form.elements.namedItem("lng").value = "";
    form.elements.namedItem("lat").value = "";
  };
  button.addEventListener("click", () => {
    say(button.dataset.asking, false);
    navigator.geolocation.getCurrentPosition(async ({ coords }) => {
      const body = new URLSearchParams({ lng: coords.longitude, lat: coords.latitude });
      const token = form.elements.namedItem("csrfmiddlewaretoken").value;
      const response = await fetch(form.dataset.locateUrl, {
        method: "POST",
        body,
        headers: { "X-CSRFToken": token, Accept: "application/json" },
      });
      if (!response.ok) return say(button.dataset.failed, true);
      const found = await response.json();
      if (found.refused) {
        forget();
        return say(found.refused, true);
      }
      form.elements.namedItem("lng").value = coords.longitude;
      form.elements.namedItem("lat").value = coords.latitude;
      if (!found.building) return say(`${found.grid.name} · ${button.dataset.noBuilding}`, false);
      area.value = String(found.building.id);
      area.dispatchEvent(new Event("change"));
      say(`${button.dataset.proposed} ${found.building.name}(${found.grid.name},${found.building.metres} m)`, false);
    }, () => say(button.dataset.denied, true), { enableHighAccuracy: true, timeout: 15000 });
  });
});
