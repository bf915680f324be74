// Gives Swagger UI's buttons the names screen readers need. Swagger UI redraws parts of the page, so
// every change is looked at again.
(function () {
  function nameButtons() {
    document.querySelectorAll('button.close-modal:not([aria-label])').forEach(function (button) {
      button.setAttribute('aria-label', 'Close');
    });
    // A name must contain the visible word (WCAG 2.5.3 Label in Name): "Authorize" was "Apply credentials".
    document.querySelectorAll('.swagger-ui button[aria-label]').forEach(function (button) {
      var text = button.textContent.trim();
      if (text && button.getAttribute('aria-label').toLowerCase().indexOf(text.toLowerCase()) === -1) button.removeAttribute('aria-label');
    });
  }
  new MutationObserver(nameButtons).observe(document.documentElement, { childList: true, subtree: true });
})();
