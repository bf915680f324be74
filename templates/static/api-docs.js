// Gives Swagger UI's buttons and the request body field the names screen readers need. Swagger UI
// redraws parts of the page, so every change is looked at again.
(function () {
  function nameControls() {
    document.querySelectorAll('button.close-modal:not([aria-label])').forEach(function (button) {
      button.setAttribute('aria-label', 'Close');
    });
    document.querySelectorAll('textarea.body-param__text:not([aria-label])').forEach(function (textarea) {
      textarea.setAttribute('aria-label', 'Request body');
    });
    // A name must contain the visible word (WCAG 2.5.3 Label in Name): "Authorize" was "Apply credentials".
    document.querySelectorAll('.swagger-ui button[aria-label]').forEach(function (button) {
      var text = button.textContent.trim();
      if (text && button.getAttribute('aria-label').toLowerCase().indexOf(text.toLowerCase()) === -1) button.removeAttribute('aria-label');
    });
  }
  new MutationObserver(nameControls).observe(document.documentElement, { childList: true, subtree: true });
})();
