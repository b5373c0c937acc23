// Temporary: prints a notebook's provenance summary (deleted before hand-off).
import { readFileSync } from 'node:fs';
import { analyse } from '../../../src/core/analysis/analysed-notebook';
import { parseNotebookText } from '../../../src/core/notebook';
import { provenanceOf, rowsName, modelClass } from '../../../src/core/analysis/provenance';

void (async () => {
  const path = process.argv[2] ?? '';
  const nb = parseNotebookText(path, readFileSync(path, 'utf8'));
  const p = provenanceOf(await analyse(nb));
  const loc = (l: { cell: number; range: { start: { line: number; character: number } } }): string => `c${l.cell}:${l.range.start.line}:${l.range.start.character}`;
  for (const f of p.fits) console.log('fit', f.kind, f.api, rowsName(f.rows), f.datasets, loc(f.location), f.speculative ? 'spec' : '', f.inFunction ?? '', 'learnedIn', f.learnedIn.map((x) => x.api), 'chainIn', f.chainIn.map((x) => x.api));
  for (const s of p.splits) console.log('split', s.kind, s.shuffles, s.datasets, loc(s.location), s.input.timeOrder?.reason ?? '');
  for (const e of p.evaluations) console.log('eval', e.api, modelClass(e.model), rowsName(e.data.rows), loc(e.location), 'chain', e.data.chain.map((x) => x.api), 'fitChain', e.fit?.chainIn.map((x) => x.api));
  for (const c of p.crossValidations) console.log('cv', c.api, modelClass(c.model), rowsName(c.data.rows), loc(c.location));
  for (const c of p.contaminations) console.log('LEAK', c.fit.api, loc(c.fit.location), c.split ? `split ${c.split.kind} ${loc(c.split.location)}` : '', c.crossValidation ? 'cv' : '', rowsName(c.value.rows));
  for (const s of p.saves) console.log('save', s.api, s.objects.map((o) => o.className), loc(s.location));
  console.log('dynamic', p.dynamic);
})();
