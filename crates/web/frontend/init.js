// Starts GOV.UK Frontend's components (menus, error summaries, character counts).
window.GOVUKFrontend.initAll();

// WCAG 1.4.13: a glossary definition shown on hover or focus can be dismissed with Escape
// without moving the pointer or focus; it comes back on the next pointer or focus move.
document.addEventListener('keydown', function (event) {
  if (event.key === 'Escape') document.body.classList.add('cradle-tips-dismissed');
});
['mousemove', 'focusin'].forEach(function (type) {
  document.addEventListener(type, function () {
    document.body.classList.remove('cradle-tips-dismissed');
  }, true);
});
