// A second click while the first submission is on its way does nothing (the server also
// folds a resubmitted form into the first case by its submission key).
document.querySelectorAll("form").forEach((form) => {
  form.addEventListener("submit", (event) => {
    if (form.dataset.sent) {
      event.preventDefault();
      return;
    }
    form.dataset.sent = "1";
    form.querySelectorAll("button[data-once]").forEach((b) => b.classList.add("disabled"));
  });
});
