/**
 * Notebook-defined code that values flow through: functions, lambdas (run where provenance
 * knows the call, such as `df.pipe(lambda d: ...)`) and classes, whose instances are objects
 * with attributes (`self.scaler = StandardScaler()`) and whose methods run like notebook
 * functions with `self` bound to the instance. Each definition runs at each call, with bounded
 * depth, and once more speculatively when nothing calls it.
 */
import type { FlowExpr, FlowStatement } from '../../python/flow';
import type { LineIndex } from '../../python/syntax-tree';
import type { Interpreter } from './interpreter';
import type { Location, ObjectState, ObjectRole, Value } from './model';
import { constant, newObject, objectValue, tuple, unknownValue } from './values';

type DefStatement = Extract<FlowStatement, { kind: 'def' }>;
type ClassStatement = Extract<FlowStatement, { kind: 'class' }>;
type LambdaExpr = Extract<FlowExpr, { kind: 'lambda' }>;

/** A notebook function or method: its definition and where it lives. */
interface FunctionEntry {
  name: string;
  def: DefStatement;
  cell: number;
  lines: LineIndex;
  called: boolean;
}

/** A notebook class: its bases (as written) and its methods. */
interface ClassEntry {
  name: string;
  bases: string;
  methods: Map<string, FunctionEntry>;
  /** The last instance the notebook created, whose attributes uncalled methods see. */
  instance?: Value;
}

/** A lambda: its expression, where it lives, and the locals around it. */
interface LambdaEntry {
  expr: LambdaExpr;
  cell: number;
  lines: LineIndex;
  closure: ReadonlyMap<string, Value> | undefined;
}

/** The role an instance of a notebook class plays, from its bases (sklearn mixins, torch and keras models). */
function roleOfBases(bases: string): ObjectRole {
  if (/TransformerMixin/.test(bases)) return 'transformer';
  if (/(Classifier|Regressor)Mixin|nn\.Module|keras\.Model/.test(bases)) return 'estimator';
  return 'unknown';
}

export class NotebookCode {
  private readonly functions = new Map<string, FunctionEntry>();
  private readonly classes = new Map<string, ClassEntry>();
  private readonly lambdas = new Map<string, LambdaEntry>();
  /** Which class each instance belongs to. */
  private readonly instances = new WeakMap<ObjectState, ClassEntry>();

  constructor(private readonly it: Interpreter) {}

  /** Registers a `def`; returns the value its name binds. */
  defineFunction(def: DefStatement, cell: number, lines: LineIndex): Value {
    const key = `${cell}:${def.start}`;
    if (!this.functions.has(key)) this.functions.set(key, { name: def.name, def, cell, lines, called: false });
    return { ...unknownValue(false), kind: 'function', definition: key };
  }

  /** Registers a `class` and its methods; returns the value its name binds. */
  defineClass(statement: ClassStatement, cell: number, lines: LineIndex, bases: string): Value {
    const key = `class:${cell}:${statement.start}`;
    if (!this.classes.has(key)) {
      const methods = new Map<string, FunctionEntry>();
      for (const inner of statement.body) {
        if (inner.kind === 'def') methods.set(inner.name, { name: `${statement.name}.${inner.name}`, def: inner, cell, lines, called: false });
      }
      this.classes.set(key, { name: statement.name, bases, methods });
    }
    return { ...unknownValue(false), kind: 'class', definition: key, qualified: bases };
  }

  /** A lambda expression's value: a function that runs when provenance knows its call. */
  defineLambda(expr: LambdaExpr, cell: number, lines: LineIndex, closure: ReadonlyMap<string, Value> | undefined): Value {
    if (expr.body === undefined) return unknownValue(false);
    const key = `lambda:${cell}:${expr.start}`;
    this.lambdas.set(key, { expr, cell, lines, closure });
    return { ...unknownValue(false), kind: 'function', definition: key };
  }

  /** Calls a notebook function, lambda or class; undefined when the value is none of them. */
  call(callee: Value, args: Value[], keywords: Map<string, Value>, site: Location): Value | undefined {
    const key = callee.definition;
    if (key === undefined || (callee.kind !== 'function' && callee.kind !== 'class')) return undefined;
    const cls = this.classes.get(key);
    if (cls !== undefined) return this.instantiate(cls, args, keywords, site);
    const lambda = this.lambdas.get(key);
    if (lambda !== undefined) return this.callLambda(lambda, args, site);
    const entry = this.functions.get(key);
    return entry === undefined ? undefined : this.invoke(entry, args, keywords, site);
  }

  /**
   * Calls a method of an instance of a notebook class with `self` bound; undefined when the
   * object is not such an instance or its class does not define the method. A `fit_transform`
   * the class inherits from `TransformerMixin` runs its `fit`, then its `transform`.
   */
  callMethod(object: ObjectState, method: string, args: Value[], keywords: Map<string, Value>, site: Location): Value | undefined {
    const cls = this.instances.get(object);
    if (cls === undefined) return undefined;
    const self = objectValue(object);
    const entry = cls.methods.get(method);
    if (entry !== undefined) return this.invoke(entry, [self, ...args], keywords, site);
    const fit = cls.methods.get('fit');
    const transform = cls.methods.get('transform');
    if (method === 'fit_transform' && fit !== undefined && transform !== undefined) {
      this.invoke(fit, [self, ...args], keywords, site);
      return this.invoke(transform, [self, args[0] ?? unknownValue()], new Map(), site);
    }
    return undefined;
  }

  /** Runs what nothing called, speculatively: it may still be the prediction code production runs (PR302). */
  runUncalled(): void {
    const parameter = (): Value => ({ ...unknownValue(false), parameter: true });
    for (const entry of this.functions.values()) {
      if (!entry.called) this.invoke(entry, entry.def.params.map(parameter), new Map());
    }
    for (const cls of this.classes.values()) {
      const uncalled = [...cls.methods.values()].filter((m) => !m.called && m.def.name !== '__init__');
      if (uncalled.length === 0) continue;
      const self = cls.instance ?? this.instantiate(cls, (cls.methods.get('__init__')?.def.params.slice(1) ?? []).map(parameter), new Map());
      for (const method of uncalled) this.invoke(method, [self, ...method.def.params.slice(1).map(parameter)], new Map());
    }
  }

  private newInstance(cls: ClassEntry): ObjectState {
    const role = roleOfBases(cls.bases);
    const object = newObject(this.it.id(), role, cls.name);
    if (role === 'transformer') object.pattern = 'transformation';
    object.attributes = new Map();
    this.instances.set(object, cls);
    return object;
  }

  /** A new instance, with `__init__` run on the constructor's arguments. */
  private instantiate(cls: ClassEntry, args: Value[], keywords: Map<string, Value>, site?: Location): Value {
    const object = this.newInstance(cls);
    const self = objectValue(object);
    cls.instance = self;
    const init = cls.methods.get('__init__');
    if (init !== undefined) this.invoke(init, [self, ...args], keywords, site);
    return self;
  }

  private invoke(entry: FunctionEntry, args: Value[], keywords: Map<string, Value>, site?: Location): Value {
    entry.called ||= site !== undefined;
    if (this.it.tooDeep(entry.name)) return unknownValue();
    const locals = new Map<string, Value>();
    entry.def.params.forEach((param, i) => {
      if (param.startsWith('**')) locals.set(param.slice(2), unknownValue());
      else if (param.startsWith('*')) locals.set(param.slice(1), tuple(args.slice(i)));
      else locals.set(param, keywords.get(param) ?? args[i] ?? unknownValue(false));
    });
    return this.it.runFrame(entry.name, locals, entry.cell, entry.lines, site, () => {
      for (const statement of entry.def.body) this.it.runStatement(statement);
    });
  }

  private callLambda(lambda: LambdaEntry, args: Value[], site: Location): Value {
    const body = lambda.expr.body;
    if (body === undefined || this.it.tooDeep('<lambda>')) return unknownValue();
    const locals = new Map(lambda.closure ?? []);
    (lambda.expr.params ?? []).forEach((param, i) => locals.set(param.replace(/^\*+/, ''), args[i] ?? unknownValue(false)));
    let result: Value = constant();
    this.it.runFrame('<lambda>', locals, lambda.cell, lambda.lines, site, () => {
      result = this.it.expr(body);
    });
    return result;
  }
}
