// The console's digest page: moves the progress bar, the status and the counts as the send goes,
// from the page's Server-Sent Events. Without script the page shows them as of its loading.
(() => {
  const bar = document.querySelector('[data-events]');
  if (!bar || typeof EventSource === 'undefined') return;
  const status = document.getElementById('digest-status');
  const live = document.getElementById('progress-live');
  const source = new EventSource(bar.getAttribute('data-events'));
  source.onmessage = (message) => {
    const event = JSON.parse(message.data);
    bar.value = event.progressPercent;
    bar.textContent = `${event.progressPercent}%`;
    bar.setAttribute('aria-label', `Sent: ${event.progressPercent}%`);
    if (status) status.textContent = event.status;
    if (live) {
      const counts = Object.entries(event.counts)
        .filter(([name, count]) => name !== 'total' && count > 0)
        .map(([name, count]) => `${name} ${count}`);
      live.textContent = `${event.status}: ${event.progressPercent}% (${counts.join(', ') || 'no copies yet'})`;
    }
    if (event.done) source.close();
  };
})();
