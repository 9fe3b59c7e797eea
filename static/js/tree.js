// Expands the area tree on demand: each + fetches one level of children as HTML.
document.addEventListener("click", async (event) => {
  const button = event.target.closest("button[data-children-url]");
  if (!button) return;
  const item = button.closest("li");
  const loaded = item.querySelector(":scope > ul");
  if (loaded) {
    loaded.hidden = !loaded.hidden;
  } else {
    button.disabled = true;
    const response = await fetch(button.dataset.childrenUrl, { headers: { "X-Requested-With": "fetch" } });
    button.disabled = false;
    if (!response.ok) return;
    item.insertAdjacentHTML("beforeend", await response.text());
  }
  const open = !item.querySelector(":scope > ul").hidden;
  button.textContent = open ? "−" : "+";
  button.setAttribute("aria-expanded", String(open));
});
