// The strict-CSP page's own script (no inline script is allowed there): it shows what the
// widgets report through their strata:* events.
const log = document.getElementById('events');
for (const name of ['strata:load', 'strata:error', 'strata:outcome'])
  document.addEventListener(name, (event) => {
    const line = document.createElement('li');
    line.textContent = `${name} <${event.target.localName}> ${JSON.stringify(event.detail)}`;
    log?.append(line);
  });
