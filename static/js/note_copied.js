// The note form's "copied from 12 Nov" markers: each one stays while its field still holds
// the text copied from the last note, and hides as soon as the field is edited (and shows
// again if the edit is undone). Without JavaScript the markers are static and go once the
// edited note is saved.
(function () {
  "use strict";
  document.querySelectorAll("[data-copied]").forEach(function (field) {
    var wrapper = field.closest(".mb-3") || field.parentElement;
    var label = wrapper && wrapper.querySelector("label[for='" + field.id + "']");
    var marker = label && label.querySelector("[data-copied-marker]");
    if (!marker) {
      return;
    }
    var update = function () {
      marker.hidden = field.value !== field.defaultValue;
    };
    field.addEventListener("input", update);
    update();
  });
  var rows = document.querySelector("[data-copied-techniques]");
  if (rows) {
    var marker = document.querySelector("[data-copied-techniques-marker]");
    rows.addEventListener("input", function () {
      marker.hidden = true;
    });
    rows.addEventListener("change", function () {
      marker.hidden = true;
    });
  }
})();
