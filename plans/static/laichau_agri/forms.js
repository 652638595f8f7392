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
