// A double click on a submit button sends the form once: later submits are ignored and
// the buttons are disabled once the browser has taken the clicked button's value.
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (form.dataset.submitting) {
    event.preventDefault();
    return;
  }
  form.dataset.submitting = "1";
  setTimeout(() => {
    form.querySelectorAll("button[type=submit]").forEach((button) => { button.disabled = true; });
  }, 0);
});
// Coming back with the browser's back button shows a page whose buttons work again.
window.addEventListener("pageshow", () => {
  document.querySelectorAll("form[data-submitting]").forEach((form) => {
    delete form.dataset.submitting;
    form.querySelectorAll("button[type=submit]").forEach((button) => { button.disabled = false; });
  });
});
// A <select data-autosubmit> sends its form as soon as a choice is made (language switcher);
// kept here rather than in an onchange attribute, which the Content Security Policy forbids.
document.querySelectorAll("select[data-autosubmit]").forEach((select) => {
  select.addEventListener("change", () => select.form.submit());
});
// A table wider than the screen scrolls in its own box: the box takes the keyboard focus
// (arrow keys scroll it) and is named after the table's heading for screen readers, with
// "bảng cuộn ngang" after it: the section around it is a region named by the same heading,
// and two regions of one name cannot be told apart (axe-core's landmark-unique).
function labelScrollingTables() {
  document.querySelectorAll(".table-responsive").forEach((box) => {
    if (box.scrollWidth > box.clientWidth + 1) {
      box.tabIndex = 0;
      box.setAttribute("role", "region");
      if (!box.hasAttribute("aria-label")) {
        const table = box.querySelector("table");
        const section = box.closest("section");
        const heading = (section || document).querySelector("h1, h2, h3");
        const name = (table && table.getAttribute("aria-label")) || (heading && heading.textContent.trim());
        const kind = document.body.dataset.scrollBox;
        if (name) box.setAttribute("aria-label", kind ? `${name} (${kind})` : name);
      }
    } else if (box.getAttribute("role") === "region") {
      box.removeAttribute("tabindex");
      box.removeAttribute("role");
    }
  });
}
labelScrollingTables();
window.addEventListener("resize", labelScrollingTables);
