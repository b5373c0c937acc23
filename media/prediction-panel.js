// The prediction panel page: builds the form from the signature the extension sends, and
// posts rows back. It never computes anything itself; it only renders what it is given.
(function () {
  const vscode = acquireVsCodeApi();
  const form = document.getElementById('form');
  const json = document.getElementById('json');
  const status = document.getElementById('status');
  const jsonError = document.getElementById('json-error');
  const table = document.getElementById('results');
  let inputs = [];

  function el(tag, props, children) {
    const node = document.createElement(tag);
    Object.assign(node, props || {});
    for (const child of children || []) node.append(child);
    return node;
  }

  function buildForm(example) {
    form.replaceChildren();
    for (const input of inputs) {
      const id = 'field-' + input.name;
      let control;
      let hint = '';
      if (input.categories) {
        control = el('select', { id, name: input.name }, input.categories.map((c) => el('option', { value: c, textContent: c })));
        if (input.nullable) control.prepend(el('option', { value: '', textContent: '(empty)' }));
        hint = input.categories.length + ' categories seen in training';
      } else {
        control = el('input', { id, name: input.name, type: 'number', step: 'any' });
        if (input.min !== null && input.max !== null) {
          control.placeholder = input.min + ' – ' + input.max;
          hint = 'training range ' + input.min + ' – ' + input.max;
        }
        if (typeof input.valid_min === 'number') control.min = String(input.valid_min);
        if (typeof input.valid_max === 'number') control.max = String(input.valid_max);
        if (input.nullable) hint += (hint ? '; ' : '') + 'may be empty';
      }
      if (example && example[input.name] !== undefined && example[input.name] !== null) control.value = String(example[input.name]);
      form.append(el('div', { className: 'field' }, [
        el('label', { htmlFor: id, textContent: input.name + ' (' + input.tensor_type + ')' }),
        control,
        el('div', { className: 'hint', textContent: hint }),
        el('div', { className: 'issues', id: 'issues-' + input.name }),
      ]));
    }
  }

  function formRow() {
    const row = {};
    for (const input of inputs) {
      const value = document.getElementById('field-' + input.name).value;
      if (value === '') row[input.name] = null;
      else row[input.name] = input.categories || input.tensor_type === 'string' ? value : Number(value);
    }
    return row;
  }

  function showFieldIssues(report) {
    for (const input of inputs) {
      document.getElementById('issues-' + input.name).replaceChildren();
      document.getElementById('field-' + input.name).classList.remove('invalid');
    }
    if (report.rows.length !== 1) return;
    for (const issue of report.rows[0].issues) {
      const box = issue.feature && document.getElementById('issues-' + issue.feature);
      if (!box) continue;
      box.append(el('p', { className: issue.severity, textContent: issue.message }));
      if (issue.severity === 'error') document.getElementById('field-' + issue.feature).classList.add('invalid');
    }
  }

  function showResults(report) {
    const probabilityNames = [];
    for (const row of report.rows) for (const name of Object.keys((row.prediction && row.prediction.probabilities) || {})) if (!probabilityNames.includes(name)) probabilityNames.push(name);
    const head = ['row', 'status', 'prediction', ...probabilityNames.map((n) => 'p(' + n + ')'), 'issues'];
    table.tHead.replaceChildren(el('tr', {}, head.map((h) => el('th', { textContent: h }))));
    table.tBodies[0].replaceChildren(...report.rows.map((row) => {
      const p = row.prediction || {};
      const prediction = p.label !== undefined ? String(p.label) : p.value !== undefined ? String(p.value) : row.prediction ? JSON.stringify(p.outputs) : '—';
      const cells = [String(row.row), row.status, prediction, ...probabilityNames.map((n) => (p.probabilities && n in p.probabilities ? p.probabilities[n].toFixed(4) : '')),
        row.issues.map((i) => i.severity + (i.feature ? ' ' + i.feature : '') + ': ' + i.message).join('\n')];
      return el('tr', { className: row.status }, cells.map((c) => el('td', { textContent: c })));
    }));
    const rejected = report.rows.filter((r) => r.status === 'rejected').length;
    status.textContent = (report.rows.length - rejected) + ' of ' + report.rows.length + ' rows predicted' + (rejected ? ', ' + rejected + ' rejected' : '');
  }

  document.getElementById('predict-form').addEventListener('click', () => {
    const row = formRow();
    json.value = JSON.stringify(row, null, 2);
    vscode.postMessage({ type: 'predict', rows: [row] });
  });
  document.getElementById('predict-json').addEventListener('click', () => {
    jsonError.textContent = '';
    try {
      const value = JSON.parse(json.value);
      vscode.postMessage({ type: 'predict', rows: Array.isArray(value) ? value : [value] });
    } catch (error) {
      jsonError.textContent = 'Not valid JSON: ' + error.message;
    }
  });
  document.getElementById('predict-csv').addEventListener('click', () => vscode.postMessage({ type: 'pickCsv' }));

  window.addEventListener('message', (event) => {
    const message = event.data;
    if (message.type === 'init') {
      inputs = message.inputs;
      document.getElementById('title').textContent = 'Test Prediction — ' + message.manifest;
      status.textContent = message.task + ' model, ' + inputs.length + ' inputs' + (message.classes ? ', classes ' + message.classes.join(', ') : '');
      buildForm(message.example);
      json.value = JSON.stringify(message.example ? [message.example] : [formRow()], null, 2);
    } else if (message.type === 'result') {
      showFieldIssues(message.report);
      showResults(message.report);
    } else if (message.type === 'error') {
      status.textContent = message.message;
      status.className = 'error';
    }
  });
  vscode.postMessage({ type: 'ready' });
})();
