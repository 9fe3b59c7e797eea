// Possible duplicates before a report is submitted: when the place or the category changes, the
// form asks its endpoint (data-duplicates-url) for open cases at the same building, or of the same
// category in the same grid this week, and lists them above the button. Built as text nodes.
document.querySelectorAll("form[data-duplicates-url]").forEach((form) => {
  const box = document.getElementById(form.dataset.duplicatesBox);
  const fields = ["area", "category"].map((name) => form.elements.namedItem(name)).filter(Boolean);
  let asked = 0;
  const ask = async () => {
    const params = new URLSearchParams();
    fields.forEach((field) => params.set(field.name, field.value));
    if (form.dataset.needsArea && !params.get("area")) return;
    const mine = ++asked;
    const response = await fetch(`${form.dataset.duplicatesUrl}?${params}`, { headers: { Accept: "application/json" } });
    if (!response.ok || mine !== asked) return;
    const { cases } = await response.json();
    box.replaceChildren();
    box.hidden = cases.length === 0;
    if (!cases.length) return;
    const title = document.createElement("div");
    title.className = "fw-bold";
    title.textContent = box.dataset.title;
    const list = document.createElement("ul");
    list.className = "mb-0 ps-3";
    cases.forEach((c) => {
      const item = document.createElement("li");
      const text = `${c.reported} · ${c.category} · ${c.status}${c.description ? ` · ${c.description}` : ""}`;
      if (c.url) {
        const link = document.createElement("a");
        link.href = c.url;
        link.target = "_blank";
        link.textContent = c.number;
        item.append(link, ` ${text}`);
      } else {
        item.textContent = text;
      }
      list.append(item);
    });
    box.append(title, list);
  };
  fields.forEach((field) => field.addEventListener("change", ask));
  ask();
});
