// A submission's photos in a lightbox: a native <dialog> (Escape closes, focus returns to the
// thumbnail), arrow keys and buttons for the previous and next photo.
(function () {
  "use strict";
  var dialog = document.getElementById("lightbox");
  if (!dialog) return;
  var img = document.getElementById("lightbox-img");
  var caption = document.getElementById("lightbox-caption");
  var current = 0;
  var opener = null;

  function thumbs() {
    var seen = {};
    return Array.prototype.filter.call(document.querySelectorAll(".thumb[data-photo]"), function (t) {
      var url = t.getAttribute("data-photo");
      if (seen[url]) return false;
      seen[url] = true;
      return true;
    });
  }

  function showAt(index) {
    var list = thumbs();
    if (!list.length) return;
    current = (index + list.length) % list.length;
    var thumb = list[current];
    img.src = thumb.getAttribute("data-photo");
    img.alt = thumb.querySelector("img").alt;
    caption.textContent = thumb.getAttribute("data-caption") + " (" + (current + 1) + "/" + list.length + ")";
  }

  document.addEventListener("click", function (event) {
    var thumb = event.target.closest(".thumb[data-photo]");
    if (!thumb) return;
    opener = thumb;
    var list = thumbs();
    var url = thumb.getAttribute("data-photo");
    var index = 0;
    list.forEach(function (t, i) { if (t.getAttribute("data-photo") === url) index = i; });
    showAt(index);
    dialog.showModal();
    document.getElementById("lightbox-close").focus();
  });
  document.getElementById("lightbox-prev").addEventListener("click", function () { showAt(current - 1); });
  document.getElementById("lightbox-next").addEventListener("click", function () { showAt(current + 1); });
  document.getElementById("lightbox-close").addEventListener("click", function () { dialog.close(); });
  dialog.addEventListener("keydown", function (event) {
    if (event.key === "ArrowLeft") { showAt(current - 1); event.preventDefault(); }
    if (event.key === "ArrowRight") { showAt(current + 1); event.preventDefault(); }
  });
  dialog.addEventListener("close", function () { if (opener) opener.focus(); });
  // The photo arrives after the focus is on "Close" and pushes it down: on a small or zoomed
  // screen (320 px at 400 %) the focused button ended below the dialog's fold, out of sight.
  img.addEventListener("load", function () {
    var focused = document.activeElement;
    if (dialog.open && focused && dialog.contains(focused)) focused.scrollIntoView({ block: "nearest" });
  });
})();
