// Behaviour every page may declare in its markup, so templates carry no inline script
// (the Content-Security-Policy refuses it):
//   <select data-submit-on-change>       submits its form when the choice changes
//   <button data-print>                  prints the page
//   <form data-go-to-selected>           goes to the URL that its selected option holds
document.addEventListener("change", (event) => {
  const select = event.target.closest("select[data-submit-on-change]");
  if (select) select.form.submit();
});
document.addEventListener("click", (event) => {
  if (event.target.closest("button[data-print]")) window.print();
});
document.addEventListener("submit", (event) => {
  const form = event.target.closest("form[data-go-to-selected]");
  if (!form) return;
  event.preventDefault();
  window.location = form.querySelector("select").value;
});
