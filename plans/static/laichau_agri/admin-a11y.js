// Django's admin widgets name some elements in ways screen readers cannot use: the filter
// boxes' magnifying-glass icons carry an aria-label on a plain <span> (axe:
// aria-prohibited-attr), and select2's searchable boxes have no name of their own (axe:
// aria-input-field-name). Both get what they lack once the widgets have been drawn.
function fixAdminWidgets() {
  document.querySelectorAll("span.help-tooltip[aria-label]:not([role])").forEach((icon) => {
    icon.setAttribute("role", "img");
  });
  document.querySelectorAll(".select2-selection[role=combobox]:not([aria-label])").forEach((box) => {
    const select = box.closest(".select2-container")?.previousElementSibling;
    const label = select && select.id && document.querySelector(`label[for="${select.id}"]`);
    const name = (label && label.textContent.replace(/:\s*$/, "").trim()) || select?.name;
    if (name) box.setAttribute("aria-label", name);
  });
  document.querySelectorAll(".select2-selection__rendered[aria-readonly]").forEach((text) => {
    text.removeAttribute("role");
    text.removeAttribute("aria-readonly");
  });
  // A tabular inline's fields are named by their column's header, not by a <label>.
  document.querySelectorAll("table").forEach((table) => {
    const headers = [...table.querySelectorAll("thead th")];
    if (!headers.length) return;
    table.querySelectorAll("tbody td").forEach((cell) => {
      const header = headers[cell.cellIndex];
      const name = header && header.textContent.trim();
      if (!name) return;
      cell.querySelectorAll("input:not([type=hidden]), select, textarea").forEach((field) => {
        if (!field.labels?.length && !field.hasAttribute("aria-label")) field.setAttribute("aria-label", name);
      });
    });
  });
}
window.addEventListener("load", () => {
  fixAdminWidgets();
  new MutationObserver(fixAdminWidgets).observe(document.body, { childList: true, subtree: true });
});
