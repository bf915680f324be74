// The finance plan's sums while typing; the server computes the same sums on every render, so the form works without this.
(function () {
  var box = document.getElementById('finance-sums');
  var form = box && box.closest('form');
  if (!form) return;
  var lang = box.getAttribute('data-lang') === 'en' ? 'en-GB' : 'de-DE';
  var money = new Intl.NumberFormat(lang, { style: 'currency', currency: 'EUR' });
  var status = document.getElementById('finance-status');
  var timer = null;

  // "1.234,56", "1234.5", "300 €" → cents; anything unreadable counts as 0, as on the server.
  function cents(text) {
    var value = String(text || '').replace(/\s|€|EUR/gi, '');
    if (value === '') return 0;
    var normal;
    if (/^-?\d{1,3}(\.\d{3})+(,\d{1,2})?$/.test(value) || /^-?\d+,\d{1,2}$/.test(value)) normal = value.replace(/\./g, '').replace(',', '.');
    else if (/^-?\d+(\.\d{1,2})?$/.test(value)) normal = value;
    else return 0;
    return Math.round(Number(normal) * 100);
  }

  function sum(pattern) {
    var total = 0;
    Array.prototype.forEach.call(form.querySelectorAll('input'), function (input) {
      if (pattern.test(input.name)) total += cents(input.value);
    });
    return total;
  }

  function show(name, value) {
    Array.prototype.forEach.call(document.querySelectorAll('[data-sum="' + name + '"]'), function (el) {
      el.textContent = money.format(value / 100);
    });
  }

  function update() {
    var sums = {
      totalCostsCents: sum(/^costLines\[\d+\]\[amountCents\]$/),
      ownFundsCents: sum(/^ownFundsCents$/),
      thirdPartyCents: sum(/^thirdParty\[\d+\]\[amountCents\]$/),
      requestedCents: sum(/^requestedCents$/),
    };
    sums.fundsCents = sums.ownFundsCents + sums.thirdPartyCents + sums.requestedCents;
    sums.differenceCents = sums.totalCostsCents - sums.fundsCents;
    Object.keys(sums).forEach(function (name) { show(name, sums[name]); });
    // The live region speaks once typing pauses, not on every key.
    window.clearTimeout(timer);
    timer = window.setTimeout(function () {
      var d = sums.differenceCents;
      var text = d === 0 ? box.getAttribute('data-balanced') : (d > 0 ? box.getAttribute('data-gap') : box.getAttribute('data-over')).replace('{amount}', money.format(Math.abs(d) / 100));
      status.innerHTML = '';
      var strong = document.createElement('strong');
      strong.textContent = text;
      status.appendChild(strong);
    }, 600);
  }

  Array.prototype.forEach.call(document.querySelectorAll('[data-without-script]'), function (el) { el.hidden = true; });
  form.addEventListener('input', update);
  form.addEventListener('change', update);
})();
