// Copy text to the clipboard, with a fallback where the Clipboard API is not allowed (plain http);
// return the confirmation in the page's language (data attributes of #copied-texts, from text.yaml).
window.timelineCopy = function (text, lang, kind) {
  function fallbackCopy(value) {
    var box = document.createElement("textarea");
    box.value = value;
    document.body.appendChild(box);
    box.select();
    try { document.execCommand("copy"); } catch (e) { /* nothing more to try */ }
    box.remove();
  }
  try { navigator.clipboard.writeText(text).catch(function () { fallbackCopy(text); }); }
  catch (e) { fallbackCopy(text); }
  var texts = document.getElementById("copied-texts");
  var l = lang || "en";
  var key = (kind || "") + (kind ? l.charAt(0).toUpperCase() + l.slice(1) : l);
  return (texts && texts.dataset[key]) || (kind ? "Text copied" : "Link copied");
};
