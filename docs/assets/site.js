/* Running Injuries site script (MIT). Copy buttons for the "Embed this page" snippet. */
(function () {
  "use strict";
  function copy(button) {
    var id = button.getAttribute("data-copy");
    // Material renames the id of a <pre> to "__code_<id>" when the page loads.
    var target = document.getElementById(id) || document.getElementById("__code_" + id);
    var status = button.parentNode.querySelector(".ri-copy-status");
    if (!target) return;
    var text = target.textContent;
    var done = function (ok) {
      if (status) status.textContent = ok ? "Copied." : "Select the code and copy it.";
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(function () { done(true); }, function () { done(false); });
    } else {
      var range = document.createRange();
      range.selectNodeContents(target);
      var selection = window.getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
      var ok = false;
      try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
      done(ok);
    }
  }
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("button.ri-copy");
    if (button) copy(button);
  });
})();
