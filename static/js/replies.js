// 常用语: choosing a reply template inserts its text into the step's note at the cursor (or at the
// end), then resets the menu so the same phrase can be chosen again. The text is set as a value,
// never as markup.
document.querySelectorAll("select[data-reply-to]").forEach((menu) => {
  menu.addEventListener("change", () => {
    const target = document.getElementById(menu.dataset.replyTo);
    const text = menu.value;
    menu.value = "";
    if (!target || !text) return;
    const start = target.selectionStart ?? target.value.length;
    const end = target.selectionEnd ?? target.value.length;
    const before = target.value.slice(0, start);
    const gap = before && !/\s$/.test(before) ? " " : "";
    target.value = before + gap + text + target.value.slice(end);
    const caret = before.length + gap.length + text.length;
    target.focus();
    target.setSelectionRange(caret, caret);
  });
});
