/* gongkai citizen pages: small progressive enhancements. Every page works
   without this script; with it, parts of the application form that do not
   apply to the choices made are hidden, after a failed submission the
   keyboard focus starts on the error summary, which screen readers then
   read out, and its links put the focus in the field concerned. */
(function () {
  'use strict';

  var summary = document.getElementById('error-summary');
  if (summary) {
    summary.focus();
    // A link in the summary puts the focus in its field, with the field's
    // label and message in view, instead of only scrolling to it.
    summary.addEventListener('click', function (event) {
      var link = event.target.closest('a[href^="#"]');
      var target = link && document.getElementById(link.getAttribute('href').slice(1));
      if (!target) {
        return;
      }
      event.preventDefault();
      (target.closest('.field') || target).scrollIntoView();
      // After the key events of this Enter are over: a form control that
      // got the focus during them would take the Enter as "submit".
      window.setTimeout(function () {
        target.focus({preventScroll: true});
      }, 0);
    });
  }

  var form = document.querySelector('form.apply-form');
  if (!form) {
    return;
  }
  var parts = form.querySelectorAll('[data-show-when]');

  function shown(cond) {
    var eq = cond.indexOf('=');
    var name = eq < 0 ? cond : cond.slice(0, eq);
    var control = form.elements[name];
    if (!control) {
      return true;
    }
    if (eq < 0) {
      return Boolean(control.checked);
    }
    return control.value === cond.slice(eq + 1);
  }

  function update() {
    for (var i = 0; i < parts.length; i++) {
      parts[i].hidden = !shown(parts[i].getAttribute('data-show-when'));
    }
  }

  form.addEventListener('change', update);
  update();
}());
