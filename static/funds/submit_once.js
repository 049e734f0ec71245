// Forms that post money or a decision are sent once: a double click must not post twice.
// (The server refuses repeats too: every money form carries a one-time submission key.)
document.addEventListener("submit", function (event) {
  var form = event.target;
  if (!form.matches("form[data-submit-once]")) return;
  if (form.dataset.submitted) {
    event.preventDefault();
    return;
  }
  form.dataset.submitted = "1";
  form.querySelectorAll("button[type=submit], button:not([type])").forEach(function (button) {
    button.classList.add("disabled");
    button.setAttribute("aria-disabled", "true");
  });
});
// Coming back with the browser's back button shows the form ready to send again.
window.addEventListener("pageshow", function () {
  document.querySelectorAll("form[data-submit-once]").forEach(function (form) {
    delete form.dataset.submitted;
    form.querySelectorAll(".disabled[aria-disabled]").forEach(function (button) {
      button.classList.remove("disabled");
      button.removeAttribute("aria-disabled");
    });
  });
});
