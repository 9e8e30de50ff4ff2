/* Loaded in <head> of the self-check page only (overrides/self-check.html), before the body is
 * drawn: marks <html> so content/assets/self-check.css shows the form and hides the note for
 * browsers without scripts from the first paint, and nothing moves when self-check.js runs. */
document.documentElement.classList.add("kb-self-check-js");
