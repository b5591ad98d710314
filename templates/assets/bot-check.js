// The subscribe form's bot check: the ALTCHA widget served by Tidings itself, never by a CDN.
// Loaded as a module from Tidings' own page or from the blog's page that embeds the form.
import './altcha.js';

const here = new URL('.', import.meta.url);
const style = document.createElement('link');
style.rel = 'stylesheet';
style.href = new URL('altcha.css', here).href;
document.head.append(style);

// A worker must come from the page's own origin. On the blog's page it is started from a blob
// that imports ours (this needs `worker-src blob:` if the blog sets a Content-Security-Policy).
const worker = new URL('altcha-pbkdf2.worker.js', here);
const createWorker =
  worker.origin === location.origin
    ? () => new Worker(worker)
    : () => new Worker(URL.createObjectURL(new Blob([`importScripts(${JSON.stringify(worker.href)});`])));
globalThis.$altcha.algorithms.set('PBKDF2/SHA-256', createWorker);
