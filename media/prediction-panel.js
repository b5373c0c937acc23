// The prediction panel page: builds the form from the signature the extension sends, and
// posts rows back. It never computes anything itself; it only renders what it is given.
(function () {
  const vscode = acquireVsCodeApi();
  const form = document.getElementById('form');
  const json = document.getElementById('json');
  const status = document.getElementById('status');
  const jsonError = document.getElementById('json-error');
  const table = document.getElementById('results');
  const parityBox = document.getElementById('parity');
  const errorDetails = document.getElementById('error-details');
  let inputs = [];
  let backend;

  function buildBackends(backends, selected, note) {
    const box = document.getElementById('backend-choices');
    box.replaceChildren();
    backend = selected;
    for (const choice of backends) {
      const id = 'backend-' + choice.id;
      const radio = el('input', { type: 'radio', name: 'backend', id, value: choice.id, disabled: !choice.enabled, checked: choice.id === selected && choice.enabled });
      radio.addEventListener('change', () => {
        backend = choice.id;
        vscode.postMessage({ type: 'backend', backend });
      });
      box.append(el('label', { htmlFor: id, className: 'choice' + (choice.enabled ? '' : ' disabled'), title: choice.enabled ? '' : note }, [radio, ' ' + choice.id]));
    }
    if (!backends.some((c) => c.id === selected && c.enabled)) {
      const first = backends.find((c) => c.enabled);
      backend = first ? first.id : undefined;
      if (first) document.getElementById('backend-' + first.id).checked = true;
    }
    document.getElementById('backend-note').textContent = backends.some((c) => c.id !== 'onnx') ? note : '';
    document.getElementById('backend').hidden = backends.length === 0;
  }

  function num(value) {
    return value === null || value === undefined ? '—' : !isFinite(value) ? String(value) : value === 0 ? '0' : Math.abs(value) < 1e-3 ? value.toExponential(3) : value.toPrecision(4);
  }

  function showParity(parity) {
    if (!parity) {
      parityBox.hidden = true;
      parityBox.replaceChildren();
      return;
    }
    const head = el('p', { className: parity.ok ? 'pass' : 'error', textContent: 'ONNX and Python ' + (parity.ok ? 'agree' : 'DISAGREE') + ' on ' + parity.rowsCompared + ' rows (tolerance ' + parity.tolerance.absolute + ' + ' + parity.tolerance.relative + ' × |python|)' });
    const outputs = el('table', { className: 'parity' }, [
      el('thead', {}, [el('tr', {}, ['output', 'max |onnx − python|', 'rows over tolerance', 'label agreement', ''].map((h) => el('th', { textContent: h })))]),
      el('tbody', {}, parity.outputs.map((o) => el('tr', { className: o.ok ? '' : 'rejected' }, [
        o.output, o.kind === 'label' ? '—' : num(o.maxAbsDiff), o.rowsOverTolerance + ' (' + (o.shareOverTolerance * 100).toFixed(1) + '%)',
        o.labelAgreement === null ? '—' : (o.labelAgreement * 100).toFixed(1) + '%', o.ok ? 'ok' : 'differs',
      ].map((c) => el('td', { textContent: c }))))),
    ]);
    const children = [el('h3', { textContent: 'Parity (both)' }), head, outputs];
    if (parity.worst.length > 0) {
      children.push(el('p', { textContent: 'Worst rows' }), el('table', { className: 'parity' }, [
        el('thead', {}, [el('tr', {}, ['row', 'output', 'onnx', 'python', '|diff|'].map((h) => el('th', { textContent: h })))]),
        el('tbody', {}, parity.worst.map((w) => el('tr', {}, [String(w.row), w.output, JSON.stringify(w.onnx), JSON.stringify(w.python), w.diff === null || !isFinite(w.diff) ? 'differs' : num(w.diff)].map((c) => el('td', { textContent: c }))))),
      ]));
    }
    parityBox.replaceChildren(...children);
    parityBox.hidden = false;
  }

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
    if (report.counts.rows !== 1) return;
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
    // One row at a time: a spread of thousands of rows into one call can exceed the argument limit.
    const body = table.tBodies[0];
    body.replaceChildren();
    report.rows.forEach((row, i) => {
      if (i === report.first && report.rows.length > report.first) {
        body.append(el('tr', { className: 'gap' }, [el('td', { colSpan: head.length, textContent: 'later rows with findings' })]));
      }
      const p = row.prediction || {};
      const prediction = p.label !== undefined ? String(p.label) : p.value !== undefined ? String(p.value) : row.prediction ? JSON.stringify(p.outputs) : '—';
      const cells = [String(row.row), row.status, prediction, ...probabilityNames.map((n) => (p.probabilities && n in p.probabilities ? p.probabilities[n].toFixed(4) : '')),
        row.issues.map((i) => i.severity + (i.feature ? ' ' + i.feature : '') + ': ' + i.message).join('\n')];
      body.append(el('tr', { className: row.status }, cells.map((c) => el('td', { textContent: c }))));
    });
    const counts = report.counts;
    const shown = report.hidden > 0
      ? '; the table shows the first ' + report.first.toLocaleString('en') + ' rows' + (report.rows.length > report.first ? ' and ' + (report.rows.length - report.first).toLocaleString('en') + ' later rows with findings' : '') + ' (nb2prod predict --format json writes every row)'
      : '';
    status.textContent = counts.predicted.toLocaleString('en') + ' of ' + counts.rows.toLocaleString('en') + ' rows predicted' + (counts.rejected ? ', ' + counts.rejected.toLocaleString('en') + ' rejected' : '') + (report.backend ? ' (' + (report.backend === 'both' ? 'onnx and python' : report.backend) + ')' : '') + shown;
    status.className = 'muted';
    errorDetails.hidden = true;
  }

  document.getElementById('predict-form').addEventListener('click', () => {
    const row = formRow();
    json.value = JSON.stringify(row, null, 2);
    vscode.postMessage({ type: 'predict', rows: [row], backend });
  });
  document.getElementById('predict-json').addEventListener('click', () => {
    jsonError.textContent = '';
    try {
      const value = JSON.parse(json.value);
      vscode.postMessage({ type: 'predict', rows: Array.isArray(value) ? value : [value], backend });
    } catch (error) {
      jsonError.textContent = 'Not valid JSON: ' + error.message;
    }
  });
  document.getElementById('predict-csv').addEventListener('click', () => vscode.postMessage({ type: 'pickCsv', backend }));

  window.addEventListener('message', (event) => {
    const message = event.data;
    if (message.type === 'init') {
      inputs = message.inputs;
      document.getElementById('title').textContent = 'Test Prediction — ' + message.manifest;
      status.textContent = message.task + ' model, ' + inputs.length + ' inputs' + (message.classes ? ', classes ' + message.classes.join(', ') : '');
      buildForm(message.example);
      buildBackends(message.backends || [], message.backend, message.backendNote || '');
      // An example to start from, unless rows were already typed or pasted (never overwritten).
      if (!json.value.trim()) json.value = JSON.stringify(message.example ? [message.example] : [formRow()], null, 2);
    } else if (message.type === 'result') {
      showFieldIssues(message.report);
      showResults(message.report);
      showParity(message.report.parity);
    } else if (message.type === 'error') {
      status.textContent = message.message;
      status.className = 'error';
      errorDetails.textContent = message.details || '';
      errorDetails.hidden = !message.details;
    }
  });
  vscode.postMessage({ type: 'ready' });
})();
