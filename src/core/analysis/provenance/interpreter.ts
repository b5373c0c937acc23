/**
 * Abstract interpretation of a notebook's statements in document order: every name holds an
 * abstract value (data with its rows role and learned state, fitted objects, predictions), and
 * calls record fits, splits, evaluations and saves. Loops run once; both branches of an `if`
 * run; notebook functions run at each call with their arguments bound, and once more without a
 * call (speculatively) if nothing calls them. Each statement is visited a bounded number of
 * times, so the cost is linear in the notebook's size.
 */
import type { AnalysedNotebook } from '../analysed-notebook';
import type { FlowExpr, FlowStatement } from '../../python/flow';
import { LineIndex } from '../../python/syntax-tree';
import { lookupBareName } from '../libraries';
import { Rows, type Location, type ObjectState, type Provenance, type SplitEvent, type Value } from './model';
import { NotebookCode } from './functions';
import { assignColumn, constant, derive, elements, tuple, unknownValue } from './values';
import { evalCall } from './calls';
import { noteRoleAssigned, refineByName, roleFromName } from './splits';
import { attribute, blend, subscript } from './access';

/** One active call of a notebook function. */
interface Frame {
  name: string;
  locals: Map<string, Value>;
  returned?: Value;
  /** The module-level call that (transitively) runs this function; absent when analysed without a call. */
  callSite?: Location;
}

/** How deep notebook functions may call each other before values become unknown. */
const MAX_CALL_DEPTH = 4;

/** Names whose use makes the flow of values unknowable statically. */
const DYNAMIC_BUILTINS = new Set(['getattr', 'setattr', 'exec', 'eval', 'globals', 'locals', 'vars', '__import__']);

export class Interpreter {
  readonly result: Provenance = {
    fits: [],
    splits: [],
    evaluations: [],
    crossValidations: [],
    applications: [],
    saves: [],
    loads: [],
    contaminations: [],
    dynamic: false,
  };
  private readonly globals = new Map<string, Value>();
  private readonly code = new NotebookCode(this);
  private readonly savedValues = new Map<string, Value>();
  private readonly frames: Frame[] = [];
  private readonly loops: number[] = [];
  private nextId = 1;
  private order = 0;
  private datasetCount = 0;
  /** The cell whose code runs now, and its line index (for ranges). */
  cell = 0;
  private lines = new LineIndex('');
  /** True while analysing a function that no cell calls. */
  speculative = false;
  /** Splits keyed by what identifies them across statements (`df[:n]` and `df[n:]`). */
  readonly splitsByKey = new Map<string, SplitEvent>();

  run(analysed: AnalysedNotebook): Provenance {
    for (const { cell, python, facts } of analysed.cells) {
      if (python === null || facts === null || facts.flow === undefined) continue;
      this.cell = cell.index;
      this.lines = new LineIndex(python);
      // Imports bind at the top of their cell: close enough, since cells rarely use a name above its import.
      for (const imp of facts.imports) {
        if (imp.boundName === '*') continue;
        const qualified =
          imp.member === undefined
            ? imp.boundName === imp.module.split('.')[0]
              ? (imp.module.split('.')[0] ?? imp.module)
              : imp.module
            : `${imp.module}.${imp.member}`;
        this.globals.set(imp.boundName, { ...unknownValue(false), kind: 'module', qualified });
      }
      for (const statement of facts.flow) this.statement(statement);
    }
    // Functions nothing calls may still be the prediction code production runs (PR302).
    this.speculative = true;
    this.code.runUncalled();
    return this.result;
  }

  /** Records that a value was written to a literal path (`joblib.dump(bundle, "model.joblib")`). */
  noteSaved(path: string, value: Value): void {
    this.savedValues.set(path, value);
  }

  /** The value last written to a literal path, if the notebook wrote one. */
  savedAt(path: string): Value | undefined {
    return this.savedValues.get(path);
  }

  /** A fresh id for events, objects and loops. */
  id(): number {
    return this.nextId++;
  }

  /** A position in document order for the next event. */
  tick(): number {
    return this.order++;
  }

  /** A fresh dataset number. */
  newDataset(): number {
    return ++this.datasetCount;
  }

  /** The highest dataset number so far: datasets above it are read later. */
  datasetMark(): number {
    return this.datasetCount;
  }

  /** The location of offsets in the running cell. */
  at(start: number, end: number): Location {
    return { cell: this.cell, range: this.lines.range(start, end) };
  }

  /** The source text between two offsets of the running cell. */
  text(start: number, end: number): string {
    return this.lines.slice(start, end);
  }

  /** The notebook function running now, if any. */
  currentFunction(): string | undefined {
    return this.frames.at(-1)?.name;
  }

  /** The module-level call of the outermost running notebook function, if any. */
  currentCallSite(): Location | undefined {
    return this.frames[0]?.callSite;
  }

  /** The innermost loop running now, if any. */
  currentLoop(): number | undefined {
    return this.loops.at(-1);
  }

  /** Records that the notebook does something dynamic. */
  markDynamic(): void {
    this.result.dynamic = true;
  }

  /** Turns a value of unknown origin that is used as data into data: all rows of a dataset of its own. */
  asData(value: Value): Value {
    if (value.kind !== 'unknown') return value;
    value.kind = 'data';
    // A parameter of a function nothing calls holds whatever rows a caller passes: unknown.
    if (value.parameter !== true) {
      value.rows = Rows.all;
      value.datasets = [this.newDataset()];
    }
    return value;
  }

  /** Runs one statement (of a cell, or of a notebook function's body). */
  runStatement(statement: FlowStatement): void {
    this.statement(statement);
  }

  private statement(statement: FlowStatement): void {
    switch (statement.kind) {
      case 'assign': {
        let value = this.expr(statement.value);
        const [first] = statement.targets;
        if (statement.operator !== undefined && first !== undefined) value = derive([this.expr(first), value]);
        for (const target of statement.targets) this.assign(target, value, statement.value);
        return;
      }
      case 'expression':
        this.expr(statement.value);
        return;
      case 'for': {
        const iterable = this.expr(statement.iterable);
        this.loops.push(this.id());
        this.assign(statement.target, this.elementOf(iterable), undefined);
        for (const inner of statement.body) this.statement(inner);
        this.loops.pop();
        return;
      }
      case 'block':
        for (const test of statement.tests) this.expr(test);
        for (const inner of statement.body) this.statement(inner);
        return;
      case 'def':
        this.bind(statement.name, this.code.defineFunction(statement, this.cell, this.lines));
        return;
      case 'class': {
        const bases = statement.bases.map((b) => this.text(b.start, b.end)).join(' ');
        this.bind(statement.name, this.code.defineClass(statement, this.cell, this.lines, bases));
        return;
      }
      case 'return': {
        const value = statement.value === undefined ? constant() : this.expr(statement.value);
        const frame = this.frames.at(-1);
        if (frame !== undefined && frame.returned === undefined) frame.returned = value;
        return;
      }
    }
  }

  /** Binds a name in the running function, or globally at module level. */
  bind(name: string, value: Value): void {
    (this.frames.at(-1)?.locals ?? this.globals).set(name, value);
  }

  private lookup(name: string): Value {
    const local = this.frames.at(-1)?.locals.get(name);
    if (local !== undefined) return local;
    const global = this.globals.get(name);
    if (global !== undefined) return global;
    if (DYNAMIC_BUILTINS.has(name)) this.markDynamic();
    const entry = lookupBareName(name);
    if (entry !== undefined) return { ...unknownValue(true), kind: 'module', qualified: `${entry.library.modules[0] ?? ''}.${name}` };
    // Unbound names (builtins, cells that are gone) hold values of unknown origin.
    const unknown = unknownValue(true);
    unknown.literal = name;
    return unknown;
  }

  private assign(target: FlowExpr, value: Value, source: FlowExpr | undefined): void {
    switch (target.kind) {
      case 'name': {
        // `X_valid = X_full[:5000]`: the name says which part of a positional slice is held out.
        const named = value.split?.kind === 'slice' && source?.kind === 'subscript' ? refineByName(this, value, target.name) : value;
        this.bind(target.name, this.roleByName(target.name, named, source));
        return;
      }
      case 'tuple':
      case 'list': {
        const items = target.items;
        const values = value.items;
        const starred = items.findIndex((t) => t.kind === 'starred');
        if (values !== undefined && starred < 0 && values.length === items.length) {
          items.forEach((t, i) => this.assign(t, refineByName(this, values[i] ?? unknownValue(), t.kind === 'name' ? t.name : undefined), undefined));
        } else if (values !== undefined && starred >= 0 && values.length >= items.length - 1) {
          const tail = items.length - starred - 1;
          items.forEach((t, i) => {
            if (i < starred) this.assign(t, values[i] ?? unknownValue(), undefined);
            else if (i > starred) this.assign(t, values[values.length - (items.length - i)] ?? unknownValue(), undefined);
            else this.assign(t, tuple(values.slice(starred, values.length - tail)), undefined);
          });
        } else {
          // `X, y = data` of a non-tuple: each name gets a view of the value; a role word in the name decides the part.
          for (const t of items) this.assign(t, value.kind === 'object' || value.kind === 'function' ? value : derive([value]), source);
        }
        return;
      }
      case 'starred':
        this.assign(target.value, value, source);
        return;
      case 'subscript':
      case 'attribute': {
        // `df["c"] = f(df["c"])` changes `df` in place: what the new column learned now lives in df.
        const holder = this.expr(target.object);
        if (target.kind === 'attribute' && holder.object?.attributes !== undefined) holder.object.attributes.set(target.attribute, value);
        if (target.kind === 'subscript' && holder.kind === 'tuple' && holder.items !== undefined && (value.kind === 'object' || holder.keys !== undefined)) {
          holder.items.push(value);
          // `d["model"] = clf`: the key keeps `d["model"]` resolvable to that value.
          const key = target.index[0];
          holder.keys?.push(key?.kind === 'string' || key?.kind === 'number' ? key.value : undefined);
        }
        if (holder.kind !== 'data') return;
        const [key] = target.kind === 'subscript' && target.index.length === 1 ? target.index : [];
        assignColumn(holder, key?.kind === 'string' ? key.value : undefined, value);
        if (value.chain.length > holder.chain.length && holder.chain.every((f, i) => value.chain[i] === f)) holder.chain = value.chain;
        if (value.timeOrder !== undefined && holder.timeOrder === undefined) holder.timeOrder = value.timeOrder;
        noteRoleAssigned(this, holder);
        return;
      }
      default:
        return;
    }
  }

  /**
   * Data fresh from a source or a row selection, bound to a name with a role word (`test_df =
   * pd.read_csv("test.csv")`, `train = df[df.year < 2020]`), takes that role: names are the only
   * evidence of a split done by separate files or by a mask.
   */
  private roleByName(name: string, value: Value, source: FlowExpr | undefined): Value {
    if (source === undefined || value.kind !== 'data' || value.fresh !== true || value.split !== undefined || value.rows !== Rows.all) return value;
    const role = roleFromName(name);
    if (role === undefined) return value;
    const key = `name:${value.datasets.join(',')}`;
    let split = this.splitsByKey.get(key);
    if (split === undefined) {
      split = {
        id: this.id(),
        kind: 'name',
        api: 'name',
        shuffles: false,
        datasets: value.datasets,
        role,
        input: value,
        location: this.at(source.start, source.end),
        speculative: this.speculative,
        order: this.tick(),
      };
      this.splitsByKey.set(key, split);
      this.result.splits.push(split);
    }
    const named: Value = { ...value, rows: role, split };
    delete named.fresh;
    noteRoleAssigned(this, named);
    return named;
  }

  /** The abstract value of an expression, recording the events its calls cause. */
  expr(expr: FlowExpr): Value {
    switch (expr.kind) {
      case 'name':
        return this.lookup(expr.name);
      case 'attribute':
        return attribute(this.expr(expr.object), expr.attribute);
      case 'subscript': {
        const object = this.expr(expr.object);
        const index = expr.index.map((i) => (i.kind === 'slice' ? constant() : this.expr(i)));
        return subscript(this, object, expr, index);
      }
      case 'call':
        return evalCall(this, expr);
      case 'tuple':
      case 'list':
      case 'set':
        return tuple(expr.items.map((i) => this.expr(i)));
      case 'dict':
        return { ...tuple(expr.items.map((i) => this.expr(i))), keys: [...(expr.keys ?? expr.items.map(() => undefined))] };
      case 'string':
        return constant(expr.value);
      case 'number':
        return constant(expr.value);
      case 'constant':
        return constant(expr.value);
      case 'starred':
        return this.expr(expr.value);
      case 'operator': {
        const operands = expr.operands.map((o) => this.expr(o));
        if (!operands.some((o) => o.kind === 'data' || o.kind === 'statistic')) return constant();
        const combined = derive(operands);
        if (operands.some((o) => o.kind === 'statistic')) noteRoleAssigned(this, combined);
        return combined;
      }
      case 'lambda':
        return this.code.defineLambda(expr, this.cell, this.lines, this.frames.at(-1)?.locals);
      case 'slice':
        return constant();
      case 'other': {
        const parts = expr.parts.map((p) => this.expr(p));
        if (expr.type === 'conditional_expression') return parts[0] ?? unknownValue();
        return parts.some((p) => p.kind === 'data') ? derive(parts) : unknownValue(false);
      }
    }
  }

  /** What a `for` loop over the value binds on its (single) abstract iteration. */
  elementOf(iterable: Value): Value {
    if (iterable.element !== undefined) return iterable.element;
    if (iterable.kind === 'tuple') {
      const items = elements(iterable);
      return items.length === 1 ? (items[0] ?? unknownValue()) : blend(this, items);
    }
    if (iterable.kind === 'data') return derive([iterable]);
    return unknownValue(iterable.uncertain);
  }

  /** Calls a notebook function, lambda or class value, or undefined when the value is not one. */
  callNotebookFunction(callee: Value, args: Value[], keywords: Map<string, Value>, site: Location): Value | undefined {
    return this.code.call(callee, args, keywords, site);
  }

  /** Calls a method of an instance of a notebook class, or undefined when there is no such method. */
  callNotebookMethod(object: ObjectState, method: string, args: Value[], keywords: Map<string, Value>, site: Location): Value | undefined {
    return this.code.callMethod(object, method, args, keywords, site);
  }

  /** Whether calling `name` now would nest too deep or recurse (its values then become unknown). */
  tooDeep(name: string): boolean {
    return this.frames.length >= MAX_CALL_DEPTH || this.frames.some((f) => f.name === name);
  }

  /**
   * Runs `body` in a new frame of notebook code defined in `cell`: `site` is the call's location,
   * kept as the call site of everything inside when the call is at module level.
   */
  runFrame(name: string, locals: Map<string, Value>, cell: number, lines: LineIndex, site: Location | undefined, body: () => void): Value {
    const saved = { cell: this.cell, lines: this.lines };
    this.cell = cell;
    this.lines = lines;
    const callSite = this.frames.length === 0 ? site : undefined;
    const frame: Frame = { name, locals, ...(callSite === undefined ? {} : { callSite }) };
    this.frames.push(frame);
    try {
      body();
    } finally {
      this.frames.pop();
      this.cell = saved.cell;
      this.lines = saved.lines;
    }
    return frame.returned ?? constant();
  }
}
