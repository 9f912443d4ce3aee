// Consent to treatment: ticking "Consent to treatment given" fills in the consent date with
// the clinic's today (the field's data-today-when-ticked) when the date is still empty. The
// therapist sees the date and can change it; a date already typed is never replaced. Without
// JavaScript the form asks for the date, as it always did.
(function () {
  "use strict";
  var date = document.querySelector("[data-today-when-ticked]");
  var box = document.getElementById("id_consent_given");
  if (!date || !box) {
    return;
  }
  box.addEventListener("change", function () {
    if (box.checked && !date.value) {
      date.value = date.getAttribute("data-today-when-ticked");
      date.dispatchEvent(new Event("input", { bubbles: true }));
    }
  });
})();
