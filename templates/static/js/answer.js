/* gongkai answer draft form: a progressive enhancement. Without this
   script every field is shown with a hint saying when it is needed, and
   the server's validation decides. With it, the parts of the form that do
   not apply to the outcome (and, for pickup and viewing, to the way of
   providing the information) are hidden, and the reasons are marked
   required for the outcomes whose letter must state them. A part that
   holds an error message is never hidden. */
(function () {
  'use strict';

  var form = document.querySelector('form.answer-form');
  if (!form) {
    return;
  }

  function words(el, name) {
    return (el.getAttribute(name) || '').split(/\s+/).filter(Boolean);
  }

  function value(name) {
    var control = form.elements[name];
    return control ? control.value : '';
  }

  var reasonOutcomes = words(form, 'data-reason-outcomes');
  var parts = form.querySelectorAll('[data-outcomes]');

  function update() {
    var outcome = value('outcome');
    var method = value('method');
    for (var i = 0; i < parts.length; i++) {
      var part = parts[i];
      var show = words(part, 'data-outcomes').indexOf(outcome) >= 0;
      if (show && part.hasAttribute('data-methods') && words(part, 'data-methods-for').indexOf(outcome) >= 0) {
        show = words(part, 'data-methods').indexOf(method) >= 0;
      }
      part.hidden = !show && !part.querySelector('.field-has-error');
    }
    var mark = form.querySelector('label[for="f-reasons"] .optional, label[for="f-reasons"] .required');
    if (mark) {
      var required = reasonOutcomes.indexOf(outcome) >= 0;
      mark.className = required ? 'required' : 'optional';
      mark.textContent = required ? '（必填）' : '（选填）';
    }
  }

  form.addEventListener('change', update);
  update();
}());
