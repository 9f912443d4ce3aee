// Library pages (protocols app): print buttons. No inline scripts: the CSP forbids them.
document.querySelectorAll("[data-print]").forEach((button) => {
  button.addEventListener("click", () => window.print());
});
