// The Key Hygiene Report's webview script. It renders what the extension posts, with textContent only (the
// data names files a workspace controls), and sends back indexes, never paths or command ids. After each
// render it posts the verdicts it shows, read from the DOM, so the tests can check what the user sees.
// @ts-check
(function () {
  const vscode = acquireVsCodeApi();
  const itemsElement = /** @type {HTMLElement} */ (document.getElementById('items'));
  const scopeElement = /** @type {HTMLElement} */ (document.getElementById('scope'));

  /** @param {string} tag @param {string} [className] @param {string} [text] */
  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function render(report) {
    scopeElement.textContent = report.scope;
    itemsElement.replaceChildren();
    report.items.forEach((item, itemIndex) => {
      const section = element('section', `item ${item.verdict}`);
      section.dataset.id = item.id;
      section.dataset.verdict = item.verdict;
      const heading = element('h2');
      heading.append(element('span', `badge ${item.verdict}`, item.verdictLabel), element('span', 'title', item.title));
      section.append(heading);
      if (item.evidence.length > 0) {
        const list = element('ul', 'evidence');
        for (const text of item.evidence) list.append(element('li', undefined, text));
        section.append(list);
      }
      if (item.links.length > 0) {
        const list = element('ul', 'links');
        for (const link of item.links) {
          const anchor = element('a', undefined, link.label);
          anchor.setAttribute('href', '#');
          anchor.addEventListener('click', (event) => {
            event.preventDefault();
            vscode.postMessage({ type: 'open', index: link.index });
          });
          const entry = element('li');
          entry.append(anchor);
          list.append(entry);
        }
        section.append(list);
      }
      if (item.fixLabel) {
        const button = element('button', 'fix', item.fixLabel);
        button.addEventListener('click', () => vscode.postMessage({ type: 'fix', index: itemIndex }));
        section.append(button);
      }
      itemsElement.append(section);
    });
    const rendered = Array.from(itemsElement.querySelectorAll('section.item')).map((section) => ({
      id: /** @type {HTMLElement} */ (section).dataset.id,
      verdict: /** @type {HTMLElement} */ (section).dataset.verdict,
    }));
    vscode.postMessage({ type: 'rendered', items: rendered });
  }

  window.addEventListener('message', (event) => {
    if (event.data && event.data.type === 'report') render(event.data);
  });
  document.getElementById('refresh')?.addEventListener('click', () => vscode.postMessage({ type: 'refresh' }));
  document.getElementById('export')?.addEventListener('click', () => vscode.postMessage({ type: 'export' }));
  vscode.postMessage({ type: 'ready' });
})();
