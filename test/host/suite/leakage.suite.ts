/**
 * Leakage in the editor: the same provenance analysis as `nb2prod check`, on a live notebook,
 * with the contaminated model named and related locations on the split, fit and evaluation.
 */
import * as assert from 'node:assert/strict';
import { cellCodes, closeAllEditors, nb2prodDiagnostics, openNotebook, rangeOf, setSetting } from './helpers';

describe('leakage diagnostics', () => {
  afterEach(closeAllEditors);

  it('reports LK201 on a scaler fitted before the split, pointing at the split and the model', async () => {
    const notebook = await openNotebook('leakage.ipynb');
    const [lk201] = await cellCodes(notebook, 3, ['LK201'], 15_000);
    assert.ok(lk201);
    // Cell 3 line 0 is `X = StandardScaler().fit_transform(df[["tenure", "charges"]])`.
    assert.deepEqual(rangeOf(lk201.range), [0, 4, 0, 61]);
    assert.match(lk201.message, /StandardScaler/);
    assert.equal((lk201.code as { value: string }).value, 'LK201');
    const related = lk201.relatedInformation ?? [];
    assert.ok(related.length >= 1, 'related locations point at the split and the model');
    for (const info of related) assert.equal(info.location.uri.toString(), notebook.cellAt(4).document.uri.toString());
    for (const index of [0, 1, 2, 4]) assert.deepEqual(nb2prodDiagnostics(notebook.cellAt(index).document.uri), [], `cell ${index} is clean`);
  });

  it('LK201 is in the preview tier: off with the default selection, on when its code is selected', async () => {
    const notebook = await openNotebook('leakage.ipynb');
    await cellCodes(notebook, 3, ['LK201'], 15_000);
    try {
      // The host's user settings select PREVIEW; an empty workspace selection means the default tier.
      await setSetting('select', []);
      await cellCodes(notebook, 3, []);
      await setSetting('select', ['LK201']);
      await cellCodes(notebook, 3, ['LK201']);
    } finally {
      await setSetting('select', undefined);
    }
  });
});
