// While a budget run is queued or computing, poll its status and reload the page when it is done.
(function () {
  const bar = document.querySelector("[data-run-status]");
  if (!bar) return;
  const poll = async () => {
    const response = await fetch(bar.dataset.runStatus, { headers: { Accept: "application/json" } });
    if (!response.ok) return;
    const { status, progress } = await response.json();
    bar.querySelector(".progress-bar").style.width = `${progress}%`;
    bar.querySelector(".progress-bar").textContent = `${progress}%`;
    if (status === "done" || status === "failed") window.location.reload();
    else setTimeout(poll, 1000);
  };
  setTimeout(poll, 1000);
})();
